package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"

	"github.com/BurntSushi/toml"
)

// Platforms of a Part, as the dev server names them.
const (
	PlatformWeCom = "wecom" // 企业微信
	PlatformMP    = "mp"    // 公众号
)

// Table is one [profiles.NAME] table of wwkit.toml: the one schema that
// `wwkit serve`, the other CLI commands, the desktop app and the tray read.
// A value can come from the environment instead (the *_env keys name the
// variable), which keeps secrets out of the file.
type Table struct {
	// Kind is what the table describes: KindApp (the default) for a
	// self-built app and/or an Official Account, KindSuite for a service
	// provider's third-party app (服务商 / 第三方应用).
	Kind string `toml:"kind"`
	// Platform picks one side of a table that has both a corp and an
	// Official Account: "wecom" or "mp" ("" keeps both).
	Platform string `toml:"platform"`

	CorpID            string `toml:"corp_id"`
	AgentID           int64  `toml:"agent_id"`
	Secret            string `toml:"secret"`
	SecretEnv         string `toml:"secret_env"`
	Token             string `toml:"token"` // callback Token of the WeCom app
	TokenEnv          string `toml:"token_env"`
	EncodingAESKey    string `toml:"encoding_aes_key"` // callback EncodingAESKey of the WeCom app
	EncodingAESKeyEnv string `toml:"encoding_aes_key_env"`

	MPAppID             string `toml:"mp_app_id"`
	MPSecret            string `toml:"mp_secret"`
	MPSecretEnv         string `toml:"mp_secret_env"`
	MPToken             string `toml:"mp_token"`
	MPTokenEnv          string `toml:"mp_token_env"`
	MPEncodingAESKey    string `toml:"mp_encoding_aes_key"`
	MPEncodingAESKeyEnv string `toml:"mp_encoding_aes_key_env"`

	// A suite table (kind = "suite"): the third-party app's SuiteID and
	// Secret, and optionally the provider's own CorpID and provider secret
	// (服务商的secret) for the provider-level calls. Its token /
	// encoding_aes_key are the suite callback's (指令回调), whose receiveid
	// is the SuiteID; the corps come from each authorisation (授权), so it
	// has no corp_id, agent_id or secret of its own.
	SuiteID           string `toml:"suite_id"`
	SuiteSecret       string `toml:"suite_secret"`
	SuiteSecretEnv    string `toml:"suite_secret_env"`
	ProviderCorpID    string `toml:"provider_corp_id"`
	ProviderSecret    string `toml:"provider_secret"`
	ProviderSecretEnv string `toml:"provider_secret_env"`

	// RobotKey is a group robot's webhook key (群机器人) for `wwkit robot`;
	// like a secret, prefer robot_key_env.
	RobotKey    string `toml:"robot_key"`
	RobotKeyEnv string `toml:"robot_key_env"`

	WeComBaseURL string `toml:"wecom_base_url"`
	MPBaseURL    string `toml:"mp_base_url"`
	// APIBaseURL is the base URL of a table with one side (the WeCom one
	// when it has both); wecom_base_url / mp_base_url win.
	APIBaseURL     string   `toml:"api_base_url"`
	AuthorizeURL   string   `toml:"authorize_url"`
	TrustedDomains []string `toml:"trusted_domains"`
	Store          string   `toml:"store"` // memory (default), file, file:PATH, redis://…
	Reply          string   `toml:"reply"` // echo, none or text:…
}

// Parse reads the text of a wwkit.toml: its tables by name and the names
// sorted. A byte order mark and CRLF line ends (Windows editors) are fine.
func Parse(b []byte) (map[string]Table, []string, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var f struct {
		Profiles map[string]Table `toml:"profiles"`
	}
	if _, err := toml.Decode(string(b), &f); err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return f.Profiles, names, nil
}

// DefaultFile is the config file read when none is named.
const DefaultFile = "wwkit.toml"

// File is a read wwkit.toml.
type File struct {
	Path   string
	Tables map[string]Table
	Names  []string    // sorted
	Mode   fs.FileMode // permission bits, to warn about secrets others can read
}

// Load reads the config file at path; "" reads ./wwkit.toml. A missing
// file is (nil, nil) unless it was named; "-" reads nothing.
func Load(path string) (*File, error) {
	if path == "-" {
		return nil, nil
	}
	explicit := path != ""
	if !explicit {
		path = DefaultFile
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("profile: reading %s: %w", path, err)
	}
	tables, names, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("profile: %s is not valid TOML: %w", path, err)
	}
	f := &File{Path: path, Tables: tables, Names: names}
	if fi, err := os.Stat(path); err == nil {
		f.Mode = fi.Mode().Perm()
	}
	return f, nil
}

// HasSecret reports whether the table carries a secret value itself (not
// through *_env).
func (t Table) HasSecret() bool {
	return t.Secret != "" || t.Token != "" || t.EncodingAESKey != "" || t.MPSecret != "" || t.MPToken != "" || t.MPEncodingAESKey != "" ||
		t.SuiteSecret != "" || t.ProviderSecret != ""
}

// BaseURLs returns the API base URLs of the two sides.
func (t Table) BaseURLs() (wecom, mp string) {
	wecomSide := (t.CorpID != "" || t.IsSuite()) && t.Platform != PlatformMP
	wecom, mp = t.WeComBaseURL, t.MPBaseURL
	switch {
	case wecomSide && wecom == "":
		wecom = t.APIBaseURL
	case !wecomSide && mp == "":
		mp = t.APIBaseURL
	}
	return wecom, mp
}

// Part is a dev-server profile a table declares, without its secrets: the
// WeCom app or the Official Account.
type Part struct {
	Name           string
	Platform       string
	CorpID         string
	AgentID        int64
	AppID          string
	APIBaseURL     string
	AuthorizeURL   string
	TrustedDomains []string
	Store          string
	Reply          string
}

// Parts splits table name into its WeCom app and/or Official Account: NAME
// for the only one, NAME and NAME-mp when it has both (platform = picks
// one).
func (t Table) Parts(name string) []Part {
	var out []Part
	wecom := t.CorpID != "" && t.Platform != PlatformMP
	mp := t.MPAppID != "" && t.Platform != PlatformWeCom
	wecomBase, mpBase := t.BaseURLs()
	trusted := append([]string(nil), t.TrustedDomains...)
	if wecom {
		out = append(out, Part{Name: name, Platform: PlatformWeCom, CorpID: t.CorpID, AgentID: t.AgentID,
			APIBaseURL: wecomBase, AuthorizeURL: t.AuthorizeURL, TrustedDomains: trusted, Store: t.Store, Reply: t.Reply})
	}
	if mp {
		n := name
		if wecom {
			n = name + "-mp"
		}
		out = append(out, Part{Name: n, Platform: PlatformMP, AppID: t.MPAppID,
			APIBaseURL: mpBase, AuthorizeURL: t.AuthorizeURL, TrustedDomains: trusted, Store: t.Store, Reply: t.Reply})
	}
	return out
}

// Where a secret of a table came from (Secrets.From).
const (
	FromFile = "wwkit.toml"
	FromEnv  = "env"
	FromBoth = "wwkit.toml+env"
)

// Secrets are the secret, the callback Token and the EncodingAESKey of one
// side of a table, resolved through *_env.
type Secrets struct {
	Secret, Token, EncodingAESKey string
	// From is where they came from (FromFile, FromEnv, FromBoth; "" when
	// there are none).
	From string
	// Missing names a *_env variable that is empty (its value stays "").
	Missing string
}

// Secrets resolves the secrets of the platform's side with getenv.
func (t Table) Secrets(platform string, getenv func(string) string) Secrets {
	var s Secrets
	var from []string
	pick := func(dst *string, v, env string) {
		switch {
		case env != "":
			if ev := getenv(env); ev != "" {
				*dst = ev
				from = append(from, FromEnv)
			} else if s.Missing == "" {
				s.Missing = env
			}
		case v != "":
			*dst = v
			from = append(from, FromFile)
		}
	}
	if platform == PlatformMP {
		pick(&s.Secret, t.MPSecret, t.MPSecretEnv)
		pick(&s.Token, t.MPToken, t.MPTokenEnv)
		pick(&s.EncodingAESKey, t.MPEncodingAESKey, t.MPEncodingAESKeyEnv)
	} else {
		pick(&s.Secret, t.Secret, t.SecretEnv)
		pick(&s.Token, t.Token, t.TokenEnv)
		pick(&s.EncodingAESKey, t.EncodingAESKey, t.EncodingAESKeyEnv)
	}
	if len(from) > 0 {
		s.From = from[0]
		for _, f := range from[1:] {
			if f != s.From {
				s.From = FromBoth
			}
		}
	}
	return s
}

// MissingEnv is the message for a *_env variable that is empty.
func MissingEnv(path, name, env string) string {
	return fmt.Sprintf("%s [profiles.%s] names $%s, which is empty; export it", path, name, env)
}
