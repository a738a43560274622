package profile

// The WWKIT_* environment variables that stand in for the profile flags.
// This package is their only reader: the CLI passes what its flags say in
// Overrides, Resolve fills what they leave empty from these variables, and
// the one precedence rule, highest first, is
//
//	flag > WWKIT_* variable > wwkit.toml table > default (the emulator fixture)
//
// Flags that are not about the profile (listen addresses, data
// directories, …) keep their own variables in the commands that have them.
const (
	EnvConfig           = "WWKIT_CONFIG"
	EnvProfile          = "WWKIT_PROFILE"
	EnvWeComBaseURL     = "WWKIT_WECOM_BASE_URL"
	EnvMPBaseURL        = "WWKIT_MP_BASE_URL"
	EnvCorpID           = "WWKIT_CORP_ID"
	EnvAgentID          = "WWKIT_AGENT_ID"
	EnvSecret           = "WWKIT_SECRET"
	EnvMPAppID          = "WWKIT_MP_APPID"
	EnvMPSecret         = "WWKIT_MP_SECRET"
	EnvStore            = "WWKIT_STORE"
	EnvCallbackToken    = "WWKIT_CALLBACK_TOKEN"
	EnvEncodingAESKey   = "WWKIT_ENCODING_AES_KEY"
	EnvMPCallbackToken  = "WWKIT_MP_CALLBACK_TOKEN"
	EnvMPEncodingAESKey = "WWKIT_MP_ENCODING_AES_KEY"
)

// fields pairs each override with its variable.
func (o *Overrides) fields() []struct {
	env string
	dst *string
} {
	return []struct {
		env string
		dst *string
	}{
		{EnvConfig, &o.ConfigPath}, {EnvProfile, &o.Name},
		{EnvWeComBaseURL, &o.WeComBaseURL}, {EnvMPBaseURL, &o.MPBaseURL},
		{EnvCorpID, &o.CorpID}, {EnvAgentID, &o.AgentID}, {EnvSecret, &o.Secret},
		{EnvMPAppID, &o.MPAppID}, {EnvMPSecret, &o.MPSecret}, {EnvStore, &o.Store},
		{EnvCallbackToken, &o.Token}, {EnvEncodingAESKey, &o.EncodingAESKey},
		{EnvMPCallbackToken, &o.MPToken}, {EnvMPEncodingAESKey, &o.MPEncodingAESKey},
	}
}

// withEnv returns o with every value no flag gave taken from its WWKIT_*
// variable.
func (o Overrides) withEnv(getenv func(string) string) Overrides {
	for _, f := range o.fields() {
		if *f.dst == "" {
			*f.dst = getenv(f.env)
		}
	}
	return o
}

// ConfigPath is the wwkit.toml to read: the --config flag, else
// $WWKIT_CONFIG ("" means ./wwkit.toml when it exists, see Load).
func ConfigPath(flag string, getenv func(string) string) string {
	if flag != "" || getenv == nil {
		return flag
	}
	return getenv(EnvConfig)
}
