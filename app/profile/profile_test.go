package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/emulator/fixture"
)

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wwkit.toml")
	if err := os.WriteFile(cfg, []byte(`
[profiles.prod]
corp_id = "wwprod"
agent_id = 1000009
secret_env = "PROD_SECRET"
store = "redis://127.0.0.1:6379/0"

[profiles.local]
wecom_base_url = "http://127.0.0.1:8787/wecom"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	fx := emulator.DefaultFixture()
	env := map[string]string{"PROD_SECRET": "prod-secret-value"}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		name      string
		o         Overrides
		want      Profile
		wantErr   string
		inProcess bool
	}{
		{name: "default without file", o: Overrides{ConfigPath: ""},
			want: Profile{Name: "default", CorpID: fx.WeCom.CorpID, AgentID: fx.WeCom.Apps[0].AgentID, Secret: fx.WeCom.Apps[0].Secret, MPAppID: fx.MP.AppID, MPSecret: fx.MP.AppSecret, Store: "memory", Emulated: true}, inProcess: true},
		{name: "default with base url", o: Overrides{WeComBaseURL: "http://127.0.0.1:8787/wecom/"},
			want: Profile{Name: "default", WeComBaseURL: "http://127.0.0.1:8787/wecom", CorpID: fx.WeCom.CorpID, AgentID: fx.WeCom.Apps[0].AgentID, Secret: fx.WeCom.Apps[0].Secret, MPAppID: fx.MP.AppID, MPSecret: fx.MP.AppSecret, Store: "memory", Emulated: true}},
		{name: "prod from file", o: Overrides{ConfigPath: cfg, Name: "prod"},
			want: Profile{Name: "prod", CorpID: "wwprod", AgentID: 1000009, Secret: "prod-secret-value", MPAppID: fx.MP.AppID, MPSecret: fx.MP.AppSecret, Store: "redis://127.0.0.1:6379/0"}},
		{name: "flags beat the file", o: Overrides{ConfigPath: cfg, Name: "prod", AgentID: "42", Store: "file"},
			want: Profile{Name: "prod", CorpID: "wwprod", AgentID: 42, Secret: "prod-secret-value", MPAppID: fx.MP.AppID, MPSecret: fx.MP.AppSecret, Store: "file"}},
		{name: "own credentials leave the emulator", o: Overrides{CorpID: "wwmine", Secret: "s"},
			want: Profile{Name: "default", CorpID: "wwmine", AgentID: fx.WeCom.Apps[0].AgentID, Secret: "s", MPAppID: fx.MP.AppID, MPSecret: fx.MP.AppSecret, Store: "memory"}},
		{name: "unknown profile", o: Overrides{ConfigPath: cfg, Name: "nope"}, wantErr: "no [profiles.nope]"},
		{name: "missing explicit file", o: Overrides{ConfigPath: filepath.Join(dir, "none.toml")}, wantErr: "reading"},
		{name: "bad agent id", o: Overrides{AgentID: "x"}, wantErr: "positive integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old, _ := os.Getwd()
			_ = os.Chdir(dir + "/..") // no wwkit.toml in the working directory
			defer os.Chdir(old)
			p, err := Resolve(tc.o, getenv)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p.Source, p.Warnings = "", nil
			if !reflect.DeepEqual(*p, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", *p, tc.want)
			}
			if p.InProcessEmulator() != tc.inProcess {
				t.Fatalf("InProcessEmulator = %v", p.InProcessEmulator())
			}
		})
	}
}

func TestSecretEnvMissing(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.toml")
	os.WriteFile(cfg, []byte("[profiles.p]\nsecret_env = \"NOPE\"\n"), 0o600)
	_, err := Resolve(Overrides{ConfigPath: cfg, Name: "p"}, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "$NOPE") {
		t.Fatalf("err = %v", err)
	}
}

func TestWarnsAboutReadableSecrets(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		mode os.FileMode
		body string
		warn bool
	}{
		{0o644, "[profiles.p]\nsecret = \"s\"\n", true},
		{0o600, "[profiles.p]\nsecret = \"s\"\n", false},
		{0o644, "[profiles.p]\ncorp_id = \"ww1\"\n", false},
	} {
		cfg := filepath.Join(dir, "w.toml")
		os.WriteFile(cfg, []byte(tc.body), tc.mode)
		os.Chmod(cfg, tc.mode)
		p, err := Resolve(Overrides{ConfigPath: cfg, Name: "p"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(p.Warnings) > 0; got != tc.warn {
			t.Errorf("mode %v body %q: warnings %q", tc.mode, tc.body, p.Warnings)
		}
	}
}

// A wwkit.toml saved by a Windows editor has CRLF line ends, often a UTF-8
// byte order mark, and Chinese comments; it must give exactly the values of
// the LF file, with no stray \r in a secret or an ID.
func TestWindowsLineEndingsAndBOM(t *testing.T) {
	const lf = "# 生产环境\n[profiles.prod]\ncorp_id = \"wwprod\"\nagent_id = 1000009\nsecret = \"s3cret\"\nmp_app_id = \"wxprod\"\nmp_secret = \"mps\"\nstore = \"file:C:\\\\Users\\\\li\\\\wwkit-tokens.json\"\nwecom_base_url = \"http://127.0.0.1:8787/wecom\"\n"
	dir := t.TempDir()
	resolve := func(name, text string) *Profile {
		t.Helper()
		cfg := filepath.Join(dir, name)
		if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := Resolve(Overrides{ConfigPath: cfg, Name: "prod"}, func(string) string { return "" })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p.Source, p.Warnings = "", nil
		return p
	}
	want := resolve("lf.toml", lf)
	if want.Store != `file:C:\Users\li\wwkit-tokens.json` || want.Secret != "s3cret" {
		t.Fatalf("LF file: %+v", *want)
	}
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	for name, text := range map[string]string{"crlf.toml": crlf, "bom-crlf.toml": "\xef\xbb\xbf" + crlf} {
		got := resolve(name, text)
		if !reflect.DeepEqual(*got, *want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, *got, *want)
		}
	}
}

// TestTableParts checks how one table becomes dev-server profiles and where
// their secrets come from: the rules the desktop app and `wwkit serve`
// share.
func TestTableParts(t *testing.T) {
	tables, names, err := Parse([]byte(`
[profiles.both]
corp_id = "ww1"
agent_id = 7
token = "T"
encoding_aes_key_env = "KEY"
mp_app_id = "wx1"
mp_secret_env = "EMPTY"
api_base_url = "http://127.0.0.1:8787/wecom"
trusted_domains = ["a.example.com"]
reply = "echo"

[profiles.mponly]
mp_app_id = "wx2"
api_base_url = "http://127.0.0.1:8787/mp"

[profiles.pick]
platform = "mp"
corp_id = "ww3"
agent_id = 1
mp_app_id = "wx3"
`))
	if err != nil || !reflect.DeepEqual(names, []string{"both", "mponly", "pick"}) {
		t.Fatalf("names %v, %v", names, err)
	}
	both := tables["both"].Parts("both")
	if len(both) != 2 || both[0].Name != "both" || both[0].Platform != PlatformWeCom || both[0].APIBaseURL != "http://127.0.0.1:8787/wecom" ||
		both[1].Name != "both-mp" || both[1].Platform != PlatformMP || both[1].APIBaseURL != "" || both[1].Reply != "echo" || both[1].TrustedDomains[0] != "a.example.com" {
		t.Errorf("both = %+v", both)
	}
	if p := tables["mponly"].Parts("mponly"); len(p) != 1 || p[0].Name != "mponly" || p[0].APIBaseURL != "http://127.0.0.1:8787/mp" {
		t.Errorf("mponly = %+v", p)
	}
	if p := tables["pick"].Parts("pick"); len(p) != 1 || p[0].Platform != PlatformMP || p[0].Name != "pick" {
		t.Errorf("pick = %+v", p)
	}
	getenv := func(k string) string { return map[string]string{"KEY": "from-env"}[k] }
	if s := tables["both"].Secrets(PlatformWeCom, getenv); s.Token != "T" || s.EncodingAESKey != "from-env" || s.From != FromBoth || s.Missing != "" {
		t.Errorf("wecom secrets = %+v", s)
	}
	if s := tables["both"].Secrets(PlatformMP, getenv); s.Secret != "" || s.Missing != "EMPTY" || s.From != "" {
		t.Errorf("mp secrets = %+v", s)
	}
}

func TestResolveCallbackSettings(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.toml")
	os.WriteFile(cfg, []byte("[profiles.p]\ncorp_id = \"ww1\"\nagent_id = 2\ntoken_env = \"TOK\"\nencoding_aes_key = \"k\"\nmp_token = \"m\"\ntrusted_domains = [\"h.example.com\"]\nreply = \"text:好\"\n"), 0o600)
	p, err := Resolve(Overrides{ConfigPath: cfg, Name: "p"}, func(k string) string { return map[string]string{"TOK": "t"}[k] })
	if err != nil || p.Token != "t" || p.EncodingAESKey != "k" || p.MPToken != "m" || p.Reply != "text:好" || len(p.TrustedDomains) != 1 || len(p.Warnings) != 0 {
		t.Fatalf("%+v, %v", p, err)
	}
	p, err = Resolve(Overrides{ConfigPath: cfg, Name: "p"}, func(string) string { return "" })
	if err != nil || p.Token != "" || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "$TOK") {
		t.Fatalf("missing token_env: %+v, %v", p, err)
	}
}

// TestPrecedence checks the one rule for every value a profile flag sets:
// flag > WWKIT_* variable > wwkit.toml table > default, each layer given
// alone and on top of the ones below it.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "wwkit.toml")
	if err := os.WriteFile(cfg, []byte(`
[profiles.p]
corp_id = "ww-toml"
agent_id = 2
secret = "secret-toml"
mp_app_id = "wx-toml"
mp_secret = "mpsecret-toml"
store = "file:toml"
wecom_base_url = "http://toml/wecom"
mp_base_url = "http://toml/mp"
token = "token-toml"
encoding_aes_key = "key-toml"
mp_token = "mptoken-toml"
mp_encoding_aes_key = "mpkey-toml"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	type field struct {
		env  string
		flag func(o *Overrides, v string)
		got  func(p *Profile) string
		toml string
		def  string
	}
	fx := emulator.DefaultFixture()
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
	fields := []field{
		{EnvCorpID, func(o *Overrides, v string) { o.CorpID = v }, func(p *Profile) string { return p.CorpID }, "ww-toml", fx.WeCom.CorpID},
		{EnvAgentID, func(o *Overrides, v string) { o.AgentID = v }, func(p *Profile) string { return itoa(p.AgentID) }, "2", itoa(fx.WeCom.Apps[0].AgentID)},
		{EnvSecret, func(o *Overrides, v string) { o.Secret = v }, func(p *Profile) string { return p.Secret }, "secret-toml", fx.WeCom.Apps[0].Secret},
		{EnvMPAppID, func(o *Overrides, v string) { o.MPAppID = v }, func(p *Profile) string { return p.MPAppID }, "wx-toml", fixture.MPAppID},
		{EnvMPSecret, func(o *Overrides, v string) { o.MPSecret = v }, func(p *Profile) string { return p.MPSecret }, "mpsecret-toml", fixture.MPSecret},
		{EnvStore, func(o *Overrides, v string) { o.Store = v }, func(p *Profile) string { return p.Store }, "file:toml", "memory"},
		{EnvWeComBaseURL, func(o *Overrides, v string) { o.WeComBaseURL = v }, func(p *Profile) string { return p.WeComBaseURL }, "http://toml/wecom", ""},
		{EnvMPBaseURL, func(o *Overrides, v string) { o.MPBaseURL = v }, func(p *Profile) string { return p.MPBaseURL }, "http://toml/mp", ""},
		{EnvCallbackToken, func(o *Overrides, v string) { o.Token = v }, func(p *Profile) string { return p.Token }, "token-toml", ""},
		{EnvEncodingAESKey, func(o *Overrides, v string) { o.EncodingAESKey = v }, func(p *Profile) string { return p.EncodingAESKey }, "key-toml", ""},
		{EnvMPCallbackToken, func(o *Overrides, v string) { o.MPToken = v }, func(p *Profile) string { return p.MPToken }, "mptoken-toml", ""},
		{EnvMPEncodingAESKey, func(o *Overrides, v string) { o.MPEncodingAESKey = v }, func(p *Profile) string { return p.MPEncodingAESKey }, "mpkey-toml", ""},
	}
	for _, f := range fields {
		t.Run(f.env, func(t *testing.T) {
			// Numbers for the agent id, distinct strings for the rest.
			fromEnv, fromFlag := "7", "8"
			if f.env != EnvAgentID {
				fromEnv, fromFlag = "env-value", "flag-value"
			}
			for _, tc := range []struct {
				name            string
				toml, env, flag bool
				want            string
			}{
				{"default", false, false, false, f.def},
				{"toml", true, false, false, f.toml},
				{"env over toml", true, true, false, fromEnv},
				{"env alone", false, true, false, fromEnv},
				{"flag over env and toml", true, true, true, fromFlag},
				{"flag over env", false, true, true, fromFlag},
				{"flag alone", false, false, true, fromFlag},
			} {
				env := map[string]string{}
				var o Overrides
				if tc.toml {
					env[EnvConfig], env[EnvProfile] = cfg, "p"
				} else {
					o.ConfigPath = "-" // no file, even if the test runs where a wwkit.toml is
				}
				if tc.env {
					env[f.env] = fromEnv
				}
				if tc.flag {
					f.flag(&o, fromFlag)
				}
				p, err := Resolve(o, func(k string) string { return env[k] })
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if got := f.got(p); got != tc.want {
					t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
				}
			}
		})
	}
	// The file and profile name follow the same rule: --config and
	// --profile win over $WWKIT_CONFIG and $WWKIT_PROFILE.
	env := map[string]string{EnvConfig: filepath.Join(dir, "missing.toml"), EnvProfile: "nope"}
	p, err := Resolve(Overrides{ConfigPath: cfg, Name: "p"}, func(k string) string { return env[k] })
	if err != nil || p.CorpID != "ww-toml" {
		t.Fatalf("flags over WWKIT_CONFIG/WWKIT_PROFILE: %+v, %v", p, err)
	}
	if _, err := Resolve(Overrides{}, func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Fatalf("WWKIT_CONFIG naming a missing file: err = %v, want it named", err)
	}
	if got := ConfigPath("", func(k string) string { return env[k] }); got != env[EnvConfig] {
		t.Errorf("ConfigPath from the variable = %q", got)
	}
	if got := ConfigPath("flag.toml", func(k string) string { return env[k] }); got != "flag.toml" {
		t.Errorf("ConfigPath with a flag = %q", got)
	}
}
