package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// FuzzCallback feeds arbitrary bodies and query values to /callback through
// the handler: it must never panic and must answer one of the documented
// statuses; nothing malformed is stored.
func FuzzCallback(f *testing.F) {
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: f.TempDir(), Emulator: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	h := srv.Handler()
	f.Add("wecom", "sig", "1700000000", "n", "", []byte("<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>"))
	f.Add("mp", "", "1700000000", "n", "aes", []byte("<xml><ToUserName>x</ToUserName></xml>"))
	f.Add("mp", "", "", "", "", []byte("<!DOCTYPE a><xml/>"))
	f.Add("nope", "a", "b", "c", "d", []byte{0, 1, 2})
	allowed := map[int]bool{200: true, 400: true, 403: true, 404: true, 405: true, 413: true}
	f.Fuzz(func(t *testing.T, profile, sig, ts, nonce, encType string, body []byte) {
		q := url.Values{"msg_signature": {sig}, "signature": {sig}, "timestamp": {ts}, "nonce": {nonce}, "encrypt_type": {encType}}
		req := httptest.NewRequest("POST", "/callback/"+url.PathEscape(profile)+"?"+q.Encode(), bytes.NewReader(body))
		req.RemoteAddr = "127.0.0.1:1"
		req.Host = "127.0.0.1"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !allowed[rec.Code] && rec.Code != http.StatusMovedPermanently && rec.Code != http.StatusTemporaryRedirect {
			t.Fatalf("status %d for profile %q body %q", rec.Code, profile, body)
		}
		if rec.Code == 200 {
			t.Fatalf("an unsigned callback was accepted: profile %q body %q", profile, body)
		}
	})
}

// FuzzSignedCallback gets past the signature: arbitrary plaintexts are
// encrypted and signed with the emulated WeCom app's Token and EncodingAESKey,
// as Tencent would send them, so message parsing, the inbox and the passive
// reply see hostile messages. Properties: the answer is 200 (stored, or a
// duplicate) or 400 (not a callback message), never a panic or a 5xx; a 400
// stores nothing; the inbox never shrinks.
func FuzzSignedCallback(f *testing.F) {
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: f.TempDir(), Emulator: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	h := srv.Handler()
	p := srv.Profiles()[0]
	c, err := wxcrypt.New(p.Token, p.EncodingAESKey, p.CorpID)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		"<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>",
		"<xml><FromUserName>u</FromUserName><CreateTime>2</CreateTime><MsgType>event</MsgType><Event>click</Event><EventKey>K</EventKey></xml>",
		"<xml><MsgType>image</MsgType><PicUrl>http://x/</PicUrl><MediaId>m</MediaId><MsgId>-5</MsgId></xml>",
		"", "<xml>", "<xml><Content><![CDATA[]]]]><![CDATA[>]]></Content></xml>", "\x00\xff<xml/>",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, plain []byte) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		body, sig, err := c.EncryptRequest(plain, p.CorpID, "1000002", ts, "fuzz")
		if err != nil {
			t.Skip("not encryptable:", err)
		}
		before, err := srv.Inbox().Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		q := url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {"fuzz"}}
		req := httptest.NewRequest("POST", "/callback/"+p.Name+"?"+q.Encode(), bytes.NewReader(body))
		req.RemoteAddr = "127.0.0.1:1"
		req.Host = "127.0.0.1"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after, err := srv.Inbox().Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		switch rec.Code {
		case http.StatusOK:
			if after < before {
				t.Fatalf("inbox shrank from %d to %d", before, after)
			}
		case http.StatusBadRequest:
			if after != before {
				t.Fatalf("a rejected message was stored (%d → %d): %q", before, after, plain)
			}
		default:
			t.Fatalf("status %d for a signed callback %q: %s", rec.Code, plain, rec.Body)
		}
	})
}
