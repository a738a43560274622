package wxcrypt

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

type vectorCase struct {
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encodingAESKey"`
	ReceiveID      string `json:"receiveId"`
	Timestamp      string `json:"timestamp"`
	Nonce          string `json:"nonce"`
	Random16       string `json:"random16"`
	Msg            string `json:"msg"`
	Encrypt        string `json:"encrypt"`
	MsgSignature   string `json:"msgSignature"`
	PostBody       string `json:"postBody"`
	ReplyXML       string `json:"replyXml"`
	ActualID       string `json:"actualReceiveIdInCiphertext"`
	Expect         struct {
		OK        bool   `json:"ok"`
		Msg       string `json:"msg"`
		ReceiveID string `json:"receiveId"`
		ErrCode   int    `json:"errCode"`
		ErrName   string `json:"errName"`
	} `json:"expect"`
}

func loadVectors(t testing.TB) []vectorCase {
	t.Helper()
	data, err := os.ReadFile("testdata/crypto.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Count int          `json:"count"`
		Cases []vectorCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 || len(f.Cases) != f.Count {
		t.Fatalf("vectors: %d cases, file says %d", len(f.Cases), f.Count)
	}
	return f.Cases
}

// TestVectors walks every case of testdata/crypto.json in both directions.
func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			c, err := New(v.Token, v.EncodingAESKey, v.ReceiveID)
			if v.Kind == "config" {
				checkErr(t, err, v)
				if c != nil {
					t.Fatal("New returned a Crypt with an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			// Decrypt direction.
			var got []byte
			switch {
			case v.Kind == "verify_url":
				got, err = c.VerifyURL(v.MsgSignature, v.Timestamp, v.Nonce, v.Encrypt)
			case v.PostBody != "":
				env, perr := ParseEnvelope([]byte(v.PostBody))
				if perr != nil || env.Encrypt != v.Encrypt {
					t.Fatalf("ParseEnvelope: %v, Encrypt %q", perr, env.Encrypt)
				}
				got, err = c.DecryptBody(v.MsgSignature, v.Timestamp, v.Nonce, []byte(v.PostBody))
				got2, err2 := c.Decrypt(v.MsgSignature, v.Timestamp, v.Nonce, v.Encrypt)
				if !bytes.Equal(got, got2) || (err == nil) != (err2 == nil) {
					t.Fatalf("DecryptBody and Decrypt disagree: %v / %v", err, err2)
				}
			default:
				got, err = c.Decrypt(v.MsgSignature, v.Timestamp, v.Nonce, v.Encrypt)
			}
			if !v.Expect.OK {
				checkErr(t, err, v)
				if got != nil {
					t.Fatalf("non-nil message %q with error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("decrypt: %v", err)
			}
			if string(got) != v.Expect.Msg {
				t.Fatalf("msg = %q, want %q", got, v.Expect.Msg)
			}
			_, rid, err := c.Open(v.Encrypt)
			if err != nil || rid != v.Expect.ReceiveID {
				t.Fatalf("Open: receiveid %q, %v", rid, err)
			}
			// Encrypt direction.
			r16, err := hex.DecodeString(v.Random16)
			if err != nil {
				t.Fatal(err)
			}
			enc, err := c.EncryptWithRandom(r16, []byte(v.Msg))
			if err != nil {
				t.Fatal(err)
			}
			if enc != v.Encrypt {
				t.Fatalf("encrypt mismatch:\n got %s\nwant %s", enc, v.Encrypt)
			}
			if s := c.Sign(v.Timestamp, v.Nonce, enc); s != v.MsgSignature {
				t.Fatalf("signature %s, want %s", s, v.MsgSignature)
			}
			if v.PostBody != "" {
				c2, _ := New(v.Token, v.EncodingAESKey, v.ReceiveID, WithRandom(bytes.NewReader(r16)))
				env, _ := ParseEnvelope([]byte(v.PostBody))
				body, sig, err := c2.EncryptRequest([]byte(v.Msg), env.ToUserName, env.AgentID, v.Timestamp, v.Nonce)
				if err != nil || string(body) != v.PostBody || sig != v.MsgSignature {
					t.Fatalf("EncryptRequest: %v\n got %s %s\nwant %s %s", err, body, sig, v.PostBody, v.MsgSignature)
				}
			}
			if v.ReplyXML != "" {
				c2, _ := New(v.Token, v.EncodingAESKey, v.ReceiveID, WithRandom(bytes.NewReader(r16)))
				reply, err := c2.EncryptReply([]byte(v.Msg), v.Timestamp, v.Nonce)
				if err != nil || string(reply) != v.ReplyXML {
					t.Fatalf("EncryptReply: %v\n got %s\nwant %s", err, reply, v.ReplyXML)
				}
				back, err := c.DecryptReply(reply)
				if err != nil || string(back) != v.Msg {
					t.Fatalf("DecryptReply: %q, %v", back, err)
				}
			}
		})
	}
}

func checkErr(t *testing.T, err error, v vectorCase) {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v, want code %d", err, v.Expect.ErrCode)
	}
	if ce.Code != v.Expect.ErrCode || ce.Name != v.Expect.ErrName {
		t.Fatalf("error %d %s (%v), want %d %s", ce.Code, ce.Name, err, v.Expect.ErrCode, v.Expect.ErrName)
	}
	if !errors.Is(err, &Error{Code: v.Expect.ErrCode}) {
		t.Fatal("errors.Is by code failed")
	}
}
