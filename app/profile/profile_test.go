package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
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
