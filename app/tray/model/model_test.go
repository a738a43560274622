package model

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/internal/uilang"
)

// fake is an in-memory Backend.
type fake struct {
	mu       sync.Mutex
	url      string
	profiles []Profile
	active   string
	tokens   map[string][]Token
	count    int64
	signed   []string
	sentTo   []string
	startErr error
	me       string
	watch    chan Callback
}

func newFake() *fake {
	return &fake{
		profiles: []Profile{{"wecom", "wecom"}, {"mp", "mp"}},
		active:   "wecom",
		me:       "zhangsan",
		tokens:   map[string][]Token{},
		watch:    make(chan Callback),
	}
}

func (f *fake) Start(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		return f.startErr
	}
	f.url = "http://127.0.0.1:8080"
	return nil
}
func (f *fake) Stop()             { f.mu.Lock(); f.url = ""; f.mu.Unlock() }
func (f *fake) ServerURL() string { f.mu.Lock(); defer f.mu.Unlock(); return f.url }
func (f *fake) Profiles() ([]Profile, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.profiles, f.active, nil
}
func (f *fake) Switch(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.profiles {
		if p.Name == name {
			f.active = name
			return nil
		}
	}
	return errors.New("fake: no profile " + name)
}
func (f *fake) Tokens() ([]Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[f.active], nil
}
func (f *fake) PageURL() (string, error) { return f.ServerURL() + "/h5/?profile=" + f.active, nil }
func (f *fake) Sign(u string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.signed = append(f.signed, u)
	return "signature for " + u, nil
}
func (f *fake) SendTest(user string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sentTo = append(f.sentTo, user)
	return "sent, msgid 1", nil
}
func (f *fake) CurrentUser() string        { f.mu.Lock(); defer f.mu.Unlock(); return f.me }
func (f *fake) InboxCount() (int64, error) { f.mu.Lock(); defer f.mu.Unlock(); return f.count, nil }
func (f *fake) WatchInbox(ctx context.Context, emit func(Callback)) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case c := <-f.watch:
			emit(c)
		}
	}
}

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func TestTokenLine(t *testing.T) {
	tests := []struct {
		name string
		tok  Token
		want string
	}{
		{"valid hours", Token{Kind: "access_token", ExpiresAt: t0.Add(time.Hour + 52*time.Minute + 10*time.Second)}, "access_token: valid for 1h52m"},
		{"valid minutes", Token{Kind: "jsapi_ticket", ExpiresAt: t0.Add(5*time.Minute + 3*time.Second)}, "jsapi_ticket: valid for 5m"},
		{"valid seconds", Token{Kind: "access_token", ExpiresAt: t0.Add(42 * time.Second)}, "access_token: valid for 42s"},
		{"expired", Token{Kind: "access_token", ExpiresAt: t0.Add(-time.Second)}, "access_token: expired"},
		{"never fetched", Token{Kind: "access_token"}, "access_token: not fetched yet"},
		{"errcode explained", Token{Kind: "access_token", Errcode: 40001, Errmsg: "invalid credential", Explanation: "the secret is wrong"}, "access_token: refresh failed: errcode 40001 the secret is wrong"},
		{"errcode raw", Token{Kind: "access_token", Errcode: 99999, Errmsg: "odd"}, "access_token: refresh failed: errcode 99999 odd"},
		{"network", Token{Kind: "access_token", Failure: "dial tcp: refused", ExpiresAt: t0.Add(time.Hour)}, "access_token: refresh failed: dial tcp: refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TokenLine(tt.tok, t0); got != tt.want {
				t.Errorf("TokenLine = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestInboxLine(t *testing.T) {
	tests := []struct {
		fresh int
		total int64
		want  string
	}{
		{0, 0, "Callbacks: none new (0 stored)"},
		{3, 12, "Callbacks: 3 new (12 stored)"},
	}
	for _, tt := range tests {
		if got := InboxLine(tt.fresh, tt.total); got != tt.want {
			t.Errorf("InboxLine(%d, %d) = %q, want %q", tt.fresh, tt.total, got, tt.want)
		}
	}
}

// labels returns the menu's labels; submenu entries are prefixed by "> ",
// checked entries suffixed by " ✓", disabled actions by " (off)".
func labels(items []Item) []string {
	var out []string
	for _, it := range items {
		if it.Separator {
			out = append(out, "---")
			continue
		}
		l := it.Label
		if it.Checked {
			l += " ✓"
		}
		if it.Disabled && it.Action != "" {
			l += " (off)"
		}
		out = append(out, l)
		for _, c := range it.Children {
			cl := "> " + c.Label
			if c.Checked {
				cl += " ✓"
			}
			out = append(out, cl)
		}
	}
	return out
}

func TestMenu(t *testing.T) {
	running := Status{
		Profile: "wecom", Platform: "wecom", ServerURL: "http://127.0.0.1:8080",
		Profiles:     []Profile{{"wecom", "wecom"}, {"mp", "mp"}},
		Tokens:       []Token{{Kind: "access_token", ExpiresAt: t0.Add(2 * time.Hour)}},
		NewCallbacks: 2, Callbacks: 5,
		NotifyCallbacks: map[string]bool{"wecom": true}, Me: "zhangsan",
	}
	mp := running
	mp.Profile, mp.Platform = "mp", "mp"
	tests := []struct {
		name string
		st   Status
		want []string
	}{
		{"stopped", Status{}, []string{
			"Dev server: stopped", "Last action: none yet", "---", "Start dev server", "Show H5 QR code (off)",
			"Copy signature for the URL on the clipboard (off)", "Send a test message (off)",
			"Notify on callbacks (off)", "Refresh status", "Open inspector (off)", "Language / 语言", "> 中文", "> English ✓", "---", "Quit",
		}},
		{"running wecom", running, []string{
			"Dev server: running on http://127.0.0.1:8080", "Profile: wecom (wecom)",
			"access_token: valid for 2h00m", "Callbacks: 2 new (5 stored)", "Last action: none yet", "---",
			"Switch profile", "> mp (mp)", "> wecom (wecom) ✓", "Stop dev server", "Show H5 QR code",
			"Copy signature for the URL on the clipboard", "Send a test message to zhangsan",
			"Notify on callbacks ✓", "Refresh status", "Open inspector", "Language / 语言", "> 中文", "> English ✓", "---", "Quit",
		}},
		{"mp cannot send", mp, []string{
			"Dev server: running on http://127.0.0.1:8080", "Profile: mp (mp)",
			"access_token: valid for 2h00m", "Callbacks: 2 new (5 stored)", "Last action: none yet", "---",
			"Switch profile", "> mp (mp) ✓", "> wecom (wecom)", "Stop dev server", "Show H5 QR code",
			"Copy signature for the URL on the clipboard", "Send a test message to zhangsan (off)",
			"Notify on callbacks", "Refresh status", "Open inspector", "Language / 语言", "> 中文", "> English ✓", "---", "Quit",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := labels(Menu(tt.st, t0))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("menu:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// recorder collects notifications and status changes.
type recorder struct {
	mu      sync.Mutex
	notes   []Notification
	changes int
}

func (r *recorder) opts() Options {
	return Options{
		Now:      func() time.Time { return t0 },
		OnChange: func(Status) { r.mu.Lock(); r.changes++; r.mu.Unlock() },
		Notify:   func(n Notification) { r.mu.Lock(); r.notes = append(r.notes, n); r.mu.Unlock() },
	}
}

func (r *recorder) notifications() []Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Notification(nil), r.notes...)
}

func TestModelActions(t *testing.T) {
	f := newFake()
	f.count = 4
	f.tokens["wecom"] = []Token{{Kind: "access_token", ExpiresAt: t0.Add(time.Hour)}}
	f.tokens["mp"] = []Token{{Kind: "access_token", ExpiresAt: t0.Add(time.Minute)}}
	var r recorder
	m := New(f, r.opts())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	st := m.Status()
	if st.ServerURL == "" || st.Profile != "wecom" || st.Callbacks != 4 || len(st.Tokens) != 1 {
		t.Fatalf("status after start = %+v", st)
	}

	steps := []struct {
		action string
		check  func(Status) string
	}{
		{ActionSwitch + "mp", func(s Status) string {
			if s.Profile != "mp" || s.Platform != "mp" || s.Tokens[0].ExpiresAt != t0.Add(time.Minute) {
				return "switch did not reach the status"
			}
			return ""
		}},
		{ActionSwitch + "wecom", func(s Status) string {
			if s.Profile != "wecom" {
				return "switch back failed"
			}
			return ""
		}},
		{ActionSend, func(s Status) string {
			if s.Message != "test message to zhangsan: sent, msgid 1" {
				return "message = " + s.Message
			}
			return ""
		}},
		{ActionNotifyCallbacks, func(s Status) string {
			if !s.NotifyCallbacks["wecom"] || s.NotifyCallbacks["mp"] {
				return "notify toggle is per profile"
			}
			return ""
		}},
		{ActionServer, func(s Status) string {
			if s.ServerURL == "" || !s.ConfirmStop || !strings.HasPrefix(s.Message, "Stop the dev server?") {
				return "the first click on Stop dev server did not ask"
			}
			return ""
		}},
		{ActionServer, func(s Status) string {
			if s.ServerURL != "" || s.Message != "dev server stopped" {
				return "server did not stop"
			}
			return ""
		}},
		{ActionServer, func(s Status) string {
			if s.ServerURL == "" || s.Message != "dev server started" {
				return "server did not restart"
			}
			return ""
		}},
	}
	for _, s := range steps {
		if err := m.Do(s.action); err != nil {
			t.Fatalf("Do(%s): %v", s.action, err)
		}
		if msg := s.check(m.Status()); msg != "" {
			t.Fatalf("after %s: %s (%+v)", s.action, msg, m.Status())
		}
	}
	if len(f.sentTo) != 1 || f.sentTo[0] != "zhangsan" {
		t.Errorf("sent to %v, want [zhangsan] (the current user, never @all)", f.sentTo)
	}
	for _, a := range []string{ActionQR, ActionSign, ActionQuit} {
		if err := m.Do(a); !errors.Is(err, ErrUIAction) {
			t.Errorf("Do(%s) = %v, want ErrUIAction", a, err)
		}
	}
	if err := m.Do("bogus"); err == nil || !strings.Contains(m.Status().Message, "unknown action") {
		t.Errorf("Do(bogus) = %v, message %q", err, m.Status().Message)
	}
	if err := m.Do(ActionSwitch + "nope"); err == nil || !strings.Contains(m.Status().Message, "no profile nope") {
		t.Errorf("Do(switch nope) = %v, message %q", err, m.Status().Message)
	}
	if r.changes == 0 {
		t.Error("OnChange was never called")
	}
}

func TestCallbacksAndNotifications(t *testing.T) {
	f := newFake()
	var r recorder
	m := New(f, r.opts())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitCallbacks := func(n int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for m.Status().NewCallbacks < n && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if got := m.Status().NewCallbacks; got != n {
			t.Fatalf("NewCallbacks = %d, want %d", got, n)
		}
	}
	f.watch <- Callback{Profile: "wecom", Summary: "text: quiet"}
	// The watch goroutine handles a callback after receiving it: wait until
	// this one is counted, so turning notifications on cannot overtake it.
	waitCallbacks(1)
	if err := m.Do(ActionNotifyCallbacks); err != nil {
		t.Fatal(err)
	}
	f.watch <- Callback{Profile: "wecom", Summary: "text: hello"}
	f.watch <- Callback{Profile: "mp", Summary: "text: other"} // mp does not notify
	waitCallbacks(3)
	notes := r.notifications()
	if len(notes) != 1 || notes[0].Content != "text: hello" || notes[0].Title != "wwkit: callback for wecom" {
		t.Fatalf("notifications = %+v, want one for text: hello", notes)
	}
	if err := m.Do(ActionInbox); err != nil || m.Status().NewCallbacks != 0 {
		t.Fatalf("looking at the inbox did not reset the count: %v %d", err, m.Status().NewCallbacks)
	}

	// A token failure notifies once per new failure, not on every refresh.
	f.mu.Lock()
	f.tokens["wecom"] = []Token{{Kind: "access_token", Errcode: 40001, Explanation: "invalid credential"}}
	f.mu.Unlock()
	m.Refresh()
	m.Refresh()
	if notes = r.notifications(); len(notes) != 2 || !strings.Contains(notes[1].Content, "40001") {
		t.Fatalf("after failure: notifications = %+v, want a second one with 40001", notes)
	}
	f.mu.Lock()
	f.tokens["wecom"] = []Token{{Kind: "access_token", ExpiresAt: t0.Add(time.Hour)}}
	f.mu.Unlock()
	m.Refresh()
	f.mu.Lock()
	f.tokens["wecom"] = []Token{{Kind: "access_token", Errcode: 40001}}
	f.mu.Unlock()
	m.Refresh()
	if notes = r.notifications(); len(notes) != 3 {
		t.Fatalf("a failure after a recovery notifies again: %d notifications", len(notes))
	}
}

func TestSignText(t *testing.T) {
	tests := []struct {
		clip, want string
	}{
		{"https://example.com/page?a=1#x", "https://example.com/page?a=1#x"},
		{"  http://h5.test/p  ", "http://h5.test/p"},
		{"not a url", "http://127.0.0.1:8080/h5/?profile=wecom"},
		{"", "http://127.0.0.1:8080/h5/?profile=wecom"},
		{"ftp://x/y", "http://127.0.0.1:8080/h5/?profile=wecom"},
		{"https://", "http://127.0.0.1:8080/h5/?profile=wecom"},
		{"%zz", "http://127.0.0.1:8080/h5/?profile=wecom"},
	}
	f := newFake()
	m := New(f, Options{})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		got, err := m.SignText(tt.clip)
		if err != nil || got != "signature for "+tt.want {
			t.Errorf("SignText(%q) = %q, %v; want a signature for %q", tt.clip, got, err, tt.want)
		}
	}
}

func TestStartFailure(t *testing.T) {
	f := newFake()
	f.startErr = errors.New("fake: port busy")
	m := New(f, Options{})
	if err := m.Start(context.Background()); err == nil {
		t.Fatal("Start succeeded on a busy port")
	}
	if err := m.Do(ActionServer); err == nil || !strings.Contains(m.Status().Message, "port busy") {
		t.Fatalf("Do(server) = %v, message %q", err, m.Status().Message)
	}
	if got := labels(Menu(m.Status(), t0))[0]; got != "Dev server: stopped" {
		t.Errorf("first line = %q", got)
	}
}

// TestInspector checks "Open inspector": it runs `wwkit desktop --attach
// URL --data-dir DIR` (a fake exec here), not a second server; a second
// click while that window is open starts nothing; once it exited, a click
// opens it again; with the server stopped it says so.
func TestInspector(t *testing.T) {
	f := newFake()
	type launch struct {
		path string
		args []string
	}
	launches := make(chan launch, 4)
	exited := make(chan error)
	stopped := make(chan struct{}, 4)
	m := New(f, Options{Executable: "/opt/wwkit", DataDir: "/data/wwkit", Launch: func(path string, args ...string) (func() error, func(), error) {
		launches <- launch{path, args}
		return func() error { return <-exited }, func() { stopped <- struct{}{} }, nil
	}})
	m.CloseInspector() // none open: nothing to do
	if err := m.Do(ActionInspector); err == nil {
		t.Error("inspector with the server stopped: no error")
	}
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.Do(ActionInspector); err != nil {
		t.Fatal(err)
	}
	l := <-launches
	want := "desktop --attach http://127.0.0.1:8080 --data-dir /data/wwkit"
	if l.path != "/opt/wwkit" || strings.Join(l.args, " ") != want {
		t.Errorf("launched %s %v, want /opt/wwkit %s", l.path, l.args, want)
	}
	if !strings.Contains(m.Status().Message, "attached to http://127.0.0.1:8080") {
		t.Errorf("message = %q", m.Status().Message)
	}
	if err := m.Do(ActionInspector); err != nil || m.Status().Message != "the inspector is already open" {
		t.Errorf("second click: %v, %q", err, m.Status().Message)
	}
	select {
	case l := <-launches:
		t.Fatalf("a second inspector was started: %v", l)
	default:
	}
	// Quitting the tray ends the inspector (its server goes away).
	m.CloseInspector()
	select {
	case <-stopped:
	default:
		t.Fatal("CloseInspector did not stop the open inspector")
	}
	exited <- nil
	deadline := time.Now().Add(5 * time.Second)
	for {
		m.mu.Lock()
		open := m.inspector
		m.mu.Unlock()
		if !open {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the model still thinks the inspector is open")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := m.Do(ActionInspector); err != nil {
		t.Fatal(err)
	}
	<-launches
	exited <- errors.New("exit status 1")
	failing := New(f, Options{Launch: func(string, ...string) (func() error, func(), error) { return nil, nil, errors.New("no such file") }})
	if err := failing.Do(ActionInspector); err == nil || !strings.Contains(failing.Status().Message, "no such file") {
		t.Errorf("failed launch: %v, %q", err, failing.Status().Message)
	}
	if got := InspectorArgs("http://x", "", ""); strings.Join(got, " ") != "desktop --attach http://x" {
		t.Errorf("InspectorArgs without a data dir = %v", got)
	}
}

func TestStopAsksFirst(t *testing.T) {
	f := newFake()
	m := New(f, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Do(ActionServer); err != nil || f.ServerURL() == "" {
		t.Fatalf("the first click stopped the server (err %v)", err)
	}
	if got := labels(Menu(m.Status(), t0)); !contains(got, "Yes, stop the dev server") || contains(got, "Stop dev server") {
		t.Fatalf("the stop item does not ask for confirmation: %v", got)
	}
	// Another action cancels the question; the server keeps running.
	if err := m.Do(ActionRefresh); err != nil || m.Status().ConfirmStop || f.ServerURL() == "" {
		t.Fatalf("refresh did not cancel the pending stop: %+v", m.Status())
	}
	_ = m.Do(ActionServer)
	_ = m.Do(ActionServer)
	if f.ServerURL() != "" {
		t.Fatal("two clicks in a row did not stop the server")
	}
}

func TestSendDefaultsToCurrentUser(t *testing.T) {
	f := newFake()
	f.me = ""
	m := New(f, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Do(ActionSend); err == nil || len(f.sentTo) != 0 {
		t.Fatalf("with no current user the message went to %v (err %v)", f.sentTo, err)
	}
	if !strings.Contains(m.Status().Message, "--to USERID") {
		t.Errorf("message %q does not say how to pick a recipient", m.Status().Message)
	}
	f.mu.Lock()
	f.me = "lisi"
	f.mu.Unlock()
	m.Refresh()
	if err := m.Do(ActionSend); err != nil || len(f.sentTo) != 1 || f.sentTo[0] != "lisi" {
		t.Fatalf("sent to %v, want [lisi] (err %v)", f.sentTo, err)
	}
	// --to wins over the current user.
	m2 := New(f, Options{Me: "wangwu"})
	_ = m2.Start(ctx)
	_ = m2.Do(ActionSend)
	if f.sentTo[len(f.sentTo)-1] != "wangwu" {
		t.Errorf("--to wangwu ignored: %v", f.sentTo)
	}
}

func TestMenuInChinese(t *testing.T) {
	st := Status{
		Lang: uilang.Zh, Profile: "wecom", Platform: "wecom", ServerURL: "http://127.0.0.1:8080",
		Profiles:     []Profile{{"wecom", "wecom"}},
		Tokens:       []Token{{Kind: "access_token", ExpiresAt: t0.Add(2 * time.Hour)}, {Kind: "jsapi_ticket"}, {Kind: "agent_ticket", Errcode: 40001, Explanation: "the secret is wrong", ExplanationZh: "secret 错误"}},
		NewCallbacks: 1, Callbacks: 3, Me: "zhangsan", Rejected: 2,
		LastRejected: &Rejection{Profile: "wecom", Verdict: "token", Doctor: "wwkit crypt doctor --nonce 1"},
	}
	got := labels(Menu(st, t0))
	for _, want := range []string{"开发服务器：运行于 http://127.0.0.1:8080", "配置：wecom (wecom)", "access_token：有效，剩余 2h00m",
		"jsapi_ticket：尚未获取", "agent_ticket：刷新失败：errcode 40001 secret 错误", "回调：1 条新回调（共 3 条，2 条被拒）",
		"被拒绝的回调：2 条（最近，wecom：用另一个 Token 签名） — 复制回调检查命令", "上次操作：暂无", "停止开发服务器", "发送测试消息给 zhangsan", "退出"} {
		if !contains(got, want) {
			t.Errorf("no %q in the Chinese menu:\n%s", want, strings.Join(got, "\n"))
		}
	}
	// No English sentence in any label but the language item and names.
	english := regexp.MustCompile(`\b(the|on|for|to|of|Dev|server|Send|Stop|Callbacks|valid|failed)\b`)
	for _, l := range got {
		if english.MatchString(strings.ReplaceAll(l, "http://127.0.0.1:8080", "")) && l != "English" && !strings.HasPrefix(l, "Language") {
			t.Errorf("English in the Chinese menu: %q", l)
		}
	}
}

func TestLanguageSwitchPersists(t *testing.T) {
	f := newFake()
	var saved []uilang.Lang
	m := New(f, Options{Lang: uilang.En, SaveLang: func(l uilang.Lang) error { saved = append(saved, l); return nil }})
	if err := m.Do(ActionLang + "zh"); err != nil {
		t.Fatal(err)
	}
	if m.Status().Lang != uilang.Zh || len(saved) != 1 || saved[0] != uilang.Zh {
		t.Fatalf("lang %q saved %v", m.Status().Lang, saved)
	}
	if got := labels(Menu(m.Status(), t0)); !contains(got, "开发服务器：已停止") || !contains(got, "语言：中文") {
		t.Errorf("menu after switching to zh: %v", got)
	}
	if err := m.Do(ActionLang + "xx"); err != nil {
		t.Errorf("xx parses as a tag (English): %v", err)
	}
	if err := m.Do(ActionLang); err == nil {
		t.Error("an empty language was accepted")
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}
