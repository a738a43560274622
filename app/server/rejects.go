package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// Where the server stopped a callback (Rejection.Kind).
const (
	RejectProfile   = "profile"   // no profile of that name in the path
	RejectPeer      = "peer"      // an emulator profile's callback from another machine
	RejectTooLarge  = "too-large" // body over 1 MiB
	RejectXML       = "xml"       // empty, unterminated, DOCTYPE/ENTITY or nested too deeply
	RejectParams    = "params"    // msg_signature, timestamp, nonce or echostr missing
	RejectEnvelope  = "envelope"  // no Encrypt element
	RejectClock     = "clock"     // timestamp not a number, or too far from now
	RejectSignature = "signature" // msg_signature or the MP signature does not verify
	RejectDecrypt   = "decrypt"   // signature fine, decryption or receiveid fails
	RejectMessage   = "message"   // decrypted, but not callback XML
)

// Verdicts the server gives without the doctor (Rejection.Verdict); the
// others are core/wxcrypt's Verdict… constants.
const (
	VerdictUnknownProfile = "unknown-profile" // the callback URL names no served profile
	VerdictLANPeer        = "lan-peer"        // emulator callbacks are taken from this machine only
	VerdictTooLarge       = "too-large"
	VerdictUnsafeXML      = "unsafe-xml"     // not a callback body: malformed, DOCTYPE, too deep
	VerdictMissingParams  = "missing-params" // the query lacks what the signature needs
	VerdictClock          = "clock"          // a replay, or this machine's clock is off
	VerdictNotMessage     = "not-a-message"  // decrypts, but the plaintext is no callback message
)

// rejectRing is how many rejections are kept per callback path.
const rejectRing = 50

// maxQueryField bounds each query value kept with a rejection: real ones
// are at most 40 characters (a SHA-1), anything longer is noise.
const maxQueryField = 64

// Rejection is a callback the server refused, as GET /api/inbox?view=rejected
// shows it. It keeps what the callback doctor needs to name the cause and
// what a person needs to find the request again, never the body: an
// undecryptable body is someone's ciphertext (or, in the MP plaintext mode,
// an unverified message), so only its size and SHA-256 are kept, and the
// echostr only by its size.
type Rejection struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Profile string    `json:"profile"` // "" when the path names no profile
	Path    string    `json:"path"`
	Method  string    `json:"method"` // GET (URL check) or POST (message)
	Peer    string    `json:"peer"`   // the sender's IP address
	Kind    string    `json:"kind"`   // where the server stopped (Reject…)
	Status  int       `json:"status"` // the HTTP status answered
	Reason  string    `json:"reason"` // what the server answered
	// Verdict is the doctor's one-word cause (wxcrypt.Verdict… or the
	// server's Verdict…); Detail explains it in English (the UIs translate
	// the verdict).
	Verdict string `json:"verdict"`
	Detail  string `json:"detail"`
	// DetailZh is the doctor's explanation in Chinese, "" when the server
	// decided without the doctor (the verdict alone is translated then).
	DetailZh string `json:"detailZh,omitempty"`
	// The query's values (truncated to 64 characters): signatures,
	// timestamp and nonce are no secrets.
	MsgSignature string `json:"msgSignature,omitempty"`
	Signature    string `json:"signature,omitempty"`
	Timestamp    string `json:"timestamp,omitempty"`
	Nonce        string `json:"nonce,omitempty"`
	EncryptType  string `json:"encryptType,omitempty"`
	EchoStrBytes int    `json:"echostrBytes,omitempty"`
	BodyBytes    int    `json:"bodyBytes"`
	BodySHA256   string `json:"bodySha256,omitempty"`
	// Doctor is the `wwkit crypt doctor` command line that replays the
	// check; the Token and EncodingAESKey come from the environment and
	// the body from the file the developer captured.
	Doctor string `json:"doctor,omitempty"`
}

// RejectedCounts counts rejections since the server started.
type RejectedCounts struct {
	Total     int64                       `json:"total"`
	ByProfile map[string]int64            `json:"byProfile"`
	ByVerdict map[string]int64            `json:"byVerdict"`
	ByKind    map[string]map[string]int64 `json:"byKind"` // profile → kind → count
}

// rejects keeps the last rejectRing rejections per callback path and the
// counts. It lives in memory: a restart starts from zero, and a flood of
// forged callbacks costs a bounded amount of memory, never disk.
type rejects struct {
	mu     sync.Mutex
	seq    int64
	rings  map[string][]Rejection // by profile ("" = unknown profile paths)
	counts RejectedCounts
}

func newRejects() *rejects {
	return &rejects{rings: map[string][]Rejection{}, counts: RejectedCounts{ByProfile: map[string]int64{}, ByVerdict: map[string]int64{}, ByKind: map[string]map[string]int64{}}}
}

func (rs *rejects) add(r Rejection) Rejection {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.seq++
	r.ID = rs.seq
	ring := append(rs.rings[r.Profile], r)
	if len(ring) > rejectRing {
		ring = append(ring[:0:0], ring[len(ring)-rejectRing:]...)
	}
	rs.rings[r.Profile] = ring
	rs.counts.Total++
	rs.counts.ByProfile[r.Profile]++
	rs.counts.ByVerdict[r.Verdict]++
	if rs.counts.ByKind[r.Profile] == nil {
		rs.counts.ByKind[r.Profile] = map[string]int64{}
	}
	rs.counts.ByKind[r.Profile][r.Kind]++
	return r
}

// list returns the kept rejections of profile ("" = all), newest first.
func (rs *rejects) list(profile string, all bool) []Rejection {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []Rejection
	for name, ring := range rs.rings {
		if all || name == profile {
			out = append(out, ring...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

func (rs *rejects) snapshot() RejectedCounts {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c := RejectedCounts{Total: rs.counts.Total, ByProfile: map[string]int64{}, ByVerdict: map[string]int64{}, ByKind: map[string]map[string]int64{}}
	for k, v := range rs.counts.ByProfile {
		c.ByProfile[k] = v
	}
	for k, v := range rs.counts.ByVerdict {
		c.ByVerdict[k] = v
	}
	for p, m := range rs.counts.ByKind {
		c.ByKind[p] = map[string]int64{}
		for k, v := range m {
			c.ByKind[p][k] = v
		}
	}
	return c
}

// Rejected returns the kept rejections (the last 50 per callback path) of
// profile, or of every path when profile is "", newest first, and the
// counts since the server started.
func (s *Server) Rejected(profile string) ([]Rejection, RejectedCounts) {
	return s.rejects.list(profile, profile == ""), s.rejects.snapshot()
}

// rejection is a refusal at one of the callback path's checks.
type rejection struct {
	kind    string
	status  int
	logMsg  string // the log line's message: what was refused and what to check
	answer  string // the HTTP answer
	verdict string // set when the server knows the cause without the doctor
	detail  string
	body    []byte // the POST body, for the doctor (never kept)
	err     error  // logged
}

// reject answers a refused callback, logs one line with the verdict and
// records it. p is nil when the path names no profile.
func (s *Server) reject(w http.ResponseWriter, r *http.Request, p *profile, rj rejection) {
	s.recordReject(r, p, rj)
	http.Error(w, rj.answer, rj.status)
}

// recordReject logs and records a refused callback without answering it
// (core/callback answers the refusals it finds).
func (s *Server) recordReject(r *http.Request, p *profile, rj rejection) {
	q := r.URL.Query()
	rec := Rejection{At: s.now(), Path: r.URL.Path, Method: r.Method, Kind: rj.kind, Status: rj.status, Reason: rj.answer,
		Verdict: rj.verdict, Detail: rj.detail,
		MsgSignature: clip(q.Get("msg_signature")), Signature: clip(q.Get("signature")), Timestamp: clip(q.Get("timestamp")),
		Nonce: clip(q.Get("nonce")), EncryptType: clip(q.Get("encrypt_type")), EchoStrBytes: len(q.Get("echostr")), BodyBytes: len(rj.body)}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		rec.Peer = host
	}
	if len(rj.body) > 0 {
		sum := sha256.Sum256(rj.body)
		rec.BodySHA256 = hex.EncodeToString(sum[:])
	}
	if p != nil {
		rec.Profile = p.Name
		if rec.Verdict == "" {
			rec.Verdict, rec.Detail, rec.DetailZh = s.diagnose(p, r, rj)
		}
		rec.Doctor = doctorCommand(p, rec)
	}
	if len(rec.Path) > 128 {
		rec.Path = rec.Path[:128]
	}
	rec = s.rejects.add(rec)
	args := []any{"profile", rec.Profile, "path", rec.Path, "kind", rec.Kind, "verdict", rec.Verdict, "why", rec.Detail, "status", rec.Status}
	if rj.err != nil {
		args = append(args, "err", rj.err)
	}
	if rec.Doctor != "" {
		args = append(args, "doctor", rec.Doctor)
	}
	s.log.Warn(rj.logMsg, args...)
}

// diagnose runs the callback doctor on a refused request with the
// profile's configuration: the one-word verdict and its explanation, with
// the Token and EncodingAESKey masked out should a detail ever contain them.
func (s *Server) diagnose(p *profile, r *http.Request, rj rejection) (verdict, detail, detailZh string) {
	q := r.URL.Query()
	req := wxcrypt.Request{MsgSignature: q.Get("msg_signature"), Timestamp: q.Get("timestamp"), Nonce: q.Get("nonce"),
		EchoStr: q.Get("echostr"), Signature: q.Get("signature"), Body: rj.body}
	if rj.kind == RejectSignature && req.MsgSignature == "" && req.Signature != "" {
		// MP plaintext mode: the body is the message, not an envelope;
		// the 3-item signature is all there is to check.
		req.Body = nil
	}
	rep := wxcrypt.Diagnose(req, wxcrypt.Config{Token: p.Token, EncodingAESKey: p.EncodingAESKey, ReceiveID: p.appID(), Now: s.now(), MaxSkew: s.cfg.MaxSkew})
	verdict, detail, detailZh = rep.Verdict, rep.Cause, rep.CauseZh
	switch {
	case rj.kind == RejectClock:
		verdict, detail, detailZh = VerdictClock, rj.detail, ""
		if rep.Cause != "" {
			detail += "; the doctor also finds: " + rep.Cause
		}
	case rj.kind == RejectMessage:
		verdict, detail, detailZh = VerdictNotMessage, rj.detail, ""
	case verdict == "" && rj.kind == RejectSignature:
		// The doctor repairs nothing here yet the server refused: report
		// the server's own check.
		verdict, detail, detailZh = wxcrypt.VerdictToken, rj.answer, ""
	case verdict == "":
		verdict, detail, detailZh = rj.kind, rj.answer, ""
	case rep.Repaired != "" && rep.Cause == "":
		for _, st := range rep.Steps {
			if st.Name == "signature" {
				detail, detailZh = st.Detail, st.DetailZh
			}
		}
	}
	mask := func(s string) string { return maskSecret(maskSecret(s, p.Token), p.EncodingAESKey) }
	return verdict, mask(detail), mask(detailZh)
}

func maskSecret(s, secret string) string {
	if len(secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, secret, "***")
}

func clip(v string) string {
	if len(v) > maxQueryField {
		return v[:maxQueryField] + "…"
	}
	return v
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9._:/=+@%,-]+$`)

// shellQuote quotes v for a POSIX shell: the values come from the request,
// so a copied command must not run anything they contain.
func shellQuote(v string) string {
	if shellSafe.MatchString(v) {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// doctorCommand is the `wwkit crypt doctor` command line that replays the
// refused request: the profile's secrets come from the same environment
// variables `wwkit serve` reads, the body from the file the developer
// saved (the server keeps none).
func doctorCommand(p *profile, r Rejection) string {
	tokenVar, keyVar := "WWKIT_CALLBACK_TOKEN", "WWKIT_ENCODING_AES_KEY"
	if p.Platform == PlatformMP {
		tokenVar, keyVar = "WWKIT_MP_CALLBACK_TOKEN", "WWKIT_MP_ENCODING_AES_KEY"
	}
	parts := []string{"wwkit crypt doctor", `--token "$` + tokenVar + `"`, `--aes-key "$` + keyVar + `"`, "--receive-id " + shellQuote(p.appID())}
	add := func(flag, v string) {
		if v != "" {
			parts = append(parts, flag+" "+shellQuote(v))
		}
	}
	add("--msg-signature", r.MsgSignature)
	add("--signature", r.Signature)
	add("--timestamp", r.Timestamp)
	add("--nonce", r.Nonce)
	if r.Method == http.MethodGet && r.EchoStrBytes > 0 {
		parts = append(parts, "--echostr 'ECHOSTR_FROM_THE_REQUEST'")
	}
	if r.BodyBytes > 0 {
		parts = append(parts, "--body callback.xml")
	}
	// The clock of the refusal, so a stale timestamp is judged the same.
	parts = append(parts, "--now "+strconv.FormatInt(r.At.Unix(), 10))
	return strings.Join(parts, " ")
}
