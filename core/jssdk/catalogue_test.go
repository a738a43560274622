package jssdk

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

func TestCatalogueGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run")
	}
	if runtime.GOOS == "js" {
		t.Skip("runs the generator with go run, which a GOOS=js test under Node cannot exec; the native run checks it")
	}
	out := filepath.Join(t.TempDir(), "catalogue_gen.go")
	cmd := exec.Command("go", "run", "gen_catalogue.go", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen_catalogue: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("catalogue_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Fatal("catalogue_gen.go is out of date: run go generate ./core/jssdk")
	}
}

func TestKnownJSAPIs(t *testing.T) {
	all := KnownJSAPIs("all")
	if len(all) != 159 {
		t.Fatalf("catalogue has %d rows, the research catalogue has 159", len(all))
	}
	wecom, mp := KnownJSAPIs(PlatformWeCom), KnownJSAPIs(PlatformMP)
	if len(wecom) == 0 || len(mp) == 0 || len(wecom)+len(mp) <= len(all) {
		t.Fatalf("wecom %d + mp %d vs all %d", len(wecom), len(mp), len(all))
	}
	for _, a := range wecom {
		if a.Platform == PlatformMP {
			t.Errorf("wecom list has mp-only %s", a.Name)
		}
	}
	for _, a := range mp {
		if a.Platform == PlatformWeCom {
			t.Errorf("mp list has wecom-only %s", a.Name)
		}
		if a.NeedsAgentConfig {
			t.Errorf("mp API %s marked as needing agentConfig", a.Name)
		}
	}
	tests := []struct {
		name            string
		platform        string
		agent, beta, ok bool
		minWeCom        string
	}{
		{"chooseImage", PlatformBoth, false, false, true, ""},
		{"selectExternalContact", PlatformWeCom, true, true, true, "2.4.20"},
		{"openDefaultBrowser", PlatformWeCom, false, true, true, "2.3.0"},
		{"updateAppMessageShareData", PlatformMP, false, false, true, ""},
		{"agentConfig", PlatformWeCom, false, false, true, ""},
		{"launchMiniProgram", PlatformMP, false, false, true, ""},
		{"chooseimage", "", false, false, false, ""},
	}
	for _, tc := range tests {
		a, ok := LookupJSAPI(tc.name)
		if ok != tc.ok {
			t.Errorf("%s: found=%v", tc.name, ok)
			continue
		}
		if ok && (a.Platform != tc.platform || a.NeedsAgentConfig != tc.agent || a.NeedsBeta != tc.beta || a.MinWeCom != tc.minWeCom) {
			t.Errorf("%s = %+v", tc.name, a)
		}
	}
	// A copy: callers cannot change the catalogue.
	all[0].Name = "changed"
	if KnownJSAPIs("")[0].Name == "changed" {
		t.Error("KnownJSAPIs returns the shared slice")
	}
}
