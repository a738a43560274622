package desktop

import (
	"fmt"

	"github.com/wwkit/wwkit/core/token"
)

// ProfileService lists the profiles (WeCom apps and Official Accounts) and
// switches the active one. Secrets are masked; Reveal shows one in clear.
type ProfileService struct{ app *App }

// ProfileDTO is a profile as the window shows it, secrets masked.
type ProfileDTO struct {
	Name           string   `json:"name"`
	Platform       string   `json:"platform"` // wecom or mp
	Active         bool     `json:"active"`
	Emulated       bool     `json:"emulated"`
	CorpID         string   `json:"corpId,omitempty"`
	AgentID        int64    `json:"agentId,omitempty"`
	AppID          string   `json:"appId,omitempty"`
	Secret         string   `json:"secret"`         // masked
	Token          string   `json:"token"`          // callback Token, masked
	EncodingAESKey string   `json:"encodingAESKey"` // masked
	APIBaseURL     string   `json:"apiBaseUrl"`
	CallbackURL    string   `json:"callbackUrl"` // where this profile's callbacks are received
	TrustedDomains []string `json:"trustedDomains"`
}

// Secret field names accepted by Reveal.
const (
	FieldSecret         = "secret"
	FieldToken          = "token"
	FieldEncodingAESKey = "encodingAESKey"
)

// List returns every profile, the active one marked.
func (s *ProfileService) List() ([]ProfileDTO, error) {
	srv, err := s.app.server()
	if err != nil {
		return nil, err
	}
	base := srv.URL()
	a := s.app
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]ProfileDTO, 0, len(a.profiles))
	for _, p := range a.profiles {
		cb := base + "/callback/" + p.Name
		out = append(out, ProfileDTO{
			Name: p.Name, Platform: p.Platform, Active: p.Name == a.active, Emulated: p.Emulated,
			CorpID: p.CorpID, AgentID: p.AgentID, AppID: p.AppID,
			Secret: token.Mask(p.Secret), Token: token.Mask(p.Token), EncodingAESKey: token.Mask(p.EncodingAESKey),
			APIBaseURL: p.APIBaseURL, CallbackURL: cb, TrustedDomains: append([]string(nil), p.TrustedDomains...),
		})
	}
	return out, nil
}

// Active returns the active profile.
func (s *ProfileService) Active() (ProfileDTO, error) {
	list, err := s.List()
	if err != nil {
		return ProfileDTO{}, err
	}
	for _, p := range list {
		if p.Active {
			return p, nil
		}
	}
	return ProfileDTO{}, fmt.Errorf("desktop: no active profile; switch to one of the %d profiles", len(list))
}

// Switch makes name the active profile and returns it.
func (s *ProfileService) Switch(name string) (ProfileDTO, error) {
	if _, _, err := s.app.profile(name); err != nil {
		return ProfileDTO{}, err
	}
	s.app.mu.Lock()
	s.app.active = name
	hook := s.app.onSwitch
	s.app.mu.Unlock()
	if hook != nil {
		hook(name)
	}
	return s.Active()
}

// Reveal returns one secret of a profile in clear: field is "secret",
// "token" or "encodingAESKey". It is the only method that returns a secret;
// the window calls it on an explicit click.
func (s *ProfileService) Reveal(name, field string) (string, error) {
	p, _, err := s.app.profile(name)
	if err != nil {
		return "", err
	}
	switch field {
	case FieldSecret:
		return p.Secret, nil
	case FieldToken:
		return p.Token, nil
	case FieldEncodingAESKey:
		return p.EncodingAESKey, nil
	}
	return "", fmt.Errorf("desktop: unknown secret field %q; use %s, %s or %s", field, FieldSecret, FieldToken, FieldEncodingAESKey)
}
