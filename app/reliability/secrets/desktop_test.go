package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/app/desktop"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

// enteredSecret is a secret the user types into the app's profile form; no
// method but Reveal may return it.
const enteredSecret = "AuditEnteredSecret-Hq6Ty3Ub8Wn"

// desktopCall is one bound-method call from testdata/desktop_calls.json: the
// method as Service.Method and its arguments as the JSON the window would
// send. Placeholders: $page (a page on a trusted domain), $dir (a scratch
// directory), $entered (enteredSecret), $follower (an MP follower's openid),
// $template (an MP template id), $robotKey (the fixture robot's webhook key).
type desktopCall struct {
	Call string            `json:"call"`
	Args []json.RawMessage `json:"args"`
}

// desktopFlows starts the desktop App (plain Go, no window) on profiles that
// talk to the audit's emulator, calls every exported method of every service
// that App.Services returns, and captures the JSON of every result and the
// text of every error, plus the App's slog output.
func desktopFlows(t *testing.T, a *auditor, fx *emulator.Fixture, wecomBase, mpBase, emuURL, dir string) {
	a.addSecret("secret entered in the desktop app", enteredSecret)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app := fx.WeCom.Apps[0]
	trusted := []string{"127.0.0.1", "localhost"}
	dapp, err := desktop.NewApp(desktop.Config{
		DataDir: dir, ConfigPath: "-", Secrets: "file", Logger: logger,
		Profiles: []server.Profile{{
			Name: "wecom", Platform: server.PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: corpSecret,
			Token: wecomCBToken, EncodingAESKey: wecomAESKey, TrustedDomains: trusted, APIBaseURL: wecomBase,
			AuthorizeURL: strings.TrimSuffix(wecomBase, "/wecom") + "/wecom/connect/oauth2/authorize", Reply: server.ReplyEcho,
		}, {
			Name: "mp", Platform: server.PlatformMP, AppID: fx.MP.AppID, Secret: mpSecret,
			Token: mpCBToken, EncodingAESKey: mpAESKey, TrustedDomains: trusted, APIBaseURL: mpBase, Reply: server.ReplyEcho,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := dapp.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer dapp.Stop()
	page := dapp.ServerURL() + "/index.html"

	var calls []desktopCall
	raw, err := os.ReadFile("testdata/desktop_calls.json")
	if err != nil {
		t.Fatal(err)
	}
	follower, template := "", ""
	if len(fx.MP.Followers) > 0 {
		follower = fx.MP.Followers[0].OpenID
	}
	if len(fx.MP.Templates) > 0 {
		template = fx.MP.Templates[0].ID
	}
	robotKey := ""
	if len(fx.WeCom.Robots) > 0 {
		robotKey = fx.WeCom.Robots[0].Key
	}
	raw = []byte(strings.NewReplacer("$page", page, "$dir", dir, "$entered", enteredSecret,
		"$follower", follower, "$template", template, "$robotKey", robotKey).Replace(string(raw)))
	if err := json.Unmarshal(raw, &calls); err != nil {
		t.Fatalf("testdata/desktop_calls.json: %v", err)
	}
	services := map[string]reflect.Value{}
	var order []string
	for _, s := range dapp.Services() {
		v := reflect.ValueOf(s)
		name := v.Type().Elem().Name()
		services[name] = v
		order = append(order, name)
	}
	called := map[string]int{}
	invoke := func(svc, method string, args []json.RawMessage) {
		v, ok := services[svc]
		if !ok {
			t.Errorf("desktop_calls.json: no service %s among App.Services()", svc)
			return
		}
		m := v.MethodByName(method)
		if !m.IsValid() {
			t.Errorf("desktop_calls.json: %s has no method %s", svc, method)
			return
		}
		mt := m.Type()
		if mt.IsVariadic() || (args != nil && len(args) != mt.NumIn()) {
			t.Errorf("desktop_calls.json: %s.%s takes %d arguments, the file gives %d", svc, method, mt.NumIn(), len(args))
			return
		}
		in := make([]reflect.Value, mt.NumIn())
		for i := range in {
			p := reflect.New(mt.In(i))
			if args != nil {
				if err := json.Unmarshal(args[i], p.Interface()); err != nil {
					t.Errorf("%s.%s argument %d: %v", svc, method, i, err)
					return
				}
			}
			in[i] = p.Elem()
		}
		out := m.Call(in)
		called[svc+"."+method]++
		var res bytes.Buffer
		for _, o := range out {
			if err, ok := o.Interface().(error); ok || (o.Kind() == reflect.Interface && o.IsNil()) {
				if err != nil {
					fmt.Fprintf(&res, "error: %s\n", err.Error())
				}
				continue
			}
			b, err := json.Marshal(o.Interface())
			if err != nil {
				fmt.Fprintf(&res, "unmarshalable %T: %v\n", o.Interface(), err)
				continue
			}
			res.Write(b)
			res.WriteString("\n")
		}
		where := fmt.Sprintf("%s.%s(%s)", svc, method, joinArgs(args))
		if svc == "ProfileService" && method == "Reveal" {
			// The explicit reveal: allowed to show the profile's secrets,
			// and it must.
			a.capture("desktop Reveal (explicit)", where, res.Bytes(), "WeCom corp secret", "MP AppSecret", "WeCom callback Token",
				"MP callback Token", "WeCom EncodingAESKey", "MP EncodingAESKey", "WeCom EncodingAESKey (AES key bytes)",
				"MP EncodingAESKey (AES key bytes)", "secret entered in the desktop app")
			return
		}
		if os.Getenv("AUDIT_DEBUG") != "" {
			t.Logf("%s → %.300s", where, res.Bytes())
		}
		a.capture("desktop bound-method results", where, res.Bytes())
	}
	for _, c := range calls {
		svc, method, ok := strings.Cut(c.Call, ".")
		if !ok {
			t.Errorf("desktop_calls.json: call %q is not Service.Method", c.Call)
			continue
		}
		if c.Args == nil {
			c.Args = []json.RawMessage{}
		}
		invoke(svc, method, c.Args)
		if dapp.ServerURL() == "" {
			// Not this audit's subject, but it would blind the rest of
			// it: say so and start the app again.
			t.Logf("desktop: the App was no longer started after %s; starting it again to go on", c.Call)
			if err := dapp.Start(ctx); err != nil {
				t.Fatalf("desktop: starting the App again after %s: %v", c.Call, err)
			}
		}
	}
	// Every exported method not in the file is called too, with zero values.
	zero := 0
	total := 0
	for _, svc := range order {
		v := services[svc]
		for i := 0; i < v.NumMethod(); i++ {
			total++
			name := v.Type().Method(i).Name
			if called[svc+"."+name] == 0 {
				invoke(svc, name, nil)
				t.Logf("desktop: %s.%s is not in testdata/desktop_calls.json; called with zero values", svc, name)
				zero++
			}
		}
	}
	// Reveal itself must reveal: the window's explicit click works.
	for _, c := range []struct{ profile, field, want string }{
		{"wecom", desktop.FieldSecret, corpSecret}, {"mp", desktop.FieldSecret, mpSecret},
		{"wecom", desktop.FieldToken, wecomCBToken}, {"wecom", desktop.FieldEncodingAESKey, wecomAESKey},
	} {
		if got, err := dapp.Profiles.Reveal(c.profile, c.field); err != nil || got != c.want {
			t.Errorf("Reveal(%s, %s) = %q, %v; want the secret", c.profile, c.field, got, err)
		}
	}
	dapp.Stop()
	a.capture("desktop slog output", "desktop App logger", logs.Bytes())
	n := 0
	for _, c := range called {
		n += c
	}
	t.Logf("desktop: %d exported methods of %d services, %d calls (%d methods only with zero values: not in testdata/desktop_calls.json)", total, len(order), n, zero)
}

func joinArgs(args []json.RawMessage) string {
	if args == nil {
		return "zero values"
	}
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = string(a)
		if len(s[i]) > 60 {
			s[i] = s[i][:60] + "…"
		}
	}
	return strings.Join(s, ", ")
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
