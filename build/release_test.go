package build

import (
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every `make TARGET` the release workflow runs must be a target of the
// Makefile: the workflow runs only on GitHub, so a renamed target would
// first fail on a release tag.
func TestReleaseWorkflowMakeTargets(t *testing.T) {
	wf, err := os.ReadFile("../.github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([A-Za-z0-9_.-]+(?:[ \t]+[A-Za-z0-9_.-]+)*)[ \t]*:([^=]|$)`).FindAllStringSubmatch(string(mk), -1) {
		for _, name := range strings.Fields(m[1]) {
			targets[name] = true
		}
	}
	calls := regexp.MustCompile(`(?m)(?:^[ \t]*(?:-[ \t]*)?(?:run:[ \t]*)?|&&[ \t]*|;[ \t]*)make[ \t]+([a-z][a-z0-9-]*)`).FindAllStringSubmatch(string(wf), -1)
	if len(calls) < 3 {
		t.Fatalf("the workflow runs make %d times; want make dist on linux, windows and macos at least", len(calls))
	}
	seen := map[string]bool{}
	for _, c := range calls {
		if !targets[c[1]] {
			t.Errorf("release.yml runs `make %s`, which the Makefile does not define", c[1])
		}
		seen[c[1]] = true
	}
	for _, want := range []string{"dist", "test-dist"} {
		if !seen[want] {
			t.Errorf("release.yml never runs make %s", want)
		}
	}
	for _, os := range []string{"ubuntu-", "windows-", "macos-"} {
		if !strings.Contains(string(wf), "runs-on: "+os) {
			t.Errorf("release.yml has no job on %s*", os)
		}
	}
}

// plistValue is one value of an XML property list (the kinds Info.plist uses).
type plistValue struct {
	Kind  string
	Text  string
	Items []plistValue
}

// parsePlist reads the top-level <dict> of an XML plist, failing on
// malformed XML, a key without a value or a duplicate key.
func parsePlist(t *testing.T, r io.Reader) map[string]plistValue {
	t.Helper()
	d := xml.NewDecoder(r)
	var stack []string
	dict := map[string]plistValue{}
	var key string
	var arr *plistValue
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Info.plist is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			stack = append(stack, el.Name.Local)
			depth := len(stack)
			switch {
			case depth == 1 && el.Name.Local != "plist":
				t.Fatalf("root element <%s>, want <plist>", el.Name.Local)
			case depth == 2 && el.Name.Local != "dict":
				t.Fatalf("<plist> holds <%s>, want <dict>", el.Name.Local)
			case depth == 3 && el.Name.Local == "key":
				var k string
				if err := d.DecodeElement(&k, &el); err != nil {
					t.Fatal(err)
				}
				stack = stack[:len(stack)-1]
				if key != "" {
					t.Fatalf("key %s has no value", key)
				}
				if _, dup := dict[k]; dup {
					t.Fatalf("key %s appears twice", k)
				}
				key = k
			case depth == 3:
				if key == "" {
					t.Fatalf("<%s> without a <key>", el.Name.Local)
				}
				switch el.Name.Local {
				case "string", "integer", "real", "date":
					var s string
					if err := d.DecodeElement(&s, &el); err != nil {
						t.Fatal(err)
					}
					stack = stack[:len(stack)-1]
					dict[key] = plistValue{Kind: el.Name.Local, Text: s}
					key = ""
				case "true", "false":
					dict[key] = plistValue{Kind: "bool", Text: el.Name.Local}
				case "array":
					arr = &plistValue{Kind: "array"}
				default:
					t.Fatalf("key %s: unsupported <%s>", key, el.Name.Local)
				}
			case depth == 4 && arr != nil && el.Name.Local == "string":
				var s string
				if err := d.DecodeElement(&s, &el); err != nil {
					t.Fatal(err)
				}
				stack = stack[:len(stack)-1]
				arr.Items = append(arr.Items, plistValue{Kind: "string", Text: s})
			}
		case xml.EndElement:
			if len(stack) == 3 {
				switch el.Name.Local {
				case "true", "false":
					key = ""
				case "array":
					dict[key] = *arr
					key, arr = "", nil
				}
			}
			stack = stack[:len(stack)-1]
		}
	}
	if key != "" {
		t.Fatalf("key %s has no value", key)
	}
	return dict
}

// build/darwin/Info.plist must have what macOS needs to launch, name, sign
// and show wwkit.app, with values that match the bundle
// scripts/dist-darwin.sh assembles.
func TestDarwinInfoPlist(t *testing.T) {
	f, err := os.Open("darwin/Info.plist")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := parsePlist(t, f)
	want := map[string]string{
		"CFBundleInfoDictionaryVersion":  "6.0",
		"CFBundlePackageType":            "APPL",
		"CFBundleExecutable":             "wwkit", // Contents/MacOS/wwkit
		"CFBundleIconFile":               "iconfile",
		"CFBundleName":                   "wwkit",
		"CFBundleIdentifier":             "",
		"CFBundleVersion":                "0.0.0", // replaced with x.y.z at build time
		"CFBundleShortVersionString":     "0.0.0",
		"LSMinimumSystemVersion":         "",
		"NSHumanReadableCopyright":       "Copyright (c) 2026 the wwkit authors",
		"NSLocalNetworkUsageDescription": "",
	}
	for k, v := range want {
		got, ok := p[k]
		switch {
		case !ok:
			t.Errorf("Info.plist has no %s", k)
		case got.Kind != "string" || got.Text == "":
			t.Errorf("%s is %s %q, want a non-empty string", k, got.Kind, got.Text)
		case v != "" && got.Text != v:
			t.Errorf("%s = %q, want %q", k, got.Text, v)
		}
	}
	if id := p["CFBundleIdentifier"].Text; !regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`).MatchString(id) {
		t.Errorf("CFBundleIdentifier %q is not a reverse-DNS identifier", id)
	}
	// Go 1.26 binaries need macOS 12; an older minimum would let Finder
	// start a binary that crashes at once.
	if v := p["LSMinimumSystemVersion"].Text; v < "12" || strings.HasPrefix(v, "10.") {
		t.Errorf("LSMinimumSystemVersion %q, want 12 or later (Go 1.26's minimum)", v)
	}
	if b := p["NSHighResolutionCapable"]; b.Kind != "bool" || b.Text != "true" {
		t.Errorf("NSHighResolutionCapable is %s %q, want <true/> (a string is ignored)", b.Kind, b.Text)
	}
	if loc := p["CFBundleLocalizations"]; len(loc.Items) == 0 {
		t.Errorf("CFBundleLocalizations is missing or empty; the app speaks en and zh_CN")
	}
	sh, err := os.ReadFile("../scripts/dist-darwin.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Contents/MacOS/wwkit", "Resources/iconfile.icns", "build/darwin/Info.plist"} {
		if !strings.Contains(string(sh), s) {
			t.Errorf("scripts/dist-darwin.sh does not assemble %s, which Info.plist refers to", s)
		}
	}
}
