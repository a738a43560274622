package callback_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// echo replies "收到：" + the text, and counts its calls.
type echo struct{ calls atomic.Int64 }

func (e *echo) handle(_ context.Context, m *message.Message) ([]byte, error) {
	e.calls.Add(1)
	if t, ok := m.Body.(*message.Text); ok {
		return message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "收到："+t.Content), nil
	}
	return nil, nil
}

// serve runs h on loopback behind a fixture whose callback URL points at
// it, and an emulator that pushes to it.
func serve(t *testing.T, mode string, newH func(fx *emulator.Fixture) http.Handler) (*emulator.Server, *httptest.Server) {
	t.Helper()
	var h http.Handler
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(app.Close)
	fx := emulator.DefaultFixture()
	fx.WeCom.Apps[0].CallbackURL = app.URL + "/callback"
	fx.MP.CallbackURL = app.URL + "/callback"
	fx.MP.EncryptMode = mode
	h = newH(fx)
	emu, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu, app
}

func wecomCrypt(t *testing.T, fx *emulator.Fixture) *wxcrypt.Crypt {
	t.Helper()
	a := fx.WeCom.Apps[0]
	c, err := wxcrypt.New(a.Token, a.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mpCrypt(t *testing.T, fx *emulator.Fixture) *wxcrypt.Crypt {
	t.Helper()
	c, err := wxcrypt.New(fx.MP.Token, fx.MP.EncodingAESKey, fx.MP.AppID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestWeComCallbackFromTheEmulator(t *testing.T) {
	var e echo
	emu, _ := serve(t, "", func(fx *emulator.Fixture) http.Handler { return callback.NewWeCom(wecomCrypt(t, fx), e.handle) })
	ctx := context.Background()
	v, err := emu.Emulator().VerifyCallbackURL(ctx, "wecom", 0, "")
	if err != nil || !v.OK {
		t.Fatalf("URL check: %+v %v", v, err)
	}
	res, err := emu.Emulator().PushCallback(ctx, emulator.CallbackRequest{From: "zhangsan", Content: "你好"})
	if err != nil || res.Status != 200 || res.ReplyType != "text" || res.Content != "收到：你好" || res.ReplyError != "" {
		t.Fatalf("push: %+v %v", res, err)
	}
	// An event without a reply is acknowledged with an empty 200.
	res, err = emu.Emulator().PushCallback(ctx, emulator.CallbackRequest{From: "zhangsan", MsgType: "event", Event: "enter_agent"})
	if err != nil || res.Status != 200 || res.RawReply != "" || e.calls.Load() != 2 {
		t.Fatalf("event: %+v %v (calls %d)", res, err, e.calls.Load())
	}
}

func TestMPCallbackInEveryMode(t *testing.T) {
	for _, mode := range []string{"safe", "compat", "plain"} {
		t.Run(mode, func(t *testing.T) {
			var e echo
			emu, _ := serve(t, mode, func(fx *emulator.Fixture) http.Handler { return callback.NewMP(mpCrypt(t, fx), e.handle) })
			ctx := context.Background()
			v, err := emu.Emulator().VerifyCallbackURL(ctx, "mp", 0, "")
			if err != nil || !v.OK {
				t.Fatalf("URL check: %+v %v", v, err)
			}
			openid := emu.Emulator().Fixture().MP.Followers[0].OpenID
			res, err := emu.Emulator().PushCallback(ctx, emulator.CallbackRequest{Platform: "mp", From: openid, Content: "菜单"})
			if err != nil || res.Status != 200 || res.Content != "收到：菜单" || res.ReplyError != "" {
				t.Fatalf("push: %+v %v", res, err)
			}
			if encrypted := strings.Contains(res.RawReply, "<Encrypt>"); encrypted != (mode != "plain") {
				t.Fatalf("%s mode answered %q", mode, res.RawReply)
			}
		})
	}
}

// post sends one WeCom-style encrypted callback of msg.
func post(t *testing.T, c *wxcrypt.Crypt, base string, msg string, ts int64) (*http.Response, string) {
	t.Helper()
	nonce := "n" + strconv.FormatInt(ts, 10)
	body, sig, err := c.EncryptRequest([]byte(msg), "wwcorp", "1000002", strconv.FormatInt(ts, 10), nonce)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"msg_signature": {sig}, "timestamp": {strconv.FormatInt(ts, 10)}, "nonce": {nonce}}
	res, err := http.Post(base+"?"+q.Encode(), "text/xml", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

const textMsg = `<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[重复]]></Content><MsgId>%d</MsgId><AgentID>1000002</AgentID></xml>`

func newLocal(t *testing.T, fn callback.Func, opts ...callback.Option) (*wxcrypt.Crypt, string) {
	t.Helper()
	c, err := wxcrypt.New("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wwcorp")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(callback.NewWeCom(c, fn, opts...))
	t.Cleanup(srv.Close)
	return c, srv.URL
}

func TestRetriesAreHandledOnce(t *testing.T) {
	var e echo
	c, base := newLocal(t, e.handle)
	now := time.Now().Unix()
	var replies []string
	for i := 0; i < 3; i++ {
		res, body := post(t, c, base, fmt.Sprintf(textMsg, 42), now+int64(i))
		if res.StatusCode != 200 {
			t.Fatalf("attempt %d: %d %s", i, res.StatusCode, body)
		}
		plain, err := c.DecryptReply([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, string(plain))
	}
	if e.calls.Load() != 1 || replies[0] != replies[1] || replies[1] != replies[2] {
		t.Fatalf("three deliveries of MsgId 42: %d handler calls, replies %q", e.calls.Load(), replies)
	}
	// Concurrent deliveries of one new MsgId still run the handler once.
	slow := make(chan struct{})
	var calls atomic.Int64
	c2, base2 := newLocal(t, func(ctx context.Context, m *message.Message) ([]byte, error) {
		calls.Add(1)
		<-slow
		return message.NewTextReply(m.FromUserName, m.ToUserName, 1, "ok"), nil
	})
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, body := post(t, c2, base2, fmt.Sprintf(textMsg, 43), now); res.StatusCode != 200 || body == "" {
				t.Errorf("concurrent delivery: %d %q", res.StatusCode, body)
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	close(slow)
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("5 concurrent deliveries ran the handler %d times", calls.Load())
	}
}

func TestHandlerErrorIsRetriedByTencent(t *testing.T) {
	var n atomic.Int64
	c, base := newLocal(t, func(context.Context, *message.Message) ([]byte, error) {
		if n.Add(1) == 1 {
			return nil, errors.New("database down")
		}
		return nil, nil
	})
	now := time.Now().Unix()
	if res, _ := post(t, c, base, fmt.Sprintf(textMsg, 7), now); res.StatusCode != 500 {
		t.Fatalf("handler error answered %d, want 500", res.StatusCode)
	}
	if res, _ := post(t, c, base, fmt.Sprintf(textMsg, 7), now); res.StatusCode != 200 || n.Load() != 2 {
		t.Fatalf("the retry after an error: %d, %d calls; a failed callback must not be recorded", res.StatusCode, n.Load())
	}
}

func TestRefusals(t *testing.T) {
	var e echo
	c, base := newLocal(t, e.handle)
	now := time.Now().Unix()
	ts := strconv.FormatInt(now, 10)
	body, sig, _ := c.EncryptRequest([]byte(fmt.Sprintf(textMsg, 1)), "wwcorp", "1000002", ts, "n1")
	other, _ := wxcrypt.New("WRONG", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wwcorp")
	stale := strconv.FormatInt(now-3600, 10)
	_, staleSig, _ := c.EncryptRequest([]byte(fmt.Sprintf(textMsg, 1)), "wwcorp", "1000002", stale, "n1")
	msgEnc, _ := c.Encrypt([]byte(fmt.Sprintf(textMsg, 1)))
	for _, tc := range []struct {
		name   string
		method string
		q      url.Values
		body   string
		status int
	}{
		{"wrong signature", "POST", url.Values{"msg_signature": {other.Sign(ts, "n1", "x")}, "timestamp": {ts}, "nonce": {"n1"}}, string(body), 403},
		{"stale timestamp", "POST", url.Values{"msg_signature": {staleSig}, "timestamp": {stale}, "nonce": {"n1"}}, string(body), 403},
		{"no signature", "POST", url.Values{"timestamp": {ts}, "nonce": {"n1"}}, string(body), 400},
		{"doctype", "POST", url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {"n1"}}, `<!DOCTYPE x [<!ENTITY a "b">]><xml/>`, 400},
		{"too large", "POST", url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {"n1"}}, "<xml>" + strings.Repeat("a", callback.MaxBody) + "</xml>", 413},
		{"message replayed as echostr", "GET", url.Values{"msg_signature": {c.Sign(ts, "n1", msgEnc)}, "timestamp": {ts}, "nonce": {"n1"}, "echostr": {msgEnc}}, "", 403},
		{"stale URL check", "GET", url.Values{"msg_signature": {sig}, "timestamp": {stale}, "nonce": {"n1"}, "echostr": {"x"}}, "", 403},
		{"PUT", "PUT", nil, "", 405},
	} {
		req, _ := http.NewRequest(tc.method, base+"?"+tc.q.Encode(), strings.NewReader(tc.body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, res.StatusCode, b, tc.status)
		}
		if strings.Contains(string(b), "QDG6eK") || strings.Contains(string(b), "jWmYm7qr5") {
			t.Errorf("%s: the answer leaks the Token or EncodingAESKey: %s", tc.name, b)
		}
	}
	if e.calls.Load() != 0 {
		t.Fatalf("a refused callback reached the handler (%d calls)", e.calls.Load())
	}
}

func TestMemoryStoreIsBounded(t *testing.T) {
	s := callback.NewMemoryStore(2)
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c"} {
		if r, err := s.Save(ctx, callback.Entry{Key: k, Reply: []byte(k)}); err != nil || string(r) != k {
			t.Fatal(r, err)
		}
	}
	if r, _ := s.Save(ctx, callback.Entry{Key: "c", Reply: []byte("second")}); string(r) != "c" {
		t.Fatalf("a second Save of a key returned %q, want the first reply", r)
	}
	if _, seen, _ := s.Lookup(ctx, "a"); seen {
		t.Fatal("the oldest key was kept beyond the bound")
	}
	if r, seen, _ := s.Lookup(ctx, "b"); !seen || string(r) != "b" {
		t.Fatal("a recent key was lost")
	}
}

// Distinct messages never share a key; a retry (the same bytes) does.
func TestKeyNeverMergesDistinctMessages(t *testing.T) {
	parse := func(s string) (*message.Message, []byte) {
		m, err := message.Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return m, []byte(s)
	}
	msg := func(id, content string) string {
		return `<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>` + content + `</Content><MsgId>` + id + `</MsgId></xml>`
	}
	keys := map[string]string{}
	for _, tc := range []struct{ id, content string }{
		{"9223372036854775807", "a"}, {"9223372036854775808", "b"}, {"99999999999999999999", "c"}, // past int64, distinct as text
		{"0x1f", "d"}, {"0x2f", "e"}, {"", "f"}, {"", "g"}, {"-1", "h"}, {"0", "i"},
	} {
		k := callback.Key(parse(msg(tc.id, tc.content)))
		if prev, dup := keys[k]; dup {
			t.Fatalf("MsgId %q (%s) and %s share the key %s", tc.id, tc.content, prev, k)
		}
		keys[k] = tc.id + "/" + tc.content
		if again := callback.Key(parse(msg(tc.id, tc.content))); again != k {
			t.Fatalf("a retry of MsgId %q got another key: %s vs %s", tc.id, again, k)
		}
	}
}
