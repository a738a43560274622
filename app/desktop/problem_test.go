package desktop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/emulator"
)

// TestProblemCodesAreDefined: every code the services fail with has an
// English text (the window's locale test then checks each has Chinese).
func TestProblemCodesAreDefined(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`fail(?:Wrap)?\("([^"]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n++
			if _, ok := problemText[m[1]]; !ok {
				t.Errorf("%s fails with code %q, which problemText does not define", f, m[1])
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d fail(...) calls; the scan is broken", n)
	}
	for code, text := range problemText {
		if strings.HasPrefix(text, "desktop:") || text == "" {
			t.Errorf("problem %s: text %q must be non-empty and unprefixed", code, text)
		}
	}
}

// TestFormatErrorGivesCodeAndParams: the window receives a code and its
// parameters, not the Go text with the package prefix.
func TestFormatErrorGivesCodeAndParams(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", fail("msg.newsCount", "n", 9))
	d, ok := FormatError(err).(ErrorDTO)
	if !ok {
		t.Fatalf("FormatError gave %T", FormatError(err))
	}
	if d.Code != "msg.newsCount" || d.Params["n"] != "9" || d.Message != "a news message has 1 to 8 articles, not 9" || d.Cause != "" {
		t.Fatalf("got %+v", d)
	}
	cause := errors.New("dial tcp: refused")
	d = FormatError(failWrap("msg.sendFailed", cause)).(ErrorDTO)
	if d.Code != "msg.sendFailed" || d.Cause != "dial tcp: refused" || strings.HasPrefix(d.Message, "desktop:") {
		t.Fatalf("got %+v", d)
	}
	if got := failWrap("msg.sendFailed", cause).Error(); got != "desktop: sending the message: dial tcp: refused" {
		t.Fatalf("English text for the CLI and logs: %q", got)
	}
	d = FormatError(errors.New("desktop: reading the profiles: permission denied")).(ErrorDTO)
	if d.Code != "internal" || d.Message != "reading the profiles: permission denied" {
		t.Fatalf("got %+v", d)
	}
}

// TestServiceErrorsAreProblems: validation errors of the services reach the
// window as codes.
func TestServiceErrorsAreProblems(t *testing.T) {
	a := startApp(t, Config{})
	_, err := a.Messages.Send(SendRequest{Profile: "wecom", MsgType: "text"})
	assertCode(t, err, "msg.noRecipient")
	_, err = a.Sign.Sign("wecom", SignConfig, "")
	assertCode(t, err, "sign.noURL")
	_, err = a.QR.H5(QRRequest{Size: 5})
	assertCode(t, err, "qr.size")
	_, err = a.Messages.SendTemplate(TemplateRequest{Profile: "mp"})
	assertCode(t, err, "msg.templateNeeds")
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) || p.Code != code {
		t.Errorf("error %v: want problem code %s", err, code)
	}
}

// TestXMLFieldsUseElementNames: the inbox detail names fields as the XML
// does (PicUrl, nested paths), not as wwkit's Go types do (PicURL).
func TestXMLFieldsUseElementNames(t *testing.T) {
	got := xmlFields(`<xml><ToUserName><![CDATA[ww1]]></ToUserName><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://p/1.jpg]]></PicUrl>` +
		`<SendLocationInfo><Location_X>23.1</Location_X></SendLocationInfo></xml>`)
	want := []FieldDTO{{"ToUserName", "ww1"}, {"MsgType", "image"}, {"PicUrl", "http://p/1.jpg"}, {"SendLocationInfo/Location_X", "23.1"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestFileFailuresAreProblems: when the data directory cannot be read or
// written, a service says so with its own code (the window shows it in
// Chinese, the OS error as the detail), not as an internal error.
func TestFileFailuresAreProblems(t *testing.T) {
	fx := emulator.DefaultFixture()
	in := func(name string) ProfileInput {
		return ProfileInput{Name: name, Platform: "mp", AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}
	}
	for _, tc := range []struct {
		file, code string
	}{
		{"secrets.json", "secrets.fileRead"},
		{"profiles.json", "profiles.read"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			dir := t.TempDir()
			a := startApp(t, Config{DataDir: dir})
			// A directory where the file should be: reading and writing
			// it fail even for root, whom file modes do not stop.
			if err := os.MkdirAll(filepath.Join(dir, tc.file, "x"), 0o700); err != nil {
				t.Fatal(err)
			}
			_, err := a.Profiles.Add(in("mine"))
			assertCode(t, err, tc.code)
			if d := FormatError(err).(ErrorDTO); d.Code != tc.code || d.Cause == "" {
				t.Errorf("window sees %+v, want code %s with the OS error as cause", d, tc.code)
			}
		})
	}
}
