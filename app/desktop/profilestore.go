package desktop

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wwkit/wwkit/app/profile"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// Where a profile comes from (ProfileDTO.Source).
const (
	SourceEmulator = "emulator"   // the in-process emulator's "wecom" and "mp"
	SourceConfig   = "config"     // given by code (Config.Profiles)
	SourceTOML     = "wwkit.toml" // a [profiles.NAME] table of wwkit.toml; edit the file to change it
	SourceApp      = "app"        // created in the app (profiles.json + keyring or secrets.json)
)

// profileEntry is a profile with where it comes from.
type profileEntry struct {
	server.Profile
	Source      string
	SecretStore string // keyring, file, wwkit.toml, env, emulator, config; "" when it has no secret
	Store       string // token store: memory (default), file, file:PATH, redis://…
	// Problems say why the profile cannot be used fully (secret
	// unreadable, renamed, …), coded so the window shows them in its
	// language.
	Problems []*Problem
}

// addProblem records why the profile cannot be used fully; an error that
// is not a Problem is wrapped in code (its text is the cause).
func (e *profileEntry) addProblem(err error, code string) {
	var p *Problem
	if !errors.As(err, &p) {
		p = failWrap(code, err, "name", e.Name)
	}
	e.Problems = append(e.Problems, p)
}

// blocker is the first problem that keeps the profile's API clients from
// being built (a rename alone does not), nil when none.
func (e profileEntry) blocker() *Problem {
	for _, p := range e.Problems {
		if p.Code != "profile.renamed" {
			return p
		}
	}
	return nil
}

// callbackReady reports whether the dev server can receive callbacks for
// the profile: it needs the callback Token and a valid EncodingAESKey.
func (e profileEntry) callbackReady() bool {
	id := e.CorpID
	if e.Platform == server.PlatformMP {
		id = e.AppID
	}
	_, err := wxcrypt.New(e.Token, e.EncodingAESKey, id)
	return err == nil && id != ""
}

// storedProfile is one profile created in the app as profiles.json keeps
// it, and as Export writes it: no secret.
type storedProfile struct {
	Name           string   `json:"name" toml:"-"`
	Platform       string   `json:"platform" toml:"platform"`
	CorpID         string   `json:"corpId,omitempty" toml:"corp_id,omitempty"`
	AgentID        int64    `json:"agentId,omitempty" toml:"agent_id,omitempty"`
	AppID          string   `json:"appId,omitempty" toml:"mp_app_id,omitempty"`
	APIBaseURL     string   `json:"apiBaseUrl,omitempty" toml:"api_base_url,omitempty"`
	AuthorizeURL   string   `json:"authorizeUrl,omitempty" toml:"authorize_url,omitempty"`
	TrustedDomains []string `json:"trustedDomains,omitempty" toml:"trusted_domains,omitempty"`
	Store          string   `json:"store,omitempty" toml:"store,omitempty"`
	Reply          string   `json:"reply,omitempty" toml:"reply,omitempty"`
	// SecretStore is where the secrets were put (keyring or file); not
	// exported.
	SecretStore string `json:"secretStore,omitempty" toml:"-"`
}

// profilesFile is the layout of profiles.json and of a JSON export.
type profilesFile struct {
	Profiles []storedProfile `json:"profiles"`
}

func (a *App) profilesPath() string { return filepath.Join(a.cfg.DataDir, "profiles.json") }

// readStored reads profiles.json (none when it does not exist).
func (a *App) readStored() ([]storedProfile, error) {
	b, err := os.ReadFile(a.profilesPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, failWrap("profiles.read", err, "path", a.profilesPath())
	}
	var f profilesFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, failWrap("profiles.json", err, "path", a.profilesPath())
	}
	return f.Profiles, nil
}

func (a *App) writeStored(list []storedProfile) error {
	b, err := json.MarshalIndent(profilesFile{Profiles: list}, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(a.profilesPath(), append(b, '\n'), 0o600)
}

// Secret fields as stored.
var secretFields = []string{FieldSecret, FieldToken, FieldEncodingAESKey}

// localProfiles returns the profiles of wwkit.toml and those created in the
// app, with their secrets.
func (a *App) localProfiles() ([]profileEntry, error) {
	var out []profileEntry
	toml, err := a.tomlProfiles()
	if err != nil {
		return nil, err
	}
	out = append(out, toml...)
	stored, err := a.readStored()
	if err != nil {
		return nil, err
	}
	if len(stored) > 0 {
		for _, sp := range stored {
			e := profileEntry{Profile: sp.profile(), Source: SourceApp, SecretStore: sp.SecretStore, Store: sp.Store}
			if err := a.loadSecrets(&e); err != nil {
				e.addProblem(err, "profile.secretRead")
			}
			out = append(out, e)
		}
	}
	seen := map[string]string{}
	for _, e := range out {
		if prev, dup := seen[e.Name]; dup {
			return nil, fail("profile.duplicate", "name", e.Name, "a", prev, "b", e.Source)
		}
		seen[e.Name] = e.Source
	}
	return out, nil
}

// loadSecrets reads an app profile's secrets from where they were put.
func (a *App) loadSecrets(e *profileEntry) error {
	var st secretStore
	switch e.SecretStore {
	case "":
		return nil
	case SecretsFile:
		st = &fileSecrets{path: filepath.Join(a.cfg.DataDir, "secrets.json")}
	case SecretsKeyring:
		cur, err := a.secretStore()
		if err != nil || cur.Kind() != SecretsKeyring {
			return fail("profile.keyringDown")
		}
		st = cur
	default:
		return fail("profile.secretStoreUnknown", "name", e.Name, "store", e.SecretStore)
	}
	for _, f := range secretFields {
		v, err := st.Get(e.Name, f)
		if errors.Is(err, errNoSecret) {
			continue
		}
		if err != nil {
			return err
		}
		switch f {
		case FieldSecret:
			e.Secret = v
		case FieldToken:
			e.Token = v
		case FieldEncodingAESKey:
			e.EncodingAESKey = v
		}
	}
	return nil
}

func (sp storedProfile) profile() server.Profile {
	return server.Profile{Name: sp.Name, Platform: sp.Platform, CorpID: sp.CorpID, AgentID: sp.AgentID, AppID: sp.AppID,
		APIBaseURL: sp.APIBaseURL, AuthorizeURL: sp.AuthorizeURL, TrustedDomains: append([]string(nil), sp.TrustedDomains...), Reply: sp.Reply}
}

// validate checks a profile's non-secret fields.
func (sp storedProfile) validate() error {
	if sp.Name == "" || strings.ContainsAny(sp.Name, "/?#% \t") {
		return fail("profile.nameChars", "name", sp.Name)
	}
	switch sp.Platform {
	case server.PlatformWeCom:
		if sp.CorpID == "" || sp.AgentID <= 0 {
			return fail("profile.wecomNeeds", "name", sp.Name)
		}
		if sp.AppID != "" {
			return fail("profile.wecomAppID", "name", sp.Name)
		}
	case server.PlatformMP:
		if sp.AppID == "" {
			return fail("profile.mpNeeds", "name", sp.Name)
		}
		if sp.CorpID != "" || sp.AgentID != 0 {
			return fail("profile.mpCorp", "name", sp.Name)
		}
	default:
		return fail("profile.platform", "name", sp.Name, "platform", sp.Platform)
	}
	for _, u := range []string{sp.APIBaseURL, sp.AuthorizeURL} {
		if u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return fail("profile.url", "name", sp.Name, "url", u)
		}
	}
	switch {
	case sp.Store == "", sp.Store == "memory", sp.Store == "file", strings.HasPrefix(sp.Store, "file:"),
		strings.HasPrefix(sp.Store, "redis://"), strings.HasPrefix(sp.Store, "rediss://"):
	default:
		return fail("profile.store", "name", sp.Name, "store", sp.Store)
	}
	if server.ValidReply(sp.Platform, sp.Reply) != nil {
		return fail("profile.reply", "name", sp.Name, "reply", sp.Reply)
	}
	return nil
}

// storedOf is a wwkit.toml part (app/profile reads the file) as the app
// keeps and validates profiles.
func storedOf(p profile.Part) storedProfile {
	return storedProfile{Name: p.Name, Platform: p.Platform, CorpID: p.CorpID, AgentID: p.AgentID, AppID: p.AppID,
		APIBaseURL: p.APIBaseURL, AuthorizeURL: p.AuthorizeURL, TrustedDomains: p.TrustedDomains, Store: p.Store, Reply: p.Reply}
}

// tomlProfiles reads the profiles of Config.ConfigPath.
func (a *App) tomlProfiles() ([]profileEntry, error) {
	f, err := profile.Load(a.cfg.ConfigPath)
	if err != nil || f == nil {
		return nil, err
	}
	path, tables, names := f.Path, f.Tables, f.Names
	var out []profileEntry
	for _, name := range names {
		t := tables[name]
		for _, part := range t.Parts(name) {
			sp := storedOf(part)
			if err := sp.validate(); err != nil {
				return nil, failWrap("profile.tomlTable", err, "path", path, "table", name)
			}
			e := profileEntry{Profile: sp.profile(), Source: SourceTOML, Store: sp.Store}
			sec := t.Secrets(sp.Platform, a.cfg.Getenv)
			e.Secret, e.Token, e.EncodingAESKey, e.SecretStore = sec.Secret, sec.Token, sec.EncodingAESKey, sec.From
			if sec.Missing != "" {
				// profile.MissingEnv's text, coded for the window.
				e.Problems = append(e.Problems, fail("profile.missingEnv", "path", path, "table", name, "env", sec.Missing))
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// exportTOML writes profiles as wwkit.toml [profiles.NAME] tables, no
// secret.
func exportTOML(list []storedProfile) (string, error) {
	var buf bytes.Buffer
	buf.WriteString("# wwkit profiles exported by the desktop app; secrets are not exported.\n")
	buf.WriteString("# Add them in the app (they go to the OS keyring) or with secret_env / mp_secret_env.\n")
	tables := map[string]map[string]storedProfile{"profiles": {}}
	for _, sp := range list {
		tables["profiles"][sp.Name] = sp
	}
	if err := toml.NewEncoder(&buf).Encode(tables); err != nil {
		return "", failWrap("export.encode", err)
	}
	return buf.String(), nil
}
