package bench

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/officialaccount"
	"github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	"github.com/wwkit/wwkit/core/callback"
	wxmessage "github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// The whole callback handler, request to encrypted passive reply, in
// process (no network): core/callback's NewMP against silenceper's
// officialaccount server.Serve + Send, both answering a safe-mode 300-byte
// text message with a text reply.

func callbackQuery(f fixture) string {
	return url.Values{"signature": {util.Signature(token, ts, nonce)}, "timestamp": {ts}, "nonce": {nonce},
		"openid": {"oABCDEFGhijklmnopqrstuvwxyz0"}, "encrypt_type": {"aes"}, "msg_signature": {f.sig}}.Encode()
}

func wwkitHandler(tb testing.TB) http.Handler {
	c, err := wxcrypt.New(token, aesKey, appID)
	if err != nil {
		tb.Fatal(err)
	}
	sec, _ := strconv.ParseInt(ts, 10, 64)
	// Every delivery gets its own key: the benchmark repeats one MsgId,
	// and a retry would take the short de-duplicated path.
	var n atomic.Int64
	return callback.NewMP(c, func(_ context.Context, m *wxmessage.Message) ([]byte, error) {
		return wxmessage.NewTextReply(m.FromUserName, m.ToUserName, sec, "ok"), nil
	}, callback.WithClock(func() time.Time { return time.Unix(sec, 0) }),
		callback.WithKey(func(*wxmessage.Message, []byte) string { return strconv.FormatInt(n.Add(1), 10) }))
}

func silenceperHandler() http.Handler {
	oa := officialaccount.NewOfficialAccount(&config.Config{AppID: appID, AppSecret: "unused", Token: token,
		EncodingAESKey: aesKey, Cache: cache.NewMemory()})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv := oa.GetServer(r, w)
		srv.SetMessageHandler(func(*message.MixMessage) *message.Reply {
			return &message.Reply{MsgType: message.MsgTypeText, MsgData: message.NewText("ok")}
		})
		if err := srv.Serve(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := srv.Send(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

func serveOnce(h http.Handler, q string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/callback?"+q, bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestHandlersAnswerAlike checks both handlers answer the request with an
// encrypted reply that decrypts to a text "ok" before timing them.
func TestHandlersAnswerAlike(t *testing.T) {
	f := newFixture(t, 300)
	q := callbackQuery(f)
	c, _ := wxcrypt.New(token, aesKey, appID)
	for name, h := range map[string]http.Handler{"wwkit": wwkitHandler(t), "silenceper": silenceperHandler()} {
		w := serveOnce(h, q, f.body)
		if w.Code != 200 {
			t.Fatalf("%s: HTTP %d %s", name, w.Code, w.Body)
		}
		pt, err := c.DecryptReply(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: reply does not decrypt: %v\n%s", name, err, w.Body)
		}
		m, err := wxmessage.Parse(pt)
		if txt, ok := m.Body.(*wxmessage.Text); err != nil || !ok || txt.Content != "ok" {
			t.Fatalf("%s: reply %s", name, pt)
		}
	}
}

func BenchmarkCallbackHandler(b *testing.B) {
	f := newFixture(b, 300)
	q := callbackQuery(f)
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"wwkit", wwkitHandler(b)}, {"silenceper", silenceperHandler()}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if w := serveOnce(tc.h, q, f.body); w.Code != 200 {
					b.Fatalf("HTTP %d", w.Code)
				}
			}
		})
	}
}
