package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const testAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

func TestResolveSuite(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "wwkit.toml")
	if err := os.WriteFile(cfg, []byte(`
[profiles.isv]
kind = "suite"
suite_id = "wwsuite0001"
suite_secret_env = "ISV_SUITE_SECRET"
token_env = "ISV_TOKEN"
encoding_aes_key_env = "ISV_AES"
provider_corp_id = "wwprovider"
provider_secret_env = "ISV_PROVIDER"
wecom_base_url = "http://127.0.0.1:8787/wecom/"
store = "file"
trusted_domains = ["h5.isv.example"]
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ISV_SUITE_SECRET": "suite-s3cret", "ISV_TOKEN": "tok", "ISV_AES": testAESKey, "ISV_PROVIDER": "prov-s3cret"}
	p, err := Resolve(Overrides{ConfigPath: cfg, Name: "isv"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	p.Source, p.Warnings = "", nil
	want := Profile{Name: "isv", Kind: KindSuite, SuiteID: "wwsuite0001", SuiteSecret: "suite-s3cret", ProviderCorpID: "wwprovider", ProviderSecret: "prov-s3cret",
		WeComBaseURL: "http://127.0.0.1:8787/wecom/", Store: "file", Token: "tok", EncodingAESKey: testAESKey, TrustedDomains: []string{"h5.isv.example"}}
	if !reflect.DeepEqual(*p, want) {
		t.Fatalf("got  %+v\nwant %+v", *p, want)
	}
	if p.InProcessEmulator() {
		t.Fatal("a suite profile never stands for the emulator's fixture corp")
	}

	// An empty variable is an error naming the key and the variable.
	delete(env, "ISV_SUITE_SECRET")
	_, err = Resolve(Overrides{ConfigPath: cfg, Name: "isv"}, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "suite_secret_env names $ISV_SUITE_SECRET, which is empty") {
		t.Fatalf("err = %v", err)
	}
	env["ISV_SUITE_SECRET"] = "x"
	env["ISV_AES"] = "short"
	_, err = Resolve(Overrides{ConfigPath: cfg, Name: "isv"}, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "$ISV_AES has 5 characters, not 43") || strings.Contains(err.Error(), "short") {
		t.Fatalf("err = %v", err)
	}
}

// Every mistake in a table gets a message naming the key and the fix.
func TestValidateSuite(t *testing.T) {
	const ok = "kind = \"suite\"\nsuite_id = \"wwsuite\"\nsuite_secret_env = \"S\"\ntoken_env = \"T\"\nencoding_aes_key_env = \"K\"\n"
	for _, tc := range []struct{ name, body, want string }{
		{"valid", ok, ""},
		{"valid with provider", ok + "provider_corp_id = \"wwp\"\nprovider_secret_env = \"P\"\n", ""},
		{"app table unchanged", "corp_id = \"ww1\"\nagent_id = 1\n", ""},
		{"unknown kind", "kind = \"isv\"\n", `kind = "isv" is not a profile kind; use "app"`},
		{"suite key without kind", "corp_id = \"ww1\"\nsuite_id = \"wws\"\n", `suite_id belongs to a third-party app; add kind = "suite"`},
		{"no suite id", "kind = \"suite\"\nsuite_secret_env = \"S\"\n", "needs suite_id"},
		{"spaces in suite id", "kind = \"suite\"\nsuite_id = \"ww s\"\n", "contains spaces"},
		{"no secret", "kind = \"suite\"\nsuite_id = \"wws\"\ntoken_env = \"T\"\n", "needs the suite Secret: suite_secret_env"},
		{"two secrets", "kind = \"suite\"\nsuite_id = \"wws\"\nsuite_secret = \"a\"\nsuite_secret_env = \"S\"\n", "both suite_secret and suite_secret_env"},
		{"no token", "kind = \"suite\"\nsuite_id = \"wws\"\nsuite_secret_env = \"S\"\nencoding_aes_key_env = \"K\"\n", "needs the suite callback Token"},
		{"no aes key", "kind = \"suite\"\nsuite_id = \"wws\"\nsuite_secret_env = \"S\"\ntoken_env = \"T\"\n", "needs the suite callback EncodingAESKey"},
		{"bad aes key", "kind = \"suite\"\nsuite_id = \"wws\"\nsuite_secret_env = \"S\"\ntoken = \"t\"\nencoding_aes_key = \"abc\"\n", "encoding_aes_key has 3 characters, not 43"},
		{"corp id in suite", ok + "corp_id = \"ww1\"\n", "so corp_id does not belong in it"},
		{"mp in suite", ok + "mp_app_id = \"wx1\"\n", "so mp_app_id does not belong in it"},
		{"provider secret alone", ok + "provider_secret_env = \"P\"\n", "provider_secret needs provider_corp_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tables, _, err := Parse([]byte("[profiles.x]\n" + tc.body))
			if err != nil {
				t.Fatal(err)
			}
			err = tables["x"].Validate("wwkit.toml", "x")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "wwkit.toml [profiles.x]") {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// A suite secret in a file others can read is warned about, like the app
// secret, and the secret never appears in the warning.
func TestSuiteSecretInReadableFile(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.toml")
	body := "[profiles.p]\nkind = \"suite\"\nsuite_id = \"wws\"\nsuite_secret = \"topsecret\"\ntoken = \"t\"\nencoding_aes_key = \"" + testAESKey + "\"\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cfg, 0o644)
	p, err := Resolve(Overrides{ConfigPath: cfg, Name: "p"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "chmod 600") || strings.Contains(p.Warnings[0], "topsecret") {
		t.Fatalf("warnings = %q", p.Warnings)
	}
}
