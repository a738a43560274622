package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/wwkit/wwkit/app/server"
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
