package desktop

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/internal/uilang"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// leakCheck collects every DTO a test got back, to assert at the end that no
// secret appears in any of them.
type leakCheck struct {
	mu   sync.Mutex
	dtos []string
}

func (l *leakCheck) add(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	l.mu.Lock()
	l.dtos = append(l.dtos, string(b))
	l.mu.Unlock()
}

func (l *leakCheck) assertNone(t *testing.T, secrets map[string]string) {
	t.Helper()
	if len(l.dtos) == 0 {
		t.Fatal("leak check: no DTO collected")
	}
	for name, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("leak check: secret %s is too short to search for", name)
		}
		for _, d := range l.dtos {
			if strings.Contains(d, s) {
				t.Errorf("%s appears in clear in a DTO: %.200s", name, d)
			}
		}
	}
}

func startApp(t *testing.T, cfg Config) *App {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Secrets == "" {
		cfg.Secrets = SecretsFile
	}
	if cfg.ConfigPath == "" {
		cfg.ConfigPath = "-"
	}
	a, err := NewApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Stop)
	return a
}

// step runs one named part of a scenario test. The later parts build on
// the state the earlier ones left, so a failed part ends the scenario.
func step(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, f) {
		t.FailNow()
	}
}

func TestServicesOnTheEmulator(t *testing.T) {
	ctx := context.Background()
	a := startApp(t, Config{})
	var leaks leakCheck
	secrets := map[string]string{}
	// What later steps use of earlier ones: the profile list and the
	// member test messages go to.
	var list []ProfileDTO
	user := emulator.DefaultFixture().WeCom.Users[0].UserID

	step(t, "profiles", func(t *testing.T) {
		// Profiles: the emulator's two, WeCom active, secrets masked.
		var err error
		list, err = a.Profiles.List()
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, list)
		if len(list) != 2 || list[0].Name != "wecom" || list[1].Name != "mp" || !list[0].Active || list[1].Active {
			t.Fatalf("profiles = %+v, want wecom (active) and mp", list)
		}
		for _, p := range list {
			for _, f := range []string{FieldSecret, FieldToken, FieldEncodingAESKey} {
				v, err := a.Profiles.Reveal(p.Name, f)
				if err != nil || v == "" {
					t.Fatalf("Reveal(%s, %s) = %q, %v", p.Name, f, v, err)
				}
				secrets[p.Name+" "+f] = v
			}
			if !p.Emulated || !strings.HasSuffix(p.CallbackURL, "/callback/"+p.Name) {
				t.Errorf("profile %s: emulated=%v callback=%s", p.Name, p.Emulated, p.CallbackURL)
			}
		}
		if _, err := a.Profiles.Reveal("wecom", "password"); err == nil {
			t.Error("Reveal of an unknown field: no error")
		}
		if _, err := a.Profiles.Switch("nope"); err == nil {
			t.Error("Switch to an unknown profile: no error")
		}
		var switched []string
		a.OnSwitch(func(name string) { switched = append(switched, name) })
		act, err := a.Profiles.Switch("mp")
		if err != nil || act.Name != "mp" || !act.Active || a.ActiveProfile() != "mp" {
			t.Fatalf("Switch(mp) = %+v, %v", act, err)
		}
		if _, err := a.Profiles.Switch("wecom"); err != nil {
			t.Fatal(err)
		}
		if strings.Join(switched, ",") != "mp,wecom" {
			t.Errorf("OnSwitch saw %v, want mp then wecom", switched)
		}
	})

	step(t, "tokens", func(t *testing.T) {
		// Tokens: nothing fetched yet, then fetched from the emulator, then
		// from the cache, then new ones after Refresh.
		toks, err := a.Tokens.List("wecom")
		if err != nil || len(toks) != 3 || toks[0].Value != "" || toks[0].ObtainedAt != nil {
			t.Fatalf("List before fetching = %+v, %v", toks, err)
		}
		first, err := a.Tokens.Fetch("wecom")
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, first)
		for _, tk := range first {
			if tk.Value == "" || tk.Fingerprint == "" || tk.ExpiresAt == nil || tk.ObtainedAt == nil || tk.Source != "file (remote)" || tk.LastError != nil || tk.Failure != "" {
				t.Fatalf("fetched %s = %+v", tk.Kind, tk)
			}
			if !tk.ExpiresAt.After(time.Now()) {
				t.Errorf("%s expires in the past: %v", tk.Kind, tk.ExpiresAt)
			}
		}
		c := a.session().clients["wecom"]
		for _, k := range []string{KindAccessToken, KindJSAPITicket, KindAgentTicket} {
			r, err := c.get(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			secrets["wecom "+k] = r.Value
		}
		again, err := a.Tokens.Fetch("")
		if err != nil {
			t.Fatal(err)
		}
		if again[0].Source != "file (cache)" || again[0].Fingerprint != first[0].Fingerprint || !again[0].ObtainedAt.Equal(*first[0].ObtainedAt) {
			t.Errorf("second fetch = %+v, want the cached token of the first", again[0])
		}
		// WeCom answers gettoken with the same token while it is valid, so a
		// refresh shows as a new fetch, not necessarily a new value.
		gettokens := func() (n int) {
			for _, cl := range a.Tokens.Calls(0) {
				if strings.HasSuffix(cl.Path, "/cgi-bin/gettoken") {
					n++
				}
			}
			return n
		}
		before := gettokens()
		refreshed, err := a.Tokens.Refresh("wecom")
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, refreshed)
		if refreshed[0].Source != "file (remote)" || gettokens() != before+1 {
			t.Errorf("after Refresh access_token = %+v and %d gettoken calls (was %d), want one more fetch", refreshed[0], gettokens(), before)
		}
		if _, err := a.Tokens.Fetch("nope"); err == nil {
			t.Error("Fetch of an unknown profile: no error")
		}
		mpToks, err := a.Tokens.Fetch("mp")
		if err != nil || len(mpToks) != 2 || mpToks[1].Kind != KindJSAPITicket || mpToks[1].Value == "" {
			t.Fatalf("mp tokens = %+v, %v", mpToks, err)
		}
		leaks.add(t, mpToks)
		for _, k := range []string{KindAccessToken, KindJSAPITicket} {
			r, err := a.session().clients["mp"].get(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			secrets["mp "+k] = r.Value
		}
		calls := a.Tokens.Calls(0)
		leaks.add(t, calls)
		var gettoken bool
		for _, cl := range calls {
			if strings.Contains(cl.Path, "?") || cl.Status != 200 {
				t.Errorf("call %+v: query kept or failed", cl)
			}
			gettoken = gettoken || strings.HasSuffix(cl.Path, "/cgi-bin/gettoken")
		}
		if !gettoken || len(a.Tokens.Calls(2)) != 2 {
			t.Errorf("calls = %+v, want gettoken among them and a working limit", calls)
		}
	})

	step(t, "signing", func(t *testing.T) {
		// Signing: a config that verifies against the ticket, the string to
		// sign with the ticket masked, and the checker on the pasted config.
		page := "http://127.0.0.1:8080/page?a=1#frag"
		sg, err := a.Sign.Sign("wecom", SignConfig, page)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, sg)
		cfg, ok := sg.Config.(jssdk.Config)
		if !ok || sg.Error != nil {
			t.Fatalf("Sign = %+v", sg)
		}
		ticket := secrets["wecom "+KindJSAPITicket]
		if want := jssdk.Sign(ticket, cfg.NonceStr, cfg.Timestamp, "http://127.0.0.1:8080/page?a=1"); cfg.Signature != want {
			t.Errorf("signature %s, want %s", cfg.Signature, want)
		}
		if !strings.HasPrefix(sg.StringToSign, "jsapi_ticket=") || !strings.Contains(sg.StringToSign, "&url=http://127.0.0.1:8080/page?a=1") {
			t.Errorf("string to sign = %q", sg.StringToSign)
		}
		ag, err := a.Sign.Sign("wecom", SignAgentConfig, page)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, ag)
		if acfg, ok := ag.Config.(jssdk.AgentConfig); !ok || acfg.AgentID != strconv.FormatInt(emulator.DefaultAgentID, 10) {
			t.Errorf("agentConfig = %+v", ag.Config)
		}
		for _, tc := range []struct{ profile, kind, url string }{
			{"mp", SignAgentConfig, page},
			{"wecom", "jsconfig", page},
			{"wecom", SignConfig, "  "},
		} {
			if _, err := a.Sign.Sign(tc.profile, tc.kind, tc.url); err == nil {
				t.Errorf("Sign(%s, %s, %q): no error", tc.profile, tc.kind, tc.url)
			}
		}
		for _, tc := range []struct {
			name, sig string
			ok        bool
		}{
			{"signed here", cfg.Signature, true},
			{"tampered", strings.Repeat("0", 40), false},
		} {
			in, _ := json.Marshal(map[string]any{"appId": cfg.AppID, "timestamp": cfg.Timestamp, "nonceStr": cfg.NonceStr,
				"signature": tc.sig, "url": "http://127.0.0.1:8080/page?a=1", "jsApiList": []string{"getLocation"}, "now": cfg.Timestamp})
			res, err := a.Sign.Check("wecom", string(in))
			if err != nil {
				t.Fatal(err)
			}
			leaks.add(t, res)
			if res.OK != tc.ok || res.TicketsFromProfile != "wecom" {
				t.Errorf("Check %s: ok=%v from=%q findings=%+v", tc.name, res.OK, res.TicketsFromProfile, res.Findings)
			}
		}
		if _, err := a.Sign.Check("", "{not json"); err == nil {
			t.Error("Check of broken JSON: no error")
		}
	})

	step(t, "qr codes", func(t *testing.T) {
		// QR codes: PNG of the asked size, the H5 URL with its parameters,
		// the OAuth wrapper; bad sizes and levels refused.
		for _, tc := range []struct {
			name string
			req  QRRequest
			size int
		}{
			{"default", QRRequest{}, 256},
			{"apis vconsole H", QRRequest{Profile: "mp", JSAPIList: []string{"scanQRCode", "getLocation"}, VConsole: true, Size: 300, Level: "h"}, 300},
			{"oauth", QRRequest{OAuth: true, Size: 512, Level: "L"}, 512},
		} {
			q, err := a.QR.H5(tc.req)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			img, err := png.Decode(base64.NewDecoder(base64.StdEncoding, strings.NewReader(strings.TrimPrefix(q.DataURL, "data:image/png;base64,"))))
			if err != nil || !strings.HasPrefix(q.DataURL, "data:image/png;base64,") {
				t.Fatalf("%s: PNG: %v", tc.name, err)
			}
			if b := img.Bounds(); b.Dx() != tc.size || b.Dy() != tc.size {
				t.Errorf("%s: image %v, want %d px", tc.name, b, tc.size)
			}
			pu, err := url.Parse(q.PageURL)
			if err != nil {
				t.Fatal(err)
			}
			wantProfile := tc.req.Profile
			if wantProfile == "" {
				wantProfile = "wecom"
			}
			if pu.Path != "/" || pu.Query().Get("profile") != wantProfile || pu.Query().Get("apis") != strings.Join(tc.req.JSAPIList, ",") ||
				(pu.Query().Get("vconsole") == "1") != tc.req.VConsole {
				t.Errorf("%s: page URL %s", tc.name, q.PageURL)
			}
			if tc.req.OAuth {
				cu, _ := url.Parse(q.Content)
				if cu.Path != "/api/oauth/start" || cu.Query().Get("redirect") != q.PageURL {
					t.Errorf("%s: content %s", tc.name, q.Content)
				}
			} else if q.Content != q.PageURL {
				t.Errorf("%s: content %s != page %s", tc.name, q.Content, q.PageURL)
			}
		}
		for _, bad := range []QRRequest{{Size: 64}, {Size: 4096}, {Level: "X"}, {JSAPIList: []string{"a,b"}}, {Profile: "nope"}} {
			if _, err := a.QR.H5(bad); err == nil {
				t.Errorf("H5(%+v): no error", bad)
			}
		}
	})

	step(t, "send", func(t *testing.T) {
		// A test message lands in the emulator's outbox; unknown users are
		// reported as data.
		sent, err := a.Messages.Send(SendRequest{ToUser: user + "|nobody-here", Content: "hello from the desktop test"})
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, sent)
		if !sent.OK || sent.MsgID == "" || sent.InvalidUser != "nobody-here" {
			t.Errorf("Send = %+v", sent)
		}
		var inOutbox bool
		for _, m := range a.session().srv.Emulator().Emulator().Outbox() {
			inOutbox = inOutbox || (m.MsgID == sent.MsgID && bytes.Contains(m.Body, []byte("hello from the desktop test")))
		}
		if !inOutbox {
			t.Errorf("message %s not in the emulator outbox", sent.MsgID)
		}
		for _, bad := range []SendRequest{{Content: "no recipient"}, {ToUser: user}, {ToUser: user, MsgType: "textcard", Content: "x"},
			{ToUser: user, MsgType: "mpnews", Content: "x"}, {Profile: "mp", ToUser: user, Content: "x"}} {
			if _, err := a.Messages.Send(bad); err == nil {
				t.Errorf("Send(%+v): no error", bad)
			}
		}
	})

	step(t, "simulated callbacks", func(t *testing.T) {
		// Simulated callbacks reach the dev server, are answered (echo rule)
		// and show up in the inbox and the live stream.
		wctx, stop := context.WithCancel(ctx)
		live := make(chan EntryDTO, 8)
		watched := make(chan error, 1)
		go func() { watched <- a.WatchInbox(wctx, func(e EntryDTO) { live <- e }) }()
		time.Sleep(50 * time.Millisecond) // let WatchInbox subscribe
		sim, err := a.Messages.Simulate(SimulateRequest{From: user, Content: "ping 1"})
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, sim)
		if sim.Status != 200 || sim.Error != "" || sim.ReplyError != "" || sim.ReplyType != "text" || !strings.Contains(sim.Reply, "ping 1") {
			t.Fatalf("Simulate wecom = %+v", sim)
		}
		simMP, err := a.Messages.Simulate(SimulateRequest{Profile: "mp", From: "o-sim-openid", MsgType: "event", Event: "subscribe", EventKey: "qrscene_42"})
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, simMP)
		if simMP.Status != 200 || simMP.Error != "" || simMP.ReplyError != "" {
			t.Fatalf("Simulate mp = %+v", simMP)
		}
		select {
		case e := <-live:
			if e.From != user || e.Summary != "ping 1" {
				t.Errorf("live entry = %+v", e)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no live inbox entry")
		}
		stop()
		if err := <-watched; err != nil {
			t.Errorf("WatchInbox: %v", err)
		}
		refused, err := a.Messages.Simulate(SimulateRequest{URL: "http://127.0.0.1:1/callback", Content: "x"})
		if err != nil || refused.Error == "" || refused.Status != 0 {
			t.Errorf("Simulate to a closed port = %+v, %v; want the failure as data", refused, err)
		}
		for _, bad := range []SimulateRequest{{URL: "ftp://x/y", Content: "x"}, {MsgType: "event"}, {XML: "<xml"}, {Content: ""}} {
			if _, err := a.Messages.Simulate(bad); err == nil {
				t.Errorf("Simulate(%+v): no error", bad)
			}
		}
	})

	step(t, "inbox", func(t *testing.T) {
		// Inbox: filters and detail.
		for _, tc := range []struct {
			name string
			f    InboxFilter
			want []string // From of the entries, newest first
		}{
			{"all", InboxFilter{}, []string{"o-sim-openid", user}},
			{"profile", InboxFilter{Profile: "mp"}, []string{"o-sim-openid"}},
			{"type", InboxFilter{MsgType: "text"}, []string{user}},
			{"event", InboxFilter{Event: "SUBSCRIBE"}, []string{"o-sim-openid"}},
			{"from", InboxFilter{From: "SIM-OPEN"}, []string{"o-sim-openid"}},
			{"none", InboxFilter{MsgType: "image"}, nil},
			{"limit", InboxFilter{Limit: 1}, []string{"o-sim-openid"}},
		} {
			got, err := a.Inbox.List(tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var from []string
			for _, e := range got {
				from = append(from, e.From)
			}
			if strings.Join(from, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s: from = %v, want %v", tc.name, from, tc.want)
			}
		}
		if _, err := a.Inbox.List(InboxFilter{Limit: 5000}); err == nil {
			t.Error("List with limit 5000: no error")
		}
		entries, _ := a.Inbox.List(InboxFilter{MsgType: "text"})
		if len(entries) != 1 {
			t.Fatalf("text entries = %+v", entries)
		}
		det, err := a.Inbox.Detail(entries[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, det)
		if !strings.Contains(det.XML, "ping 1") || det.BodyType != "message.Text" || !strings.Contains(det.Reply, "ping 1") {
			t.Errorf("detail = %+v", det)
		}
		if _, err := a.Inbox.Detail(99999); err == nil {
			t.Error("Detail of a missing id: no error")
		}
		if n, err := a.Inbox.Count(); err != nil || n != 2 {
			t.Errorf("Count = %d, %v", n, err)
		}
	})

	step(t, "crypto doctor", func(t *testing.T) {
		// Crypto doctor on a captured callback, good and tampered.
		cr, err := wxcrypt.New(secrets["wecom token"], secrets["wecom encodingAESKey"], list[0].CorpID)
		if err != nil {
			t.Fatal(err)
		}
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		body, sig, err := cr.EncryptRequest([]byte("<xml><ToUserName><![CDATA["+list[0].CorpID+"]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[doc]]></Content></xml>"), list[0].CorpID, "1000002", ts, "n0nce")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			req  DoctorRequest
			ok   bool
		}{
			{"url", DoctorRequest{URL: "https://x.example/cb?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=n0nce", Body: string(body)}, true},
			{"fields", DoctorRequest{Profile: "wecom", MsgSignature: sig, Timestamp: ts, Nonce: "n0nce", Body: string(body)}, true},
			{"tampered", DoctorRequest{MsgSignature: strings.Repeat("a", 40), Timestamp: ts, Nonce: "n0nce", Body: string(body)}, false},
			{"other profile", DoctorRequest{Profile: "mp", MsgSignature: sig, Timestamp: ts, Nonce: "n0nce", Body: string(body)}, false},
		} {
			rep, err := a.Crypto.Doctor(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			leaks.add(t, rep)
			if rep.OK != tc.ok || (tc.ok && !strings.Contains(rep.Msg, "doc")) || (!tc.ok && rep.Cause == "") {
				t.Errorf("doctor %s: ok=%v cause=%q steps=%+v", tc.name, rep.OK, rep.Cause, rep.Steps)
			}
		}
	})

	step(t, "full UI services", func(t *testing.T) {
		// The services added for the full UI: every result goes through the
		// leak check too.
		pg, err := a.Inbox.Page(InboxQuery{Text: "ping", Limit: 10})
		if err != nil || pg.Total != 1 {
			t.Errorf("Page = %+v, %v", pg, err)
		}
		leaks.add(t, pg)
		mq, err := a.QR.MP(MPQRRequest{Profile: "mp", SceneID: 7})
		if err != nil || !mq.OK {
			t.Fatalf("MP = %+v, %v", mq, err)
		}
		leaks.add(t, mq)
		scan, err := a.QR.SimulateScan(ScanRequest{Profile: "mp", Ticket: mq.Ticket})
		if err != nil || !scan.OK {
			t.Fatalf("SimulateScan = %+v, %v", scan, err)
		}
		leaks.add(t, scan)
		fx := emulator.DefaultFixture()
		tpl, err := a.Messages.SendTemplate(TemplateRequest{Profile: "mp", ToUser: fx.MP.Followers[0].OpenID, TemplateID: fx.MP.Templates[0].ID})
		if err != nil || !tpl.OK {
			t.Errorf("SendTemplate = %+v, %v", tpl, err)
		}
		leaks.add(t, tpl)
		cs, err := a.Messages.SendCustom(CustomRequest{Profile: "mp", ToUser: fx.MP.Followers[0].OpenID, Content: "x"})
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, cs)
		img, err := a.Messages.Send(SendRequest{ToUser: user, MsgType: "image", FileBase64: base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nimage")), FileName: "a.png"})
		if err != nil || !img.OK {
			t.Errorf("Send image = %+v, %v", img, err)
		}
		leaks.add(t, img)
		leaks.add(t, a.Messages.Types())
		added, err := a.Profiles.Add(ProfileInput{Name: "mine", Platform: "mp", AppID: fx.MP.AppID, Secret: fx.MP.AppSecret, Token: "my-callback-token",
			EncodingAESKey: fx.MP.EncodingAESKey, APIBaseURL: list[1].APIBaseURL})
		if err != nil {
			t.Fatal(err)
		}
		secrets["mine token"] = "my-callback-token"
		leaks.add(t, added)
		mineToks, err := a.Tokens.Fetch("mine")
		if err != nil || mineToks[0].Value == "" {
			t.Fatalf("tokens of an added profile = %+v, %v", mineToks, err)
		}
		leaks.add(t, mineToks)
		exp, err := a.Profiles.Export(FormatJSON)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, exp)
		all, err := a.Profiles.List()
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, all)
		leaks.add(t, a.Tokens.Calls(0))
	})

	leaks.assertNone(t, secrets)
}

func TestErrcodesAreData(t *testing.T) {
	emu, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	a := startApp(t, Config{Profiles: []server.Profile{{
		Name: "wrong", Platform: server.PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: "wrong-secret-0123456789",
		Token: app.Token, EncodingAESKey: app.EncodingAESKey, APIBaseURL: emu.WeComBaseURL(), TrustedDomains: []string{"127.0.0.1"},
	}}})
	toks, err := a.Tokens.Fetch("")
	if err != nil {
		t.Fatalf("an errcode must be data, got the Go error %v", err)
	}
	for _, tk := range toks {
		if tk.LastError == nil || tk.LastError.Errcode != 40001 || tk.LastError.Explanation == "" || tk.Value != "" {
			t.Errorf("%s = %+v, want errcode 40001 explained", tk.Kind, tk)
		}
	}
	sg, err := a.Sign.Sign("", SignConfig, "http://127.0.0.1/")
	if err != nil || sg.Error == nil || sg.Error.Errcode != 40001 {
		t.Errorf("Sign with a wrong secret = %+v, %v", sg, err)
	}
	sent, err := a.Messages.Send(SendRequest{ToUser: "@all", Content: "x"})
	if err != nil || sent.OK || sent.Error == nil || sent.Error.Errcode != 40001 {
		t.Errorf("Send with a wrong secret = %+v, %v", sent, err)
	}
	var logged bool
	for _, c := range a.Tokens.Calls(0) {
		logged = logged || (c.Errcode == 40001 && c.Explanation != "")
	}
	if !logged {
		t.Errorf("calls = %+v, want the 40001 explained", a.Tokens.Calls(0))
	}
	if err := a.Tokens.Invalidate(""); err != nil {
		t.Errorf("Invalidate with nothing cached: %v", err)
	}
}

func TestAppLifecycle(t *testing.T) {
	if _, err := NewApp(Config{}); err == nil {
		t.Error("NewApp without a data dir: no error")
	}
	a, err := NewApp(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Profiles.List(); err == nil {
		t.Error("List before Start: no error")
	}
	if a.ServerURL() != "" || len(a.Services()) != 10 {
		t.Errorf("before Start: url %q, %d services", a.ServerURL(), len(a.Services()))
	}
	a.Stop() // without Start: no-op
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err == nil {
		t.Error("second Start: no error")
	}
	u := a.ServerURL()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || !strings.HasPrefix(a.EmulatorURL(), "http://127.0.0.1:") || a.EmulatorURL() == u {
		t.Errorf("server URL %q, emulator URL %q", u, a.EmulatorURL())
	}
	a.Stop()
	a.Stop()
	if _, err := a.Tokens.List(""); err == nil {
		t.Error("List after Stop: no error")
	}
}

// TestLanguageSharedWithTray: the window's language is the choice saved in
// the data directory, the file `wwkit tray` reads (uilang), so the two
// follow one setting.
func TestLanguageSharedWithTray(t *testing.T) {
	dir := t.TempDir()
	a, err := NewApp(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Settings.Language(); got.Saved || (got.Lang != "zh" && got.Lang != "en") {
		t.Fatalf("fresh data dir: %+v, want the system language, not saved", got)
	}
	// the tray saved zh: the window shows zh
	if err := uilang.Save(dir, uilang.Zh); err != nil {
		t.Fatal(err)
	}
	if got := a.Settings.Language(); got != (LanguageDTO{Lang: "zh", Saved: true}) {
		t.Fatalf("after the tray chose zh: %+v", got)
	}
	// the window chooses en: the tray reads en
	if err := a.Settings.SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if l, ok, err := uilang.Load(dir); err != nil || !ok || l != uilang.En {
		t.Fatalf("tray reads %q %v %v after the window chose en", l, ok, err)
	}
	var p *Problem
	if err := a.Settings.SetLanguage("fr"); !errors.As(err, &p) || p.Code != "settings.lang" {
		t.Fatalf("SetLanguage(fr) = %v, want the settings.lang problem", err)
	}
	if l, _, _ := uilang.Load(dir); l != uilang.En {
		t.Fatalf("a refused choice changed the saved one to %q", l)
	}
	// system: the choice is removed
	if err := a.Settings.SetLanguage("system"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := uilang.Load(dir); ok || a.Settings.Language().Saved {
		t.Fatal("system did not remove the saved choice")
	}
}
