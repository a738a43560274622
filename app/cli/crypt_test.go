package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The official WeCom WXBizMsgCrypt sample (callback-crypto.md §6.1).
const (
	sToken   = "QDG6eK"
	sKey     = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	sID      = "wx5823bf96d3bd56c7"
	sSig     = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	sTS      = "1409659589"
	sNonce   = "263014780"
	sEchostr = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	sEcho    = "1616140317555161061"
)

// The reply_envelope case of crypto.json.
const (
	rMsg = `<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></FromUserName><CreateTime>1700000740</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>`
	rXML = `<xml><Encrypt><![CDATA[8aKEE9gRi7rkGw8pTwj4Gs2mGZBmqITHocSdoBr5VWwu/glj27Rv+zHeAvu5ZmGqgJz7z0/3plcmTdD8pKNn4VciQQ8GoGVUROWtmDN1uBs1jHf/t5103ltqaOAdmVuRUCl61dWxgujHsDkxfqxLhEntab+I+hETpm6JyFtQDGomW6F14K1EbckQnqtc/rVFgP10hkjBcpQarq7HYQBGnvyZTxXVXuwXx+Jf6dMox+acFt0tEtjPvNGPPs4lMzER7KnYGChUgvQSyOT/ogQPsARsoG/tS0RS2K8uJZNG1DxDKSNlpUEaV/k8xb0UCXMjPvd6B+r35g8XVTzqawtuYU3WA8zS4KR1gjsxJ0pk0gmZXjo3V7YxAyiVnnEnqozEn5Ghu/08lwqVW+lXFDn02VQc3F4stuFrY6T/drtyYaUkF3g9eE7C8sZl9Hf5j3rMozHwLaqOJSvCTcZq5a0VUQ==]]></Encrypt><MsgSignature><![CDATA[a267305f11d282742e9128b5de3ba2782598ead8]]></MsgSignature><TimeStamp>1700000740</TimeStamp><Nonce><![CDATA[1372623149]]></Nonce></xml>`
)

func secretEnv() []string {
	return []string{"WWKIT_TOKEN=" + sToken, "WWKIT_AES_KEY=" + sKey}
}

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	if _, ok := m["ok"].(bool); !ok {
		t.Fatalf("no ok field: %s", s)
	}
	return m
}

func TestCryptVerifyURL(t *testing.T) {
	get := func(echostr string) []string {
		return []string{"crypt", "verify-url", "--msg-signature", sSig, "--timestamp", sTS, "--nonce", sNonce, "--echostr", echostr}
	}
	cases := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stdout string // exact stdout for plain output, "" to skip
		json   map[string]any
		stderr string
	}{
		{"flags", nil, append(get(sEchostr), "--token", sToken, "--aes-key", sKey, "--receive-id", sID), 0, sEcho + "\n", nil, ""},
		{"env_secrets", append(secretEnv(), "WWKIT_RECEIVE_ID="+sID), get(sEchostr), 0, sEcho + "\n", nil, ""},
		{"json", secretEnv(), append(get(sEchostr), "--json"), 0, "", map[string]any{"ok": true, "msg": sEcho, "receiveId": sID}, ""},
		// '+' is data: a value with '+' turned into ' ' is not repaired and fails.
		{"plus_as_space_is_data", secretEnv(), append(get(strings.ReplaceAll(sEchostr, "+", " ")), "--json"), 1, "",
			map[string]any{"ok": false, "errCode": float64(-40001), "errName": "ValidateSignatureError"}, ""},
		// and a percent-encoded value is not decoded again.
		{"percent_not_decoded", secretEnv(), append(get(strings.ReplaceAll(sEchostr, "+", "%2B")), "--json"), 1, "",
			map[string]any{"ok": false, "errCode": float64(-40001)}, ""},
		{"wrong_receive_id", secretEnv(), append(get(sEchostr), "--receive-id", "wwother"), 1, "", nil, "-40005"},
		{"bad_key", []string{"WWKIT_TOKEN=" + sToken, "WWKIT_AES_KEY=" + sKey[:42]}, append(get(sEchostr), "--json"), 1, "",
			map[string]any{"ok": false, "errCode": float64(-40004), "errName": "IllegalAesKey"}, ""},
		{"missing_token", nil, append(get(sEchostr), "--aes-key", sKey), 2, "", nil, "WWKIT_CALLBACK_TOKEN"},
		// the names `wwkit serve` reads work here too, and win over the old ones
		{"serve_env_names", []string{"WWKIT_CALLBACK_TOKEN=" + sToken, "WWKIT_ENCODING_AES_KEY=" + sKey, "WWKIT_TOKEN=wrong", "WWKIT_AES_KEY=" + sKey[:42]}, get(sEchostr), 0, sEcho + "\n", nil, ""},
		{"mp_plain_signature", []string{"WWKIT_TOKEN=AAAAA"}, []string{"crypt", "verify-url", "--signature", "f464b24fc39322e44b38aa78f5edd27bd1441696", "--timestamp", "1714036504", "--nonce", "1514711492", "--echostr", "a+b c"}, 0, "a+b c\n", nil, ""},
		{"mp_plain_signature_wrong", []string{"WWKIT_TOKEN=AAAAB"}, []string{"crypt", "verify-url", "--signature", "f464b24fc39322e44b38aa78f5edd27bd1441696", "--timestamp", "1714036504", "--nonce", "1514711492", "--echostr", "x", "--json"}, 1, "",
			map[string]any{"ok": false, "errCode": float64(-40001)}, ""},
		{"both_signatures", secretEnv(), append(get(sEchostr), "--signature", "abc"), 2, "", nil, "Usage:"},
		{"missing_echostr", secretEnv(), []string{"crypt", "verify-url", "--msg-signature", sSig, "--timestamp", sTS, "--nonce", sNonce}, 2, "", nil, "Usage:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runWWKit(t, "", tc.env, tc.args...)
			if r.Code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", r.Code, tc.code, r.Stdout, r.Stderr)
			}
			if tc.stdout != "" && r.Stdout != tc.stdout {
				t.Fatalf("stdout %q, want %q", r.Stdout, tc.stdout)
			}
			if tc.json != nil {
				m := decodeJSON(t, r.Stdout)
				for k, v := range tc.json {
					if m[k] != v {
						t.Fatalf("%s = %v, want %v\n%s", k, m[k], v, r.Stdout)
					}
				}
			}
			if tc.stderr != "" && !strings.Contains(r.Stderr, tc.stderr) {
				t.Fatalf("stderr %q lacks %q", r.Stderr, tc.stderr)
			}
			if strings.Contains(r.Stdout+r.Stderr, sKey) {
				t.Fatal("EncodingAESKey printed")
			}
		})
	}
}

func TestCryptEncryptDecrypt(t *testing.T) {
	dir := t.TempDir()
	msgFile := filepath.Join(dir, "msg.xml")
	if err := os.WriteFile(msgFile, []byte(rMsg), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(secretEnv(), "WWKIT_RECEIVE_ID=ww5a1b2c3d4e5f6a7b")

	// Deterministic reply envelope equals the vector.
	r := runWWKit(t, "", env, "crypt", "encrypt", "--timestamp", "1700000740", "--nonce", "1372623149", "--random16", "b126b9b543af88c8e148da30f886b8aa", "--msg", msgFile)
	if r.Code != 0 || r.Stdout != rXML+"\n" {
		t.Fatalf("encrypt: exit %d\n got %s\nwant %s\n%s", r.Code, r.Stdout, rXML, r.Stderr)
	}
	// Fresh random by default: two runs differ, both decrypt.
	r1 := runWWKit(t, rMsg, env, "crypt", "encrypt", "--timestamp", "1700000740", "--nonce", "n1", "--msg", "-", "--json")
	r2 := runWWKit(t, rMsg, env, "crypt", "encrypt", "--timestamp", "1700000740", "--nonce", "n1", "--msg", "-", "--json")
	m1, m2 := decodeJSON(t, r1.Stdout), decodeJSON(t, r2.Stdout)
	if r1.Code != 0 || m1["ok"] != true || m1["xml"] == m2["xml"] {
		t.Fatalf("encrypt --json: %s / %s", r1.Stdout, r2.Stdout)
	}

	// Decrypt the reply envelope as a body read from stdin: its MsgSignature,
	// TimeStamp and Nonce are the query values.
	dec := func(stdin string, args ...string) result {
		return runWWKit(t, stdin, env, append([]string{"crypt", "decrypt", "--timestamp", "1700000740", "--nonce", "1372623149"}, args...)...)
	}
	r = dec(rXML, "--msg-signature", "a267305f11d282742e9128b5de3ba2782598ead8", "--body", "-", "--json")
	m := decodeJSON(t, r.Stdout)
	if r.Code != 0 || m["msg"] != rMsg || m["receiveId"] != "ww5a1b2c3d4e5f6a7b" {
		t.Fatalf("decrypt --body: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	bodyFile := filepath.Join(dir, "body.xml")
	os.WriteFile(bodyFile, []byte(rXML), 0o600)
	r = dec("", "--msg-signature", "a267305f11d282742e9128b5de3ba2782598ead8", "--body", bodyFile)
	if r.Code != 0 || r.Stdout != rMsg+"\n" {
		t.Fatalf("decrypt --body FILE: %d %q %s", r.Code, r.Stdout, r.Stderr)
	}
	enc := rXML[len("<xml><Encrypt><![CDATA["):strings.Index(rXML, "]]></Encrypt>")]
	r = dec("", "--msg-signature", "a267305f11d282742e9128b5de3ba2782598ead8", "--encrypt", enc)
	if r.Code != 0 || r.Stdout != rMsg+"\n" {
		t.Fatalf("decrypt --encrypt: %d %q %s", r.Code, r.Stdout, r.Stderr)
	}
	// Failures and usage errors.
	r = dec("", "--msg-signature", "a267305f11d282742e9128b5de3ba2782598ead9", "--encrypt", enc, "--json")
	if m := decodeJSON(t, r.Stdout); r.Code != 1 || m["ok"] != false || m["errCode"] != float64(-40001) || m["errName"] != "ValidateSignatureError" || m["message"] == "" {
		t.Fatalf("bad signature: %d %s", r.Code, r.Stdout)
	}
	r = dec("<xml><ToUserName>x</ToUserName></xml>", "--msg-signature", "a", "--body", "-", "--json")
	if m := decodeJSON(t, r.Stdout); r.Code != 1 || m["errCode"] != float64(-40002) {
		t.Fatalf("no Encrypt: %d %s", r.Code, r.Stdout)
	}
	for name, args := range map[string][]string{
		"both_inputs":  {"--msg-signature", "a", "--encrypt", enc, "--body", "-"},
		"no_input":     {"--msg-signature", "a"},
		"no_signature": {"--encrypt", enc},
	} {
		if r := dec("", args...); r.Code != 2 || !strings.Contains(r.Stderr, "Usage:") {
			t.Fatalf("%s: exit %d %s", name, r.Code, r.Stderr)
		}
	}
	for name, args := range map[string][]string{
		"bad_random16":  {"crypt", "encrypt", "--random16", "zz", "--msg", msgFile},
		"bad_timestamp": {"crypt", "encrypt", "--timestamp", "x1", "--msg", msgFile},
		"no_msg":        {"crypt", "encrypt"},
	} {
		if r := runWWKit(t, "", env, args...); r.Code != 2 {
			t.Fatalf("%s: exit %d %s", name, r.Code, r.Stderr)
		}
	}
}

func TestCryptDoctor(t *testing.T) {
	q := "--query=msg_signature=" + sSig + "&timestamp=" + sTS + "&nonce=" + sNonce + "&echostr=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(sEchostr)
	r := runWWKit(t, "", append(secretEnv(), "WWKIT_RECEIVE_ID="+sID), "crypt", "doctor", q, "--now", sTS)
	if r.Code != 0 || !strings.Contains(r.Stdout, "result: ok, message: "+sEcho) {
		t.Fatalf("good request: %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	// Wrong token: the signature step fails, decrypting still works.
	r = runWWKit(t, "", []string{"WWKIT_TOKEN=wrong", "WWKIT_AES_KEY=" + sKey}, "crypt", "doctor", "--msg-signature", sSig, "--timestamp", sTS, "--nonce", sNonce, "--echostr", sEchostr, "--json")
	m := decodeJSON(t, r.Stdout)
	if r.Code != 1 || m["ok"] != false || !strings.Contains(m["cause"].(string), "Token is wrong") {
		t.Fatalf("wrong token: %d %s", r.Code, r.Stdout)
	}
	// '+' turned into a space (query not percent-encoded): repaired and said so.
	r = runWWKit(t, "", secretEnv(), "crypt", "doctor", "--query", "msg_signature="+sSig+"&timestamp="+sTS+"&nonce="+sNonce+"&echostr="+sEchostr)
	if r.Code != 0 || !strings.Contains(r.Stdout, "spaces back into '+'") || !strings.Contains(r.Stdout, "repaired value: "+sEchostr) {
		t.Fatalf("plus repair: %d\n%s", r.Code, r.Stdout)
	}
	// Suite id configured for a corp-id message: names the id found.
	r = runWWKit(t, "", append(secretEnv(), "WWKIT_RECEIVE_ID=tj1a2b3c4d5e6f7a8b"), "crypt", "doctor", "--msg-signature", sSig, "--timestamp", sTS, "--nonce", sNonce, "--echostr", sEchostr)
	if r.Code != 1 || !strings.Contains(r.Stdout, "fail  receiveid") || !strings.Contains(r.Stdout, `"`+sID+`"`) {
		t.Fatalf("receive id: %d\n%s", r.Code, r.Stdout)
	}
	if r := runWWKit(t, "", secretEnv(), "crypt", "doctor", "--msg-signature", sSig); r.Code != 2 {
		t.Fatalf("usage: %d %s", r.Code, r.Stderr)
	}
}
