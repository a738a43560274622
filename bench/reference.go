// Package bench compares wwkit's callback crypto and message parsing with
// github.com/silenceper/wechat/v2 and with a plain standard-library
// reference written the obvious way. It is a separate module so that
// silenceper never enters wwkit's go.mod.
package bench

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"sort"
	"strconv"
	"strings"
)

// RefEnvelope is the POST envelope, unmarshalled with encoding/xml.
type RefEnvelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName string   `xml:"ToUserName"`
	Encrypt    string   `xml:"Encrypt"`
	AgentID    string   `xml:"AgentID"`
}

// RefMessage is a callback message, unmarshalled with encoding/xml (the
// usual "mixed message" struct of Go SDKs).
type RefMessage struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	MsgID        int64    `xml:"MsgId"`
	AgentID      int64    `xml:"AgentID"`
	Content      string   `xml:"Content"`
	PicURL       string   `xml:"PicUrl"`
	MediaID      string   `xml:"MediaId"`
	Event        string   `xml:"Event"`
	EventKey     string   `xml:"EventKey"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

// RefReply is the passive reply envelope, marshalled with encoding/xml.
type RefReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata    `xml:"Encrypt"`
	MsgSignature cdata    `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        cdata    `xml:"Nonce"`
}

// Ref is the reference implementation: it keeps the configuration and, like
// the official Go sample, decodes nothing in advance except the key and
// builds the AES cipher per message.
type Ref struct {
	Token, ReceiveID string
	key              []byte
}

// NewRef decodes the EncodingAESKey.
func NewRef(token, encodingAESKey, receiveID string) (*Ref, error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("ref: bad key")
	}
	return &Ref{Token: token, ReceiveID: receiveID, key: key}, nil
}

// RefSignature is sha1 over the sorted strings, hex encoded.
func RefSignature(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// DecryptBody: envelope unmarshal, signature check, AES-CBC, message unmarshal.
func (r *Ref) DecryptBody(sig, ts, nonce string, body []byte) (*RefMessage, error) {
	var env RefEnvelope
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if RefSignature(r.Token, ts, nonce, env.Encrypt) != sig {
		return nil, errors.New("ref: bad signature")
	}
	ct, err := base64.StdEncoding.DecodeString(env.Encrypt)
	if err != nil {
		return nil, err
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errors.New("ref: bad length")
	}
	block, err := aes.NewCipher(r.key)
	if err != nil {
		return nil, err
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, r.key[:16]).CryptBlocks(pt, ct)
	p := int(pt[len(pt)-1])
	if p < 1 || p > 32 || p > len(pt) {
		return nil, errors.New("ref: bad padding")
	}
	pt = pt[:len(pt)-p]
	if len(pt) < 20 {
		return nil, errors.New("ref: short")
	}
	n := int(binary.BigEndian.Uint32(pt[16:20]))
	if n > len(pt)-20 {
		return nil, errors.New("ref: bad length")
	}
	if string(pt[20+n:]) != r.ReceiveID {
		return nil, errors.New("ref: bad receiveid")
	}
	var m RefMessage
	if err := xml.Unmarshal(pt[20:20+n], &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// EncryptReply: pad, AES-CBC, base64, signature, encoding/xml envelope.
func (r *Ref) EncryptReply(random16, msg []byte, ts, nonce string) ([]byte, error) {
	var buf []byte
	buf = append(buf, random16...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(msg)))
	buf = append(buf, msg...)
	buf = append(buf, r.ReceiveID...)
	p := 32 - len(buf)%32
	for i := 0; i < p; i++ {
		buf = append(buf, byte(p))
	}
	block, err := aes.NewCipher(r.key)
	if err != nil {
		return nil, err
	}
	cipher.NewCBCEncrypter(block, r.key[:16]).CryptBlocks(buf, buf)
	enc := base64.StdEncoding.EncodeToString(buf)
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		return nil, err
	}
	return xml.Marshal(RefReply{
		Encrypt:      cdata{enc},
		MsgSignature: cdata{RefSignature(r.Token, ts, nonce, enc)},
		TimeStamp:    ts,
		Nonce:        cdata{nonce},
	})
}
