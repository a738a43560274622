package desktop

import (
	"strings"
	"testing"
)

// TestSendShowsRequestAndResponse: a send returns the request JSON and the
// raw answer of each API call, without the access_token, and the choices
// offer the emulator's members and followers.
func TestSendShowsRequestAndResponse(t *testing.T) {
	a := startApp(t, Config{})
	d, err := a.Messages.Send(SendRequest{Profile: "wecom", ToUser: "@all", Content: "hi there"})
	if err != nil || !d.OK {
		t.Fatalf("send: %+v %v", d, err)
	}
	if len(d.Exchanges) != 1 {
		t.Fatalf("exchanges %+v: want the message/send call only (token fetches are left out)", d.Exchanges)
	}
	x := d.Exchanges[0]
	if x.Method != "POST" || !strings.HasSuffix(x.Path, "/message/send") || x.Status != 200 ||
		!strings.Contains(x.Request, `"content": "hi there"`) || !strings.Contains(x.Response, `"errcode": 0`) {
		t.Fatalf("exchange %+v", x)
	}
	if strings.Contains(x.Path+x.Request+x.Response, "access_token") {
		t.Fatalf("exchange leaks the query: %+v", x)
	}
	if got := maskSecrets(`{"access_token":"abc","expires_in":7200}`); got != `{"access_token":"***","expires_in":7200}` {
		t.Fatalf("mask: %s", got)
	}

	mp, err := a.Messages.SendTemplate(TemplateRequest{Profile: "mp", ToUser: "nobody", TemplateID: "nope"})
	if err != nil || mp.Error == nil || len(mp.Exchanges) != 1 || !strings.Contains(mp.Exchanges[0].Response, "errcode") {
		t.Fatalf("template with errcode: %+v %v", mp, err)
	}

	c, err := a.Messages.Choices("wecom")
	if err != nil || len(c.Users) == 0 || len(c.Departments) == 0 {
		t.Fatalf("wecom choices %+v %v", c, err)
	}
	c, err = a.Messages.Choices("mp")
	if err != nil || len(c.OpenIDs) == 0 {
		t.Fatalf("mp choices %+v %v", c, err)
	}
}

// TestProfileConnectionTest: the profile form tests a secret before adding.
func TestProfileConnectionTest(t *testing.T) {
	a := startApp(t, Config{})
	emu := a.EmulatorURL()
	list, _ := a.Profiles.List()
	var corp string
	for _, p := range list {
		if p.Name == "wecom" {
			corp = p.CorpID
		}
	}
	secret, err := a.Profiles.Reveal("wecom", FieldSecret)
	if err != nil {
		t.Fatal(err)
	}
	in := ProfileInput{Name: "mine", Platform: "wecom", CorpID: corp, AgentID: 1000002, Secret: secret, APIBaseURL: emu + "/wecom"}
	ok, err := a.Profiles.Test(in)
	if err != nil || !ok.OK || ok.Fingerprint == "" {
		t.Fatalf("good secret: %+v %v", ok, err)
	}
	in.Secret = "wrong-secret-0123456789"
	bad, err := a.Profiles.Test(in)
	if err != nil || bad.OK || bad.Error == nil || bad.Error.Errcode == 0 {
		t.Fatalf("bad secret: %+v %v", bad, err)
	}
	in.Secret = ""
	_, err = a.Profiles.Test(in)
	assertCode(t, err, "profile.testNoSecret")
	if l, _ := a.Profiles.List(); len(l) != len(list) {
		t.Fatal("Test added a profile")
	}
}
