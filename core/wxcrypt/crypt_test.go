package wxcrypt

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func mustNew(t *testing.T, opts ...Option) *Crypt {
	t.Helper()
	c, err := New(fzToken, fzKey, fzID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name, token, key string
		want             *Error
	}{
		{"empty_token", "", fzKey, ErrBadConfig},
		{"short_key", fzToken, fzKey[:42], ErrIllegalAESKey},
		{"long_key", fzToken, fzKey + "A", ErrIllegalAESKey},
		{"key_not_base64", fzToken, strings.Repeat("!", 43), ErrIllegalAESKey},
		{"key_urlsafe_alphabet", fzToken, strings.Repeat("-", 43), ErrIllegalAESKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.token, tc.key, fzID)
			if c != nil || !errors.Is(err, tc.want) {
				t.Fatalf("New = %v, %v; want %v", c, err, tc.want)
			}
			if strings.Contains(err.Error(), fzKey[:20]) || !strings.HasPrefix(err.Error(), "wxcrypt: ") {
				t.Fatalf("bad message %q", err)
			}
		})
	}
}

func TestSignatureMPExample(t *testing.T) {
	// The 3-item MP example of callback-crypto.md §8 is sha1 over the sorted
	// strings; with an empty fourth string the 4-item signature equals it.
	if got := Signature("AAAAA", "1714036504", "1514711492", ""); got != "f464b24fc39322e44b38aa78f5edd27bd1441696" {
		t.Fatalf("got %s", got)
	}
	long := strings.Repeat("A", 1000)
	if Signature("t", "1", "2", long) != Signature(long, "2", "t", "1") {
		t.Fatal("signature depends on argument order")
	}
}

func TestDecryptErrors(t *testing.T) {
	c := mustNew(t)
	good, _ := c.Encrypt([]byte("hi"))
	sig := c.Sign("1", "2", good)
	cases := []struct {
		name, sig, enc string
		want           *Error
	}{
		{"upper_hex_ok", strings.ToUpper(sig), good, nil},
		{"short_sig", sig[:39], good, ErrValidateSignature},
		{"non_hex_sig", "zz" + sig[2:], good, ErrValidateSignature},
		{"empty_sig", "", good, ErrValidateSignature},
		{"too_large", "", strings.Repeat("A", MaxEncryptLen+1), ErrTooLarge},
		{"empty_encrypt", c.Sign("1", "2", ""), "", ErrDecryptAES},
		{"plus_as_space", c.Sign("1", "2", strings.ReplaceAll(good, "+", " ")+" "), strings.ReplaceAll(good, "+", " ") + " ", ErrDecodeBase64},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := c.Decrypt(tc.sig, "1", "2", tc.enc)
			if tc.want == nil {
				if err != nil || string(msg) != "hi" {
					t.Fatalf("got %q, %v", msg, err)
				}
				return
			}
			if msg != nil || !errors.Is(err, tc.want) {
				t.Fatalf("got %q, %v; want %v", msg, err, tc.want)
			}
		})
	}
}

func TestEnvelopeForms(t *testing.T) {
	c := mustNew(t)
	enc, _ := c.Encrypt([]byte("m"))
	sig := c.Sign("1", "2", enc)
	cases := []struct {
		name string
		body string
		want *Error
	}{
		{"cdata", "<xml><ToUserName><![CDATA[a]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>", nil},
		{"plain_text", "<xml><Encrypt>" + enc + "</Encrypt><AgentID>1</AgentID></xml>", nil},
		{"pretty", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <ToUserName><![CDATA[a]]></ToUserName>\n  <Encrypt><![CDATA[" + enc + "]]></Encrypt>\n</xml>\n", nil},
		{"compatible_mode_extra_fields", "<xml><ToUserName>a</ToUserName><MsgType>text</MsgType><Content>x</Content><Encrypt>" + enc + "</Encrypt></xml>", nil},
		{"no_encrypt", "<xml><ToUserName>a</ToUserName></xml>", ErrParseXML},
		{"two_encrypt", "<xml><Encrypt>" + enc + "</Encrypt><Encrypt>" + enc + "</Encrypt></xml>", ErrParseXML},
		{"doctype", "<!DOCTYPE x [<!ENTITY a \"b\">]><xml><Encrypt>" + enc + "</Encrypt></xml>", ErrParseXML},
		{"not_xml", "encrypt=" + enc, ErrParseXML},
		{"too_large", "<xml><Encrypt>" + strings.Repeat("A", MaxBodyLen) + "</Encrypt></xml>", ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := c.DecryptBody(sig, "1", "2", []byte(tc.body))
			if tc.want == nil {
				if err != nil || string(msg) != "m" {
					t.Fatalf("got %q, %v", msg, err)
				}
				return
			}
			if msg != nil || !errors.Is(err, tc.want) {
				t.Fatalf("got %q, %v; want %v", msg, err, tc.want)
			}
		})
	}
}

func TestFreshRandomPerReply(t *testing.T) {
	c := mustNew(t)
	a, _ := c.EncryptReply([]byte("same"), "1", "n")
	b, _ := c.EncryptReply([]byte("same"), "1", "n")
	if bytes.Equal(a, b) {
		t.Fatal("two replies share the random prefix")
	}
	// WithRandom makes it deterministic.
	r := bytes.Repeat([]byte{7}, 32)
	c1 := mustNew(t, WithRandom(bytes.NewReader(r)))
	x, _ := c1.EncryptReply([]byte("same"), "1", "n")
	y, _ := c1.EncryptReply([]byte("same"), "1", "n")
	if !bytes.Equal(x, y) {
		t.Fatal("WithRandom not used")
	}
	// An exhausted random source is an error, not a panic or a zero prefix.
	c2 := mustNew(t, WithRandom(bytes.NewReader(nil)))
	if out, err := c2.EncryptReply([]byte("m"), "1", "n"); out != nil || !errors.Is(err, ErrEncryptAES) {
		t.Fatalf("got %q, %v", out, err)
	}
}

func TestEncryptReplyArgs(t *testing.T) {
	c := mustNew(t)
	if _, err := c.EncryptReply([]byte("m"), "12a", "n"); !errors.Is(err, ErrGenReturnXML) {
		t.Fatalf("bad timestamp: %v", err)
	}
	out, err := c.EncryptReply([]byte("m"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := c.DecryptReply(out); err != nil || string(msg) != "m" {
		t.Fatalf("default timestamp/nonce: %q, %v", msg, err)
	}
	out, _ = c.EncryptReply([]byte("m"), "1", "a]]>b")
	if msg, err := c.DecryptReply(out); err != nil || string(msg) != "m" {
		t.Fatalf("nonce with ]]>: %q, %v", msg, err)
	}
}

func BenchmarkSignature(b *testing.B) {
	enc := strings.Repeat("QUJD", 100)
	b.ReportAllocs()
	for b.Loop() {
		_ = Signature(fzToken, "1700000000", "1372623149", enc)
	}
}

func BenchmarkDecryptBody(b *testing.B) {
	c, _ := New(fzToken, fzKey, fzID)
	body, sig, _ := c.EncryptRequest(bytes.Repeat([]byte("x"), 300), fzID, "1000002", "1", "2")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DecryptBody(sig, "1", "2", body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncryptReply(b *testing.B) {
	c, _ := New(fzToken, fzKey, fzID)
	msg := bytes.Repeat([]byte("x"), 300)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.EncryptReply(msg, "1700000000", "1372623149"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestVerifyPlainSignature(t *testing.T) {
	c, err := New("AAAAA", fzKey, "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sig, ts, nonce string
		want           bool
	}{
		{"f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036504", "1514711492", true}, // callback-crypto.md §8
		{"F464B24FC39322E44B38AA78F5EDD27BD1441696", "1714036504", "1514711492", true},
		{"f464b24fc39322e44b38aa78f5edd27bd1441697", "1714036504", "1514711492", false},
		{"f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036505", "1514711492", false},
		{"", "1714036504", "1514711492", false},
	}
	for _, tc := range cases {
		if got := c.VerifyPlainSignature(tc.sig, tc.ts, tc.nonce); got != tc.want {
			t.Errorf("VerifyPlainSignature(%q, %q, %q) = %v", tc.sig, tc.ts, tc.nonce, got)
		}
	}
}

// TestConcurrentUse shares one Crypt between goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	c := mustNew(t)
	done := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				msg := []byte(strings.Repeat("m", i))
				body, sig, err := c.EncryptRequest(msg, fzID, "1", "1700000000", "n")
				if err == nil {
					var got []byte
					got, err = c.DecryptBody(sig, "1700000000", "n", body)
					if err == nil && !bytes.Equal(got, msg) {
						err = errors.New("round trip mismatch")
					}
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
