//go:build !js

package jssdk

import (
	"errors"
	"io"
	"strconv"
	"time"
)

// The Signer (nonce, clock, signed configs for a server) is not in the
// GOOS=js build: its API carries time.Time, and the time package alone is a
// large share of the WASM verifier (figure in docs/benchmarks.md). The verifier
// needs only Sign, StringToSign and Check.

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

// Check is the package-level Check using s.Now as the clock when in.Now is 0.
func (s *Signer) Check(in Input) Result {
	clock := s.Now
	if clock == nil {
		clock = time.Now
	}
	return check(in, func() int64 { return clock().Unix() })
}

// unixNow is Check's clock outside the browser; see clock_js.go.
func unixNow() int64 { return time.Now().Unix() }
