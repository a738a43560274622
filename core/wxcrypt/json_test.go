package wxcrypt

import (
	"errors"
	"strings"
	"testing"
)

func TestJSONVariant(t *testing.T) {
	c, err := New(fzToken, fzKey, "") // internal smart robot: receiveid ""
	if err != nil {
		t.Fatal(err)
	}
	msg := []byte(`{"msgid":"1","msgtype":"text","text":{"content":"hi"}}`)
	enc, _ := c.Encrypt(msg)
	body := []byte(`{"encrypt":"` + enc + `"}`)
	got, err := c.DecryptJSONBody(c.Sign("1700000000", "n", enc), "1700000000", "n", body)
	if err != nil || string(got) != string(msg) {
		t.Fatalf("DecryptJSONBody: %q, %v", got, err)
	}
	reply, err := c.EncryptJSONReply(msg, "1700000000", "n")
	if err != nil || !strings.Contains(string(reply), `"timestamp":1700000000`) || !strings.Contains(string(reply), `"msgsignature":"`) {
		t.Fatalf("EncryptJSONReply: %s, %v", reply, err)
	}
	got, err = c.DecryptJSONReply(reply)
	if err != nil || string(got) != string(msg) {
		t.Fatalf("DecryptJSONReply: %q, %v", got, err)
	}
	for _, bad := range []string{``, `{}`, `[1]`, `{"encrypt":1}`, `<xml/>`} {
		if got, err := c.DecryptJSONBody("x", "1", "n", []byte(bad)); got != nil || !errors.Is(err, ErrParseXML) {
			t.Errorf("%q: %q, %v", bad, got, err)
		}
		if got, err := c.DecryptJSONReply([]byte(bad)); got != nil || !errors.Is(err, ErrParseXML) {
			t.Errorf("reply %q: %q, %v", bad, got, err)
		}
	}
	if _, err := c.DecryptJSONBody(c.Sign("1", "n", enc), "1", "m", body); !errors.Is(err, ErrValidateSignature) {
		t.Fatalf("bad signature: %v", err)
	}
}
