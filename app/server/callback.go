package server

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// maxXMLDepth bounds element nesting in a callback body; real envelopes and
// messages nest at most 4 levels.
const maxXMLDepth = 16

// handleCallbackVerify answers the URL verification GET (验证URL有效性):
// WeCom sends an encrypted echostr signed with msg_signature, whose plaintext
// is the answer; an Official Account sends a plain echostr with the 3-item
// signature, echoed back unchanged.
func (s *Server) handleCallbackVerify(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		s.rejectUnknownProfile(w, r)
		return
	}
	if !s.emulatorPeerOK(w, r, p) {
		return
	}
	q := r.URL.Query()
	ts, nonce, echo := q.Get("timestamp"), q.Get("nonce"), q.Get("echostr")
	if echo == "" || ts == "" || nonce == "" {
		s.reject(w, r, p, rejection{kind: RejectParams, status: http.StatusBadRequest, verdict: VerdictMissingParams,
			logMsg: "server: callback URL check without timestamp, nonce or echostr rejected", answer: "server: a callback URL check needs timestamp, nonce and echostr",
			detail: "the URL check lacks " + missing(q, "timestamp", "nonce", "echostr") + ": pass the query unchanged"})
		return
	}
	// The same window as POST: a URL check is answered live, never replayed.
	if rj := s.checkClock(ts); rj != nil {
		s.reject(w, r, p, *rj)
		return
	}
	if p.Platform == PlatformMP && q.Get("msg_signature") == "" {
		if !s.checkPlainSignature(p, q.Get("signature"), ts, nonce) {
			s.reject(w, r, p, rejection{kind: RejectSignature, status: http.StatusForbidden,
				logMsg: "server: callback URL check with a wrong signature; check the Token", answer: "server: signature does not match; check the Token"})
			return
		}
		if err := wxcrypt.PlausibleEchostr([]byte(echo)); err != nil {
			s.reject(w, r, p, rejection{kind: RejectParams, status: http.StatusBadRequest, verdict: VerdictMissingParams,
				logMsg: "server: callback URL check with an implausible echostr rejected", answer: err.Error(), detail: err.Error()})
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, echo)
		return
	}
	msg, err := p.crypt.VerifyURL(q.Get("msg_signature"), ts, nonce, echo)
	if err != nil {
		status, kind := http.StatusBadRequest, RejectDecrypt
		if errors.Is(err, wxcrypt.ErrValidateSignature) || errors.Is(err, wxcrypt.ErrNotEchostr) {
			status = http.StatusForbidden
		}
		if errors.Is(err, wxcrypt.ErrValidateSignature) {
			kind = RejectSignature
		}
		s.reject(w, r, p, rejection{kind: kind, status: status, logMsg: "server: callback URL check failed", answer: err.Error(), err: err})
		return
	}
	s.log.Info("server: callback URL verified", "profile", p.Name)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(msg)
}

// handleCallback receives a message or event: bound the body, reject XML
// bombs, check the clock, verify the signature before anything is decrypted,
// decrypt, parse, store durably (once per MsgId or event key), and only then
// answer with the passive reply.
func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		s.rejectUnknownProfile(w, r)
		return
	}
	if !s.emulatorPeerOK(w, r, p) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCallbackBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.reject(w, r, p, rejection{kind: RejectTooLarge, status: http.StatusRequestEntityTooLarge, verdict: VerdictTooLarge,
				logMsg: "server: callback body over 1 MiB rejected", answer: "server: callback body larger than 1 MiB",
				detail: "the body is over 1 MiB; WeCom and Official Account callbacks are a few KiB"})
			return
		}
		http.Error(w, "server: reading the body failed", http.StatusBadRequest)
		return
	}
	if err := checkXMLShape(body); err != nil {
		s.reject(w, r, p, rejection{kind: RejectXML, status: http.StatusBadRequest, verdict: VerdictUnsafeXML, body: body,
			logMsg: "server: malformed callback body rejected", answer: err.Error(), detail: err.Error()})
		return
	}
	q := r.URL.Query()
	ts, nonce := q.Get("timestamp"), q.Get("nonce")
	encrypted := p.Platform == PlatformWeCom || q.Get("encrypt_type") == "aes"
	var plain []byte
	if encrypted {
		msgSig := q.Get("msg_signature")
		if msgSig == "" || ts == "" || nonce == "" {
			detail := "the query lacks " + missing(q, "msg_signature", "timestamp", "nonce")
			if msgSig == "" && q.Get("signature") != "" {
				detail += "; only the MP plain signature is there: the account sends in plaintext mode (明文模式) while this profile expects the encrypted mode"
			}
			s.reject(w, r, p, rejection{kind: RejectParams, status: http.StatusBadRequest, verdict: VerdictMissingParams, body: body,
				logMsg: "server: callback without msg_signature, timestamp or nonce rejected", answer: "server: a callback needs msg_signature, timestamp and nonce", detail: detail})
			return
		}
		env, err := wxcrypt.ParseEnvelope(body)
		if err != nil {
			s.reject(w, r, p, rejection{kind: RejectEnvelope, status: http.StatusBadRequest, body: body,
				logMsg: "server: callback envelope rejected", answer: err.Error(), err: err})
			return
		}
		if rj := s.checkClock(ts); rj != nil {
			rj.body = body
			s.reject(w, r, p, *rj)
			return
		}
		// Decrypt checks msg_signature before it decrypts anything.
		plain, err = p.crypt.Decrypt(msgSig, ts, nonce, env.Encrypt)
		if errors.Is(err, wxcrypt.ErrValidateSignature) {
			s.reject(w, r, p, rejection{kind: RejectSignature, status: http.StatusForbidden, body: body,
				logMsg: "server: callback with a wrong msg_signature rejected before decryption; check the Token", answer: "server: msg_signature does not match; check the Token"})
			return
		}
		if err != nil {
			s.reject(w, r, p, rejection{kind: RejectDecrypt, status: http.StatusBadRequest, body: body,
				logMsg: "server: callback does not decrypt; check the EncodingAESKey and the receiveid", answer: err.Error(), err: err})
			return
		}
	} else {
		if rj := s.checkClock(ts); rj != nil {
			rj.body = body
			s.reject(w, r, p, *rj)
			return
		}
		if !s.checkPlainSignature(p, q.Get("signature"), ts, nonce) {
			s.reject(w, r, p, rejection{kind: RejectSignature, status: http.StatusForbidden, body: body,
				logMsg: "server: plain-mode callback with a wrong signature rejected; check the Token", answer: "server: signature does not match; check the Token"})
			return
		}
		plain = body
	}
	msg, err := message.Parse(plain)
	if err != nil {
		s.reject(w, r, p, rejection{kind: RejectMessage, status: http.StatusBadRequest, body: body,
			logMsg: "server: callback message does not parse", answer: "server: the message is not valid callback XML", err: err,
			detail: "signature and decryption are fine, but the plaintext is no callback message (" + err.Error() + ")"})
		return
	}
	rec := inbox.Record{
		Key: dedupKey(p.Name, msg, plain), Profile: p.Name, Platform: p.Platform, ReceivedAt: s.now(),
		MsgType: msg.MsgType, Event: msg.Event, From: msg.FromUserName, To: msg.ToUserName,
		MsgID: msg.MsgIDText, AgentID: msg.AgentID, CreateTime: msg.CreateTime, XML: string(plain),
		Reply: string(s.passiveReply(p, msg)),
	}
	stored, dup, err := s.inbox.Put(r.Context(), rec)
	if err != nil {
		// Not acknowledged: Tencent retries, nothing is lost.
		s.log.Error("server: storing the callback failed; it was not acknowledged", "profile", p.Name, "err", err)
		http.Error(w, "server: storing the callback failed", http.StatusInternalServerError)
		return
	}
	if dup {
		s.log.Info("server: duplicate callback (retry) answered like the first", "profile", p.Name, "key", stored.Key, "deliveries", stored.Deliveries)
	} else {
		if s.log.Enabled(r.Context(), slog.LevelDebug) {
			s.log.Debug("server: callback stored", "profile", p.Name, "id", stored.ID, "msgType", stored.MsgType, "event", stored.Event)
		}
		// Handled asynchronously after the durable write: live views.
		s.hub.publish(stored)
	}
	if stored.Reply == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	out := []byte(stored.Reply)
	if encrypted {
		out, err = p.crypt.EncryptReply(out, ts, nonce)
		if err != nil {
			s.log.Error("server: encrypting the passive reply failed; answered with no reply", "profile", p.Name, "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	_, _ = w.Write(out)
}

// checkClock rejects a timestamp far from now (a replay, or a broken
// clock); nil when ts is fine.
func (s *Server) checkClock(ts string) *rejection {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return &rejection{kind: RejectClock, status: http.StatusBadRequest, logMsg: "server: callback timestamp is not a number",
			answer: "server: timestamp must be Unix seconds", detail: "timestamp " + strconv.Quote(clip(ts)) + " is not Unix seconds; pass the query value unchanged"}
	}
	skew := s.now().Sub(time.Unix(sec, 0))
	if skew > s.cfg.MaxSkew || skew < -s.cfg.MaxSkew {
		return &rejection{kind: RejectClock, status: http.StatusForbidden,
			logMsg: "server: callback timestamp too far from now; rejected as a replay (check this machine's clock)",
			answer: "server: timestamp too far from now; check the clock",
			detail: "timestamp is " + skew.Round(time.Second).String() + " away from now (at most " + s.cfg.MaxSkew.String() + "): a replayed request, or this machine's clock is off"}
	}
	return nil
}

// missing lists the query keys without a value.
func missing(q url.Values, keys ...string) string {
	var out []string
	for _, k := range keys {
		if q.Get(k) == "" {
			out = append(out, k)
		}
	}
	return strings.Join(out, ", ")
}

// rejectUnknownProfile refuses a callback to a path naming no profile. The
// name is kept only in the path (clipped): there is no configuration to
// diagnose it against.
func (s *Server) rejectUnknownProfile(w http.ResponseWriter, r *http.Request) {
	names := make([]string, len(s.order))
	for i, p := range s.order {
		names[i] = p.Name
	}
	s.reject(w, r, nil, rejection{kind: RejectProfile, status: http.StatusNotFound, verdict: VerdictUnknownProfile,
		logMsg: "server: callback for an unknown profile rejected; check the callback URL", answer: "server: unknown profile; see GET /api/profiles",
		detail: "the callback URL names no profile this server serves (" + strings.Join(names, ", ") + "); set the URL to /callback/NAME"})
}

// checkPlainSignature verifies the Official Account signature
// sha1(sort(token, timestamp, nonce)).
func (s *Server) checkPlainSignature(p *profile, sig, ts, nonce string) bool {
	parts := []string{p.Token, ts, nonce}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	want := hex.EncodeToString(sum[:])
	return sig != "" && subtle.ConstantTimeCompare([]byte(want), []byte(sig)) == 1
}

// dedupKey identifies a callback across retries without ever merging two
// different messages. Tencent retries with the same plaintext, so:
//
//   - a message with a usable MsgId (decimal digits, not all zeros) is keyed
//     on the MsgId text exactly as sent: no integer parse, which would clamp
//     2^63 and 2^64-1 to one value;
//   - anything else (events, and a MsgId that is empty, 0, hex, negative or
//     padded) is keyed on FromUserName, CreateTime, MsgType, Event, EventKey
//     and the SHA-256 of the decrypted plaintext: a retry repeats all of
//     them, two different messages from one user in one second do not.
func dedupKey(profile string, m *message.Message, plain []byte) string {
	if usableMsgID(m.MsgIDText) {
		return "msg:" + profile + ":" + m.MsgIDText
	}
	sum := sha256.Sum256(plain)
	return "evt:" + profile + ":" + m.FromUserName + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.MsgType + ":" + m.Event + ":" + m.EventKey +
		":" + hex.EncodeToString(sum[:16])
}

// usableMsgID reports whether id can identify a message alone: 1 to 64
// ASCII digits, not all zeros (Tencent's MsgIds are 19-20 digits).
func usableMsgID(id string) bool {
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

// passiveReply applies the profile's reply rule; nil means no reply.
func (s *Server) passiveReply(p *profile, m *message.Message) []byte {
	return p.reply.build(m, s.now().Unix())
}

// checkXMLShape rejects what no callback contains before any parser sees it:
// DOCTYPE and entity declarations (billion laughs), and nesting deeper than
// maxXMLDepth.
func checkXMLShape(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("server: empty callback body")
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
					return errors.New("server: unterminated CDATA section")
				}
				i += end + 2
			case bytes.HasPrefix(b[i:], []byte("<!--")):
				end := bytes.Index(b[i:], []byte("-->"))
				if end < 0 {
					return errors.New("server: unterminated comment")
				}
				i += end + 2
			default:
				return errors.New("server: DOCTYPE and entity declarations are not allowed in callbacks")
			}
		case '?':
		default:
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				return errors.New("server: unterminated element")
			}
			if b[i+end-1] != '/' {
				depth++
			}
			if depth > maxXMLDepth {
				return errors.New("server: XML nested too deeply for a callback")
			}
			i += end
		}
	}
	return nil
}

// emulatorPeerOK refuses callbacks for an emulated profile from a peer that
// is not this machine unless Config.EmulatorLAN is set: the emulator's
// credentials are public, so anyone on the LAN could forge signed callbacks.
func (s *Server) emulatorPeerOK(w http.ResponseWriter, r *http.Request, p *profile) bool {
	if !p.Emulated || s.cfg.EmulatorLAN {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err == nil && ip != nil && ip.IsLoopback() {
		return true
	}
	s.reject(w, r, p, rejection{kind: RejectPeer, status: http.StatusForbidden, verdict: VerdictLANPeer,
		logMsg: "server: emulator-mode callback from another machine refused",
		answer: "server: emulator profiles take callbacks from this machine only (their credentials are public); pass wwkit serve --emulator-lan to accept them from the LAN",
		detail: "emulator profiles take callbacks from this machine only; pass wwkit serve --emulator-lan to take them from " + host})
	return false
}
