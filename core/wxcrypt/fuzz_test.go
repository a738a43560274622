package wxcrypt

import (
	"bytes"
	"fmt"
	"testing"
)

const (
	fzToken = "QDG6eK"
	fzKey   = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	fzID    = "ww5a1b2c3d4e5f6a7b"
)

// FuzzDecrypt feeds arbitrary Encrypt values through a correct signature, so
// the decoder itself is exercised: it must never panic and must return a nil
// message with every error.
func FuzzDecrypt(f *testing.F) {
	n := 0
	for _, v := range loadVectors(f) {
		if v.Encrypt != "" {
			f.Add(v.Encrypt, v.Timestamp, v.Nonce)
			n++
		}
	}
	if n == 0 {
		f.Fatal("empty seed corpus")
	}
	c, err := New(fzToken, fzKey, fzID)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, enc, ts, nonce string) {
		msg, err := c.Decrypt(c.Sign(ts, nonce, enc), ts, nonce, enc)
		if err != nil && msg != nil {
			t.Fatalf("message %q with error %v", msg, err)
		}
		msg, rid, err := c.Open(enc)
		if err != nil && (msg != nil || rid != "") {
			t.Fatal("Open returned values with an error")
		}
		if _, err := c.Decrypt("0000000000000000000000000000000000000000", ts, nonce, enc); err == nil && c.Sign(ts, nonce, enc) != "0000000000000000000000000000000000000000" {
			t.Fatal("wrong signature accepted")
		}
	})
}

// FuzzRoundTrip checks that decrypt(encrypt(msg)) is the identity, for the
// bare value, the POST envelope and the reply envelope.
func FuzzRoundTrip(f *testing.F) {
	n := 0
	for _, v := range loadVectors(f) {
		if v.Expect.OK {
			f.Add([]byte(v.Msg), v.ReceiveID, v.Nonce)
			n++
		}
	}
	if n == 0 {
		f.Fatal("empty seed corpus")
	}
	f.Fuzz(func(t *testing.T, msg []byte, rid, nonce string) {
		c, err := New(fzToken, fzKey, rid)
		if err != nil {
			t.Fatal(err)
		}
		enc, err := c.Encrypt(msg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Decrypt(c.Sign("1700000000", nonce, enc), "1700000000", nonce, enc)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("round trip: %q, %v", got, err)
		}
		reply, err := c.EncryptReply(msg, "1700000000", nonce)
		if err != nil {
			t.Fatal(err)
		}
		got, err = c.DecryptReply(reply)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("reply round trip: %q, %v\n%s", got, err, reply)
		}
		body, sig, err := c.EncryptRequest(msg, rid, "1000002", "1700000000", nonce)
		if err != nil {
			t.Fatal(err)
		}
		got, err = c.DecryptBody(sig, "1700000000", nonce, body)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("request round trip: %q, %v\n%s", got, err, body)
		}
	})
}

// FuzzParseEnvelope checks that ParseEnvelope never panics, returns the zero
// Envelope on error, and that DecryptBody agrees with it.
func FuzzParseEnvelope(f *testing.F) {
	n := 0
	for _, v := range loadVectors(f) {
		if v.PostBody != "" {
			f.Add([]byte(v.PostBody))
			n++
		}
		if v.ReplyXML != "" {
			f.Add([]byte(v.ReplyXML))
			n++
		}
	}
	if n == 0 {
		f.Fatal("empty seed corpus")
	}
	c, err := New(fzToken, fzKey, fzID)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		// The flat fast path reads an envelope as the general scanner
		// does, errors included.
		fe, ferr := readEnvelope(body, true)
		ge, gerr := readEnvelope(body, false)
		if !sameEnvelope(fe, ge) || fmt.Sprint(ferr) != fmt.Sprint(gerr) {
			t.Fatalf("%q: fast path %+v %v, general scanner %+v %v", body, fe, ferr, ge, gerr)
		}
		env, err := ParseEnvelope(body)
		if err != nil {
			if env != (Envelope{}) {
				t.Fatal("non-zero envelope with error")
			}
			if _, err2 := c.DecryptBody("x", "1", "2", body); err2 == nil {
				t.Fatal("DecryptBody accepted what ParseEnvelope rejected")
			}
			return
		}
		msg, err := c.DecryptBody(c.Sign("1", "2", env.Encrypt), "1", "2", body)
		if err != nil && msg != nil {
			t.Fatal("message with error")
		}
		_, _ = c.DecryptReply(body)
	})
}

func sameEnvelope(a, b envelope) bool {
	return a.hasEncrypt == b.hasEncrypt && bytes.Equal(a.encrypt, b.encrypt) &&
		bytes.Equal(a.toUserName, b.toUserName) && bytes.Equal(a.agentID, b.agentID) &&
		bytes.Equal(a.msgSignature, b.msgSignature) && bytes.Equal(a.timeStamp, b.timeStamp) &&
		bytes.Equal(a.nonce, b.nonce)
}
