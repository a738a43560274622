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
//	# wecom_base_url / mp_base_url: default to the real hosts
package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wwkit/wwkit/core/emulator"
)

// DefaultName is the name of the default profile.
const DefaultName = "default"

// Profile is a resolved profile.
type Profile struct {
	Name         string
	WeComBaseURL string // "" with Emulated: start an in-process emulator
	MPBaseURL    string
	CorpID       string
	AgentID      int64
	Secret       string
	MPAppID      string
	MPSecret     string
	Store        string // memory, file, file:PATH or redis://…
	// Emulated is true when the credentials are the emulator's default
	// fixture (not overridden); then a missing base URL means "start an
	// in-process emulator" instead of "use the real host".
	Emulated bool
	Source   string // where the profile came from, for messages
	// Warnings are things the user should fix (e.g. a secret in a file
	// other users can read); commands print them on stderr.
	Warnings []string
}

// Overrides are the values given by flags or WWKIT_* variables ("" = not
// given).
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
	Store        string
}

type fileProfile struct {
	WeComBaseURL string `toml:"wecom_base_url"`
	MPBaseURL    string `toml:"mp_base_url"`
	CorpID       string `toml:"corp_id"`
	AgentID      int64  `toml:"agent_id"`
	Secret       string `toml:"secret"`
	SecretEnv    string `toml:"secret_env"`
	MPAppID      string `toml:"mp_app_id"`
	MPSecret     string `toml:"mp_secret"`
	MPSecretEnv  string `toml:"mp_secret_env"`
	Store        string `toml:"store"`
}

type file struct {
	Profiles map[string]fileProfile `toml:"profiles"`
}

// Resolve builds the profile: defaults (the emulator fixture), then the named
// profile of the config file, then the overrides. getenv reads the variables
// named by secret_env/mp_secret_env.
func Resolve(o Overrides, getenv func(string) string) (*Profile, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	name := o.Name
	if name == "" {
		name = DefaultName
	}
	fx := emulator.DefaultFixture()
	p := &Profile{
		Name:     name,
		CorpID:   fx.WeCom.CorpID,
		AgentID:  fx.WeCom.Apps[0].AgentID,
		Secret:   fx.WeCom.Apps[0].Secret,
		MPAppID:  fx.MP.AppID,
		MPSecret: fx.MP.AppSecret,
		Store:    "memory",
		Emulated: true,
		Source:   "the emulator's default fixture",
	}
	path, explicit := o.ConfigPath, o.ConfigPath != ""
	if path == "" {
		path = "wwkit.toml"
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		if name != DefaultName {
			return nil, fmt.Errorf("profile: no %s found, so there is no profile %q; create it with a [profiles.%s] table or pass --config", path, name, name)
		}
	case err != nil:
		return nil, fmt.Errorf("profile: reading %s: %w", path, err)
	default:
		var f file
		if _, err := toml.Decode(string(b), &f); err != nil {
			return nil, fmt.Errorf("profile: %s is not valid TOML: %w", path, err)
		}
		fp, ok := f.Profiles[name]
		if !ok && name != DefaultName {
			return nil, fmt.Errorf("profile: %s has no [profiles.%s]; known: %s", path, name, strings.Join(keys(f.Profiles), ", "))
		}
		if ok {
			if err := p.apply(fp, getenv); err != nil {
				return nil, err
			}
			p.Source = path + " [profiles." + name + "]"
			if fp.Secret != "" || fp.MPSecret != "" {
				if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
					p.Warnings = append(p.Warnings, fmt.Sprintf("%s holds a secret and is readable by other users (mode %v): chmod 600 it, or use secret_env/mp_secret_env", path, fi.Mode().Perm()))
				}
			}
		}
	}
	return p, p.override(o)
}

func keys(m map[string]fileProfile) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (p *Profile) apply(fp fileProfile, getenv func(string) string) error {
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
	set(&p.CorpID, fp.CorpID)
	set(&p.Secret, secret)
	set(&p.MPAppID, fp.MPAppID)
	set(&p.MPSecret, mpSecret)
	if fp.AgentID != 0 {
		p.AgentID = fp.AgentID
		p.Emulated = false
	}
	if fp.WeComBaseURL != "" {
		p.WeComBaseURL = fp.WeComBaseURL
	}
	if fp.MPBaseURL != "" {
		p.MPBaseURL = fp.MPBaseURL
	}
	if fp.Store != "" {
		p.Store = fp.Store
	}
	return nil
}

func (p *Profile) override(o Overrides) error {
	creds := map[*string]string{&p.CorpID: o.CorpID, &p.Secret: o.Secret, &p.MPAppID: o.MPAppID, &p.MPSecret: o.MPSecret}
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
	return nil
}

// InProcessEmulator reports whether commands should start an in-process
// emulator: fixture credentials and no base URL.
func (p *Profile) InProcessEmulator() bool {
	return p.Emulated && p.WeComBaseURL == "" && p.MPBaseURL == ""
}
