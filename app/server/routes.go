package server

import (
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"
)

//go:embed index.html
var indexHTML []byte

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	// Public: what a phone or Tencent reaches.
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /", s.handleRootFile)
	mux.HandleFunc("GET /healthz", s.handleHealthz)
	mux.HandleFunc("GET /api/jssdk/config", s.handleJSSDKConfig)
	mux.HandleFunc("GET /api/jssdk/agent-config", s.handleAgentConfig)
	mux.HandleFunc("POST /api/jssdk/config", s.handleJSSDKCheck)
	mux.HandleFunc("POST /api/jssdk/agent-config", s.handleJSSDKCheck)
	mux.HandleFunc("GET /api/oauth/start", s.handleOAuthStart)
	mux.HandleFunc("GET /api/oauth/callback", s.handleOAuthCallback)
	mux.HandleFunc("GET /api/session", s.handleSession)
	mux.HandleFunc("GET /callback", s.handleCallbackVerify)
	mux.HandleFunc("GET /callback/{profile}", s.handleCallbackVerify)
	mux.HandleFunc("POST /callback", s.handleCallback)
	mux.HandleFunc("POST /callback/{profile}", s.handleCallback)
	mux.HandleFunc("GET /suite/{suite}/callback", s.handleSuiteCallback)
	mux.HandleFunc("POST /suite/{suite}/callback", s.handleSuiteCallback)
	mux.HandleFunc("GET /suite/{suite}/data", s.handleSuiteData)
	mux.HandleFunc("POST /suite/{suite}/data", s.handleSuiteData)
	mux.HandleFunc("POST /api/media/fetch", s.pageAPI(s.handleMediaFetch))
	mux.HandleFunc("GET /media/{file}", s.handleMediaFile)
	mux.HandleFunc("POST /api/sim/jssdk/verify", s.handleSimVerify)
	mux.HandleFunc("POST /api/sim/media/upload", s.handleSimUpload)
	mux.HandleFunc("GET /api/sim/sidebar", s.pageAPI(s.handleSimSidebar))
	mux.HandleFunc("POST /api/customer", s.pageAPI(s.handleCustomer))
	mux.HandleFunc("POST /api/oauth/userdetail", s.pageAPI(s.handleUserDetail))
	mux.HandleFunc("POST /api/customer/group", s.pageAPI(s.handleCustomerGroup))
	// Admin: loopback or bearer token.
	mux.HandleFunc("GET /api/inbox", s.admin(s.handleInbox))
	mux.HandleFunc("GET /api/inbox/stream", s.admin(s.handleInboxStream))
	mux.HandleFunc("POST /api/inbox/flush", s.admin(s.handleInboxFlush)) // the attached desktop, before it reads inbox.db
	mux.HandleFunc("GET /api/media", s.admin(s.handleMediaList))
	mux.HandleFunc("GET /api/tokens", s.admin(s.handleTokens))
	mux.HandleFunc("POST /api/send", s.admin(s.handleSend))
	mux.HandleFunc("GET /api/calls", s.admin(s.handleCalls))
	mux.HandleFunc("GET /api/profiles", s.admin(s.handleProfiles))
	mux.HandleFunc("GET /api/server", s.admin(s.handleServerInfo))
	mux.HandleFunc("GET /api/suites", s.admin(s.handleSuites))
	return s.recoverer(s.hostGuard(mux))
}

// recoverer turns a panic in a handler into a 500 and a log line, so no input
// takes the server down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("server: handler panicked; please report it", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// handleIndex serves the H5 debug page built in frontend/ or, when none was
// built (a fresh clone before make frontend), the minimal embedded page.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	if s.serveH5(w, r, "index.html") {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	s.setPageCookie(w)
	_, _ = w.Write(indexHTML)
}

var verifyFileRE = regexp.MustCompile(`^/(WW|MP)_verify_[A-Za-z0-9]{1,64}\.txt$`)

// handleRootFile serves the domain verification files (WW_verify_….txt,
// MP_verify_….txt) at the root and the files of the built H5 page;
// everything else is 404.
func (s *Server) handleRootFile(w http.ResponseWriter, r *http.Request) {
	if verifyFileRE.MatchString(r.URL.Path) {
		name := r.URL.Path[1:]
		for _, p := range s.order {
			if c, ok := p.VerifyFiles[name]; ok {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				_, _ = w.Write([]byte(c))
				return
			}
		}
		s.log.Warn("server: verification file not configured; add it to the profile's verify files", "file", name)
		http.NotFound(w, r)
		return
	}
	if s.serveH5(w, r, r.URL.Path) {
		return
	}
	http.NotFound(w, r)
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	n, err := s.inbox.Count(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ok": false, "error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "inbox": n, "commits": s.inbox.Stats(), "profiles": len(s.order), "emulator": s.emu != nil,
		"instance": s.instance})
}

// profileFor returns the profile named by the {profile} path value or the
// ?profile= query, or the default one.
func (s *Server) profileFor(r *http.Request) (*profile, bool) {
	name := r.PathValue("profile")
	if name == "" {
		name = r.URL.Query().Get("profile")
	}
	if name == "" {
		if len(s.order) == 0 {
			return nil, false // a server of suites only
		}
		return s.order[0], true
	}
	p, ok := s.profiles[name]
	return p, ok
}

// admin guards an admin endpoint: loopback clients (not forwarded by a
// proxy or tunnel) or the bearer token, and no cross-site page: the client
// token header, JSON POSTs, a same-origin Origin / Sec-Fetch-Site.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.isAdmin(r) {
			writeJSON(w, http.StatusForbidden, map[string]any{"ok": false,
				"error": "server: the admin API answers loopback clients or Authorization: Bearer <admin token> (wwkit serve --admin-token)"})
			return
		}
		if s.sameSite(w, r, false) {
			h(w, r)
		}
	}
}

// pageAPI guards an endpoint the server's own H5 page calls from a phone:
// no loopback requirement, but the page cookie (or the client token) and no
// cross-site page.
func (s *Server) pageAPI(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.sameSite(w, r, true) {
			h(w, r)
		}
	}
}

func (s *Server) hasBearer(r *http.Request) bool {
	if s.cfg.AdminToken == "" {
		return false
	}
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(auth), []byte(s.cfg.AdminToken)) == 1
}

func (s *Server) isAdmin(r *http.Request) bool {
	if s.hasBearer(r) {
		return true
	}
	// A tunnel (ngrok, frp, cloudflared) connects from loopback; its
	// forwarding headers mark the request as coming from outside.
	for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"ok": false, "error": msg})
}
