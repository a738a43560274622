package callback

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// Limits of a callback request.
const (
	// MaxBody bounds a callback body; real ones are a few KiB.
	MaxBody = 1 << 20
	// MaxXMLDepth bounds element nesting; envelopes and messages nest at
	// most 4 levels.
	MaxXMLDepth = 16
	// DefaultMaxSkew is how far a callback timestamp may be from now.
	DefaultMaxSkew = 5 * time.Minute
)

// Func handles one callback message and returns the passive reply XML
// (message.NewTextReply and friends), or nil for none. An error makes the
// handler answer HTTP 500 so that Tencent retries.
type Func func(ctx context.Context, m *message.Message) ([]byte, error)

// Option configures a Handler.
type Option func(*Handler)

// WithStore sets where handled callbacks are remembered for
// de-duplication (default: NewMemoryStore(10000)).
func WithStore(s Store) Option { return func(h *Handler) { h.store = s } }

// WithMaxSkew sets the timestamp window (default 5 minutes); requests
// further from now are refused as replays.
func WithMaxSkew(d time.Duration) Option { return func(h *Handler) { h.maxSkew = d } }

// WithClock sets the clock of the timestamp window and of Entry.ReceivedAt.
func WithClock(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// WithLogger sets the logger (default: discard). Records never contain the
// message, the Token or the EncodingAESKey.
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.log = l } }

// WithOnReject sets a function told about every refused request (before
// the refusal is answered): the request, the body read so far (nil for a
// GET or a body over MaxBody) and why, with the stage in Error.Kind. A dev
// server records them; the function must not write to the response.
func WithOnReject(f func(r *http.Request, body []byte, err *Error)) Option {
	return func(h *Handler) { h.onReject = f }
}

// WithKey replaces the de-duplication key (default Key); it gets the
// message and its plaintext XML.
func WithKey(f func(m *message.Message, plain []byte) string) Option {
	return func(h *Handler) { h.key = f }
}

// Handler is the callback http.Handler. It is safe for concurrent use.
type Handler struct {
	crypt    *wxcrypt.Crypt
	fn       Func
	mp       bool
	store    Store
	maxSkew  time.Duration
	now      func() time.Time
	log      *slog.Logger
	key      func(*message.Message, []byte) string
	onReject func(*http.Request, []byte, *Error)

	mu       sync.Mutex
	inflight map[string]chan struct{} // keys being handled, so a concurrent retry waits
}

// NewWeCom returns the handler of a WeCom app's callback URL: every
// request is encrypted and signed with msg_signature; the receiveid of c is
// the CorpID.
func NewWeCom(c *wxcrypt.Crypt, fn Func, opts ...Option) *Handler {
	return newHandler(c, fn, false, opts)
}

// NewMP returns the handler of an Official Account's callback URL, in any
// of its three modes; the receiveid of c is the AppID.
func NewMP(c *wxcrypt.Crypt, fn Func, opts ...Option) *Handler { return newHandler(c, fn, true, opts) }

func newHandler(c *wxcrypt.Crypt, fn Func, mp bool, opts []Option) *Handler {
	h := &Handler{crypt: c, fn: fn, mp: mp, maxSkew: DefaultMaxSkew, now: time.Now, key: Key,
		inflight: map[string]chan struct{}{}}
	for _, o := range opts {
		o(h)
	}
	if h.store == nil {
		h.store = NewMemoryStore(10000)
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.crypt == nil || h.fn == nil {
		http.Error(w, "callback: the handler has no wxcrypt.Crypt or no Func; build it with NewWeCom or NewMP", http.StatusInternalServerError)
		return
	}
	switch r.Method {
	case http.MethodGet:
		h.verifyURL(w, r)
	case http.MethodPost:
		h.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "callback: GET (URL check) or POST (messages) only", http.StatusMethodNotAllowed)
	}
}

// Where a request was refused (Error.Kind).
const (
	KindTooLarge  = "too-large" // body over MaxBody
	KindXML       = "xml"       // empty, unterminated, DOCTYPE/ENTITY or nested too deeply
	KindParams    = "params"    // msg_signature, timestamp, nonce or echostr missing (or an implausible plain echostr)
	KindEnvelope  = "envelope"  // no Encrypt element
	KindClock     = "clock"     // timestamp not a number, or too far from now
	KindSignature = "signature" // msg_signature or the MP signature does not verify
	KindDecrypt   = "decrypt"   // signature fine, decryption, receiveid or echostr check fails
	KindMessage   = "message"   // decrypted, but not callback XML
)

// Error is why a request was refused: the stage (Kind), the HTTP status it
// is answered with, the cause and, where the cause is known, a sentence
// saying what to check. VerifyURL, Open and ParseMessage return it.
type Error struct {
	Kind   string
	Status int
	Err    error
	Detail string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func refuse(kind string, status int, format string, args ...any) *Error {
	return &Error{Kind: kind, Status: status, Err: fmt.Errorf(format, args...)}
}

// refuse answers a refused request after telling the OnReject function.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, body []byte, err *Error) {
	if h.onReject != nil {
		h.onReject(r, body, err)
	} else {
		h.log.Warn("callback: refused", "kind", err.Kind, "status", err.Status, "err", err)
	}
	http.Error(w, err.Error(), err.Status)
}

// missing lists the query keys without a value.
func missing(get func(string) string, keys ...string) string {
	var out []string
	for _, k := range keys {
		if get(k) == "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// CheckTimestamp refuses a callback timestamp that is not Unix seconds
// (400) or is further than maxSkew from now (403): a replay, or a machine
// whose clock is off.
func CheckTimestamp(ts string, now time.Time, maxSkew time.Duration) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		e := refuse(KindClock, http.StatusBadRequest, "callback: timestamp must be Unix seconds")
		if len(ts) > 64 {
			ts = ts[:64]
		}
		e.Detail = "timestamp " + strconv.Quote(ts) + " is not Unix seconds; pass the query value unchanged"
		return e
	}
	skew := now.Sub(time.Unix(sec, 0))
	if skew > maxSkew || skew < -maxSkew {
		e := refuse(KindClock, http.StatusForbidden, "callback: timestamp too far from now; check the clock")
		e.Detail = "timestamp is " + skew.Round(time.Second).String() + " away from now (at most " + maxSkew.String() + "): a replayed request, or this machine's clock is off"
		return e
	}
	return nil
}

// VerifyURL checks a URL-verification GET and returns the body to answer:
// WeCom (and MP safe mode when msg_signature is present) sends an encrypted
// echostr signed with msg_signature, whose plaintext is the answer; an
// Official Account otherwise sends a plain echostr with the 3-item
// signature, echoed back. The timestamp window applies: a URL check is
// answered live, never replayed. A decrypted or plain echostr must look
// like one (wxcrypt.PlausibleEchostr), so a message replayed as echostr is
// not turned into a decryption oracle.
func VerifyURL(c *wxcrypt.Crypt, mp bool, q map[string][]string, now time.Time, maxSkew time.Duration) ([]byte, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	ts, nonce, echo := get("timestamp"), get("nonce"), get("echostr")
	if echo == "" || ts == "" || nonce == "" {
		e := refuse(KindParams, http.StatusBadRequest, "callback: a callback URL check needs timestamp, nonce and echostr")
		e.Detail = "the URL check lacks " + missing(get, "timestamp", "nonce", "echostr") + ": pass the query unchanged"
		return nil, e
	}
	// The same window as POST: a URL check is answered live, never replayed.
	if err := CheckTimestamp(ts, now, maxSkew); err != nil {
		return nil, err
	}
	if mp && get("msg_signature") == "" {
		if !c.VerifyPlainSignature(get("signature"), ts, nonce) {
			return nil, refuse(KindSignature, http.StatusForbidden, "callback: signature does not match; check the Token")
		}
		if err := wxcrypt.PlausibleEchostr([]byte(echo)); err != nil {
			return nil, &Error{Kind: KindParams, Status: http.StatusBadRequest, Err: err, Detail: err.Error()}
		}
		return []byte(echo), nil
	}
	msg, err := c.VerifyURL(get("msg_signature"), ts, nonce, echo)
	if err != nil {
		e := &Error{Kind: KindDecrypt, Status: http.StatusBadRequest, Err: err}
		if errors.Is(err, wxcrypt.ErrValidateSignature) || errors.Is(err, wxcrypt.ErrNotEchostr) {
			e.Status = http.StatusForbidden
		}
		if errors.Is(err, wxcrypt.ErrValidateSignature) {
			e.Kind = KindSignature
		}
		return nil, e
	}
	return msg, nil
}

func (h *Handler) verifyURL(w http.ResponseWriter, r *http.Request) {
	out, err := VerifyURL(h.crypt, h.mp, r.URL.Query(), h.now(), h.maxSkew)
	if err != nil {
		h.refuse(w, r, nil, asError(err))
		return
	}
	h.log.Info("callback: URL verified")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(out)
}

// Request is a callback POST that passed every check: the plaintext
// message XML, whether the reply must be encrypted, and the timestamp and
// nonce the reply is sealed with.
type Request struct {
	Plain     []byte
	Encrypted bool
	Timestamp string
	Nonce     string
}

// Open runs the checks of a callback POST on its query and body (read with
// at most MaxBody bytes): XML shape (no DOCTYPE or entities, bounded
// nesting), the timestamp window, the signature before any decryption, and
// strict decryption. A WeCom callback, and an MP one with
// encrypt_type=aes, must be encrypted; an MP one without is plaintext mode
// and checked by its signature.
func Open(c *wxcrypt.Crypt, mp bool, q map[string][]string, body []byte, now time.Time, maxSkew time.Duration) (*Request, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if err := CheckXMLShape(body); err != nil {
		return nil, &Error{Kind: KindXML, Status: http.StatusBadRequest, Err: err, Detail: err.Error()}
	}
	ts, nonce := get("timestamp"), get("nonce")
	req := &Request{Encrypted: !mp || get("encrypt_type") == "aes", Timestamp: ts, Nonce: nonce}
	if !req.Encrypted {
		if err := CheckTimestamp(ts, now, maxSkew); err != nil {
			return nil, err
		}
		if !c.VerifyPlainSignature(get("signature"), ts, nonce) {
			return nil, refuse(KindSignature, http.StatusForbidden, "callback: signature does not match; check the Token")
		}
		req.Plain = body
		return req, nil
	}
	msgSig := get("msg_signature")
	if msgSig == "" || ts == "" || nonce == "" {
		e := refuse(KindParams, http.StatusBadRequest, "callback: a callback needs msg_signature, timestamp and nonce")
		e.Detail = "the query lacks " + missing(get, "msg_signature", "timestamp", "nonce")
		if msgSig == "" && get("signature") != "" {
			e.Detail += "; only the MP plain signature is there: the account sends in plaintext mode (明文模式) while this profile expects the encrypted mode"
		}
		return nil, e
	}
	env, err := wxcrypt.ParseEnvelope(body)
	if err != nil {
		return nil, &Error{Kind: KindEnvelope, Status: http.StatusBadRequest, Err: err}
	}
	if err := CheckTimestamp(ts, now, maxSkew); err != nil {
		return nil, err
	}
	// Decrypt checks msg_signature before it decrypts anything.
	plain, err := c.Decrypt(msgSig, ts, nonce, env.Encrypt)
	if errors.Is(err, wxcrypt.ErrValidateSignature) {
		return nil, refuse(KindSignature, http.StatusForbidden, "callback: msg_signature does not match; check the Token")
	}
	if err != nil {
		return nil, &Error{Kind: KindDecrypt, Status: http.StatusBadRequest, Err: err}
	}
	req.Plain = plain
	return req, nil
}

// ParseMessage parses the plaintext into a typed message; a plaintext that
// is no callback message is a KindMessage *Error.
func ParseMessage(plain []byte) (*message.Message, error) {
	m, err := message.Parse(plain)
	if err != nil {
		return nil, &Error{Kind: KindMessage, Status: http.StatusBadRequest, Err: errors.New("callback: the message is not valid callback XML"),
			Detail: "signature and decryption are fine, but the plaintext is no callback message (" + err.Error() + ")"}
	}
	return m, nil
}

// asError returns err as an *Error (a KindParams 400 when it is not one).
func asError(err error) *Error {
	var ce *Error
	if errors.As(err, &ce) {
		return ce
	}
	return &Error{Kind: KindParams, Status: http.StatusBadRequest, Err: err}
}

// Seal turns a passive reply into the response body: encrypted with a
// fresh msg_signature when the request was, else as is.
func (r *Request) Seal(c *wxcrypt.Crypt, reply []byte) ([]byte, error) {
	if !r.Encrypted || len(reply) == 0 {
		return reply, nil
	}
	return c.EncryptReply(reply, r.Timestamp, r.Nonce)
}

func (h *Handler) receive(w http.ResponseWriter, r *http.Request) {
	body, err := ReadBody(w, r)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.refuse(w, r, nil, &Error{Kind: KindTooLarge, Status: http.StatusRequestEntityTooLarge, Err: errors.New("callback: body larger than 1 MiB"),
				Detail: "the body is over 1 MiB; WeCom and Official Account callbacks are a few KiB"})
			return
		}
		http.Error(w, "callback: reading the body failed", http.StatusBadRequest)
		return
	}
	req, err := Open(h.crypt, h.mp, r.URL.Query(), body, h.now(), h.maxSkew)
	if err != nil {
		h.refuse(w, r, body, asError(err))
		return
	}
	m, err := ParseMessage(req.Plain)
	if err != nil {
		h.refuse(w, r, body, asError(err))
		return
	}
	reply, err := h.handleOnce(r.Context(), m, req.Plain)
	if err != nil {
		h.log.Error("callback: the handler failed; not acknowledged, so Tencent retries", "err", err)
		http.Error(w, "callback: handling the message failed", http.StatusInternalServerError)
		return
	}
	if len(reply) == 0 {
		w.WriteHeader(http.StatusOK)
		return
	}
	out, err := req.Seal(h.crypt, reply)
	if err != nil {
		h.log.Error("callback: encrypting the passive reply failed; answered with no reply", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(out)
}

// ReadBody reads a callback body of at most MaxBody bytes (over it: an
// *http.MaxBytesError) into a buffer sized by Content-Length when it is
// given (io.ReadAll alone starts at 512 bytes and grows, allocating and
// copying twice for a typical callback). Handler uses it; so can a handler
// of another callback URL.
func ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rd := http.MaxBytesReader(w, r.Body, MaxBody)
	if n := r.ContentLength; n > 0 && n <= MaxBody {
		// One byte more than announced, so that EOF is seen without growing.
		buf := make([]byte, 0, n+1)
		for len(buf) < cap(buf) {
			m, err := rd.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+m]
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return buf, err
			}
		}
		rest, err := io.ReadAll(rd) // longer than announced
		return append(buf, rest...), err
	}
	return io.ReadAll(rd)
}

// handleOnce runs the Func once per key: a retry gets the stored reply, and
// a retry arriving while the first is being handled waits for it.
func (h *Handler) handleOnce(ctx context.Context, m *message.Message, plain []byte) ([]byte, error) {
	key := h.key(m, plain)
	for {
		if reply, seen, err := h.store.Lookup(ctx, key); err != nil {
			return nil, fmt.Errorf("callback: looking up %s: %w", key, err)
		} else if seen {
			h.log.Info("callback: duplicate (a retry) answered like the first", "key", key)
			return reply, nil
		}
		h.mu.Lock()
		wait, busy := h.inflight[key]
		if !busy {
			h.inflight[key] = make(chan struct{})
		}
		h.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer func() {
		h.mu.Lock()
		close(h.inflight[key])
		delete(h.inflight, key)
		h.mu.Unlock()
	}()
	reply, err := h.fn(ctx, m)
	if err != nil {
		return nil, err
	}
	stored, err := h.store.Save(ctx, Entry{Key: key, Message: m, Plain: plain, Reply: reply, ReceivedAt: h.now()})
	if err != nil {
		return nil, fmt.Errorf("callback: saving %s: %w", key, err)
	}
	return stored, nil
}

// Key identifies a callback across Tencent's retries and never merges two
// distinct ones: a usable MsgId (decimal digits, as sent) alone; otherwise
// (events, which have none, and odd MsgIds) the sender, CreateTime, type,
// event and key plus the SHA-256 of the plaintext, which a retry repeats
// byte for byte and a different message does not.
func Key(m *message.Message, plain []byte) string {
	if UsableMsgID(m.MsgIDText) {
		return "msg:" + m.MsgIDText
	}
	sum := sha256.Sum256(plain)
	return "evt:" + m.FromUserName + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.MsgType + ":" + m.Event + ":" + m.EventKey +
		":" + hex.EncodeToString(sum[:16])
}

// UsableMsgID reports whether id can identify a message alone: 1 to 64
// ASCII digits, not all zeros (Tencent's MsgIds are 19-20 digits; a number
// past int64 is still distinct as text).
func UsableMsgID(id string) bool {
	if id == "" || len(id) > 64 || strings.Trim(id, "0") == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// CheckXMLShape rejects what no callback contains before any parser sees
// it: an empty body, DOCTYPE and entity declarations (billion laughs), and
// nesting deeper than MaxXMLDepth.
func CheckXMLShape(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("callback: empty callback body")
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		if b[i] != '<' || i+1 >= len(b) {
			continue
		}
		switch c := b[i+1]; c {
		case '/':
			depth--
		case '!':
			// CDATA or comment: skip to its end so its content is not
			// counted. Anything else (DOCTYPE, ENTITY) is a declaration.
			switch {
			case bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
				end := bytes.Index(b[i:], []byte("]]>"))
				if end < 0 {
					return errors.New("callback: unterminated CDATA section")
				}
				i += end + 2
			case bytes.HasPrefix(b[i:], []byte("<!--")):
				// The end is searched after the opening "<!--": in
				// "<!--->" the dashes of the opening do not close it.
				end := bytes.Index(b[i+4:], []byte("-->"))
				if end < 0 {
					return errors.New("callback: unterminated comment")
				}
				i += 4 + end + 2
			default:
				return errors.New("callback: DOCTYPE and entity declarations are not allowed in callbacks")
			}
		case '?':
		default:
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				return errors.New("callback: unterminated element")
			}
			if b[i+end-1] != '/' {
				depth++
			}
			if depth > MaxXMLDepth {
				return errors.New("callback: XML nested too deeply for a callback")
			}
			i += end
		}
	}
	return nil
}
