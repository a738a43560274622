package bench

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"errors"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"

	wxmessage "github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

const (
	token  = "QDG6eK"
	aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	appID  = "wx1234567890abcdef" // MP safe mode: receiveid is the AppID
	ts     = "1700000296"
	nonce  = "1320562132"
)

var random16 = []byte("0123456789abcdef")

// textMessage returns a text message whose XML is exactly size bytes.
func textMessage(size int) []byte {
	head := `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oABCDEFGhijklmnopqrstuvwxyz0]]></FromUserName><CreateTime>1700000296</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[`
	tail := `]]></Content><MsgId>4561255354251345929</MsgId></xml>`
	n := size - len(head) - len(tail)
	return []byte(head + strings.Repeat("x", n) + tail)
}

type fixture struct {
	msg, body []byte
	sig       string
	content   string
}

func newFixture(tb testing.TB, size int) fixture {
	c, err := wxcrypt.New(token, aesKey, appID, wxcrypt.WithRandom(bytes.NewReader(random16)))
	if err != nil {
		tb.Fatal(err)
	}
	msg := textMessage(size)
	if len(msg) != size {
		tb.Fatalf("message is %d bytes", len(msg))
	}
	body, sig, err := c.EncryptRequest(msg, "gh_0123456789ab", "", ts, nonce)
	if err != nil {
		tb.Fatal(err)
	}
	var m RefMessage
	if err := xml.Unmarshal(msg, &m); err != nil {
		tb.Fatal(err)
	}
	return fixture{msg: msg, body: body, sig: sig, content: m.Content}
}

// The three ways to go from a POST body to a typed message.
func wwkitDecrypt(c *wxcrypt.Crypt) func(f fixture) (string, error) {
	return func(f fixture) (string, error) {
		pt, err := c.DecryptBody(f.sig, ts, nonce, f.body)
		if err != nil {
			return "", err
		}
		m, err := wxmessage.Parse(pt)
		if err != nil {
			return "", err
		}
		t, ok := m.Body.(*wxmessage.Text)
		if !ok {
			return "", errors.New("not text")
		}
		return t.Content, nil
	}
}

func refDecrypt(r *Ref) func(f fixture) (string, error) {
	return func(f fixture) (string, error) {
		m, err := r.DecryptBody(f.sig, ts, nonce, f.body)
		if err != nil {
			return "", err
		}
		return m.Content, nil
	}
}

// silenceperDecrypt is what officialaccount/server.Server does for a safe-mode
// POST (getEncryptBody, Signature, DecryptMsg, parseRequestMessage), without
// the HTTP plumbing.
func silenceperDecrypt(f fixture) (string, error) {
	var env message.EncryptedXMLMsg
	if err := xml.Unmarshal(f.body, &env); err != nil {
		return "", err
	}
	if util.Signature(token, ts, nonce, env.EncryptedMsg) != f.sig {
		return "", errors.New("bad signature")
	}
	_, raw, err := util.DecryptMsg(appID, env.EncryptedMsg, aesKey)
	if err != nil {
		return "", err
	}
	var m message.MixMessage
	if err := xml.Unmarshal(raw, &m); err != nil {
		return "", err
	}
	return m.Content, nil
}

func decrypters(tb testing.TB) []struct {
	name string
	fn   func(fixture) (string, error)
} {
	c, err := wxcrypt.New(token, aesKey, appID)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := NewRef(token, aesKey, appID)
	if err != nil {
		tb.Fatal(err)
	}
	return []struct {
		name string
		fn   func(fixture) (string, error)
	}{{"wwkit", wwkitDecrypt(c)}, {"reference", refDecrypt(r)}, {"silenceper", silenceperDecrypt}}
}

// TestSameResults checks that all implementations agree before timing them.
func TestSameResults(t *testing.T) {
	for _, size := range []int{300, 16 << 10} {
		f := newFixture(t, size)
		for _, d := range decrypters(t) {
			got, err := d.fn(f)
			if err != nil || got != f.content {
				t.Fatalf("%s %d: %v, content length %d want %d", d.name, size, err, len(got), len(f.content))
			}
		}
		replies := replyBuilders(t)
		var want []byte
		for _, rb := range replies {
			out, err := rb.fn(f.msg)
			if err != nil {
				t.Fatalf("%s: %v", rb.name, err)
			}
			if want == nil {
				want = out
			}
			c, _ := wxcrypt.New(token, aesKey, appID)
			pt, err := c.DecryptReply(out)
			if err != nil || !bytes.Equal(pt, f.msg) {
				t.Fatalf("%s reply does not decrypt: %v\n%s", rb.name, err, out)
			}
		}
	}
}

func BenchmarkCallbackDecrypt(b *testing.B) {
	for _, size := range []int{300, 16 << 10} {
		f := newFixture(b, size)
		for _, d := range decrypters(b) {
			b.Run(strconv.Itoa(size)+"B/"+d.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size))
				for b.Loop() {
					if _, err := d.fn(f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func replyBuilders(tb testing.TB) []struct {
	name string
	fn   func(msg []byte) ([]byte, error)
} {
	c, err := wxcrypt.New(token, aesKey, appID)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := NewRef(token, aesKey, appID)
	if err != nil {
		tb.Fatal(err)
	}
	return []struct {
		name string
		fn   func(msg []byte) ([]byte, error)
	}{
		{"wwkit", func(msg []byte) ([]byte, error) { return c.EncryptReply(msg, ts, nonce) }},
		{"reference", func(msg []byte) ([]byte, error) { return r.EncryptReply(random16, msg, ts, nonce) }},
		// silenceper's Server.Send: EncryptMsg (reusing the request's random),
		// Signature, xml.Marshal of ResponseEncryptedXMLMsg.
		{"silenceper", func(msg []byte) ([]byte, error) {
			enc, err := util.EncryptMsg(random16, msg, appID, aesKey)
			if err != nil {
				return nil, err
			}
			t, _ := strconv.ParseInt(ts, 10, 64)
			return xml.Marshal(message.ResponseEncryptedXMLMsg{
				EncryptedMsg: string(enc),
				MsgSignature: util.Signature(token, ts, nonce, string(enc)),
				Timestamp:    t,
				Nonce:        nonce,
			})
		}},
	}
}

func BenchmarkReplyEnvelope(b *testing.B) {
	msg := textMessage(300)
	for _, rb := range replyBuilders(b) {
		b.Run("300B/"+rb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := rb.fn(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSignature(b *testing.B) {
	f := newFixture(b, 300)
	env, err := wxcrypt.ParseEnvelope(f.body)
	if err != nil {
		b.Fatal(err)
	}
	enc := env.Encrypt
	parts := []string{token, ts, nonce, enc}
	sort.Strings(parts)
	joined := []byte(strings.Join(parts, ""))
	b.Run("wwkit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = wxcrypt.Signature(token, ts, nonce, enc)
		}
	})
	// The same msg_signature without the result string: written into the
	// caller's buffer (as EncryptReply does into the envelope) and checked
	// against a received signature (as Decrypt does).
	buf := make([]byte, 0, 64)
	b.Run("wwkit_append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf = wxcrypt.AppendSignature(buf[:0], token, ts, nonce, enc)
		}
	})
	c, err := wxcrypt.New(token, aesKey, appID)
	if err != nil {
		b.Fatal(err)
	}
	sig := wxcrypt.Signature(token, ts, nonce, enc)
	b.Run("wwkit_verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := c.VerifySignature(sig, ts, nonce, enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare_sha1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = sha1.Sum(joined)
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = RefSignature(token, ts, nonce, enc)
		}
	})
	b.Run("silenceper", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = util.Signature(token, ts, nonce, enc)
		}
	})
}
