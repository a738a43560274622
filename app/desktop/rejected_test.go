package desktop

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// TestRejected: a callback signed with another Token and one encrypted
// with another EncodingAESKey show in the inbox's Rejected view with the
// doctor's verdict and the callback checker's input, in the window that
// runs the server and in one attached to it; the tray's line counts them;
// no secret and no body reaches the window; the prefilled checker gives
// the same verdict.
func TestRejected(t *testing.T) {
	dir := t.TempDir()
	owner := startApp(t, Config{DataDir: dir})
	st := owner.session().srv.Emulator().Emulator().State()
	app := st.WeCom.Apps[0]
	post := func(token, key string) (sig string, body []byte) {
		c, err := wxcrypt.New(token, key, st.WeCom.CorpID)
		if err != nil {
			t.Fatal(err)
		}
		ts := fmt.Sprint(time.Now().Unix())
		body, sig, err = c.EncryptRequest([]byte("<xml><MsgType>text</MsgType><Content>private words</Content></xml>"), st.WeCom.CorpID, fmt.Sprint(app.AgentID), ts, "n1")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(owner.ServerURL()+"/callback/wecom?msg_signature="+sig+"&timestamp="+ts+"&nonce=n1", "text/xml", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return sig, body
	}
	empty, err := owner.Inbox.Rejected("")
	if err != nil || empty.Total != 0 || len(empty.Entries) != 0 {
		t.Fatalf("before any refusal: %+v %v", empty, err)
	}
	tokenSig, tokenBody := post("AnotherToken", app.EncodingAESKey)
	post(app.Token, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")

	win := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL()})
	for name, a := range map[string]*App{"owner": owner, "attached": win} {
		page, err := a.Inbox.Rejected("")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if page.Total != 2 || len(page.Entries) != 2 || page.KeptPerPath != 50 || page.ByVerdict["token"] != 1 {
			t.Fatalf("%s: %+v", name, page)
		}
		key, tok := page.Entries[0], page.Entries[1] // newest first
		if tok.Verdict != wxcrypt.VerdictToken || key.Verdict != wxcrypt.VerdictAESKey || tok.Kind != "signature" || key.Kind != "decrypt" {
			t.Errorf("%s: verdicts %q/%q kinds %q/%q", name, tok.Verdict, key.Verdict, tok.Kind, key.Kind)
		}
		u, err := url.Parse(tok.Checker.URL)
		if err != nil || u.Query().Get("msg_signature") != tokenSig || tok.Checker.Profile != "wecom" || tok.Checker.MsgSignature != tokenSig || !strings.HasSuffix(u.Path, "/callback/wecom") {
			t.Errorf("%s: checker %+v", name, tok.Checker)
		}
		b, _ := json.Marshal(page)
		for _, secret := range []string{app.Token, app.EncodingAESKey, app.Secret, "private words"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s: the Rejected view shows %q", name, secret)
			}
		}
		if only, err := a.Inbox.Rejected("mp"); err != nil || only.Total != 0 || len(only.Entries) != 0 {
			t.Errorf("%s: mp only: %+v %v", name, only, err)
		}
		// The tray's line.
		n, last, err := a.trayRejected()
		if err != nil || n != 2 || last == nil || last.Verdict != wxcrypt.VerdictAESKey || !strings.HasPrefix(last.Doctor, "wwkit crypt doctor ") {
			t.Errorf("%s: tray %d %+v %v", name, n, last, err)
		}
		// The checker, prefilled: without the body (the server keeps
		// none) it asks for it; with the body the developer pastes, it
		// names the Token.
		rep, err := a.Crypto.Doctor(tok.Checker)
		if err != nil || rep.OK || rep.Verdict != wxcrypt.VerdictEnvelope {
			t.Errorf("%s: checker without the body %+v %v", name, rep, err)
		}
		req := tok.Checker
		req.Body = string(tokenBody)
		if rep, err := a.Crypto.Doctor(req); err != nil || rep.Verdict != wxcrypt.VerdictToken {
			t.Errorf("%s: checker with the body %+v %v", name, rep, err)
		}
	}
	// The tray's rejected line opens the inspector with --open
	// checker:ID: the window starts on the checker prefilled with that
	// refusal, once.
	page, err := owner.Inbox.Rejected("")
	if err != nil {
		t.Fatal(err)
	}
	_, last, err := owner.trayRejected()
	if err != nil || last == nil || last.ID != page.Entries[0].ID || last.ID <= 0 {
		t.Fatalf("tray's last refusal %+v %v, want id %d", last, err, page.Entries[0].ID)
	}
	tok := page.Entries[1]
	insp := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL(), Open: fmt.Sprintf("checker:%d", tok.ID)})
	open, err := insp.Inbox.Opening()
	if err != nil || open.Page != "workbench" || open.Checker == nil || *open.Checker != tok.Checker {
		t.Fatalf("opening = %+v %v, want the checker of %+v", open, err, tok.Checker)
	}
	if again, err := insp.Inbox.Opening(); err != nil || again.Page != "" || again.Checker != nil {
		t.Errorf("second opening = %+v %v, want none", again, err)
	}
	gone := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL(), Open: "checker:999999"})
	_, err = gone.Inbox.Opening()
	assertCode(t, err, "open.gone")
	if _, err := NewApp(Config{DataDir: dir, Open: "checker:x"}); err == nil || !strings.Contains(err.Error(), "checker:ID") {
		t.Errorf("a bad --open: %v", err)
	}
}
