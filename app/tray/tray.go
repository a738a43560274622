//go:build desktop

package tray

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/wwkit/wwkit/app/tray/instance"
	"github.com/wwkit/wwkit/app/tray/model"
)

// appID identifies the tray to Fyne (preferences, notifications).
const appID = "io.github.wwkit.tray"

// Run runs the tray until Quit, SIGINT or SIGTERM, or ctx ends. It starts the
// dev server first, so a busy port is reported on the terminal. When another
// tray runs for this user it asks that one to show itself and returns nil.
func Run(ctx context.Context, cfg Config) (err error) {
	if cfg.Backend == nil {
		return errors.New("tray: no backend; pass the desktop App's adapter in Config.Backend")
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.RefreshEvery <= 0 {
		cfg.RefreshEvery = time.Minute
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if ok, why := Display(); !ok {
		return fmt.Errorf("tray: %s", why)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// focus is set once the UI exists; a second instance calls it.
	focus := make(chan struct{}, 1)
	if cfg.LockPath != "-" {
		path := cfg.LockPath
		if path == "" {
			path = instance.DefaultPath()
		}
		lock, err := instance.Acquire(path, func() {
			select {
			case focus <- struct{}{}:
			default:
			}
		})
		if errors.Is(err, instance.ErrRunning) {
			fmt.Fprintln(cfg.Stderr, "wwkit tray: already running for this user; asked it to show its window")
			return nil
		}
		if err != nil {
			return err
		}
		defer lock.Release()
	}

	a := app.NewWithID(appID)
	u := newUI(a, cfg)
	u.model = model.New(cfg.Backend, model.Options{
		Me:       cfg.Me,
		Lang:     cfg.Lang,
		SaveLang: cfg.SaveLang,
		// Open inspector runs `wwkit desktop --attach URL --data-dir DIR`.
		DataDir: cfg.DataDir,
		// Status changes before a.Run are rendered by setup; fyne.Do
		// would wait for a main loop that is not running yet.
		OnChange: func(model.Status) {
			if u.running.Load() {
				fyne.Do(u.refresh)
			}
		},
		Notify: func(n model.Notification) {
			if u.running.Load() {
				fyne.Do(func() { a.SendNotification(fyne.NewNotification(n.Title, n.Content)) })
			}
		},
	})
	if err = u.model.Start(ctx); err != nil {
		return err
	}
	defer cfg.Backend.Stop()
	fmt.Fprintf(cfg.Stderr, "wwkit tray: dev server on %s\n", cfg.Backend.ServerURL())
	if e, ok := cfg.Backend.(interface{ EmulatorURL() string }); ok && e.EmulatorURL() != "" {
		fmt.Fprintf(cfg.Stderr, "wwkit tray: emulator on %s\n", e.EmulatorURL())
	}

	// A Fyne driver that cannot start panics on this goroutine; report it
	// as an error (the dev server still stops through the defer above).
	defer func() {
		if r := recover(); r != nil {
			var note string
			err, note = guiPanic(r, u.running.Load(), u.quitting.Load(), debug.Stack())
			if note != "" {
				u.model.CloseInspector()
				fmt.Fprintln(cfg.Stderr, note)
				fmt.Fprintln(cfg.Stderr, "wwkit tray: stopped")
			}
		}
	}()
	u.setup()
	a.Lifecycle().SetOnStarted(func() {
		u.running.Store(true)
		u.refresh()
	})
	go u.model.KeepWarm(ctx, cfg.RefreshEvery)
	go func() {
		for {
			select {
			case <-ctx.Done():
				// marked before the main loop runs quit, so a driver
				// panic in between counts as closing too
				u.quitting.Store(true)
				fyne.Do(u.quit)
				return
			case <-focus:
				fyne.Do(u.show)
			}
		}
	}()
	a.Run()
	u.running.Store(false)
	u.model.CloseInspector()
	fmt.Fprintln(cfg.Stderr, "wwkit tray: stopped")
	return nil
}

// ui is the Fyne side: the tray menu, or the small window where there is no
// tray host. All its methods run on the Fyne main goroutine.
type ui struct {
	a      fyne.App
	cfg    Config
	model  *model.Model
	tray   desktop.App // nil: no tray host, the window is the UI
	win    fyne.Window
	qr     fyne.Window
	noTray string
	// running is set once the Fyne main loop runs: from then on status
	// changes from other goroutines go through fyne.Do.
	running atomic.Bool
	// quitting is set when the tray was asked to stop (Quit, the window's
	// close button, SIGTERM/SIGINT or the context).
	quitting atomic.Bool
}

// quit stops the Fyne main loop; Run then stops the dev server.
func (u *ui) quit() {
	u.quitting.Store(true)
	u.a.Quit()
}

// guiPanic turns a panic of the Fyne driver on Run's goroutine into Run's
// result. While the tray is closing, a panic is not a failure: Fyne 2.7.1's
// GLFW driver can handle a cursor event for a window it has already
// destroyed (processMouseMoved → glfw SetInputMode on a nil window; seen
// under Xvfb when a window is shown just before SIGTERM). The user asked to
// stop, so Run reports it in one line (note) and returns nil. Before the
// main loop ran it is a driver that could not start (no display, no GL);
// after, a fault of the GUI, reported with the stack for a bug report.
func guiPanic(r any, started, quitting bool, stack []byte) (err error, note string) {
	switch {
	case quitting:
		return nil, fmt.Sprintf("wwkit tray: the GUI driver faulted while closing (%v); stopped anyway", r)
	case started:
		return fmt.Errorf("tray: the GUI failed (%v); please report it with this stack:\n%s", r, stack), ""
	default:
		return fmt.Errorf("tray: the GUI could not start (%v); check the display and the GL libraries", r), ""
	}
}

func newUI(a fyne.App, cfg Config) *ui {
	u := &ui{a: a, cfg: cfg}
	if len(cfg.Icon) > 0 {
		a.SetIcon(fyne.NewStaticResource("wwkit.png", cfg.Icon))
	}
	return u
}

// setup builds the tray menu behind a capability check, or the window.
func (u *ui) setup() {
	u.win = u.a.NewWindow("wwkit tray")
	u.win.Resize(fyne.NewSize(380, 0))
	desk, isDesk := u.a.(desktop.App)
	ok, why := TrayHost()
	if isDesk && ok {
		u.tray = desk
		if len(u.cfg.Icon) > 0 {
			desk.SetSystemTrayIcon(fyne.NewStaticResource("wwkit.png", u.cfg.Icon))
		}
		// Close to tray: the window hides, the tray keeps running.
		u.win.SetCloseIntercept(u.win.Hide)
	} else {
		if !isDesk {
			why = "this Fyne driver has no system tray"
		}
		u.noTray = why
		fmt.Fprintf(u.cfg.Stderr, "wwkit tray: no system tray host (%s); showing a small window instead\n", why)
		u.win.SetCloseIntercept(u.quit)
	}
	u.refresh()
	if u.tray == nil {
		u.win.Show()
	}
}

// show brings the window up (a second `wwkit tray` asked for it).
func (u *ui) show() {
	u.win.Show()
	u.win.RequestFocus()
}

// refresh renders the model's status into the tray menu and the window.
func (u *ui) refresh() {
	items := model.Menu(u.model.Status(), time.Now())
	if u.tray != nil {
		u.tray.SetSystemTrayMenu(buildMenu(items, u.click))
	}
	u.win.SetContent(buildPanel(items, u.noTrayText(), u.click))
}

// click runs a menu action: the UI ones here, the rest in the model.
func (u *ui) click(action string) {
	switch action {
	case model.ActionQR:
		u.showQR()
	case model.ActionSign:
		clip := u.a.Clipboard().Content()
		go func() {
			text, err := u.model.SignText(clip)
			fyne.Do(func() {
				if err != nil {
					u.note(u.model.T("signature failed: ", "签名失败：") + err.Error())
					return
				}
				u.a.Clipboard().SetContent(text)
				u.note(u.model.T("signature copied to the clipboard", "签名已复制到剪贴板"))
			})
		}()
	case model.ActionQuit:
		u.quit()
	case model.ActionRejected:
		// The model opens the inspector on its callback checker; when it
		// cannot (no id, no inspector, one already open) the fallback is
		// the doctor's command line, run with the captured body.
		go func() {
			err := u.model.Do(action)
			fyne.Do(func() {
				if !errors.Is(err, model.ErrUIAction) {
					return // the inspector opens on the checker
				}
				if r := u.model.Status().LastRejected; r != nil && r.Doctor != "" {
					u.a.Clipboard().SetContent(r.Doctor)
					u.model.Note(u.model.T("callback checker command copied; run it with the captured body as callback.xml",
						"回调检查命令已复制；把抓到的消息体存为 callback.xml 后运行"))
				}
			})
		}()
	case model.ActionInbox:
		go func() {
			_ = u.model.Do(action)
			fyne.Do(u.show)
		}()
	default:
		// Network actions (send, switch, server) leave the UI thread.
		go func() { _ = u.model.Do(action) }()
	}
}

// note shows a one-off notice as a notification.
func (u *ui) note(s string) {
	u.a.SendNotification(fyne.NewNotification("wwkit", s))
}

func (u *ui) showQR() {
	go func() {

		pageURL, err := u.cfg.Backend.PageURL()
		fyne.Do(func() {
			if err != nil {
				u.note(u.model.T("QR code: ", "二维码：") + err.Error())
				return
			}
			if u.qr != nil {
				u.qr.Close()
			}
			var warn []string
			st := u.model.Status()
			for _, qw := range st.QRWarnings {
				warn = append(warn, model.QRWarningText(st.Lang, qw))
			}
			w, err := newQRWindow(u.a, pageURL, warn)
			if err != nil {
				u.note(err.Error())
				return
			}
			u.qr = w
			w.SetOnClosed(func() {
				if u.qr == w {
					u.qr = nil
				}
			})
			w.Show()
		})
	}()
}

// buildMenu turns the model's items into a Fyne menu.
func buildMenu(items []model.Item, click func(string)) *fyne.Menu {
	return fyne.NewMenu("wwkit", menuItems(items, click)...)
}

func menuItems(items []model.Item, click func(string)) []*fyne.MenuItem {
	out := make([]*fyne.MenuItem, 0, len(items))
	for _, it := range items {
		if it.Separator {
			out = append(out, fyne.NewMenuItemSeparator())
			continue
		}
		var fn func()
		if it.Action != "" {
			action := it.Action
			fn = func() { click(action) }
		}
		mi := fyne.NewMenuItem(it.Label, fn)
		mi.Disabled = it.Disabled
		mi.Checked = it.Checked
		if len(it.Children) > 0 {
			mi.ChildMenu = fyne.NewMenu(it.Label, menuItems(it.Children, click)...)
		}
		out = append(out, mi)
	}
	return out
}

func (u *ui) noTrayText() string {
	if u.noTray == "" {
		return ""
	}
	// The reason names D-Bus details in English; the Chinese line says what
	// they mean for the user instead of quoting them.
	return u.model.T("No system tray here: "+u.noTray, "此处没有系统托盘（桌面没有托盘区，或 GNOME 缺少 AppIndicator 扩展），菜单显示在这个窗口中")
}

// buildPanel is the window form of the menu: the actions first (buttons, the
// profile and language submenus as selects), so that no button moves when a
// status line appears or an action reports; then the status lines; then the
// last action's result in a fixed area at the bottom.
func buildPanel(items []model.Item, notice string, click func(string)) fyne.CanvasObject {
	actions := container.NewVBox()
	status := container.NewVBox()
	result := widget.NewLabel("")
	result.Wrapping = fyne.TextWrapWord
	result.Importance = widget.MediumImportance
	for _, it := range items {
		box := actions
		if it.Action == "" && len(it.Children) == 0 && !it.Separator {
			box = status
		}
		switch {
		case it.Result:
			result.SetText(it.Label)
		case it.Separator:
			if len(actions.Objects) > 0 {
				actions.Add(widget.NewSeparator())
			}
		case len(it.Children) > 0:
			var opts []string
			byLabel := map[string]string{}
			selected := ""
			for _, c := range it.Children {
				opts = append(opts, c.Label)
				byLabel[c.Label] = c.Action
				if c.Checked {
					selected = c.Label
				}
			}
			sel := widget.NewSelect(opts, nil)
			sel.PlaceHolder = it.Label
			sel.SetSelected(selected)
			sel.OnChanged = func(s string) {
				if a := byLabel[s]; a != "" {
					click(a)
				}
			}
			box.Add(sel)
		case it.Action == "":
			box.Add(widget.NewLabel(it.Label))
		case it.Action == model.ActionInbox:
			// A status line that can be clicked: a flat button with the
			// status lines.
			action := it.Action
			b := widget.NewButton(it.Label, func() { click(action) })
			b.Importance = widget.LowImportance
			b.Alignment = widget.ButtonAlignLeading
			status.Add(b)
		case it.Action == model.ActionRejected:
			action := it.Action
			b := widget.NewButton(it.Label, func() { click(action) })
			b.Importance = widget.WarningImportance
			b.Alignment = widget.ButtonAlignLeading
			if it.Disabled {
				b.Disable()
			}
			status.Add(b)
		default:
			action := it.Action
			label := it.Label
			if it.Checked {
				label = "✓ " + label
			}
			b := widget.NewButton(label, func() { click(action) })
			if it.Disabled {
				b.Disable()
			}
			box.Add(b)
		}
	}
	out := container.NewVBox()
	if notice != "" {
		l := widget.NewLabel(notice)
		l.Wrapping = fyne.TextWrapWord
		out.Add(l)
	}
	out.Add(actions)
	out.Add(widget.NewSeparator())
	out.Add(status)
	out.Add(widget.NewSeparator())
	out.Add(result)
	return out
}
