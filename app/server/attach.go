package server

import (
	"net/http"
	"path/filepath"
)

// Info describes a running dev server to another process on the same
// machine that attaches to it (the desktop window opened from the tray):
// where it listens, where its emulator and inbox database are, and its
// profiles without secrets.
type Info struct {
	URL         string        `json:"url"`
	PublicURL   string        `json:"publicUrl"`
	EmulatorURL string        `json:"emulatorUrl,omitempty"` // "" when no emulator runs in-process
	InboxPath   string        `json:"inboxPath"`             // the SQLite inbox (WAL; other processes may read it)
	DataDir     string        `json:"dataDir"`
	ListenAddr  string        `json:"listenAddr"` // the listener's address (CheckQR)
	Instance    string        `json:"instance"`   // the nonce in /healthz (CheckQR)
	Profiles    []ProfileInfo `json:"profiles"`
}

// ProfileInfo is a served profile without its secrets.
type ProfileInfo struct {
	Name           string   `json:"name"`
	Platform       string   `json:"platform"`
	CorpID         string   `json:"corpId,omitempty"`
	AgentID        int64    `json:"agentId,omitempty"`
	AppID          string   `json:"appId,omitempty"`
	APIBaseURL     string   `json:"apiBaseUrl,omitempty"`
	AuthorizeURL   string   `json:"authorizeUrl,omitempty"`
	TrustedDomains []string `json:"trustedDomains"`
	Emulated       bool     `json:"emulated"`
}

// Info returns the server's description for attaching processes.
func (s *Server) Info() Info {
	in := Info{URL: s.url, PublicURL: s.cfg.PublicURL, DataDir: s.cfg.DataDir, InboxPath: filepath.Join(s.cfg.DataDir, "inbox.db"),
		ListenAddr: s.ln.Addr().String(), Instance: s.instance}
	if abs, err := filepath.Abs(in.InboxPath); err == nil {
		in.InboxPath = abs
	}
	if abs, err := filepath.Abs(in.DataDir); err == nil {
		in.DataDir = abs
	}
	if s.emu != nil {
		in.EmulatorURL = s.emu.URL
	}
	for _, p := range s.order {
		in.Profiles = append(in.Profiles, ProfileInfo{Name: p.Name, Platform: p.Platform, CorpID: p.CorpID, AgentID: p.AgentID, AppID: p.AppID,
			APIBaseURL: p.APIBaseURL, AuthorizeURL: p.AuthorizeURL, TrustedDomains: append([]string{}, p.TrustedDomains...), Emulated: p.Emulated})
	}
	return in
}

// handleServerInfo answers GET /api/server (admin): Info as JSON.
func (s *Server) handleServerInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "server": s.Info()})
}
