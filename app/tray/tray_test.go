//go:build desktop

package tray

import (
	"context"
	"fmt"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/wwkit/wwkit/app/internal/uilang"
	"github.com/wwkit/wwkit/app/tray/model"
)

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("bitmap: %v", err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the rendered window holds no readable QR code: %v", err)
	}
	return res.GetText()
}

func TestQRWindowRendersURL(t *testing.T) {
	tests := []string{
		"http://192.168.1.20:8080/h5/?profile=wecom",
		"https://h5.example.com/debug/?profile=mp&apis=chooseImage,scanQRCode&vconsole=1",
	}
	for _, url := range tests {
		t.Run(url, func(t *testing.T) {
			a := test.NewTempApp(t)
			w, err := newQRWindow(a, url, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			w.Resize(fyne.NewSize(420, 460))
			w.Show()
			if got := decodeQR(t, w.Canvas().Capture()); got != url {
				t.Fatalf("QR decodes to %q, want %q", got, url)
			}
			// The URL is shown and copyable.
			var entry *widget.Entry
			var copyBtn *widget.Button
			walk(w.Content(), func(o fyne.CanvasObject) {
				switch v := o.(type) {
				case *widget.Entry:
					entry = v
				case *widget.Button:
					if v.Text == "Copy URL" {
						copyBtn = v
					}
				}
			})
			if entry == nil || entry.Text != url {
				t.Fatalf("URL entry = %v", entry)
			}
			test.Type(entry, "x")
			if entry.Text != url {
				t.Errorf("the URL entry can be edited away from the QR content: %q", entry.Text)
			}
			if copyBtn == nil {
				t.Fatal("no Copy URL button")
			}
			test.Tap(copyBtn)
			if got := a.Clipboard().Content(); got != url {
				t.Errorf("clipboard = %q, want %q", got, url)
			}
		})
	}
}

func TestQRWindowTooLong(t *testing.T) {
	a := test.NewTempApp(t)
	if _, err := newQRWindow(a, "https://x/"+strings.Repeat("a", 5000), nil); err == nil || !strings.HasPrefix(err.Error(), "tray: ") {
		t.Fatalf("err = %v, want a tray: error", err)
	}
}

// walk visits o and every object inside it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, ch := range c.Objects {
			walk(ch, f)
		}
	}
}

func menuLabels(m *fyne.Menu) []string {
	var out []string
	for _, it := range m.Items {
		if it.IsSeparator {
			out = append(out, "---")
			continue
		}
		l := it.Label
		if it.Disabled {
			l += " (off)"
		}
		if it.Checked {
			l += " ✓"
		}
		out = append(out, l)
		if it.ChildMenu != nil {
			for _, c := range it.ChildMenu.Items {
				out = append(out, "> "+c.Label)
			}
		}
	}
	return out
}

// stub is a minimal Backend for the UI tests.
type stub struct {
	mu     sync.Mutex
	url    string
	active string
	fail   bool
}

func (s *stub) Start(context.Context) error {
	s.mu.Lock()
	s.url = "http://127.0.0.1:9"
	s.mu.Unlock()
	return nil
}
func (s *stub) Stop()             { s.mu.Lock(); s.url = ""; s.mu.Unlock() }
func (s *stub) ServerURL() string { s.mu.Lock(); defer s.mu.Unlock(); return s.url }
func (s *stub) Profiles() ([]model.Profile, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return []model.Profile{{Name: "wecom", Platform: "wecom"}, {Name: "mp", Platform: "mp"}}, s.active, nil
}
func (s *stub) Switch(n string) error { s.mu.Lock(); s.active = n; s.mu.Unlock(); return nil }
func (s *stub) Tokens() ([]model.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return []model.Token{{Kind: "access_token", Errcode: 40001, Explanation: "invalid credential"}}, nil
	}
	return []model.Token{{Kind: "access_token", ExpiresAt: time.Now().Add(time.Hour + 52*time.Minute + 30*time.Second)}}, nil
}
func (s *stub) PageURL() (string, error)        { return s.ServerURL() + "/h5/", nil }
func (s *stub) Sign(u string) (string, error)   { return "{}", nil }
func (s *stub) SendTest(string) (string, error) { return "sent", nil }
func (s *stub) InboxCount() (int64, error)      { return 7, nil }
func (s *stub) WatchInbox(ctx context.Context, emit func(model.Callback)) error {
	<-ctx.Done()
	return nil
}

func TestMenuFollowsStatus(t *testing.T) {
	b := &stub{active: "wecom"}
	m := model.New(b, model.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var clicked []string
	click := func(a string) { clicked = append(clicked, a) }
	steps := []struct {
		name   string
		change func()
		want   []string // lines that must be in the menu
		absent []string
	}{
		{"running", func() {}, []string{
			"Dev server: running on http://127.0.0.1:9 (off)", "Profile: wecom (wecom) (off)",
			"access_token: valid for 1h52m (off)", "Callbacks: none new (7 stored)", "Stop dev server", "Send a test message",
		}, []string{"Start dev server"}},
		{"switched to mp", func() { _ = m.Do(model.ActionSwitch + "mp") }, []string{
			"Profile: mp (mp) (off)", "Send a test message (off)",
		}, nil},
		{"callback", func() { m.OnCallback(model.Callback{Profile: "mp"}) }, []string{"Callbacks: 1 new (8 stored)"}, nil},
		{"token fails", func() { b.mu.Lock(); b.fail = true; b.mu.Unlock(); m.Refresh() }, []string{
			"access_token: refresh failed: errcode 40001 invalid credential (off)",
		}, nil},
		{"asks before stopping", func() { _ = m.Do(model.ActionServer) }, []string{
			"Yes, stop the dev server", "Dev server: running on http://127.0.0.1:9 (off)",
		}, []string{"Stop dev server", "Dev server: stopped (off)"}},
		{"stopped", func() { _ = m.Do(model.ActionServer) }, []string{
			"Dev server: stopped (off)", "Start dev server", "Show H5 QR code (off)",
		}, []string{"Stop dev server"}},
	}
	for _, s := range steps {
		s.change()
		got := menuLabels(buildMenu(model.Menu(m.Status(), time.Now()), click))
		joined := "\n" + strings.Join(got, "\n") + "\n"
		for _, w := range s.want {
			if !strings.Contains(joined, "\n"+w+"\n") {
				t.Errorf("%s: menu lacks %q:%s", s.name, w, joined)
			}
		}
		for _, w := range s.absent {
			if strings.Contains(joined, "\n"+w+"\n") {
				t.Errorf("%s: menu still has %q", s.name, w)
			}
		}
	}
	menu := buildMenu(model.Menu(m.Status(), time.Now()), click)
	for _, it := range menu.Items {
		if it.Label == "Start dev server" {
			it.Action()
		}
	}
	if len(clicked) != 1 || clicked[0] != model.ActionServer {
		t.Errorf("clicks = %v, want [server]", clicked)
	}
}

// The window fallback (no tray host) shows the same lines, with actions as
// buttons that call back.
func TestPanelWindow(t *testing.T) {
	a := test.NewTempApp(t)
	b := &stub{active: "wecom"}
	m := model.New(b, model.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var clicked []string
	panel := buildPanel(model.Menu(m.Status(), time.Now()), "No system tray here: no D-Bus session", func(s string) { clicked = append(clicked, s) })
	w := a.NewWindow("panel")
	defer w.Close()
	w.SetContent(container.NewVScroll(panel))
	var texts []string
	var send *widget.Button
	var sel *widget.Select
	walk(panel, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *widget.Button:
			if v.Text == "Send a test message" {
				send = v
			}
		case *widget.Select:
			if strings.Contains(v.Selected, "(wecom)") {
				sel = v
			}
		}
	})
	joined := strings.Join(texts, "\n")
	for _, want := range []string{"No system tray here: no D-Bus session", "Dev server: running on http://127.0.0.1:9", "access_token: valid for 1h52m"} {
		if !strings.Contains(joined, want) {
			t.Errorf("panel lacks %q:\n%s", want, joined)
		}
	}
	if send == nil || send.Disabled() {
		t.Fatal("no enabled send button for a wecom profile")
	}
	test.Tap(send)
	if sel == nil || sel.Selected != "wecom (wecom)" {
		t.Fatalf("profile select = %v", sel)
	}
	sel.SetSelected("mp (mp)")
	if strings.Join(clicked, ",") != "send,switch:mp" {
		t.Errorf("clicks = %v", clicked)
	}
}

// buttonTops maps each button's label (its action's place) to its absolute
// top edge in a window showing st.
func buttonTops(t *testing.T, a fyne.App, st model.Status) map[string]float32 {
	t.Helper()
	panel := buildPanel(model.Menu(st, time.Now()), "", func(string) {})
	w := test.NewWindow(panel)
	defer w.Close()
	w.Resize(fyne.NewSize(380, 900))
	tops := map[string]float32{}
	d := fyne.CurrentApp().Driver()
	var i int
	walk(panel, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Importance != widget.LowImportance && b.Importance != widget.WarningImportance {
			// Keyed by order: the labels of Start/Stop and Send change.
			tops[fmt.Sprint(i)] = d.AbsolutePositionForObject(b).Y
			i++
		}
	})
	return tops
}

// Buttons stay where they are when an action reports, the server stops or a
// token line appears: the result is in a fixed area below them.
func TestPanelButtonsDoNotMove(t *testing.T) {
	a := test.NewTempApp(t)
	base := model.Status{
		ServerURL: "http://127.0.0.1:9", Profile: "wecom", Platform: "wecom",
		Profiles:        []model.Profile{{Name: "wecom", Platform: "wecom"}, {Name: "mp", Platform: "mp"}},
		NotifyCallbacks: map[string]bool{},
	}
	before := buttonTops(t, a, base)
	after := base
	after.Message = "test message to zhangsan: sent, msgid 1234567890 — a long result line that wraps over more than one line in a narrow window"
	after.Tokens = []model.Token{{Kind: "access_token", Errcode: 40001, Explanation: "invalid credential"}, {Kind: "jsapi_ticket"}}
	after.TokenError = "tokens: could not be read"
	after.Rejected = 3
	after.LastRejected = &model.Rejection{Verdict: "token", Doctor: "wwkit crypt doctor --nonce 1"}
	after.QRWarnings = []model.QRWarning{{Code: "loopback", Params: map[string]string{"url": "http://127.0.0.1:9", "port": "9"}}}
	stopped := base
	stopped.ServerURL = ""
	stopped.Message = "dev server stopped"
	confirm := base
	confirm.ConfirmStop = true
	confirm.Message = "Stop the dev server? Phones with the H5 page open lose it."
	for name, st := range map[string]model.Status{"after a result": after, "stopped": stopped, "asking to stop": confirm} {
		got := buttonTops(t, a, st)
		if len(got) != len(before) {
			t.Errorf("%s: %d buttons, want %d", name, len(got), len(before))
			continue
		}
		for k, y := range before {
			if got[k] != y {
				t.Errorf("%s: button %s moved from y=%.0f to y=%.0f", name, k, y, got[k])
			}
		}
	}
}

func TestPanelInChinese(t *testing.T) {
	test.NewTempApp(t)
	st := model.Status{Lang: uilang.Zh, ServerURL: "http://127.0.0.1:9", Profile: "wecom", Platform: "wecom", Me: "zhangsan", NotifyCallbacks: map[string]bool{}}
	panel := buildPanel(model.Menu(st, time.Now()), "", func(string) {})
	var texts []string
	walk(panel, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			texts = append(texts, v.Text)
		case *widget.Button:
			texts = append(texts, v.Text)
		}
	})
	joined := strings.Join(texts, "\n")
	for _, want := range []string{"开发服务器：运行于 http://127.0.0.1:9", "停止开发服务器", "发送测试消息给 zhangsan", "上次操作：暂无", "退出"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the Chinese panel lacks %q:\n%s", want, joined)
		}
	}
	for _, en := range []string{"Stop dev server", "Send a test message", "Quit", "Refresh status"} {
		if strings.Contains(joined, en) {
			t.Errorf("English %q in the Chinese panel", en)
		}
	}
}

// The window's no-tray line is Chinese in the Chinese UI (the D-Bus reason
// stays in the English one).
func TestNoTrayTextFollowsTheLanguage(t *testing.T) {
	const why = "no StatusNotifierWatcher on the D-Bus session"
	zh := &ui{model: model.New(&stub{active: "wecom"}, model.Options{Lang: uilang.Zh}), noTray: why}
	if got := zh.noTrayText(); !strings.HasPrefix(got, "此处没有系统托盘") || strings.Contains(got, "StatusNotifierWatcher") {
		t.Errorf("Chinese: %q", got)
	}
	en := &ui{model: model.New(&stub{active: "wecom"}, model.Options{Lang: uilang.En}), noTray: why}
	if got := en.noTrayText(); got != "No system tray here: "+why {
		t.Errorf("English: %q", got)
	}
}

// TestGUIPanic: a panic of the Fyne driver while the tray closes is not a
// failure (exit 0, one line); before the main loop ran it names the display
// and GL; after, it carries the stack for a bug report.
func TestGUIPanic(t *testing.T) {
	stack := []byte("goroutine 1 [running]:\nfyne.io/fyne/v2/internal/driver/glfw.(*window).processMouseMoved")
	err, note := guiPanic("nil pointer", true, true, stack)
	if err != nil || !strings.Contains(note, "while closing") || !strings.Contains(note, "nil pointer") {
		t.Errorf("closing: err %v, note %q", err, note)
	}
	err, note = guiPanic("no display", false, false, stack)
	if err == nil || note != "" || !strings.Contains(err.Error(), "could not start") || !strings.Contains(err.Error(), "display") {
		t.Errorf("not started: err %v, note %q", err, note)
	}
	err, note = guiPanic("nil pointer", true, false, stack)
	if err == nil || note != "" || !strings.Contains(err.Error(), "processMouseMoved") || strings.Contains(err.Error(), "could not start") {
		t.Errorf("running: err %v, note %q", err, note)
	}
}
