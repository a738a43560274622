package uilang

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSystemFromEnvironment(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the environment decides only on Linux and the BSDs")
	}
	tests := []struct {
		env  map[string]string
		want Lang
	}{
		// zh_CN.UTF-8 is usually not compiled into a container's libc
		// (locale -a lists only C and POSIX); it must still give Chinese.
		{map[string]string{"LANG": "zh_CN.UTF-8"}, Zh},
		{map[string]string{"LANG": "zh_TW.UTF-8"}, Zh},
		{map[string]string{"LANG": "en_US.UTF-8"}, En},
		{map[string]string{"LANG": "C.UTF-8"}, En},
		{map[string]string{"LANG": "C"}, En},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, Zh},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, Zh},
		{map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, Zh},
		{map[string]string{"LANG": "zh_CN.UTF-8", "LANGUAGE": "en_GB:en"}, En},
		{map[string]string{}, En},
	}
	for _, tc := range tests {
		for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
			t.Setenv(k, tc.env[k])
			if tc.env[k] == "" {
				os.Unsetenv(k)
			}
		}
		if got := System(); got != tc.want {
			t.Errorf("env %v: System() = %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestFromTag(t *testing.T) {
	for tag, want := range map[string]Lang{"zh": Zh, "zh-Hans-CN": Zh, "zh_CN.UTF-8": Zh, "ZH-tw": Zh, "en-US": En, "zhx": En, "": En, "fr_FR": En} {
		if got := FromTag(tag); got != want {
			t.Errorf("FromTag(%q) = %q, want %q", tag, got, want)
		}
	}
}

func TestSaveLoadResolve(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if l, _ := Resolve(dir); l != Zh {
			t.Fatalf("first start with LANG=zh_CN.UTF-8: %q, want zh", l)
		}
	}
	if err := Save(dir, En); err != nil {
		t.Fatal(err)
	}
	if l, err := Resolve(dir); err != nil || l != En {
		t.Fatalf("after Save(en): %q %v", l, err)
	}
	if err := Save(dir, "fr"); err == nil {
		t.Error("Save(fr) was accepted")
	}
	if err := Save(dir, ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := Load(dir); ok {
		t.Error("the choice survived Save(\"\")")
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(dir); err == nil {
		t.Error("a broken locale.json was not reported")
	}
}
