package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

type rejectedAnswer struct {
	OK       bool               `json:"ok"`
	View     string             `json:"view"`
	Rejected []server.Rejection `json:"rejected"`
	Counts   struct {
		Total     int64            `json:"total"`
		ByProfile map[string]int64 `json:"byProfile"`
		ByVerdict map[string]int64 `json:"byVerdict"`
	} `json:"counts"`
	KeptPerPath int `json:"keptPerPath"`
}

// encryptedPost builds a WeCom callback POST as a sender configured with
// token, key and receiveID would (the emulator app's when they are "").
func encryptedPost(t *testing.T, e *env, token, key, receiveID, plain string, ts int64) (body []byte, query string) {
	t.Helper()
	app := e.st.WeCom.Apps[0]
	if token == "" {
		token = app.Token
	}
	if key == "" {
		key = app.EncodingAESKey
	}
	if receiveID == "" {
		receiveID = e.st.WeCom.CorpID
	}
	c, err := wxcrypt.New(token, key, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	sts := fmt.Sprint(ts)
	body, sig, err := c.EncryptRequest([]byte(plain), e.st.WeCom.CorpID, fmt.Sprint(app.AgentID), sts, "nonce7")
	if err != nil {
		t.Fatal(err)
	}
	return body, "msg_signature=" + sig + "&timestamp=" + sts + "&nonce=nonce7"
}

// TestRejectedView sends one callback of every kind the server refuses and
// checks each is recorded under GET /api/inbox?view=rejected with the
// doctor's verdict, logged on one line with it, and that neither the
// answer nor the log carries a secret or the refused body.
func TestRejectedView(t *testing.T) {
	e := start(t, nil)
	now := time.Now().Unix()
	app := e.st.WeCom.Apps[0]
	const secretWord = "confidential-content-3141"
	plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>9</MsgId><AgentID>%d</AgentID></xml>",
		e.st.WeCom.CorpID, now, secretWord, app.AgentID)
	otherKey := "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	wrongToken, wrongTokenQ := encryptedPost(t, e, "AnotherToken", "", "", plain, now)
	wrongKey, wrongKeyQ := encryptedPost(t, e, "", otherKey, "", plain, now)
	wrongRecv, wrongRecvQ := encryptedPost(t, e, "", "", "wwSomeOtherCorp01", plain, now)
	stale, staleQ := encryptedPost(t, e, "", "", "", plain, now-3600)
	notMsg, notMsgQ := encryptedPost(t, e, "", "", "", "this is not xml "+secretWord, now)
	good, goodQ := encryptedPost(t, e, "", "", "", plain, now)
	overBody := wxcrypt.Signature(app.Token, fmt.Sprint(now), "nonce7", string(good))
	tests := []struct {
		name, method, path, query string
		body                      []byte
		status                    int
		kind, verdict             string
	}{
		{"another token", "POST", "/callback/wecom", wrongTokenQ, wrongToken, 403, server.RejectSignature, wxcrypt.VerdictToken},
		{"another key", "POST", "/callback/wecom", wrongKeyQ, wrongKey, 400, server.RejectDecrypt, wxcrypt.VerdictAESKey},
		{"another receiveid", "POST", "/callback/wecom", wrongRecvQ, wrongRecv, 400, server.RejectDecrypt, wxcrypt.VerdictReceiveID},
		{"stale timestamp", "POST", "/callback/wecom", staleQ, stale, 403, server.RejectClock, server.VerdictClock},
		{"bad xml", "POST", "/callback/wecom", goodQ, []byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>`), 400, server.RejectXML, server.VerdictUnsafeXML},
		{"no Encrypt element", "POST", "/callback/wecom", goodQ, []byte(`<xml><Content>` + secretWord + `</Content></xml>`), 400, server.RejectEnvelope, wxcrypt.VerdictEnvelope},
		{"no msg_signature", "POST", "/callback/wecom", fmt.Sprintf("timestamp=%d&nonce=2", now), good, 400, server.RejectParams, server.VerdictMissingParams},
		{"signed over the whole body", "POST", "/callback/wecom", fmt.Sprintf("msg_signature=%s&timestamp=%d&nonce=nonce7", overBody, now), good, 403, server.RejectSignature, wxcrypt.VerdictWrongField},
		{"plaintext not a message", "POST", "/callback/wecom", notMsgQ, notMsg, 400, server.RejectMessage, server.VerdictNotMessage},
		{"mp plain mode, another token", "POST", "/callback/mp", fmt.Sprintf("signature=%s&timestamp=%d&nonce=2", wxcrypt.Signature("AnotherToken", fmt.Sprint(now), "2", ""), now), []byte(plain), 403, server.RejectSignature, wxcrypt.VerdictToken},
		{"URL check, another token", "GET", "/callback/wecom", fmt.Sprintf("msg_signature=00&timestamp=%d&nonce=2&echostr=abcd", now), nil, 403, server.RejectSignature, wxcrypt.VerdictToken},
		{"unknown profile", "POST", "/callback/nope", goodQ, good, 404, server.RejectProfile, server.VerdictUnknownProfile},
		{"oversized body", "POST", "/callback/wecom", goodQ, bytes.Repeat([]byte("a"), 1<<20+1), 413, server.RejectTooLarge, server.VerdictTooLarge},
	}
	for i, tc := range tests {
		before := strings.Count(e.logs.String(), "\n")
		req, _ := http.NewRequest(tc.method, e.srv.URL()+tc.path+"?"+tc.query, bytes.NewReader(tc.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
		var ans rejectedAnswer
		if code := getJSON(t, nil, e.srv.URL()+"/api/inbox?view=rejected", &ans); code != 200 || !ans.OK || ans.View != "rejected" {
			t.Fatalf("%s: view=rejected answered %d %+v", tc.name, code, ans)
		}
		if len(ans.Rejected) != i+1 || ans.Counts.Total != int64(i+1) {
			t.Fatalf("%s: %d kept, %d counted, want %d", tc.name, len(ans.Rejected), ans.Counts.Total, i+1)
		}
		got := ans.Rejected[0] // newest first
		if got.Kind != tc.kind || got.Verdict != tc.verdict {
			t.Errorf("%s: kind %q verdict %q (%s), want %q %q", tc.name, got.Kind, got.Verdict, got.Detail, tc.kind, tc.verdict)
		}
		if tc.verdict == wxcrypt.VerdictToken && tc.kind == server.RejectSignature && tc.method == "POST" && tc.path == "/callback/wecom" && got.DetailZh == "" {
			t.Errorf("%s: no Chinese explanation from the doctor", tc.name)
		}
		if got.Detail == "" || got.Status != tc.status || got.Method != tc.method || got.Peer != "127.0.0.1" {
			t.Errorf("%s: incomplete record %+v", tc.name, got)
		}
		// The body of an unknown profile's callback is not even read.
		if len(tc.body) > 0 && len(tc.body) <= 1<<20 && tc.kind != server.RejectProfile {
			sum := sha256.Sum256(tc.body)
			if got.BodyBytes != len(tc.body) || got.BodySHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: body %d bytes %s, want %d bytes and its SHA-256", tc.name, got.BodyBytes, got.BodySHA256, len(tc.body))
			}
		}
		if tc.kind != server.RejectProfile && !strings.HasPrefix(got.Doctor, "wwkit crypt doctor ") {
			t.Errorf("%s: no doctor command: %q", tc.name, got.Doctor)
		}
		// One log line per rejection, carrying the verdict.
		lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")[before:]
		n := 0
		for _, l := range lines {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["level"] == "WARN" && strings.HasPrefix(fmt.Sprint(m["path"]), "/callback") {
				n++
				if m["verdict"] != tc.verdict || m["why"] == "" {
					t.Errorf("%s: log line without the verdict: %s", tc.name, l)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d log lines for one rejection, want 1: %q", tc.name, n, lines)
		}
	}
	// The doctor command replays the check with the recorded values.
	var ans rejectedAnswer
	getJSON(t, nil, e.srv.URL()+"/api/inbox?view=rejected&profile=mp", &ans)
	if len(ans.Rejected) != 1 || ans.Rejected[0].Profile != "mp" || !strings.Contains(ans.Rejected[0].Doctor, `--token "$WWKIT_MP_CALLBACK_TOKEN"`) {
		t.Errorf("profile filter: %+v", ans.Rejected)
	}
	raw := getRaw(t, e.srv.URL()+"/api/inbox?view=rejected")
	for _, secret := range []string{app.Token, app.EncodingAESKey, app.Secret, e.st.MP.Token, e.st.MP.EncodingAESKey, e.st.MP.AppSecret, secretWord,
		string(wrongKey[20:60]), string(good[20:60])} {
		if strings.Contains(raw, secret) {
			t.Errorf("view=rejected shows %q", secret)
		}
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log shows %q", secret)
		}
	}
	if code := getJSON(t, nil, e.srv.URL()+"/api/inbox?view=nope", nil); code != 400 {
		t.Errorf("unknown view: %d, want 400", code)
	}
}

func getRaw(t *testing.T, u string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}

// TestRejectedBounded floods one callback path: the server keeps the last
// 50 per path and counts them all; another path keeps its own.
func TestRejectedBounded(t *testing.T) {
	e := start(t, nil)
	now := time.Now().Unix()
	for i := 0; i < 70; i++ {
		resp, err := http.Post(fmt.Sprintf("%s/callback/wecom?msg_signature=%040d&timestamp=%d&nonce=%d", e.srv.URL(), i, now, i), "text/xml",
			strings.NewReader("<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Post(fmt.Sprintf("%s/callback/mp?signature=bad&timestamp=%d&nonce=1", e.srv.URL(), now), "text/xml", strings.NewReader("<xml/>"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var ans rejectedAnswer
	getJSON(t, nil, e.srv.URL()+"/api/inbox?view=rejected", &ans)
	if ans.Counts.Total != 71 || ans.Counts.ByProfile["wecom"] != 70 || ans.Counts.ByVerdict[wxcrypt.VerdictToken] != 71 {
		t.Errorf("counts %+v, want 71 in all, 70 for wecom", ans.Counts)
	}
	if len(ans.Rejected) != 51 || ans.KeptPerPath != 50 {
		t.Fatalf("kept %d (per path %d), want 50 of wecom + 1 of mp", len(ans.Rejected), ans.KeptPerPath)
	}
	if ans.Rejected[0].Profile != "mp" || ans.Rejected[1].Nonce != "69" || ans.Rejected[50].Nonce != "20" {
		t.Errorf("not the newest 50, newest first: first %+v, second nonce %q, last nonce %q", ans.Rejected[0], ans.Rejected[1].Nonce, ans.Rejected[50].Nonce)
	}
}

// TestRejectedViewGuarded: the rejected view is admin API like the inbox:
// the client token and a Host of this server are required.
func TestRejectedViewGuarded(t *testing.T) {
	e := start(t, nil)
	if code, _ := do(t, "GET", e.srv.URL()+"/api/inbox?view=rejected", "", "", nil); code != 403 {
		t.Errorf("without the client token: %d, want 403", code)
	}
	if code, _ := do(t, "GET", e.srv.URL()+"/api/inbox?view=rejected", "evil.example:80", "", map[string]string{server.ClientTokenHeader: testClientToken}); code != 421 {
		t.Errorf("rebound Host: %d, want 421", code)
	}
	if code, _ := do(t, "GET", e.srv.URL()+"/api/inbox?view=rejected", "", "", map[string]string{server.ClientTokenHeader: testClientToken, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); code != 403 {
		t.Errorf("cross-site: %d, want 403", code)
	}
}
