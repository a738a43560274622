package jssdk

import (
	"encoding/binary"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// signBufSize is the stack buffer used to build the string to sign (签名串).
// Typical strings are 150–400 bytes; longer ones fall back to one more heap
// allocation inside append.
const signBufSize = 512

// StringToSign returns the JS-SDK string to sign (待签名字符串):
//
//	jsapi_ticket=<ticket>&noncestr=<nonceStr>&timestamp=<timestamp>&url=<url>
//
// The keys are fixed, lowercase and in this order. Values are used raw: no
// URL encoding, decoding or trimming. The only change made to url is that the
// fragment ("#" and everything after it) is dropped, as both official SDKs do
// with location.href.split('#')[0].
func StringToSign(ticket, nonceStr string, timestamp int64, url string) string {
	var buf [signBufSize]byte
	return string(appendStringToSign(buf[:0], ticket, nonceStr, timestamp, url))
}

// Sign returns the JS-SDK signature (签名): the lowercase hex SHA-1 of
// StringToSign(ticket, nonceStr, timestamp, url). The same algorithm serves
// wx.config (corp jsapi_ticket in WeCom, jsapi_ticket in an Official
// Account) and wx.agentConfig (the application's agent_config ticket); only
// the ticket differs.
func Sign(ticket, nonceStr string, timestamp int64, url string) string {
	var buf [signBufSize]byte
	b := appendStringToSign(buf[:0], ticket, nonceStr, timestamp, url)
	return hexSHA1(b)
}

func appendStringToSign(b []byte, ticket, nonceStr string, timestamp int64, url string) []byte {
	b = append(b, "jsapi_ticket="...)
	b = append(b, ticket...)
	b = append(b, "&noncestr="...)
	b = append(b, nonceStr...)
	b = append(b, "&timestamp="...)
	b = strconv.AppendInt(b, timestamp, 10)
	b = append(b, "&url="...)
	b = append(b, dropFragment(url)...)
	return b
}

// signText signs with the timestamp given as text, exactly as a page passed
// it (the client signs String(timestamp)). It is what Check uses, because a
// page's timestamp is not always a valid integer.
func signText(ticket, nonceStr, timestamp, url string) string {
	var buf [signBufSize]byte
	b := append(buf[:0], "jsapi_ticket="...)
	b = append(b, ticket...)
	b = append(b, "&noncestr="...)
	b = append(b, nonceStr...)
	b = append(b, "&timestamp="...)
	b = append(b, timestamp...)
	b = append(b, "&url="...)
	b = append(b, url...)
	return hexSHA1(b)
}

func stringToSignText(ticket, nonceStr, timestamp, url string) string {
	return "jsapi_ticket=" + ticket + "&noncestr=" + nonceStr + "&timestamp=" + timestamp + "&url=" + url
}

// hexSHA1 hashes b and returns the lowercase hex digest; the string is the
// only allocation.
func hexSHA1(b []byte) string {
	sum := sha1Sum(b)
	var out [2 * len(sum)]byte
	for i := 0; i < len(sum); i += 4 {
		binary.BigEndian.PutUint64(out[2*i:], hex8(binary.BigEndian.Uint32(sum[i:])))
	}
	return string(out[:])
}

// hex8 turns 4 bytes into 8 lowercase hex digits packed big-endian in a
// uint64, without a table or branches (SWAR).
func hex8(x uint32) uint64 {
	v := uint64(x)
	v = (v | v<<16) & 0x0000ffff0000ffff
	v = (v | v<<8) & 0x00ff00ff00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f0f0f0f0f
	// Each byte holds one nibble; letters (>= 10) need 'a'-'0'-10 = 39 more.
	letters := ((v + 0x0606060606060606) >> 4) & 0x0101010101010101
	return v + 0x3030303030303030 + letters*39
}

// sha1Hex hashes a string already built (used by the forensics, which build
// many candidate strings).
func sha1Hex(s string) string {
	var buf [signBufSize]byte
	return hexSHA1(append(buf[:0], s...))
}

// dropFragment cuts "#" and everything after it, and changes nothing else.
func dropFragment(url string) string {
	if i := strings.IndexByte(url, '#'); i >= 0 {
		return url[:i]
	}
	return url
}

// Config is what the page passes to wx.config / wx.agentConfig next to its
// appId (corpid) and jsApiList. Field names match the JS side: nonceStr is
// camelCase there, while the string to sign uses the key "noncestr".
type Config struct {
	AppID     string `json:"appId"`
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// DefaultNonceLength is the length of the nonces a Signer generates.
const DefaultNonceLength = 16

// nonceAlphabet is ASCII alphanumerics: the platforms do not define a
// charset, and these never raise an encoding question.
const nonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Signer builds signed configs. Rand (randomness for the nonce) and Now (the
// clock for the timestamp) are injectable so tests are deterministic; the
// zero value is not usable, build one with NewSigner.
type Signer struct {
	Rand     io.Reader        // source of nonce bytes; crypto/rand by default
	Now      func() time.Time // clock; time.Now by default
	NonceLen int              // nonce length; DefaultNonceLength by default
}

// Option configures a Signer.
type Option func(*Signer)

// WithRand sets the randomness used for nonces.
func WithRand(r io.Reader) Option { return func(s *Signer) { s.Rand = r } }

// WithClock sets the clock used for timestamps (and, in Signer.Check, for
// the skew check when the input has no "now").
func WithClock(now func() time.Time) Option { return func(s *Signer) { s.Now = now } }

// WithNonceLength sets the nonce length (at least 8).
func WithNonceLength(n int) Option { return func(s *Signer) { s.NonceLen = n } }

// NewSigner returns a Signer using crypto/rand and time.Now unless options
// say otherwise.
func NewSigner(opts ...Option) *Signer {
	s := &Signer{Rand: defaultRand, Now: time.Now, NonceLen: DefaultNonceLength}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Errors returned by Signer.Config.
var (
	ErrNoTicket = errors.New("jssdk: empty jsapi_ticket: fetch the ticket (corp ticket for wx.config, agent_config ticket for wx.agentConfig) before signing")
	ErrNoURL    = errors.New("jssdk: empty url: pass the page's location.href (the page URL, not the signing API URL)")
)

// Config signs url with ticket for appID (CorpID or Official Account AppID)
// using a fresh nonce and the current time in seconds. It returns the config
// for the page and the exact string that was signed. The fragment of url is
// dropped; nothing else is changed.
func (s *Signer) Config(appID, ticket, url string) (Config, string, error) {
	if ticket == "" {
		return Config{}, "", ErrNoTicket
	}
	if dropFragment(url) == "" {
		return Config{}, "", ErrNoURL
	}
	nonce, err := s.nonce()
	if err != nil {
		return Config{}, "", err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := now().Unix()
	sts := StringToSign(ticket, nonce, ts, url)
	return Config{AppID: appID, Timestamp: ts, NonceStr: nonce, Signature: sha1Hex(sts)}, sts, nil
}

func (s *Signer) nonce() (string, error) {
	n := s.NonceLen
	if n <= 0 {
		n = DefaultNonceLength
	}
	if n < 8 {
		n = 8
	}
	if n > 64 {
		n = 64
	}
	r := s.Rand
	if r == nil {
		r = defaultRand
	}
	out := make([]byte, 0, n)
	var buf [64]byte
	for len(out) < n {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", &randError{err}
		}
		for _, v := range buf {
			// 248 = 4*62: reject the top bytes so every letter is equally likely.
			if v < 248 && len(out) < n {
				out = append(out, nonceAlphabet[v%62])
			}
		}
	}
	return string(out), nil
}

// AgentConfig is what the page passes to wx.agentConfig (WeCom): the same
// triple as Config, signed with the application's agent_config ticket, plus
// the CorpID and the AgentID under the field names wx.agentConfig uses.
type AgentConfig struct {
	CorpID    string `json:"corpid"`
	AgentID   string `json:"agentid"`
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// AgentConfig signs url for wx.agentConfig with agentTicket, the ticket from
// /cgi-bin/ticket/get?type=agent_config (not the corp ticket). It returns the
// config and the exact string that was signed.
func (s *Signer) AgentConfig(corpID, agentID, agentTicket, url string) (AgentConfig, string, error) {
	if !isDigits(agentID) {
		return AgentConfig{}, "", errors.New("jssdk: agentid " + strconv.Quote(agentID) + " is not a decimal AgentID: pass the AgentID shown on the application page of the admin console")
	}
	cfg, sts, err := s.Config(corpID, agentTicket, url)
	if err != nil {
		return AgentConfig{}, "", err
	}
	return AgentConfig{CorpID: corpID, AgentID: agentID, Timestamp: cfg.Timestamp, NonceStr: cfg.NonceStr, Signature: cfg.Signature}, sts, nil
}

// randError wraps a failure of the nonce's randomness source (errors.Is and
// errors.As see the source's error).
type randError struct{ err error }

func (e *randError) Error() string {
	return "jssdk: reading randomness for the nonce: " + e.err.Error()
}
func (e *randError) Unwrap() error { return e.err }

// itoa formats an integer in decimal (fmt is kept out of the package to keep
// the WASM bundle small).
func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }
