package desktop

import (
	"strings"
	"testing"
)

// TestHostileInputs feeds the services input pasted from anywhere: they
// answer with an error or a report, never a panic.
func TestHostileInputs(t *testing.T) {
	a := startApp(t, Config{})
	for _, in := range []string{"", "null", "[]", "{}", `{"timestamp":"x"}`, `{"timestamp":1e400}`, strings.Repeat("[", 10000), "\x00\xff", `{"url":"%zz","signature":"` + strings.Repeat("a", 1<<16) + `"}`} {
		_, _ = a.Sign.Check("wecom", in)
		_, _ = a.Sign.Check("", in)
	}
	for _, req := range []DoctorRequest{
		{},
		{URL: "%zz"},
		{URL: "http://x/?msg_signature=%zz&timestamp=-1"},
		{Body: "<xml><Encrypt><![CDATA[!!!]]></Encrypt></xml>", MsgSignature: "x", Timestamp: "1", Nonce: "n"},
		{Body: "<xml><Encrypt>" + strings.Repeat("A", 1<<16) + "</Encrypt></xml>"},
		{EchoStr: "====", MsgSignature: "x"},
		{Body: "\x00\x01<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>"},
	} {
		rep, err := a.Crypto.Doctor(req)
		if err == nil && rep.OK {
			t.Errorf("Doctor(%.60q) = OK", req.Body)
		}
	}
	for _, req := range []SimulateRequest{
		{XML: "<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>"},
		{XML: strings.Repeat("<a>", 5000)},
		{URL: "http://[::1", Content: "x"},
		{URL: "javascript:alert(1)", Content: "x"},
	} {
		_, _ = a.Messages.Simulate(req)
	}
	// A CDATA terminator in the content is split, so the message parses and
	// the echo reply carries the content unchanged.
	sim, err := a.Messages.Simulate(SimulateRequest{Content: "a]]><evil/>b"})
	if err != nil || sim.Status != 200 || sim.ReplyType != "text" || !strings.Contains(sim.Reply, "a]]]]><![CDATA[><evil/>b") {
		t.Errorf("Simulate with ]]> = %+v, %v", sim, err)
	}
	if _, err := a.Inbox.Detail(-1); err == nil {
		t.Error("Detail(-1): no error")
	}
	if _, err := a.Inbox.List(InboxFilter{Limit: -5}); err == nil {
		t.Error("List(limit -5): no error")
	}
}

// FuzzParseImport: whatever is pasted into Import, parseImport returns
// profiles or an error, never both and never a panic; every profile it
// returns carries no secret store.
func FuzzParseImport(f *testing.F) {
	for _, s := range []string{
		`{"profiles":[{"name":"a","platform":"wecom","corpId":"c","agentId":1}]}`,
		`[{"name":"m","platform":"mp","appId":"wx1","trustedDomains":["h5.example.com"]}]`,
		"[profiles.p]\ncorp_id = \"c\"\nagent_id = 2\nmp_app_id = \"wx\"\n",
		"[profiles.p]\nsecret = \"x\"\n",
		`{"profiles":[{"name":"a","secret":"x"}]}`,
		"", "{", "[", "[[profiles]]", "\x00", strings.Repeat("[", 3000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := parseImport(s)
		if err != nil && list != nil {
			t.Fatalf("error %v with %d profiles", err, len(list))
		}
		for _, sp := range list {
			if sp.SecretStore != "" {
				t.Fatalf("profile %q carries a secret store", sp.Name)
			}
		}
	})
}

// TestHostileProfileInputs: bad profile input is refused with an error
// naming the field, and the profiles file stays as it was.
func TestHostileProfileInputs(t *testing.T) {
	a := startApp(t, Config{})
	for _, in := range []ProfileInput{
		{Name: strings.Repeat("x", 1<<16) + "/", Platform: "wecom", CorpID: "c", AgentID: 1},
		{Name: "n", Platform: "wecom", CorpID: "c", AgentID: -1},
		{Name: "n", Platform: "wecom", CorpID: "c", AgentID: 1, APIBaseURL: "javascript:alert(1)"},
		{Name: "n", Platform: "wecom", CorpID: "c", AgentID: 1, Reply: "rm -rf"},
		{Name: "n", Platform: "wecom", CorpID: "c", AgentID: 1, Secret: " padded "},
		{Name: "n", Platform: "mp", AppID: "wx", CorpID: "c"},
	} {
		if _, err := a.Profiles.Add(in); err == nil || !strings.HasPrefix(err.Error(), "desktop: ") {
			t.Errorf("Add(%.80v) = %v", in, err)
		}
	}
	for _, text := range []string{strings.Repeat(`{"profiles":[`, 2000), "[profiles]\nx = 1\n", `{"profiles":[{"name":"n","platform":"mp","appId":"wx"}],"extra":1}`} {
		if _, err := a.Profiles.Import(text); err == nil {
			t.Errorf("Import(%.40q): no error", text)
		}
	}
	if list, _ := a.Profiles.List(); len(list) != 2 {
		t.Errorf("profiles after hostile input: %d", len(list))
	}
	for _, q := range []MPQRRequest{{Profile: "mp", SceneStr: "\x00"}, {Profile: "mp", SceneID: -5}} {
		if d, err := a.QR.MP(q); err == nil && !d.OK && d.Error == nil {
			t.Errorf("MP(%+v) = %+v: neither a result, an errcode nor an error", q, d)
		}
	}
	if _, err := a.QR.SavePNG("data:image/png;base64,!!!", t.TempDir()+"/x.png"); err == nil {
		t.Error("SavePNG of bad base64: no error")
	}
	if _, err := a.Inbox.Page(InboxQuery{Text: strings.Repeat("%_\\", 1000)}); err != nil {
		t.Errorf("Page with LIKE metacharacters: %v", err)
	}
}
