package wxcrypt_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// TestVectorMessagesParse decrypts every successful XML case of the vectors
// and parses the message, as a callback server would.
func TestVectorMessagesParse(t *testing.T) {
	data, err := os.ReadFile("testdata/crypto.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []struct {
			Name, Token, EncodingAESKey, ReceiveID, Timestamp, Nonce, Encrypt, MsgSignature string
			Expect                                                                          struct {
				OK  bool
				Msg string
			}
		}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range f.Cases {
		if !v.Expect.OK || !strings.HasPrefix(v.Expect.Msg, "<xml>") {
			continue
		}
		n++
		c, err := wxcrypt.New(v.Token, v.EncodingAESKey, v.ReceiveID)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := c.Decrypt(v.MsgSignature, v.Timestamp, v.Nonce, v.Encrypt)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		m, err := message.Parse(plain)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if m.Body == nil || string(m.Raw) != v.Expect.Msg {
			t.Fatalf("%s: %+v", v.Name, m)
		}
	}
	if n < 5 {
		t.Fatalf("only %d XML cases", n)
	}
}
