// Package profile resolves which corp and Official Account wwkit talks to, and
// where: a profile from wwkit.toml (chosen with --profile), overridden by
// WWKIT_* environment variables and then by flags.
//
// The default profile is the emulator's default fixture: with no base URL and
// no credentials of your own, commands talk to an in-process emulator; with
// --wecom-base-url/--mp-base-url they talk to a separately started
// `wwkit emulator` (or any host). Credentials of your own without a base URL
// go to the real hosts (qyapi.weixin.qq.com, api.weixin.qq.com); fixture
// credentials are never sent there.
//
// wwkit.toml:
//
//	[profiles.prod]
//	corp_id = "ww0123456789abcdef"
//	agent_id = 1000002
//	secret_env = "PROD_WECOM_SECRET"   # or secret = "…" (keep the file 0600)
//	mp_app_id = "wx0123456789abcdef"
//	mp_secret_env = "PROD_MP_SECRET"
//	store = "redis://127.0.0.1:6379/0" # memory (default), file, file:PATH, redis://…
//	token_env = "PROD_CALLBACK_TOKEN"  # callback settings `wwkit serve` uses
//	encoding_aes_key_env = "PROD_AES_KEY"
//	trusted_domains = ["h5.example.com"]
//	reply = "text:收到"
//	# wecom_base_url / mp_base_url: default to the real hosts
//
// A third-party app of a service provider (服务商 / 第三方应用) is a table of
// kind "suite" (Table.Validate says what it needs):
//
//	[profiles.isv]
//	kind = "suite"
//	suite_id = "wwb1c2d3e4f5a6b7c8"
//	suite_secret_env = "ISV_SUITE_SECRET"
//	token_env = "ISV_SUITE_TOKEN"             # the suite callback (指令回调)
//	encoding_aes_key_env = "ISV_SUITE_AES_KEY"
//	provider_corp_id = "wwprovider0123"       # optional, with provider_secret_env
//	provider_secret_env = "ISV_PROVIDER_SECRET"
//
// Table is the whole schema (docs/serve.md lists it); this package is its
// only reader: the CLI resolves one table with Resolve, the desktop app and
// the tray read every table with Load and Table.Parts.
package profile

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// DefaultName is the name of the default profile.
const DefaultName = "default"

// Profile is a resolved profile.
type Profile struct {
	Name string
	// Kind is KindSuite for a third-party app ("" otherwise). A suite profile has SuiteID,
	// SuiteSecret (and maybe the provider's CorpID and secret) instead of
	// a corp and an Official Account; Token and EncodingAESKey are then
	// the suite callback's.
	Kind           string
	SuiteID        string
	SuiteSecret    string
	ProviderCorpID string
	ProviderSecret string

	WeComBaseURL string // "" with Emulated: start an in-process emulator
	MPBaseURL    string
	CorpID       string
	AgentID      int64
	Secret       string
	MPAppID      string
	MPSecret     string
	// RobotKey is the group robot webhook key (群机器人) of `wwkit robot`:
	// robot_key(_env) of the table or --key / $WWKIT_ROBOT_KEY; "" leaves
	// it to the caller (the CLI uses the emulator's robot for an emulated
	// profile).
	RobotKey string
	Store    string // memory, file, file:PATH or redis://…
	// The callback settings of the table, which `wwkit serve` uses where
	// no flag or WWKIT_* variable gives them: the WeCom app's Token and
	// EncodingAESKey, the Official Account's, the trusted domains
	// (可信域名), the passive reply rule and the OAuth authorize URL.
	Token            string
	EncodingAESKey   string
	MPToken          string
	MPEncodingAESKey string
	TrustedDomains   []string
	Reply            string
	AuthorizeURL     string
	// Emulated is true when the credentials are the emulator's default
	// fixture (not overridden); then a missing base URL means "start an
	// in-process emulator" instead of "use the real host".
	Emulated bool
	Source   string // where the profile came from, for messages
	// Warnings are things the user should fix (e.g. a secret in a file
	// other users can read); commands print them on stderr.
	Warnings []string
}

// Overrides are the values the flags give ("" = not given); Resolve fills
// the rest from the WWKIT_* variables (see env.go).
type Overrides struct {
	ConfigPath   string
	Name         string
	WeComBaseURL string
	MPBaseURL    string
	CorpID       string
	AgentID      string
	Secret       string
	MPAppID      string
	MPSecret     string
	RobotKey     string
	Store        string
	// The callback settings `wwkit serve` takes.
	Token            string
	EncodingAESKey   string
	MPToken          string
	MPEncodingAESKey string
}

// Resolve builds the profile: defaults (the emulator fixture), then the named
// profile of the config file, then the WWKIT_* variables, then the flags in
// o. getenv reads the WWKIT_* variables and those named by
// secret_env/mp_secret_env.
func Resolve(o Overrides, getenv func(string) string) (*Profile, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	o = o.withEnv(getenv)
	name := o.Name
	if name == "" {
		name = DefaultName
	}
	p := &Profile{
		Name:     name,
		CorpID:   fixture.CorpID,
		AgentID:  fixture.AgentID,
		Secret:   fixture.Secret,
		MPAppID:  fixture.MPAppID,
		MPSecret: fixture.MPSecret,
		Store:    "memory",
		Emulated: true,
		Source:   "the emulator's default fixture",
	}
	f, err := Load(o.ConfigPath)
	switch {
	case err != nil:
		return nil, err
	case f == nil:
		if name != DefaultName {
			return nil, fmt.Errorf("profile: no %s found, so there is no profile %q; create it with a [profiles.%s] table or pass --config", DefaultFile, name, name)
		}
	default:
		fp, ok := f.Tables[name]
		if !ok && name != DefaultName {
			return nil, fmt.Errorf("profile: %s has no [profiles.%s]; known: %s", f.Path, name, strings.Join(f.Names, ", "))
		}
		if ok {
			if err := fp.Validate(f.Path, name); err != nil {
				return nil, err
			}
			apply := func() error { return p.apply(fp, getenv) }
			if fp.IsSuite() {
				apply = func() error { return p.applySuite(f.Path, fp, getenv) }
			}
			if err := apply(); err != nil {
				return nil, err
			}
			p.Source = f.Path + " [profiles." + name + "]"
			if fp.Secret != "" || fp.MPSecret != "" || fp.SuiteSecret != "" || fp.ProviderSecret != "" || fp.RobotKey != "" {
				if f.Mode&0o077 != 0 {
					p.Warnings = append(p.Warnings, fmt.Sprintf("%s holds a secret and is readable by other users (mode %v): chmod 600 it, or use secret_env/mp_secret_env/suite_secret_env", f.Path, f.Mode))
				}
			}
		}
	}
	return p, p.override(o)
}

func (p *Profile) apply(fp Table, getenv func(string) string) error {
	secret := fp.Secret
	if fp.SecretEnv != "" {
		if secret = getenv(fp.SecretEnv); secret == "" {
			return fmt.Errorf("profile %s: secret_env names $%s, which is empty; export it", p.Name, fp.SecretEnv)
		}
	}
	mpSecret := fp.MPSecret
	if fp.MPSecretEnv != "" {
		if mpSecret = getenv(fp.MPSecretEnv); mpSecret == "" {
			return fmt.Errorf("profile %s: mp_secret_env names $%s, which is empty; export it", p.Name, fp.MPSecretEnv)
		}
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
			p.Emulated = false
		}
	}
	robotKey := fp.RobotKey
	if fp.RobotKeyEnv != "" {
		if robotKey = getenv(fp.RobotKeyEnv); robotKey == "" {
			return fmt.Errorf("profile %s: robot_key_env names $%s, which is empty; export it", p.Name, fp.RobotKeyEnv)
		}
	}
	set(&p.CorpID, fp.CorpID)
	set(&p.Secret, secret)
	set(&p.RobotKey, robotKey)
	set(&p.MPAppID, fp.MPAppID)
	set(&p.MPSecret, mpSecret)
	if fp.AgentID != 0 {
		p.AgentID = fp.AgentID
		p.Emulated = false
	}
	wecomBase, mpBase := fp.BaseURLs()
	if wecomBase != "" {
		p.WeComBaseURL = wecomBase
	}
	if mpBase != "" {
		p.MPBaseURL = mpBase
	}
	if fp.Store != "" {
		p.Store = fp.Store
	}
	// Callback settings: an empty *_env variable is worth a warning, not a
	// failure, since only `wwkit serve` needs them.
	wc, mp := fp.Secrets(PlatformWeCom, getenv), fp.Secrets(PlatformMP, getenv)
	p.Token, p.EncodingAESKey, p.MPToken, p.MPEncodingAESKey = wc.Token, wc.EncodingAESKey, mp.Token, mp.EncodingAESKey
	for _, miss := range []string{wc.Missing, mp.Missing} {
		if miss != "" && miss != fp.SecretEnv && miss != fp.MPSecretEnv {
			p.Warnings = append(p.Warnings, MissingEnv("wwkit.toml", p.Name, miss))
		}
	}
	p.TrustedDomains = append([]string(nil), fp.TrustedDomains...)
	p.Reply, p.AuthorizeURL = fp.Reply, fp.AuthorizeURL
	return nil
}

func (p *Profile) override(o Overrides) error {
	creds := map[*string]string{&p.CorpID: o.CorpID, &p.Secret: o.Secret, &p.MPAppID: o.MPAppID, &p.MPSecret: o.MPSecret}
	// The emulator's own robot key keeps the profile emulated, so it is
	// never sent to the real host.
	if o.RobotKey != "" && o.RobotKey != fixture.RobotKey {
		creds[&p.RobotKey] = o.RobotKey
	} else if o.RobotKey != "" {
		p.RobotKey = o.RobotKey
	}
	for dst, v := range creds {
		if v != "" {
			*dst = v
			p.Emulated = false
		}
	}
	if o.AgentID != "" {
		n, err := strconv.ParseInt(o.AgentID, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("profile: agent id %q is not a positive integer (the app's AgentID)", o.AgentID)
		}
		p.AgentID = n
		p.Emulated = false
	}
	if o.WeComBaseURL != "" {
		p.WeComBaseURL = strings.TrimRight(o.WeComBaseURL, "/")
	}
	if o.MPBaseURL != "" {
		p.MPBaseURL = strings.TrimRight(o.MPBaseURL, "/")
	}
	if o.Store != "" {
		p.Store = o.Store
	}
	// Callback settings do not make the credentials real: a separately
	// started emulator takes any Token the developer configured.
	for dst, v := range map[*string]string{&p.Token: o.Token, &p.EncodingAESKey: o.EncodingAESKey, &p.MPToken: o.MPToken, &p.MPEncodingAESKey: o.MPEncodingAESKey} {
		if v != "" {
			*dst = v
		}
	}
	return nil
}

// InProcessEmulator reports whether commands should start an in-process
// emulator: fixture credentials and no base URL.
func (p *Profile) InProcessEmulator() bool {
	return p.Emulated && p.WeComBaseURL == "" && p.MPBaseURL == ""
}
