package wxcrypt

import (
	"encoding/json"
	"strconv"
)

// JSON callbacks (WeCom smart robots and other JSON-format pushes) carry the
// same ciphertext in {"encrypt":"…"} and expect the reply
// {"encrypt":"…","msgsignature":"…","timestamp":…,"nonce":"…"}. The crypto is
// identical; receiveid is "" for internal smart robots.

type jsonEnvelope struct {
	Encrypt *string `json:"encrypt"`
}

// DecryptJSONBody verifies and decrypts a JSON callback body
// {"encrypt":"…"}. A body that is not such JSON is ErrParseXML (-40002, the
// official JSON variant calls it ParseJson_Error).
func (c *Crypt) DecryptJSONBody(msgSignature, timestamp, nonce string, body []byte) ([]byte, error) {
	if len(body) > MaxBodyLen {
		return nil, newErr(ErrTooLarge, "body longer than "+strconv.Itoa(MaxBodyLen)+" bytes")
	}
	var env jsonEnvelope
	if err := json.Unmarshal(body, &env); err != nil || env.Encrypt == nil {
		return nil, newErr(ErrParseXML, `body is not JSON of the form {"encrypt":"…"}`)
	}
	return c.Decrypt(msgSignature, timestamp, nonce, *env.Encrypt)
}

type jsonReply struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	Timestamp    int64  `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

// EncryptJSONReply encrypts msg with fresh random bytes and returns the JSON
// reply {"encrypt","msgsignature","timestamp","nonce"}. An empty timestamp
// means now; an empty nonce gets a random one.
func (c *Crypt) EncryptJSONReply(msg []byte, timestamp, nonce string) ([]byte, error) {
	env, err := c.EncryptReply(msg, timestamp, nonce)
	if err != nil {
		return nil, err
	}
	e, perr := parseEnvelope(env)
	if perr != nil {
		return nil, newErr(ErrGenReturnXML, "building the JSON reply failed")
	}
	ts, _ := strconv.ParseInt(string(e.timeStamp), 10, 64)
	out, err := json.Marshal(jsonReply{Encrypt: string(e.encrypt), MsgSignature: string(e.msgSignature), Timestamp: ts, Nonce: string(e.nonce)})
	if err != nil {
		return nil, newErr(ErrGenReturnXML, "building the JSON reply failed")
	}
	return out, nil
}

// DecryptJSONReply reads a JSON passive reply back (for emulators).
func (c *Crypt) DecryptJSONReply(body []byte) ([]byte, error) {
	if len(body) > MaxBodyLen {
		return nil, newErr(ErrTooLarge, "body longer than "+strconv.Itoa(MaxBodyLen)+" bytes")
	}
	var r jsonReply
	if err := json.Unmarshal(body, &r); err != nil || r.Encrypt == "" {
		return nil, newErr(ErrParseXML, `reply is not JSON of the form {"encrypt","msgsignature","timestamp","nonce"}`)
	}
	return c.Decrypt(r.MsgSignature, strconv.FormatInt(r.Timestamp, 10), r.Nonce, r.Encrypt)
}
