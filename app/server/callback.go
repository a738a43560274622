package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/message"
)

// callbackHandler builds the profile's callback handler on core/callback,
// the one pipeline of wwkit's callbacks: URL check, bounded and
// shape-checked body, clock, signature before decryption, strict decrypt,
// typed message, de-duplication and the passive reply. The dev server adds
// the profile's reply rule, the durable inbox as the de-duplication store
// (a retry is answered with the first reply, and only the first is
// published to the live views) and the record of refused callbacks.
func (s *Server) callbackHandler(p *profile) *callback.Handler {
	reply := func(_ context.Context, m *message.Message) ([]byte, error) { return s.passiveReply(p, m), nil }
	opts := []callback.Option{
		callback.WithStore(&inboxStore{s: s, p: p}),
		callback.WithMaxSkew(s.cfg.MaxSkew),
		callback.WithClock(s.now),
		callback.WithLogger(s.log),
		callback.WithKey(func(m *message.Message, plain []byte) string { return dedupKey(p.Name, m, plain) }),
		callback.WithOnReject(func(r *http.Request, body []byte, e *callback.Error) { s.recordReject(r, p, rejectionOf(r, body, e)) }),
	}
	if p.Platform == PlatformMP {
		return callback.NewMP(p.crypt, reply, opts...)
	}
	return callback.NewWeCom(p.crypt, reply, opts...)
}

// rejectionOf describes a refusal of core/callback for the record: the
// stage, the verdict when the stage alone tells it (else the doctor runs),
// and the log line.
func rejectionOf(r *http.Request, body []byte, e *callback.Error) rejection {
	rj := rejection{kind: e.Kind, status: e.Status, answer: e.Error(), detail: e.Detail, body: body, err: e.Err}
	verify := r.Method == http.MethodGet
	switch e.Kind {
	case callback.KindTooLarge:
		rj.verdict, rj.logMsg = VerdictTooLarge, "server: callback body over 1 MiB rejected"
	case callback.KindXML:
		rj.verdict, rj.logMsg = VerdictUnsafeXML, "server: malformed callback body rejected"
	case callback.KindParams:
		rj.verdict, rj.logMsg = VerdictMissingParams, "server: callback without msg_signature, timestamp or nonce rejected"
		if verify {
			rj.logMsg = "server: callback URL check without timestamp, nonce or echostr, or with an implausible echostr, rejected"
		}
	case callback.KindEnvelope:
		rj.logMsg = "server: callback envelope rejected"
	case callback.KindClock:
		rj.logMsg = "server: callback timestamp too far from now; rejected as a replay (check this machine's clock)"
		if e.Status == http.StatusBadRequest {
			rj.logMsg = "server: callback timestamp is not a number"
		}
	case callback.KindSignature:
		rj.logMsg = "server: callback with a wrong signature rejected before decryption; check the Token"
	case callback.KindDecrypt:
		rj.logMsg = "server: callback does not decrypt; check the EncodingAESKey and the receiveid"
		if verify {
			rj.logMsg = "server: callback URL check failed"
		}
	case callback.KindMessage:
		rj.verdict, rj.logMsg = VerdictNotMessage, "server: callback message does not parse"
	default:
		rj.logMsg = "server: callback rejected"
	}
	if verify {
		rj.body = nil
	}
	return rj
}

// handleCallbackVerify answers the URL verification GET (验证URL有效性)
// through the profile's core/callback handler.
func (s *Server) handleCallbackVerify(w http.ResponseWriter, r *http.Request) {
	s.handleCallback(w, r)
}

// handleCallback routes a callback to its profile's handler, after the
// emulator-peer rule.
func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		s.rejectUnknownProfile(w, r)
		return
	}
	if !s.emulatorPeerOK(w, r, p) {
		return
	}
	p.cb.ServeHTTP(w, r)
}

// inboxStore is the durable inbox as the de-duplication store of
// core/callback: Put keeps the first record of a key and returns it, so a
// retry is answered with the first reply. The inbox has no lookup by key,
// so every delivery reaches Save; the reply rule is pure, so computing it
// again for a retry changes nothing.
type inboxStore struct {
	s *Server
	p *profile
}

func (st *inboxStore) Lookup(context.Context, string) ([]byte, bool, error) { return nil, false, nil }

func (st *inboxStore) Save(ctx context.Context, e callback.Entry) ([]byte, error) {
	s, p, msg := st.s, st.p, e.Message
	rec := inbox.Record{
		Key: e.Key, Profile: p.Name, Platform: p.Platform, ReceivedAt: e.ReceivedAt,
		MsgType: msg.MsgType, Event: msg.Event, From: msg.FromUserName, To: msg.ToUserName,
		MsgID: msg.MsgIDText, AgentID: msg.AgentID, CreateTime: msg.CreateTime, XML: string(e.Plain),
		Reply: string(e.Reply),
	}
	stored, dup, err := s.inbox.Put(ctx, rec)
	if err != nil {
		// Not acknowledged: Tencent retries, nothing is lost.
		s.log.Error("server: storing the callback failed; it was not acknowledged", "profile", p.Name, "err", err)
		return nil, err
	}
	if dup {
		s.log.Info("server: duplicate callback (retry) answered like the first", "profile", p.Name, "key", stored.Key, "deliveries", stored.Deliveries)
	} else if s.log.Enabled(ctx, slog.LevelDebug) {
		// The live views got it from the inbox's journal writer.
		s.log.Debug("server: callback stored", "profile", p.Name, "id", stored.ID, "msgType", stored.MsgType, "event", stored.Event)
	}
	if stored.Reply == "" {
		return nil, nil
	}
	return []byte(stored.Reply), nil
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

// dedupKey is callback.Key with the profile: the same MsgId (or event) in
// two profiles is two records.
func dedupKey(profile string, m *message.Message, plain []byte) string {
	k := callback.Key(m, plain) // "msg:…" or "evt:…"
	return k[:4] + profile + ":" + k[4:]
}

// passiveReply applies the profile's reply rule; nil means no reply.
func (s *Server) passiveReply(p *profile, m *message.Message) []byte {
	return p.reply.build(m, s.now().Unix())
}

// emulatorPeerOK refuses callbacks for an emulated profile from a peer that
// is not this machine unless Config.EmulatorLAN is set: the emulator's
// credentials are public, so anyone on the LAN could forge signed callbacks.
func (s *Server) emulatorPeerOK(w http.ResponseWriter, r *http.Request, p *profile) bool {
	if !p.Emulated || s.cfg.EmulatorLAN || loopbackPeer(r) {
		return true
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	s.reject(w, r, p, rejection{kind: RejectPeer, status: http.StatusForbidden, verdict: VerdictLANPeer,
		logMsg: "server: emulator-mode callback from another machine refused",
		answer: "server: emulator profiles take callbacks from this machine only (their credentials are public); pass wwkit serve --emulator-lan to accept them from the LAN",
		detail: "emulator profiles take callbacks from this machine only; pass wwkit serve --emulator-lan to take them from " + host})
	return false
}

// loopbackPeer reports whether the request comes from this machine.
func loopbackPeer(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}
