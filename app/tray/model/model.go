// Package model is the tray companion's view-model: the status the tray menu
// shows (active profile, token status, dev server state, new callbacks), the
// menu as data, the actions behind it and the notifications to raise. It is
// plain Go with no Fyne import, so it is tested without cgo; the Fyne code in
// app/tray only renders Menu and forwards clicks to Model.Do.
package model

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wwkit/wwkit/app/internal/uilang"
)

// Profile is a profile as the tray lists it.
type Profile struct {
	Name     string
	Platform string // wecom or mp
}

// Token is the status of one token or ticket (access_token, jsapi_ticket…).
type Token struct {
	Kind      string
	ExpiresAt time.Time // zero: never fetched
	// Errcode, Errmsg and Explanation are the last errcode the server
	// answered for it (0: none).
	Errcode     int
	Errmsg      string
	Explanation string
	// ExplanationZh is the catalogue's Chinese text ("" when none).
	ExplanationZh string
	// Failure is the last non-errcode failure (network, …).
	Failure string
}

// failed reports whether the token's last refresh failed.
func (t Token) failed() bool { return t.Errcode != 0 || t.Failure != "" }

// Callback is one callback the dev server stored.
type Callback struct {
	Profile string
	Summary string // e.g. "text: hello"
}

// Backend is what the tray drives: the desktop App's services (the desktop
// build adapts *desktop.App to it). Every method may be called from any
// goroutine.
type Backend interface {
	// Start starts the dev server; ctx bounds its life.
	Start(ctx context.Context) error
	// Stop stops the dev server; safe when stopped.
	Stop()
	// ServerURL is the dev server's URL, "" when stopped.
	ServerURL() string
	// Profiles lists the profiles; active is the active one's name.
	Profiles() (list []Profile, active string, err error)
	// Switch makes a profile the active one.
	Switch(name string) error
	// Tokens returns the active profile's tokens, fetching the missing or
	// expired ones (this keeps them warm).
	Tokens() ([]Token, error)
	// PageURL is the H5 debug page URL phones open (the QR content).
	PageURL() (string, error)
	// Sign returns a wx.config signature for pageURL as copyable text.
	Sign(pageURL string) (string, error)
	// SendTest sends a short test message to user from the active profile;
	// the string describes the outcome ("sent, msgid …" or the errcode).
	SendTest(user string) (string, error)
	// InboxCount is the number of stored callbacks.
	InboxCount() (int64, error)
	// WatchInbox calls emit for every new callback until ctx ends or the
	// server stops.
	WatchInbox(ctx context.Context, emit func(Callback)) error
}

// CurrentUserer is an optional Backend: who "the current user" is for the
// active profile (the userid last signed in through the dev server's OAuth,
// else the emulator's first member), "" when nobody is known.
type CurrentUserer interface {
	CurrentUser() string
}

// Rejection is the last callback the dev server rejected.
type Rejection struct {
	// ID is the dev server's id of the refusal: the inspector opens its
	// callback checker on it (--open checker:ID); 0 when unknown.
	ID      int64
	Profile string
	// Verdict is the doctor's one-word cause (token, aeskey, receiveid,
	// clock, …; VerdictText words it); Detail explains it in English.
	Verdict string
	Detail  string
	// Doctor is the `wwkit crypt doctor` command line that replays the
	// check: the tray copies it to the clipboard when the inspector cannot
	// open the callback checker.
	Doctor string
}

// RejectedCounter is an optional Backend: the callbacks the dev server
// rejected (bad signature, bad XML, wrong key, stale timestamp).
type RejectedCounter interface {
	Rejected() (total int64, last *Rejection, err error)
}

// QRWarning is why a phone may not open the H5 QR code: a code of the dev
// server's reachability check (loopback, lan-excluded, not-this-server,
// unreachable) and its parameters; QRWarningText words it.
type QRWarning struct {
	Code   string
	Params map[string]string
}

// QRWarner is an optional Backend: the reachability verdict on the dev
// server's public URL (cached by the backend; it probes the URL).
type QRWarner interface {
	QRWarnings() []QRWarning
}

// Status is everything the tray shows.
type Status struct {
	// QRWarnings say why phones may not open the H5 QR code (none: they
	// can, as far as this machine can tell).
	QRWarnings []QRWarning
	// Lang is the UI language of the menu and the messages.
	Lang uilang.Lang
	// Me is who a test message goes to ("" when nobody is known).
	Me string
	// Rejected counts the callbacks the dev server rejected; LastRejected
	// is the newest (nil when none).
	Rejected     int64
	LastRejected *Rejection
	// ConfirmStop is set after a first click on "Stop dev server": the
	// same item then asks for the confirming click.
	ConfirmStop bool
	Profile     string
	Platform    string
	Profiles    []Profile
	Tokens      []Token
	// TokenError is why the token status could not be read ("" when it
	// was).
	TokenError   string
	ServerURL    string // "" = stopped
	NewCallbacks int    // since the user last looked
	Callbacks    int64  // stored in total
	// NotifyCallbacks lists the profiles whose callbacks raise a
	// notification.
	NotifyCallbacks map[string]bool
	// Message is the outcome of the last action, shown in the menu.
	Message string
}

// Notification is a desktop notification to raise.
type Notification struct {
	Title   string
	Content string
}

// Action IDs of menu items. Profile items are ActionSwitch + name.
const (
	ActionSwitch          = "switch:"
	ActionServer          = "server"
	ActionQR              = "qr"
	ActionSign            = "sign"
	ActionSend            = "send"
	ActionInbox           = "inbox"
	ActionNotifyCallbacks = "notify-callbacks"
	ActionInspector       = "inspector"
	ActionRefresh         = "refresh"
	ActionQuit            = "quit"
	// ActionLang + "zh"/"en" switches the UI language (persisted).
	ActionLang = "lang:"
	// ActionRejected opens the inspector on the callback checker,
	// prefilled with the last rejected callback; when it cannot (no id,
	// the inspector does not start or is already open) Do returns
	// ErrUIAction and the UI copies the doctor command instead.
	ActionRejected = "rejected"
)

// Item is one menu entry. An item with Action "" is a status line.
type Item struct {
	Label     string
	Action    string
	Disabled  bool
	Checked   bool
	Separator bool
	Children  []Item
	// Result marks the line with the last action's outcome: the window
	// shows it in a fixed area below the buttons.
	Result bool
}

// Options configure a Model.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Me is the user a test message goes to (--to). When empty the
	// Backend's CurrentUser is asked (the user signed in on the H5 page,
	// else the emulator's first member); never @all by default.
	Me string
	// Lang is the UI language at start (default English).
	Lang uilang.Lang
	// SaveLang persists a language the user picked in the menu (nil:
	// not persisted).
	SaveLang func(uilang.Lang) error
	// OnChange is called after every status change, from any goroutine.
	OnChange func(Status)
	// Notify raises a desktop notification, from any goroutine.
	Notify func(Notification)
	// Executable is the wwkit binary the inspector runs (default: this
	// program, os.Executable).
	Executable string
	// DataDir is passed to the inspector (--data-dir) so it finds the same
	// profiles, secrets and token file as the tray.
	DataDir string
	// Launch starts the inspector process (default: exec.Command with the
	// tray's stderr); the returned wait blocks until it exits.
	Launch Launcher
}

// Launcher starts path with args and returns a function that waits for the
// process to end and one that asks it to end (SIGTERM).
type Launcher func(path string, args ...string) (wait func() error, stop func(), err error)

// InspectorArgs are the arguments of the inspector window: `wwkit desktop`
// attached to the tray's running dev server (no second server, no second
// emulator) over the same data directory, showing open first (--open, e.g.
// checker:ID; "" for the overview).
func InspectorArgs(serverURL, dataDir, open string) []string {
	args := []string{"desktop", "--attach", serverURL}
	if dataDir != "" {
		args = append(args, "--data-dir", dataDir)
	}
	if open != "" {
		args = append(args, "--open", open)
	}
	return args
}

// Model holds the tray's status and runs its actions.
type Model struct {
	b    Backend
	opts Options

	mu        sync.Mutex
	st        Status
	ctx       context.Context // Run's context: the server's life
	failures  map[string]string
	inspector bool   // an inspector window started by this tray is still open
	stopInsp  func() // ends it (nil when none is open)
}

// New returns a Model over b.
func New(b Backend, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Lang != uilang.Zh {
		opts.Lang = uilang.En
	}
	return &Model{b: b, opts: opts, ctx: context.Background(), failures: map[string]string{},
		st: Status{NotifyCallbacks: map[string]bool{}, Lang: opts.Lang, Me: opts.Me}}
}

// T picks the English or Chinese text for the current language.
func (m *Model) T(en, zh string) string {
	m.mu.Lock()
	l := m.st.Lang
	m.mu.Unlock()
	return tr(l, en, zh)
}

func tr(l uilang.Lang, en, zh string) string {
	if l == uilang.Zh {
		return zh
	}
	return en
}

// recipient is who a test message goes to: --to, else the current user.
func (m *Model) recipient() string {
	if m.opts.Me != "" {
		return m.opts.Me
	}
	if c, ok := m.b.(CurrentUserer); ok {
		return c.CurrentUser()
	}
	return ""
}

// Status returns a copy of the current status.
func (m *Model) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.copyLocked()
}

func (m *Model) copyLocked() Status {
	st := m.st
	st.Profiles = append([]Profile(nil), m.st.Profiles...)
	st.Tokens = append([]Token(nil), m.st.Tokens...)
	st.QRWarnings = append([]QRWarning(nil), m.st.QRWarnings...)
	st.NotifyCallbacks = make(map[string]bool, len(m.st.NotifyCallbacks))
	for k, v := range m.st.NotifyCallbacks {
		st.NotifyCallbacks[k] = v
	}
	return st
}

func (m *Model) update(f func(*Status)) {
	m.mu.Lock()
	f(&m.st)
	st := m.copyLocked()
	m.mu.Unlock()
	if m.opts.OnChange != nil {
		m.opts.OnChange(st)
	}
}

func (m *Model) notify(n Notification) {
	if m.opts.Notify != nil {
		m.opts.Notify(n)
	}
}

// Start starts the dev server and the inbox watch; the server lives until
// ctx ends or StopServer.
func (m *Model) Start(ctx context.Context) error {
	m.mu.Lock()
	m.ctx = ctx
	m.mu.Unlock()
	if err := m.b.Start(ctx); err != nil {
		m.update(func(s *Status) { s.ServerURL = "" })
		return err
	}
	m.watch(ctx)
	m.Refresh()
	return nil
}

// watch forwards new callbacks into the status until ctx ends or the server
// stops.
func (m *Model) watch(ctx context.Context) {
	go func() {
		_ = m.b.WatchInbox(ctx, m.OnCallback)
	}()
}

// OnCallback records a callback the dev server stored and raises a
// notification when the profile asks for one.
func (m *Model) OnCallback(c Callback) {
	var notify bool
	m.update(func(s *Status) {
		s.NewCallbacks++
		s.Callbacks++
		notify = s.NotifyCallbacks[c.Profile]
	})
	if notify {
		m.notify(Notification{Title: m.T("wwkit: callback for "+c.Profile, "wwkit："+c.Profile+" 的回调"), Content: c.Summary})
	}
}

// Refresh reads the profiles, tokens (fetching expired ones), server state
// and callback count, and raises a notification when a token refresh newly
// fails.
func (m *Model) Refresh() {
	url := m.b.ServerURL()
	var (
		profiles []Profile
		active   string
		tokens   []Token
		tokErr   string
		count    int64
		haveCnt  bool
		rejected int64
		lastRej  *Rejection
		haveRej  bool
		me       string
		qrWarn   []QRWarning
	)
	if url != "" {
		var err error
		profiles, active, err = m.b.Profiles()
		if err != nil {
			tokErr = err.Error()
		} else if tokens, err = m.b.Tokens(); err != nil {
			tokErr = err.Error()
		}
		if n, err := m.b.InboxCount(); err == nil {
			count, haveCnt = n, true
		}
		if rc, ok := m.b.(RejectedCounter); ok {
			if n, last, err := rc.Rejected(); err == nil {
				rejected, lastRej, haveRej = n, last, true
			}
		}
		me = m.recipient()
		if qw, ok := m.b.(QRWarner); ok {
			qrWarn = qw.QRWarnings()
		}
	}
	var fresh []Token
	m.mu.Lock()
	for _, t := range tokens {
		key := active + "/" + t.Kind
		sig := ""
		if t.failed() {
			sig = fmt.Sprintf("%d %s", t.Errcode, t.Failure)
		}
		if sig != "" && m.failures[key] != sig {
			fresh = append(fresh, t)
		}
		m.failures[key] = sig
	}
	m.mu.Unlock()
	m.update(func(s *Status) {
		s.ServerURL = url
		if url == "" {
			return
		}
		s.Profiles, s.Profile, s.Tokens, s.TokenError = profiles, active, tokens, tokErr
		s.Platform = ""
		for _, p := range profiles {
			if p.Name == active {
				s.Platform = p.Platform
			}
		}
		if haveCnt {
			s.Callbacks = count
		}
		if haveRej {
			s.Rejected, s.LastRejected = rejected, lastRej
		}
		s.Me = me
		s.QRWarnings = qrWarn
	})
	for _, t := range fresh {
		m.notify(Notification{Title: m.T("wwkit: "+t.Kind+" refresh failed ("+active+")", "wwkit："+t.Kind+" 刷新失败（"+active+"）"), Content: failureText(m.Status().Lang, t)})
	}
}

// KeepWarm refreshes the status every interval until ctx ends; Backend.Tokens
// fetches tokens that expired, so they stay warm.
func (m *Model) KeepWarm(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.Refresh()
		}
	}
}

// Note puts the outcome of an action the UI performed (the clipboard, a
// window) in the result line.
func (m *Model) Note(msg string) {
	m.update(func(s *Status) { s.Message = msg })
}

// ErrUIAction is returned by Do for actions the UI performs itself (the QR
// window, the clipboard, quitting).
var ErrUIAction = errors.New("model: this action is performed by the tray UI; handle it before calling Do")

// Do runs a menu action. Its outcome is also put in Status.Message.
func (m *Model) Do(action string) error {
	err := m.do(action)
	if err != nil {
		if errors.Is(err, ErrUIAction) {
			return err
		}
		m.update(func(s *Status) { s.Message = tr(s.Lang, "failed: ", "失败：") + err.Error() })
	}
	return err
}

func (m *Model) do(action string) error {
	// Any other click cancels a pending "stop the dev server?".
	if action != ActionServer {
		m.update(func(s *Status) { s.ConfirmStop = false })
	}
	switch {
	case strings.HasPrefix(action, ActionLang):
		l, ok := uilang.Parse(strings.TrimPrefix(action, ActionLang))
		if !ok {
			return fmt.Errorf("model: unknown language in %q; use %q or %q", action, ActionLang+"zh", ActionLang+"en")
		}
		m.update(func(s *Status) { s.Lang = l })
		if m.opts.SaveLang != nil {
			if err := m.opts.SaveLang(l); err != nil {
				return err
			}
		}
		m.update(func(s *Status) { s.Message = tr(l, "language: English", "语言：中文") })
		return nil
	case strings.HasPrefix(action, ActionSwitch):
		if err := m.b.Switch(strings.TrimPrefix(action, ActionSwitch)); err != nil {
			return err
		}
		m.update(func(s *Status) { s.Message = "" })
		m.Refresh()
		return nil
	case action == ActionServer:
		if m.b.ServerURL() != "" {
			// Stopping cuts off every phone with the page open: the first
			// click asks, the second (same item, same place) stops.
			confirm := false
			m.update(func(s *Status) {
				confirm = s.ConfirmStop
				s.ConfirmStop = !s.ConfirmStop
				if !confirm {
					s.Message = tr(s.Lang, "Stop the dev server? Phones with the H5 page open lose it. Click \"Yes, stop the dev server\" to confirm.",
						"要停止开发服务器吗？已打开 H5 页的手机将无法访问。再点“确认停止开发服务器”以停止。")
				}
			})
			if !confirm {
				return nil
			}
			m.b.Stop()
			m.update(func(s *Status) { s.Message = tr(s.Lang, "dev server stopped", "开发服务器已停止") })
			m.Refresh()
			return nil
		}
		m.mu.Lock()
		ctx := m.ctx
		m.mu.Unlock()
		if ctx.Err() != nil {
			return errors.New(m.T("model: the tray is quitting; the dev server is not restarted", "托盘正在退出，开发服务器不再重启"))
		}
		if err := m.Start(ctx); err != nil {
			return err
		}
		m.update(func(s *Status) { s.Message = tr(s.Lang, "dev server started", "开发服务器已启动") })
		return nil
	case action == ActionSend:
		to := m.recipient()
		if to == "" {
			return errors.New(m.T("no current user to send the test message to: sign in on the H5 page (OAuth) or start the tray with --to USERID",
				"没有当前用户可接收测试消息：先在 H5 页完成网页授权，或以 --to USERID 启动托盘"))
		}
		out, err := m.b.SendTest(to)
		if err != nil {
			return err
		}
		m.update(func(s *Status) {
			s.Me = to
			s.Message = tr(s.Lang, "test message to "+to+": ", "发给 "+to+" 的测试消息：") + out
		})
		return nil
	case action == ActionInbox:
		m.update(func(s *Status) { s.NewCallbacks = 0 })
		return nil
	case action == ActionNotifyCallbacks:
		m.update(func(s *Status) {
			if s.Profile != "" {
				s.NotifyCallbacks[s.Profile] = !s.NotifyCallbacks[s.Profile]
			}
		})
		return nil
	case action == ActionRefresh:
		m.Refresh()
		return nil
	case action == ActionInspector:
		_, err := m.openInspector("")
		return err
	case action == ActionRejected:
		return m.openRejected()
	case action == ActionQR, action == ActionSign, action == ActionQuit:
		return ErrUIAction
	}
	return fmt.Errorf("model: unknown action %q; use one of the Action constants", action)
}

// openRejected opens the inspector on the callback checker with the last
// refusal; ErrUIAction (copy the command) when it cannot.
func (m *Model) openRejected() error {
	last := m.Status().LastRejected
	if last == nil {
		return nil
	}
	if last.ID <= 0 {
		return ErrUIAction
	}
	// A running inspector is another process this tray cannot steer.
	if started, err := m.openInspector(fmt.Sprintf("checker:%d", last.ID)); err != nil || !started {
		return ErrUIAction
	}
	return nil
}

// openInspector starts `wwkit desktop --attach URL [--open open]` unless
// the one this tray started is still open; started says whether it did.
func (m *Model) openInspector(open string) (started bool, err error) {
	u := m.b.ServerURL()
	if u == "" {
		return false, errors.New("model: the dev server is stopped; start it before opening the inspector")
	}
	m.mu.Lock()
	if m.inspector {
		m.mu.Unlock()
		m.update(func(s *Status) { s.Message = tr(s.Lang, "the inspector is already open", "检查器已经打开") })
		return false, nil
	}
	m.inspector = true
	m.mu.Unlock()
	exe := m.opts.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			m.mu.Lock()
			m.inspector = false
			m.mu.Unlock()
			return false, fmt.Errorf("model: finding the wwkit binary for the inspector: %w", err)
		}
	}
	launch := m.opts.Launch
	if launch == nil {
		launch = execLauncher
	}
	wait, stop, err := launch(exe, InspectorArgs(u, m.opts.DataDir, open)...)
	if err != nil {
		m.mu.Lock()
		m.inspector = false
		m.mu.Unlock()
		return false, fmt.Errorf("model: starting the inspector: %w", err)
	}
	m.mu.Lock()
	m.stopInsp = stop
	m.mu.Unlock()
	m.update(func(s *Status) {
		s.Message = tr(s.Lang, "inspector opened (attached to "+u+")", "已打开检查器（连接到 "+u+"）")
	})
	go func() {
		err := wait()
		m.mu.Lock()
		m.inspector, m.stopInsp = false, nil
		m.mu.Unlock()
		if err != nil {
			m.update(func(s *Status) {
				s.Message = tr(s.Lang, "the inspector ended: ", "检查器已结束：") + err.Error()
			})
		}
	}()
	return true, nil
}

// CloseInspector asks the inspector window this tray opened to end: it is
// attached to the tray's dev server, which goes away with the tray.
func (m *Model) CloseInspector() {
	m.mu.Lock()
	stop := m.stopInsp
	m.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// execLauncher runs the inspector as a child process writing to the tray's
// stderr.
func execLauncher(path string, args ...string) (func() error, func(), error) {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return cmd.Wait, func() { _ = cmd.Process.Signal(syscall.SIGTERM) }, nil
}

// SignText returns the signature to put on the clipboard: for clip when it
// holds an http(s) URL (the page the developer is debugging), else for the
// H5 debug page.
func (m *Model) SignText(clip string) (string, error) {
	target := strings.TrimSpace(clip)
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		if target, err = m.b.PageURL(); err != nil {
			return "", err
		}
	}
	return m.b.Sign(target)
}

// Menu is the tray menu for st at now: status lines first, then the result
// line of the last action (always there, so nothing below it moves when an
// action reports), then the actions, in st.Lang.
func Menu(st Status, now time.Time) []Item {
	l := st.Lang
	running := st.ServerURL != ""
	var items []Item
	if !running {
		items = append(items, Item{Label: tr(l, "Dev server: stopped", "开发服务器：已停止"), Disabled: true})
	} else {
		items = append(items, Item{Label: tr(l, "Dev server: running on ", "开发服务器：运行于 ") + st.ServerURL, Disabled: true})
		prof := tr(l, "Profile: ", "配置：") + st.Profile
		if st.Platform != "" {
			prof += " (" + st.Platform + ")"
		}
		items = append(items, Item{Label: prof, Disabled: true})
		if st.TokenError != "" {
			items = append(items, Item{Label: tr(l, "Tokens: ", "令牌：") + st.TokenError, Disabled: true})
		}
		for _, t := range st.Tokens {
			items = append(items, Item{Label: tokenLine(l, t, now), Disabled: true})
		}
		for _, w := range st.QRWarnings {
			items = append(items, Item{Label: tr(l, "⚠ QR code: ", "⚠ 二维码：") + QRWarningText(l, w), Disabled: true})
		}
		items = append(items, Item{Label: inboxLineRejected(l, st.NewCallbacks, st.Callbacks, st.Rejected), Action: ActionInbox})
		if st.Rejected > 0 {
			items = append(items, Item{Label: RejectedLine(l, st.Rejected, st.LastRejected), Action: ActionRejected, Disabled: st.LastRejected == nil || st.LastRejected.ID <= 0 && st.LastRejected.Doctor == ""})
		}
	}
	items = append(items, Item{Label: ResultLine(l, st.Message), Disabled: true, Result: true})
	items = append(items, Item{Separator: true})
	if len(st.Profiles) > 0 {
		sw := Item{Label: tr(l, "Switch profile", "切换配置")}
		ps := append([]Profile(nil), st.Profiles...)
		sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
		for _, p := range ps {
			sw.Children = append(sw.Children, Item{Label: p.Name + " (" + p.Platform + ")", Action: ActionSwitch + p.Name, Checked: p.Name == st.Profile})
		}
		items = append(items, sw)
	}
	switch {
	case running && st.ConfirmStop:
		items = append(items, Item{Label: tr(l, "Yes, stop the dev server", "确认停止开发服务器"), Action: ActionServer})
	case running:
		items = append(items, Item{Label: tr(l, "Stop dev server", "停止开发服务器"), Action: ActionServer})
	default:
		items = append(items, Item{Label: tr(l, "Start dev server", "启动开发服务器"), Action: ActionServer})
	}
	send := tr(l, "Send a test message", "发送测试消息")
	if st.Me != "" {
		send += tr(l, " to ", "给 ") + st.Me
	}
	items = append(items,
		Item{Label: tr(l, "Show H5 QR code", "显示 H5 二维码"), Action: ActionQR, Disabled: !running},
		Item{Label: tr(l, "Copy signature for the URL on the clipboard", "为剪贴板中的 URL 复制签名"), Action: ActionSign, Disabled: !running},
		Item{Label: send, Action: ActionSend, Disabled: !running || st.Platform != "wecom"},
		Item{Label: tr(l, "Notify on callbacks", "收到回调时通知"), Action: ActionNotifyCallbacks, Checked: st.NotifyCallbacks[st.Profile], Disabled: !running},
		Item{Label: tr(l, "Refresh status", "刷新状态"), Action: ActionRefresh},
		Item{Label: tr(l, "Open inspector", "打开检查器"), Action: ActionInspector, Disabled: !running},
		Item{Label: "Language / 语言", Children: []Item{
			{Label: "中文", Action: ActionLang + string(uilang.Zh), Checked: l == uilang.Zh},
			{Label: "English", Action: ActionLang + string(uilang.En), Checked: l != uilang.Zh},
		}},
		Item{Separator: true},
		Item{Label: tr(l, "Quit", "退出"), Action: ActionQuit},
	)
	return items
}

// ResultLine is the fixed line with the last action's outcome.
func ResultLine(l uilang.Lang, msg string) string {
	if msg == "" {
		return tr(l, "Last action: none yet", "上次操作：暂无")
	}
	return msg
}

// RejectedLine is the rejected-callbacks line: "Rejected callbacks: 2 (last,
// wecom: signed with another Token) — copy the checker command".
func RejectedLine(l uilang.Lang, n int64, last *Rejection) string {
	s := fmt.Sprintf(tr(l, "Rejected callbacks: %d", "被拒绝的回调：%d 条"), n)
	if last != nil && last.Verdict != "" {
		s += tr(l, " (last, ", "（最近，") + last.Profile + tr(l, ": ", "：") + VerdictText(l, last.Verdict) + tr(l, ")", "）")
	}
	switch {
	case last != nil && last.ID > 0:
		s += tr(l, " — open in the callback checker", " — 在回调检查器中打开")
	case last != nil && last.Doctor != "":
		s += tr(l, " — copy the checker command", " — 复制回调检查命令")
	}
	return s
}

// verdicts words the callback doctor's verdicts (core/wxcrypt Verdict…
// and the dev server's), English and Chinese.
var verdicts = map[string][2]string{
	"token":           {"signed with another Token", "用另一个 Token 签名"},
	"aeskey":          {"EncodingAESKey differs", "EncodingAESKey 不一致"},
	"receiveid":       {"encrypted for another CorpID/AppID", "加密用的是另一个 CorpID/AppID"},
	"wrong-field":     {"signature computed over the wrong field", "签名计算用错了字段"},
	"url-decoding":    {"URL-decoded twice or not at all", "URL 解码了两次或没有解码"},
	"altered":         {"ciphertext changed on the way", "密文在传输中被改动"},
	"base64":          {"ciphertext is not base64", "密文不是 base64"},
	"envelope":        {"no Encrypt element", "没有 Encrypt 字段"},
	"no-signature":    {"no msg_signature", "缺少 msg_signature"},
	"config":          {"the profile's Token or EncodingAESKey is unusable", "配置的 Token 或 EncodingAESKey 无效"},
	"clock":           {"timestamp too far from now (replay or clock)", "时间戳与本机时间相差过大（重放或时钟不准）"},
	"missing-params":  {"query lacks signature, timestamp or nonce", "查询参数缺少签名、timestamp 或 nonce"},
	"unsafe-xml":      {"malformed or unsafe XML", "XML 格式错误或不安全"},
	"too-large":       {"body over 1 MiB", "消息体超过 1 MiB"},
	"not-a-message":   {"decrypts, but is no callback message", "能解密，但不是回调消息"},
	"unknown-profile": {"the URL names no profile", "URL 中的配置不存在"},
	"lan-peer":        {"emulator callback from another machine", "来自其他机器的模拟器回调"},
}

// VerdictText words a doctor's verdict in l; an unknown verdict is shown
// as it is.
func VerdictText(l uilang.Lang, verdict string) string {
	if t, ok := verdicts[verdict]; ok {
		return tr(l, t[0], t[1])
	}
	return verdict
}

// TokenLine is one token's status line: "access_token: valid for 1h52m",
// "access_token: expired", "access_token: not fetched yet", or
// "access_token: refresh failed: 40001 …".
func TokenLine(t Token, now time.Time) string { return tokenLine(uilang.En, t, now) }

func tokenLine(l uilang.Lang, t Token, now time.Time) string {
	if t.failed() {
		return t.Kind + tr(l, ": refresh failed: ", "：刷新失败：") + failureText(l, t)
	}
	if t.ExpiresAt.IsZero() {
		return t.Kind + tr(l, ": not fetched yet", "：尚未获取")
	}
	left := t.ExpiresAt.Sub(now)
	if left <= 0 {
		return t.Kind + tr(l, ": expired", "：已过期")
	}
	return t.Kind + tr(l, ": valid for ", "：有效，剩余 ") + shortDuration(left)
}

func failureText(l uilang.Lang, t Token) string {
	if t.Errcode != 0 {
		s := fmt.Sprintf("errcode %d", t.Errcode)
		if l == uilang.Zh && t.ExplanationZh != "" {
			s += " " + t.ExplanationZh
		} else if t.Explanation != "" {
			s += " " + t.Explanation
		} else if t.Errmsg != "" {
			s += " " + t.Errmsg
		}
		return s
	}
	return t.Failure
}

// shortDuration prints d as 1h52m, 5m or 42s.
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	case d >= time.Minute:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%ds", int(d/time.Second))
}

// InboxLine is the callbacks line: "Callbacks: 3 new (12 stored)".
func InboxLine(fresh int, total int64) string { return inboxLine(uilang.En, fresh, total) }

func inboxLine(l uilang.Lang, fresh int, total int64) string {
	return inboxLineRejected(l, fresh, total, 0)
}

// inboxLineRejected adds the refused callbacks: "Callbacks: 3 new (12
// stored, 2 rejected)", "回调：3 条新回调（共 12 条，2 条被拒）".
func inboxLineRejected(l uilang.Lang, fresh int, total, rejected int64) string {
	stored := fmt.Sprintf(tr(l, "%d stored", "共 %d 条"), total)
	if rejected > 0 {
		stored += fmt.Sprintf(tr(l, ", %d rejected", "，%d 条被拒"), rejected)
	}
	if fresh == 0 {
		return tr(l, "Callbacks: none new (", "回调：无新回调（") + stored + tr(l, ")", "）")
	}
	return fmt.Sprintf(tr(l, "Callbacks: %d new (", "回调：%d 条新回调（"), fresh) + stored + tr(l, ")", "）")
}

// QRWarningText words a QR reachability warning in l, with the fix.
func QRWarningText(l uilang.Lang, w QRWarning) string {
	p := func(k string) string { return w.Params[k] }
	switch w.Code {
	case "loopback":
		return tr(l, "a phone cannot open "+p("url")+" (this machine's loopback address); listen on the LAN with --addr 0.0.0.0:"+p("port")+" or use a tunnel with --public-url",
			"手机无法打开 "+p("url")+"（本机回环地址）；用 --addr 0.0.0.0:"+p("port")+" 监听局域网，或用 --public-url 指定内网穿透地址")
	case "lan-excluded":
		return tr(l, "the dev server listens on "+p("addr")+" (this machine only), so a phone cannot reach "+p("url")+"; listen with --addr 0.0.0.0:"+p("port"),
			"开发服务器只监听 "+p("addr")+"（仅本机），手机访问不到 "+p("url")+"；用 --addr 0.0.0.0:"+p("port")+" 监听")
	case "not-this-server":
		return tr(l, p("url")+" is answered by another server, not this one (a stale tunnel?); point the tunnel at this server or fix --public-url",
			p("url")+" 由另一个服务器应答，不是本服务器（内网穿透过期？）；让穿透指向本服务器或修改 --public-url")
	case "unreachable":
		return tr(l, p("url")+" cannot be reached from this machine ("+p("err")+"); check the tunnel, the firewall or --public-url",
			"本机访问不到 "+p("url")+"（"+p("err")+"）；检查内网穿透、防火墙或 --public-url")
	}
	return w.Code
}
