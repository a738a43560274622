package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/wwkit/wwkit/core/fsperm"
	"github.com/wwkit/wwkit/core/httpguard"
)

// ClientTokenHeader carries the server's per-process client token; the
// admin API and POST /api/media/fetch require it (or the page cookie, or the
// --admin-token bearer) so a web page in the developer's browser cannot call
// them.
const ClientTokenHeader = "X-Wwkit-Token"

// ClientTokenFile is the file in the data directory (0600) holding the
// client token while the server runs, for attaching processes.
const ClientTokenFile = "serve.token"

// pageCookie carries the page token the server's own H5 page receives; it
// lets that page call POST /api/media/fetch.
const pageCookie = "wwkit_page"

// ClientToken is the per-process secret the server's own clients (the
// desktop window, the tray's inspector, scripts on this machine) send in
// the X-Wwkit-Token header.
func (s *Server) ClientToken() string { return s.clientToken }

// ReadClientToken reads the client token a server running on dataDir wrote.
func ReadClientToken(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, ClientTokenFile))
	if err != nil {
		return "", fmt.Errorf("server: reading the client token: %w; is a wwkit server running on the data directory %s?", err, dataDir)
	}
	return strings.TrimSpace(string(b)), nil
}

func (s *Server) pageToken() string {
	m := hmac.New(sha256.New, s.cfg.SessionKey)
	m.Write([]byte("wwkit page token"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// buildHosts fills the Host allow-list: loopback, the listen address, the
// machine's addresses when listening on all interfaces, the public URL's
// host and Config.AllowedHosts.
func (s *Server) buildHosts() {
	ta, _ := s.ln.Addr().(*net.TCPAddr)
	if ta != nil && ta.IP != nil && !ta.IP.IsUnspecified() {
		s.hosts.Add(ta.IP.String())
	} else if ifs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range ifs {
			if n, ok := a.(*net.IPNet); ok {
				s.hosts.Add(n.IP.String())
			}
		}
	}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil {
		s.hosts.Add(u.Hostname())
	}
	for _, h := range s.cfg.AllowedHosts {
		s.hosts.Add(h)
	}
}

// hostGuard answers 421 to a request whose Host names no host this server
// serves: a page whose DNS name was rebound to 127.0.0.1 or a LAN address.
func (s *Server) hostGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.Allowed(r.Host) {
			s.log.Warn("server: request for a host this server does not serve refused (DNS rebinding guard)", "host", r.Host, "path", r.URL.Path)
			fail(w, http.StatusMisdirectedRequest, fmt.Sprintf("server: Host %q is not a name of this server (loopback, its LAN addresses, the public URL's host); "+
				"if you reach it under this name, pass wwkit serve --public-url or --allow-host %s", r.Host, httpguard.Hostname(r.Host)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hasClientToken reports whether r carries the client token header, the
// page cookie (when page is set) or the admin bearer token.
func (s *Server) hasClientToken(r *http.Request, page bool) bool {
	if t := r.Header.Get(ClientTokenHeader); t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.clientToken)) == 1 {
		return true
	}
	if page {
		if c, err := r.Cookie(pageCookie); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.pageToken())) == 1 {
			return true
		}
	}
	return s.hasBearer(r)
}

// sameSite refuses what a page of another site can send without a CORS
// preflight: a cross-site Origin or Sec-Fetch-Site (403), a POST not typed
// application/json (415), a request without the client token (403). It
// writes the answer and returns false when r is refused.
func (s *Server) sameSite(w http.ResponseWriter, r *http.Request, page bool) bool {
	if why := httpguard.CrossSite(r, s.cfg.PublicURL); why != "" {
		s.log.Warn("server: cross-site request refused", "path", r.URL.Path, "why", why)
		fail(w, http.StatusForbidden, "server: cross-site request refused ("+why+"); the dev server's API answers its own page and clients only")
		return false
	}
	if r.Method == http.MethodPost && !httpguard.IsJSONType(r.Header.Get("Content-Type")) {
		fail(w, http.StatusUnsupportedMediaType, "server: POSTs to the API must send Content-Type: application/json")
		return false
	}
	if !s.hasClientToken(r, page) {
		msg := "server: missing or wrong " + ClientTokenHeader + " header; send the token from " + filepath.Join(s.cfg.DataDir, ClientTokenFile) +
			" (or Authorization: Bearer <wwkit serve --admin-token>)"
		if page {
			msg += "; from the H5 page, reload it (the server restarted)"
		}
		fail(w, http.StatusForbidden, msg)
		return false
	}
	return true
}

// writeClientToken stores the client token for attaching processes.
func (s *Server) writeClientToken() error {
	p := filepath.Join(s.cfg.DataDir, ClientTokenFile)
	if err := writeFileAtomic(p, []byte(s.clientToken+"\n")); err != nil {
		return fmt.Errorf("server: writing the client token file %s: %w", p, err)
	}
	return fsperm.File(p)
}

// removeClientToken removes the token file when it still holds this
// server's token (another server may have started on the directory).
func (s *Server) removeClientToken() {
	if t, err := ReadClientToken(s.cfg.DataDir); err == nil && t == s.clientToken {
		_ = os.Remove(filepath.Join(s.cfg.DataDir, ClientTokenFile))
	}
}

// setPageCookie gives the server's own page the page token; SameSite=Strict
// keeps browsers from sending it with requests other sites start.
func (s *Server) setPageCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: pageCookie, Value: s.pageToken(), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// EmulatorLAN reports whether emulator profiles take callbacks from other
// machines (Config.EmulatorLAN).
func (s *Server) EmulatorLAN() bool { return s.cfg.EmulatorLAN }
