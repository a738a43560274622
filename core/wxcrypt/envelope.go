package wxcrypt

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/wwkit/wwkit/internal/xmlscan"
)

// Envelope is the encrypted POST body WeCom and Official Accounts (safe
// mode, 安全模式) send to the callback URL:
//
//	<xml><ToUserName/><Encrypt/><AgentID/></xml>
//
// AgentID is empty for Official Accounts and some WeCom callbacks.
type Envelope struct{ ToUserName, Encrypt, AgentID string }

// envelope holds the fields of a POST or reply envelope as slices of the body.
type envelope struct {
	toUserName, encrypt, agentID   []byte
	msgSignature, timeStamp, nonce []byte
	hasEncrypt                     bool
}

// parseEnvelope scans a flat envelope by hand (no encoding/xml). Text may be
// CDATA or plain text with entities.
func parseEnvelope(body []byte) (envelope, error) { return readEnvelope(body, true) }

// readEnvelope is parseEnvelope; with flat unset it always uses the general
// scanner (tests check that both read an envelope the same way).
func readEnvelope(body []byte, flat bool) (envelope, error) {
	var env envelope
	if len(body) > MaxBodyLen {
		return env, newErr(ErrTooLarge, "envelope longer than "+strconv.Itoa(MaxBodyLen)+" bytes")
	}
	root, err := xmlscan.Root(body)
	if err != nil {
		return env, newErr(ErrParseXML, "envelope is not well-formed xml: "+err.Error())
	}
	// Envelopes as WeCom and Official Accounts write them are read in one
	// pass; any other form, and every error but a second Encrypt, is left
	// to the general scanner.
	var buf [8]xmlscan.Field
	if fl, ok := xmlscan.Flat(body, root, buf[:0]); flat && ok {
		for _, f := range fl {
			if err := env.set(body[f.NameStart:f.NameEnd], body[f.Start:f.End]); err != nil {
				return envelope{}, err
			}
		}
	} else if err := env.scan(body, root); err != nil {
		return envelope{}, err
	}
	if !env.hasEncrypt {
		return envelope{}, newErr(ErrParseXML, "envelope has no Encrypt element; is the callback in plaintext mode (明文模式)?")
	}
	return env, nil
}

// scan reads the envelope's fields with the general scanner.
func (env *envelope) scan(body []byte, root xmlscan.Elem) error {
	it := xmlscan.Iter(body, root, 1)
	for {
		e, _, ok := it.Next()
		if !ok {
			break
		}
		if !isEnvelopeField(e.Name) {
			continue
		}
		var v []byte
		if e.CDATA {
			v = body[e.Start+len("<![CDATA[") : e.End-len("]]>")]
		} else {
			t, err := xmlscan.Text(body, e.Start, e.End)
			if err != nil {
				return newErr(ErrParseXML, "bad text in "+string(e.Name)+": "+err.Error())
			}
			v = t
		}
		if err := env.set(e.Name, v); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return newErr(ErrParseXML, "envelope is not well-formed xml: "+err.Error())
	}
	return nil
}

func isEnvelopeField(name []byte) bool {
	switch string(name) {
	case "Encrypt", "ToUserName", "AgentID", "MsgSignature", "TimeStamp", "Nonce":
		return true
	}
	return false
}

// set records the text v of the envelope field name; other names are
// ignored. A second Encrypt is an error: which one is signed is ambiguous.
func (env *envelope) set(name, v []byte) error {
	switch string(name) {
	case "Encrypt":
		if env.hasEncrypt {
			return newErr(ErrParseXML, "envelope has more than one Encrypt element")
		}
		env.hasEncrypt = true
		env.encrypt = v
	case "ToUserName":
		env.toUserName = v
	case "AgentID":
		env.agentID = v
	case "MsgSignature":
		env.msgSignature = v
	case "TimeStamp":
		env.timeStamp = v
	case "Nonce":
		env.nonce = v
	}
	return nil
}

// ParseEnvelope parses an encrypted POST body. It fails with ErrParseXML when
// the body is not XML or has no Encrypt element, and ErrTooLarge beyond
// MaxBodyLen.
func ParseEnvelope(body []byte) (Envelope, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return Envelope{}, err
	}
	return Envelope{ToUserName: string(env.toUserName), Encrypt: string(env.encrypt), AgentID: string(env.agentID)}, nil
}

// DecryptBody verifies and decrypts a callback POST body (the envelope) and
// returns the plaintext message XML. timestamp, nonce and msgSignature come
// from the query string.
func (c *Crypt) DecryptBody(msgSignature, timestamp, nonce string, body []byte) ([]byte, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	return c.decryptBytes(msgSignature, timestamp, nonce, env.encrypt)
}

func (c *Crypt) decryptBytes(msgSignature, timestamp, nonce string, encrypt []byte) ([]byte, error) {
	if len(encrypt) > MaxEncryptLen {
		return nil, newErr(ErrTooLarge, "Encrypt value longer than "+strconv.Itoa(MaxEncryptLen)+" bytes")
	}
	// encrypt aliases the body, which does not change during this call.
	enc := stringView(encrypt)
	if err := c.verify(msgSignature, timestamp, nonce, enc); err != nil {
		return nil, err
	}
	msg, _, err := c.open(enc, true)
	return msg, err
}

// DecryptReply parses a passive reply envelope (Encrypt, MsgSignature,
// TimeStamp, Nonce), verifies its signature and returns the plaintext reply.
// Emulators and simulators use it to read what a callback server answered.
func (c *Crypt) DecryptReply(body []byte) ([]byte, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	return c.decryptBytes(string(env.msgSignature), string(env.timeStamp), string(env.nonce), env.encrypt)
}

func validTimestamp(ts string) bool {
	if ts == "" || len(ts) > 20 {
		return false
	}
	for i := 0; i < len(ts); i++ {
		if ts[i] < '0' || ts[i] > '9' {
			return false
		}
	}
	return true
}

func newNonce() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	return strconv.FormatUint(binary.BigEndian.Uint64(b[:])%1e10, 10)
}

const (
	replyOpen  = "<xml><Encrypt><![CDATA["
	replySig   = "]]></Encrypt><MsgSignature><![CDATA["
	replyTS    = "]]></MsgSignature><TimeStamp>"
	replyNonce = "</TimeStamp><Nonce>"
	replyClose = "</Nonce></xml>"
)

// EncryptReply encrypts a passive reply (被动回复) with fresh random bytes
// and returns the reply envelope:
//
//	<xml><Encrypt><![CDATA[…]]></Encrypt><MsgSignature><![CDATA[…]]></MsgSignature><TimeStamp>…</TimeStamp><Nonce><![CDATA[…]]></Nonce></xml>
//
// An empty timestamp means now; an empty nonce gets a random one. The
// timestamp must be decimal digits.
func (c *Crypt) EncryptReply(msg []byte, timestamp, nonce string) ([]byte, error) {
	var r [randomLen]byte
	if _, err := readFull(c, r[:]); err != nil {
		return nil, err
	}
	return c.encryptReply(r[:], msg, timestamp, nonce)
}

// EncryptReplyWithRandom is EncryptReply with given random prefix bytes
// (deterministic; for test vectors only).
func (c *Crypt) EncryptReplyWithRandom(random16, msg []byte, timestamp, nonce string) ([]byte, error) {
	if len(random16) != randomLen {
		return nil, newErr(ErrEncryptAES, "random prefix must be 16 bytes, got "+strconv.Itoa(len(random16)))
	}
	return c.encryptReply(random16, msg, timestamp, nonce)
}

func readFull(c *Crypt, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := c.rand.Read(p[n:])
		n += m
		if err != nil && n < len(p) {
			return n, newErr(ErrEncryptAES, "reading random bytes failed")
		}
		if m == 0 && err == nil {
			return n, newErr(ErrEncryptAES, "random source returned no bytes")
		}
	}
	return n, nil
}

func (c *Crypt) encryptReply(random16, msg []byte, timestamp, nonce string) ([]byte, error) {
	if len(msg) > MaxMsgLen {
		return nil, newErr(ErrTooLarge, "message longer than "+strconv.Itoa(MaxMsgLen)+" bytes")
	}
	if timestamp == "" {
		timestamp = strconv.FormatInt(time.Now().Unix(), 10)
	}
	if !validTimestamp(timestamp) {
		return nil, newErr(ErrGenReturnXML, "timestamp must be decimal Unix seconds")
	}
	if nonce == "" {
		nonce = newNonce()
	}
	ct := c.seal(random16, msg)
	b64 := base64.StdEncoding.EncodedLen(len(ct))
	size := len(replyOpen) + b64 + len(replySig) + 40 + len(replyTS) + len(timestamp) + len(replyNonce) + len(nonce) + 12 + len(replyClose)
	out := make([]byte, 0, size)
	out = append(out, replyOpen...)
	start := len(out)
	out = out[:start+b64]
	base64.StdEncoding.Encode(out[start:], ct)
	s := sum(c.token, timestamp, nonce, stringView(out[start:]))
	out = append(out, replySig...)
	n := len(out)
	out = out[:n+40]
	hexEncode(out[n:], s[:])
	out = append(out, replyTS...)
	out = append(out, timestamp...)
	out = append(out, replyNonce...)
	out = xmlscan.AppendCDATA(out, nonce)
	out = append(out, replyClose...)
	return out, nil
}

const hexDigits = "0123456789abcdef"

// hexPairs holds the two lowercase hex digits of every byte value, first
// digit in the low byte, so hexEncode stores both with one 16-bit write.
var hexPairs = func() (t [256]uint16) {
	for i := range t {
		t[i] = uint16(hexDigits[i>>4]) | uint16(hexDigits[i&15])<<8
	}
	return t
}()

// hexEncode writes the lowercase hex of src into dst[:2*len(src)].
func hexEncode(dst, src []byte) {
	dst = dst[:2*len(src)]
	for i, b := range src {
		binary.LittleEndian.PutUint16(dst[2*i:], hexPairs[b])
	}
}

// EncryptRequest builds a callback POST as WeCom or an Official Account
// sends it: the envelope body (ToUserName, Encrypt and, when agentID is not
// empty, AgentID) and the msg_signature for the query string. Emulators use
// it to drive a callback server.
func (c *Crypt) EncryptRequest(msg []byte, toUserName, agentID, timestamp, nonce string) (body []byte, msgSignature string, err error) {
	if !validTimestamp(timestamp) {
		return nil, "", newErr(ErrGenReturnXML, "timestamp must be decimal Unix seconds")
	}
	enc, err := c.Encrypt(msg)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	b.Grow(len(enc) + len(toUserName) + len(agentID) + 128)
	out := b.AvailableBuffer()
	out = append(out, "<xml><ToUserName>"...)
	out = xmlscan.AppendCDATA(out, toUserName)
	out = append(out, "</ToUserName><Encrypt><![CDATA["...)
	out = append(out, enc...)
	out = append(out, "]]></Encrypt>"...)
	if agentID != "" {
		out = append(out, "<AgentID>"...)
		out = xmlscan.AppendCDATA(out, agentID)
		out = append(out, "</AgentID>"...)
	}
	out = append(out, "</xml>"...)
	return out, c.Sign(timestamp, nonce, enc), nil
}
