package desktop

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/token"
)

// ProfileService lists the profiles (WeCom apps and Official Accounts),
// switches the active one, and adds, changes, deletes, imports and exports
// the profiles created in the app. Secrets are masked; Reveal shows one in
// clear.
type ProfileService struct {
	app     *App
	secrets secretCache // where app-created profiles keep their secrets
}

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
	AuthorizeURL   string   `json:"authorizeUrl,omitempty"`
	CallbackURL    string   `json:"callbackUrl"` // where this profile's callbacks are received
	TrustedDomains []string `json:"trustedDomains"`
	// Source is where the profile comes from: emulator, config, wwkit.toml
	// (read-only here: edit the file) or app (created in the app).
	Source string `json:"source"`
	// Editable is true for profiles created in the app (Update, Delete).
	Editable bool `json:"editable"`
	// SecretStore is where its secrets are kept: keyring (the OS keyring),
	// file (secrets.json, 0600, where there is no keyring), wwkit.toml, env,
	// emulator or config; "" when it has none yet.
	SecretStore string `json:"secretStore"`
	// TokenStore caches its tokens: memory, file or redis.
	TokenStore string `json:"tokenStore"`
	// CallbackReady is false when the dev server cannot receive its
	// callbacks (no callback Token or EncodingAESKey yet).
	CallbackReady bool `json:"callbackReady"`
	// Served is true when the dev server serves it (callbacks, signatures);
	// a window attached to the tray lists profiles created since the tray
	// started, but the tray serves them only after its restart.
	Served bool `json:"served"`
	// Problems say why it cannot be used fully, as codes the window
	// renders in its language (like a failed call's error).
	Problems []ErrorDTO `json:"problems,omitempty"`
}

// ProfileInput is a profile to create or change. Secret, Token and
// EncodingAESKey go to the OS keyring (or the 0600 file); on Update an
// empty one keeps the stored value.
type ProfileInput struct {
	Name           string   `json:"name"`
	Platform       string   `json:"platform"` // wecom or mp
	CorpID         string   `json:"corpId"`
	AgentID        int64    `json:"agentId"`
	AppID          string   `json:"appId"`
	Secret         string   `json:"secret"`
	Token          string   `json:"token"`
	EncodingAESKey string   `json:"encodingAESKey"`
	APIBaseURL     string   `json:"apiBaseUrl"`   // "" = Tencent's host
	AuthorizeURL   string   `json:"authorizeUrl"` // "" = Tencent's OAuth page
	TrustedDomains []string `json:"trustedDomains"`
	Store          string   `json:"store"` // token cache: memory (default), file, file:PATH, redis://…
	Reply          string   `json:"reply"` // passive reply rule: none (default), echo, text:…
}

// ImportDTO is the outcome of an Import.
type ImportDTO struct {
	Imported []string `json:"imported"` // names added
	// NeedSecrets lists the imported profiles that need their secrets
	// entered (exports carry none).
	NeedSecrets []string `json:"needSecrets"`
}

// Export formats.
const (
	FormatJSON = "json"
	FormatTOML = "toml"
)

// Secret field names accepted by Reveal.
const (
	FieldSecret         = "secret"
	FieldToken          = "token"
	FieldEncodingAESKey = "encodingAESKey"
)

// List returns every profile, the active one marked.
func (s *ProfileService) List() ([]ProfileDTO, error) {
	l, err := s.app.current()
	if err != nil {
		return nil, err
	}
	active := s.app.ActiveProfile()
	served := map[string]bool{}
	if l.srv != nil {
		for _, p := range l.srv.Profiles() {
			served[p.Name] = true
		}
	} else {
		for _, n := range l.served {
			served[n] = true
		}
	}
	out := make([]ProfileDTO, 0, len(l.profiles))
	for _, e := range l.profiles {
		p := e.Profile
		d := ProfileDTO{
			Name: p.Name, Platform: p.Platform, Active: p.Name == active, Emulated: p.Emulated,
			CorpID: p.CorpID, AgentID: p.AgentID, AppID: p.AppID,
			Secret: token.Mask(p.Secret), Token: token.Mask(p.Token), EncodingAESKey: token.Mask(p.EncodingAESKey),
			APIBaseURL: p.APIBaseURL, AuthorizeURL: p.AuthorizeURL, CallbackURL: l.publicURL + "/callback/" + p.Name,
			TrustedDomains: append([]string{}, p.TrustedDomains...),
			Source:         e.Source, Editable: e.Source == SourceApp, SecretStore: e.SecretStore,
			CallbackReady: e.callbackReady(), Served: served[p.Name],
		}
		for _, pr := range e.Problems {
			d.Problems = append(d.Problems, FormatError(pr).(ErrorDTO))
		}
		if c := l.clients[p.Name]; c != nil {
			d.TokenStore = c.store
		}
		out = append(out, d)
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
	return ProfileDTO{}, fail("profile.noActive", "n", len(list))
}

// Switch makes name the active profile and returns it. Switching to a real
// corp is this call: its profile says where the API is and which
// credentials to use.
func (s *ProfileService) Switch(name string) (ProfileDTO, error) {
	if _, _, err := s.app.entry(name); err != nil {
		return ProfileDTO{}, err
	}
	// The active profile belongs to the session in use; when a reload
	// replaced it meanwhile, the new one takes the choice too.
	for {
		cur, err := s.app.current()
		if err != nil {
			return ProfileDTO{}, err
		}
		if !cur.has(name) {
			return ProfileDTO{}, fail("profile.unknown", "name", name)
		}
		cur.setActive(name)
		if s.app.session() == cur {
			break
		}
	}
	s.app.mu.Lock()
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
	p, _, err := s.app.entry(name)
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
	return "", fail("profile.secretField", "field", field)
}

func (in ProfileInput) stored() storedProfile {
	var domains []string
	for _, d := range in.TrustedDomains {
		if d = strings.TrimSpace(d); d != "" {
			domains = append(domains, d)
		}
	}
	return storedProfile{Name: strings.TrimSpace(in.Name), Platform: strings.TrimSpace(in.Platform), CorpID: strings.TrimSpace(in.CorpID),
		AgentID: in.AgentID, AppID: strings.TrimSpace(in.AppID), APIBaseURL: strings.TrimRight(strings.TrimSpace(in.APIBaseURL), "/"),
		AuthorizeURL: strings.TrimSpace(in.AuthorizeURL), TrustedDomains: domains, Store: strings.TrimSpace(in.Store), Reply: strings.TrimSpace(in.Reply)}
}

// checkName refuses a name another profile (the emulator's, wwkit.toml's,
// one given by code) already uses.
func (s *ProfileService) checkName(name string) error {
	l := s.app.session()
	if l == nil {
		return nil
	}
	for _, e := range l.profiles {
		if e.Name == name {
			return fail("profile.exists", "name", name, "source", e.Source)
		}
	}
	return nil
}

// Add creates a profile; its secrets go to the OS keyring where there is
// one, else to the 0600 secrets file, never to profiles.json. The dev
// server restarts (same port) so it receives the profile's callbacks.
func (s *ProfileService) Add(in ProfileInput) (ProfileDTO, error) {
	if _, err := s.app.current(); err != nil {
		return ProfileDTO{}, err
	}
	sp := in.stored()
	if err := sp.validate(); err != nil {
		return ProfileDTO{}, err
	}
	if err := checkSecrets(in); err != nil {
		return ProfileDTO{}, err
	}
	if err := s.checkName(sp.Name); err != nil {
		return ProfileDTO{}, err
	}
	list, err := s.app.readStored()
	if err != nil {
		return ProfileDTO{}, err
	}
	if err := s.putSecrets(&sp, in, false); err != nil {
		return ProfileDTO{}, err
	}
	if err := s.app.writeStored(append(list, sp)); err != nil {
		return ProfileDTO{}, err
	}
	return s.after(sp.Name)
}

// Update changes a profile created in the app. An empty secret keeps the
// stored one.
func (s *ProfileService) Update(name string, in ProfileInput) (ProfileDTO, error) {
	if _, err := s.app.current(); err != nil {
		return ProfileDTO{}, err
	}
	list, err := s.app.readStored()
	if err != nil {
		return ProfileDTO{}, err
	}
	i := indexStored(list, name)
	if i < 0 {
		return ProfileDTO{}, s.notEditable(name)
	}
	if in.Name == "" {
		in.Name = name
	}
	sp := in.stored()
	if sp.Name != name {
		return ProfileDTO{}, fail("profile.rename", "from", name, "to", sp.Name)
	}
	if err := sp.validate(); err != nil {
		return ProfileDTO{}, err
	}
	if err := checkSecrets(in); err != nil {
		return ProfileDTO{}, err
	}
	sp.SecretStore = list[i].SecretStore
	if err := s.putSecrets(&sp, in, true); err != nil {
		return ProfileDTO{}, err
	}
	list[i] = sp
	if err := s.app.writeStored(list); err != nil {
		return ProfileDTO{}, err
	}
	return s.after(name)
}

// Delete removes a profile created in the app and its secrets.
func (s *ProfileService) Delete(name string) error {
	if _, err := s.app.current(); err != nil {
		return err
	}
	list, err := s.app.readStored()
	if err != nil {
		return err
	}
	i := indexStored(list, name)
	if i < 0 {
		return s.notEditable(name)
	}
	sp := list[i]
	if err := s.app.writeStored(append(list[:i:i], list[i+1:]...)); err != nil {
		return err
	}
	if sp.SecretStore != "" {
		if st, err := s.storeFor(sp.SecretStore); err == nil {
			for _, f := range secretFields {
				_ = st.Delete(name, f)
			}
		}
	}
	// A group robot key is kept in the current store, whatever store the
	// profile's own secrets are in.
	if st, err := s.app.secretStore(); err == nil {
		_ = st.Delete(name, FieldRobotKey)
	}
	return s.app.reload()
}

// Export returns the profiles created in the app as JSON ({"profiles":
// […]}) or TOML (wwkit.toml [profiles.NAME] tables), without any secret.
func (s *ProfileService) Export(format string) (string, error) {
	list, err := s.app.readStored()
	if err != nil {
		return "", err
	}
	if list == nil {
		list = []storedProfile{}
	}
	for i := range list {
		list[i].SecretStore = ""
	}
	switch strings.ToLower(format) {
	case "", FormatJSON:
		b, err := json.MarshalIndent(profilesFile{Profiles: list}, "", "  ")
		if err != nil {
			return "", err
		}
		return string(b) + "\n", nil
	case FormatTOML:
		return exportTOML(list)
	}
	return "", fail("export.format", "format", format)
}

// Import adds the profiles of an export (JSON or TOML, detected) or of a
// wwkit.toml. Every profile is checked before anything is stored: a bad
// one, a secret in the input or a name already in use refuses the whole
// import and nothing stored changes. Secrets are entered afterwards
// (Update).
func (s *ProfileService) Import(text string) (ImportDTO, error) {
	if _, err := s.app.current(); err != nil {
		return ImportDTO{}, err
	}
	in, err := parseImport(text)
	if err != nil {
		return ImportDTO{}, err
	}
	if len(in) == 0 {
		return ImportDTO{}, fail("import.empty")
	}
	list, err := s.app.readStored()
	if err != nil {
		return ImportDTO{}, err
	}
	seen := map[string]bool{}
	var conflicts []string
	for _, sp := range in {
		if err := sp.validate(); err != nil {
			return ImportDTO{}, failWrap("import.refused", err)
		}
		if seen[sp.Name] {
			return ImportDTO{}, fail("import.twice", "name", sp.Name)
		}
		seen[sp.Name] = true
		if s.checkName(sp.Name) != nil || indexStored(list, sp.Name) >= 0 {
			conflicts = append(conflicts, sp.Name)
		}
	}
	if len(conflicts) > 0 {
		return ImportDTO{}, fail("import.conflicts", "names", strings.Join(conflicts, ", "))
	}
	out := ImportDTO{Imported: []string{}, NeedSecrets: []string{}}
	for _, sp := range in {
		sp.SecretStore = ""
		list = append(list, sp)
		out.Imported = append(out.Imported, sp.Name)
		out.NeedSecrets = append(out.NeedSecrets, sp.Name)
	}
	if err := s.app.writeStored(list); err != nil {
		return ImportDTO{}, err
	}
	return out, s.app.reload()
}

// parseImport reads JSON ({"profiles":[…]} or […]) or TOML.
func parseImport(text string) ([]storedProfile, error) {
	t := bytes.TrimSpace([]byte(text))
	if len(t) == 0 {
		return nil, fail("import.nothing")
	}
	if t[0] == '{' || t[0] == '[' {
		var f profilesFile
		src := t
		if t[0] == '[' {
			src = append(append([]byte(`{"profiles":`), t...), '}')
		}
		dec := json.NewDecoder(bytes.NewReader(src))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			if strings.Contains(err.Error(), "unknown field") {
				return nil, failWrap("import.secretJSON", err)
			}
			return nil, failWrap("import.notJSON", err)
		}
		for _, sp := range f.Profiles {
			if sp.SecretStore != "" {
				return nil, fail("import.secretStore")
			}
		}
		return f.Profiles, nil
	}
	tables, names, err := profile.Parse(t)
	if err != nil {
		return nil, failWrap("import.notTOML", err)
	}
	var out []storedProfile
	for _, n := range names {
		tp := tables[n]
		if tp.HasSecret() {
			return nil, fail("import.tomlSecret", "name", n)
		}
		parts := tp.Parts(n)
		if len(parts) == 0 {
			return nil, fail("import.tomlNoID", "name", n)
		}
		for _, p := range parts {
			out = append(out, storedOf(p))
		}
	}
	return out, nil
}

// checkSecrets validates the secrets given (empty ones are allowed: the
// profile then lacks them until Update).
func checkSecrets(in ProfileInput) error {
	if k := in.EncodingAESKey; k != "" && len(k) != 43 {
		return fail("profile.aesKeyLen", "name", in.Name, "n", len(k))
	}
	for _, v := range []string{in.Secret, in.Token, in.EncodingAESKey} {
		if strings.TrimSpace(v) != v {
			return fail("profile.secretSpace", "name", in.Name)
		}
	}
	return nil
}

// putSecrets stores the given secrets (on update, empty ones are kept;
// on add, empty ones are absent) and records where.
func (s *ProfileService) putSecrets(sp *storedProfile, in ProfileInput, update bool) error {
	vals := map[string]string{FieldSecret: in.Secret, FieldToken: in.Token, FieldEncodingAESKey: in.EncodingAESKey}
	given := false
	for _, v := range vals {
		given = given || v != ""
	}
	if !given {
		return nil
	}
	st, err := s.app.secretStore()
	if err != nil {
		return err
	}
	if update && sp.SecretStore != "" && sp.SecretStore != st.Kind() {
		// Move the kept secrets to the current store.
		old, err := s.storeFor(sp.SecretStore)
		if err == nil {
			for _, f := range secretFields {
				if vals[f] == "" {
					if v, err := old.Get(sp.Name, f); err == nil {
						vals[f] = v
					}
				}
			}
		}
	}
	for _, f := range secretFields {
		if v := vals[f]; v != "" {
			if err := st.Set(sp.Name, f, v); err != nil {
				return err
			}
		}
	}
	sp.SecretStore = st.Kind()
	return nil
}

// storeFor opens the secret store of a kind.
func (s *ProfileService) storeFor(kind string) (secretStore, error) {
	if kind == SecretsFile {
		return &fileSecrets{path: filepath.Join(s.app.cfg.DataDir, "secrets.json")}, nil
	}
	st, err := s.app.secretStore()
	if err != nil {
		return nil, err
	}
	if st.Kind() != kind {
		return nil, fail("profile.storeKind", "kind", kind)
	}
	return st, nil
}

func (s *ProfileService) notEditable(name string) error {
	e, _, err := s.app.entry(name)
	if err != nil {
		return err
	}
	switch e.Source {
	case SourceTOML:
		return fail("profile.fromFile", "name", name)
	case SourceEmulator:
		return fail("profile.emulator", "name", name)
	}
	return fail("profile.program", "name", name)
}

// after reloads the profiles and returns the named one.
func (s *ProfileService) after(name string) (ProfileDTO, error) {
	if err := s.app.reload(); err != nil {
		return ProfileDTO{}, err
	}
	list, err := s.List()
	if err != nil {
		return ProfileDTO{}, err
	}
	for _, p := range list {
		if p.Name == name {
			return p, nil
		}
	}
	return ProfileDTO{}, fail("profile.notListed", "name", name)
}

func indexStored(list []storedProfile, name string) int {
	for i, sp := range list {
		if sp.Name == name {
			return i
		}
	}
	return -1
}

// ConnectionDTO is the outcome of a connection test: the access_token was
// fetched (its fingerprint, never the value), or the errcode the server
// answered.
type ConnectionDTO struct {
	OK          bool        `json:"ok"`
	Fingerprint string      `json:"fingerprint,omitempty"`
	Error       *ErrcodeDTO `json:"error,omitempty"`
}

// Test fetches an access_token with the profile being entered, before it
// is added: it checks the ids, the secret and the API base URL without
// storing anything (the token is cached nowhere).
func (s *ProfileService) Test(in ProfileInput) (ConnectionDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	sp := in.stored()
	if sp.Name == "" {
		sp.Name = "test"
		in.Name = "test"
	}
	if err := sp.validate(); err != nil {
		return ConnectionDTO{}, err
	}
	if err := checkSecrets(in); err != nil {
		return ConnectionDTO{}, err
	}
	if in.Secret == "" {
		return ConnectionDTO{}, fail("profile.testNoSecret")
	}
	opts := []api.Option{api.WithHTTPClient(s.app.http), api.WithStore(token.NewMemory()), api.WithClock(s.app.now)}
	if in.APIBaseURL != "" {
		opts = append(opts, api.WithBaseURL(in.APIBaseURL))
	}
	var res token.Result
	var err error
	if sp.Platform == profile.PlatformMP {
		var c *api.MP
		if c, err = api.NewMP(api.MPApp{AppID: in.AppID, Secret: in.Secret}, opts...); err == nil {
			res, err = c.AccessToken(ctx)
		}
	} else {
		var c *api.WeCom
		if c, err = api.NewWeCom(api.WeComApp{CorpID: in.CorpID, AgentID: in.AgentID, Secret: in.Secret}, opts...); err == nil {
			res, err = c.AccessToken(ctx)
		}
	}
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			return ConnectionDTO{Error: &ec}, nil
		}
		return ConnectionDTO{}, failWrap("profile.testFailed", err, "name", sp.Name)
	}
	return ConnectionDTO{OK: true, Fingerprint: token.Fingerprint(res.Value)}, nil
}
