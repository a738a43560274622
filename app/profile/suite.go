package profile

import (
	"fmt"
	"strings"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// Kinds of a table (Table.Kind).
const (
	KindApp   = "app"   // a self-built app (自建应用) and/or an Official Account; the default
	KindSuite = "suite" // a service provider's third-party app (第三方应用)
)

// IsSuite reports whether the table is a third-party app.
func (t Table) IsSuite() bool { return t.Kind == KindSuite }

// Validate checks the table's keys against its kind, without reading the
// environment: what a table of that kind needs and what it must not mix
// in. path and name say where the table is, for the message. Secrets named
// by *_env are checked when the profile is resolved.
func (t Table) Validate(path, name string) error {
	where := fmt.Sprintf("%s [profiles.%s]", path, name)
	switch t.Kind {
	case "", KindApp:
		for _, k := range []struct{ key, v string }{
			{"suite_id", t.SuiteID}, {"suite_secret", t.SuiteSecret}, {"suite_secret_env", t.SuiteSecretEnv},
			{"provider_corp_id", t.ProviderCorpID}, {"provider_secret", t.ProviderSecret}, {"provider_secret_env", t.ProviderSecretEnv},
		} {
			if k.v != "" {
				return fmt.Errorf("%s: %s belongs to a third-party app; add kind = \"suite\" to the table, or remove %s", where, k.key, k.key)
			}
		}
		return nil
	case KindSuite:
	default:
		return fmt.Errorf("%s: kind = %q is not a profile kind; use \"app\" (a self-built app and/or Official Account, the default) or \"suite\" (a service provider's third-party app)", where, t.Kind)
	}
	// A suite acts for the corps that install it: their ids and secrets
	// come from each authorisation, never from the table.
	for _, k := range []struct {
		key string
		set bool
	}{
		{"corp_id", t.CorpID != ""}, {"agent_id", t.AgentID != 0}, {"secret", t.Secret != ""}, {"secret_env", t.SecretEnv != ""},
		{"mp_app_id", t.MPAppID != ""}, {"mp_secret", t.MPSecret != ""}, {"mp_secret_env", t.MPSecretEnv != ""},
		{"mp_token", t.MPToken != ""}, {"mp_token_env", t.MPTokenEnv != ""},
		{"mp_encoding_aes_key", t.MPEncodingAESKey != ""}, {"mp_encoding_aes_key_env", t.MPEncodingAESKeyEnv != ""},
		{"platform", t.Platform != ""},
	} {
		if k.set {
			return fmt.Errorf("%s: a suite profile takes its corps from each authorisation (授权), so %s does not belong in it; remove it, or put the self-built app in a [profiles.OTHER] table of its own", where, k.key)
		}
	}
	switch {
	case strings.TrimSpace(t.SuiteID) == "":
		return fmt.Errorf("%s: kind = \"suite\" needs suite_id, the SuiteID shown in the service provider admin (服务商管理后台 → 应用管理 → the app)", where)
	case strings.ContainsAny(t.SuiteID, " \t\r\n"):
		return fmt.Errorf("%s: suite_id %q contains spaces; copy the SuiteID again from the service provider admin", where, t.SuiteID)
	case t.SuiteSecret == "" && t.SuiteSecretEnv == "":
		return fmt.Errorf("%s: kind = \"suite\" needs the suite Secret: suite_secret_env = \"VAR\" naming an environment variable (or suite_secret, with the file chmod 600)", where)
	case t.SuiteSecret != "" && t.SuiteSecretEnv != "":
		return fmt.Errorf("%s: both suite_secret and suite_secret_env are set; keep one (suite_secret_env keeps the secret out of the file)", where)
	case t.Token == "" && t.TokenEnv == "":
		return fmt.Errorf("%s: kind = \"suite\" needs the suite callback Token (指令回调 Token): token_env = \"VAR\" (or token); without the callback no suite_ticket arrives", where)
	case t.EncodingAESKey == "" && t.EncodingAESKeyEnv == "":
		return fmt.Errorf("%s: kind = \"suite\" needs the suite callback EncodingAESKey: encoding_aes_key_env = \"VAR\" (or encoding_aes_key); without the callback no suite_ticket arrives", where)
	case t.ProviderSecret != "" && t.ProviderSecretEnv != "":
		return fmt.Errorf("%s: both provider_secret and provider_secret_env are set; keep one", where)
	case (t.ProviderSecret != "" || t.ProviderSecretEnv != "") && t.ProviderCorpID == "":
		return fmt.Errorf("%s: provider_secret needs provider_corp_id, the service provider's own CorpID (服务商的corpid) it goes with; add it or remove the provider secret", where)
	}
	if t.EncodingAESKey != "" {
		if err := checkAESKey(t.EncodingAESKey); err != nil {
			return fmt.Errorf("%s: encoding_aes_key %v", where, err)
		}
	}
	return nil
}

// checkAESKey says what is wrong with an EncodingAESKey, without echoing it.
func checkAESKey(k string) error {
	if len(k) != 43 {
		return fmt.Errorf("has %d characters, not 43; copy the EncodingAESKey again from the callback settings (回调配置)", len(k))
	}
	if _, err := wxcrypt.DecodeAESKey(k); err != nil {
		return fmt.Errorf("does not decode to a 32-byte AES key; copy the EncodingAESKey again from the callback settings (回调配置)")
	}
	return nil
}

// applySuite resolves a suite table: its secrets through *_env (an empty
// variable is an error: nothing of a suite works without them) and no
// corp or Official Account of its own.
func (p *Profile) applySuite(path string, fp Table, getenv func(string) string) error {
	where := fmt.Sprintf("%s [profiles.%s]", path, p.Name)
	read := func(v, env, key string) (string, error) {
		if env == "" {
			return v, nil
		}
		if ev := getenv(env); ev != "" {
			return ev, nil
		}
		return "", fmt.Errorf("%s: %s_env names $%s, which is empty; export it", where, key, env)
	}
	var err error
	if p.SuiteSecret, err = read(fp.SuiteSecret, fp.SuiteSecretEnv, "suite_secret"); err != nil {
		return err
	}
	if p.Token, err = read(fp.Token, fp.TokenEnv, "token"); err != nil {
		return err
	}
	if p.EncodingAESKey, err = read(fp.EncodingAESKey, fp.EncodingAESKeyEnv, "encoding_aes_key"); err != nil {
		return err
	}
	if fp.EncodingAESKeyEnv != "" {
		if err := checkAESKey(p.EncodingAESKey); err != nil {
			return fmt.Errorf("%s: $%s %v", where, fp.EncodingAESKeyEnv, err)
		}
	}
	if p.ProviderSecret, err = read(fp.ProviderSecret, fp.ProviderSecretEnv, "provider_secret"); err != nil {
		return err
	}
	p.Kind, p.SuiteID, p.ProviderCorpID = KindSuite, fp.SuiteID, fp.ProviderCorpID
	// No fixture corp or Official Account rides along: a suite profile
	// talks for authorised corps only.
	p.CorpID, p.AgentID, p.Secret, p.MPAppID, p.MPSecret = "", 0, "", "", ""
	p.Emulated = false
	p.WeComBaseURL, _ = fp.BaseURLs()
	if fp.Store != "" {
		p.Store = fp.Store
	}
	p.TrustedDomains = append([]string(nil), fp.TrustedDomains...)
	p.Reply, p.AuthorizeURL = fp.Reply, fp.AuthorizeURL
	return nil
}
