package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// ticketForSign is a jsapi_ticket handed to `wwkit sign`: its plain output
// (the signature) must not contain it.
const ticketForSign = "AuditTicketForSign-kgt8ON7yVITDhtdwci0qe4xQ"

// cliFlows runs the CLI commands that handle secrets, with verbose logs, and
// captures their stdout and stderr.
func cliFlows(t *testing.T, a *auditor, env []string, dir, emuURL string) {
	a.addSecret("jsapi_ticket given to wwkit sign", ticketForSign)
	corpID := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "WWKIT_CORP_ID="); ok {
			corpID = v
		}
	}
	n := 0
	run := func(want int, stdin []byte, args ...string) cliRun {
		t.Helper()
		r := runCLI(t, dir, env, stdin, args...)
		n++
		where := "wwkit " + strings.Join(args, " ")
		a.capture("CLI stdout", where, r.stdout)
		a.capture("CLI stderr (logs on)", where, r.stderr)
		if want >= 0 && r.code != want {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", where, r.code, want, r.stdout, r.stderr)
		}
		return r
	}
	for _, kind := range []string{"access", "jsapi", "agent", "mp-access", "mp-jsapi"} {
		run(0, nil, "token", "--kind", kind, "-v")
		run(0, nil, "token", "--kind", kind, "--json", "-v")
	}
	run(0, nil, "send", "--to-user", "zhangsan", "--content", "audit", "-v", "--json")
	run(0, nil, "send", "--to-user", "zhangsan|nobody", "--content", "audit", "-v")
	run(0, nil, "oauth", "url", "--redirect-uri", "https://h5.example.com/login", "-v")
	run(0, nil, "oauth", "url", "--mp", "--redirect-uri", "https://h5.example.com/login", "--json")
	run(1, nil, "oauth", "user", "--code", "not-a-code", "-v")
	run(0, nil, "user", "get", "zhangsan", "-v", "--json")
	run(1, nil, "user", "get", "nobody", "-v")
	run(0, nil, "mp", "qrcode", "create", "--scene", "audit", "-v", "--json")
	up := run(0, nil, "media", "upload", "--type", "image", "--json", "-v", pngFile(t, dir))
	var m struct {
		MediaID string `json:"media_id"`
	}
	_ = json.Unmarshal(up.stdout, &m)
	run(0, nil, "media", "get", m.MediaID, "-o", "-", "-v")
	// A wrong secret: the error must not echo it or the right one.
	r := runCLI(t, dir, append(env, "WWKIT_SECRET=AuditWrongSecret-Pz4Lk8Jm2"), nil, "token", "-v")
	a.addSecret("wrong secret given by the user", "AuditWrongSecret-Pz4Lk8Jm2")
	a.capture("CLI stderr (logs on)", "wwkit token (wrong secret)", r.stderr)
	a.capture("CLI stdout", "wwkit token (wrong secret)", r.stdout)
	n++
	if r.code != 1 {
		t.Errorf("token with a wrong secret: exit %d\n%s", r.code, r.stderr)
	}

	// JS-SDK signing with a ticket from the environment.
	signEnv := append(append([]string{}, env...), "WWKIT_TICKET="+ticketForSign)
	sr := runCLI(t, dir, signEnv, nil, "sign", "--noncestr", "Wm3WZYTPz0wzccnW", "--timestamp", "1414587457", "--url", "http://127.0.0.1/page")
	a.capture("CLI stdout", "wwkit sign", sr.stdout)
	a.capture("CLI stderr (logs on)", "wwkit sign", sr.stderr)
	n++
	if sr.code != 0 || len(bytes.TrimSpace(sr.stdout)) != 40 {
		t.Errorf("sign: exit %d, %q", sr.code, sr.stdout)
	}

	// Callback crypto with the Token and EncodingAESKey from the environment.
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	msg := []byte(fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%s</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[audit]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>", corpID, ts))
	enc := run(0, msg, "crypt", "encrypt", "--receive-id", corpID, "--timestamp", ts, "--nonce", "auditnonce", "--msg", "-")
	c, err := wxcrypt.New(wecomCBToken, wecomAESKey, corpID)
	if err != nil {
		t.Fatal(err)
	}
	env2, err := wxcrypt.ParseEnvelope(enc.stdout)
	if err != nil {
		t.Fatalf("crypt encrypt output: %v\n%s", err, enc.stdout)
	}
	// Decrypt the reply envelope as if it were a request: sign it.
	sig := c.Sign(ts, "auditnonce", env2.Encrypt)
	body := []byte("<xml><ToUserName><![CDATA[" + corpID + "]]></ToUserName><Encrypt><![CDATA[" + env2.Encrypt + "]]></Encrypt></xml>")
	run(0, body, "crypt", "decrypt", "--receive-id", corpID, "--msg-signature", sig, "--timestamp", ts, "--nonce", "auditnonce", "--body", "-")
	run(0, body, "crypt", "decrypt", "--json", "--receive-id", corpID, "--msg-signature", sig, "--timestamp", ts, "--nonce", "auditnonce", "--body", "-")
	run(1, body, "crypt", "decrypt", "--receive-id", corpID, "--msg-signature", "00"+sig[2:], "--timestamp", ts, "--nonce", "auditnonce", "--body", "-")
	run(1, body, "crypt", "decrypt", "--receive-id", "wwOtherCorp", "--msg-signature", sig, "--timestamp", ts, "--nonce", "auditnonce", "--body", "-")
	echo, _ := c.Encrypt([]byte("audit-echo"))
	esig := c.Sign(ts, "auditnonce", echo)
	run(0, nil, "crypt", "verify-url", "--receive-id", corpID, "--msg-signature", esig, "--timestamp", ts, "--nonce", "auditnonce", "--echostr", echo)
	q := "msg_signature=" + sig + "&timestamp=" + ts + "&nonce=auditnonce"
	run(0, body, "crypt", "doctor", "--receive-id", corpID, "--query", q, "--body", "-")
	run(-1, body, "crypt", "doctor", "--json", "--receive-id", corpID, "--query", "msg_signature=00&timestamp="+ts+"&nonce=auditnonce", "--body", "-")
	run(-1, body, "crypt", "doctor", "--receive-id", "wwOtherCorp", "--query", q, "--body", "-")
	t.Logf("CLI: %d runs captured", n)
}
