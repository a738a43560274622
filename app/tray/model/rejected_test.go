package model

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/internal/uilang"
)

// rejecting is a backend whose dev server refused callbacks.
type rejecting struct {
	*fake
	n    int64
	last *Rejection
	err  error
}

func (r *rejecting) Rejected() (int64, *Rejection, error) { return r.n, r.last, r.err }

// TestRejectedCallbacksLine: the callback line counts the refused
// callbacks, a second line names the newest's verdict in the UI language
// and offers the checker command; nothing shows while none was refused or
// the count cannot be read.
func TestRejectedCallbacksLine(t *testing.T) {
	b := &rejecting{fake: newFake()}
	m := New(b, Options{})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := labels(Menu(m.Status(), t0))
	for _, l := range got {
		if strings.Contains(l, "reject") {
			t.Errorf("a rejected line with nothing refused: %q", l)
		}
	}
	b.n, b.last = 3, &Rejection{Profile: "wecom", Verdict: "aeskey", Detail: "padding", Doctor: "wwkit crypt doctor --nonce 1"}
	m.Refresh()
	got = labels(Menu(m.Status(), t0))
	for _, want := range []string{"Callbacks: none new (0 stored, 3 rejected)", "Rejected callbacks: 3 (last, wecom: EncodingAESKey differs) — copy the checker command"} {
		if !contains(got, want) {
			t.Errorf("no %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
	// Without the refusal's id there is nothing to open: the UI copies
	// the command.
	if err := m.Do(ActionRejected); !errors.Is(err, ErrUIAction) {
		t.Errorf("ActionRejected: %v, want ErrUIAction (the UI copies the command)", err)
	}
	b.last.ID = 42
	m.Refresh()
	if got := labels(Menu(m.Status(), t0)); !contains(got, "Rejected callbacks: 3 (last, wecom: EncodingAESKey differs) — open in the callback checker") {
		t.Errorf("no open line in\n%s", strings.Join(got, "\n"))
	}
	_ = m.Do(ActionLang + "zh")
	got = labels(Menu(m.Status(), t0))
	for _, want := range []string{"回调：无新回调（共 0 条，3 条被拒）", "被拒绝的回调：3 条（最近，wecom：EncodingAESKey 不一致） — 在回调检查器中打开"} {
		if !contains(got, want) {
			t.Errorf("no %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
	// Without an id or the command line the item cannot be clicked.
	b.last.ID, b.last.Doctor = 0, ""
	m.Refresh()
	for _, it := range Menu(m.Status(), t0) {
		if it.Action == ActionRejected && !it.Disabled {
			t.Errorf("the rejected line is clickable without a command: %+v", it)
		}
	}
	// A failing count keeps the last known one.
	b.err = errors.New("server gone")
	m.Refresh()
	if m.Status().Rejected != 3 {
		t.Errorf("rejected after a failed read: %d", m.Status().Rejected)
	}
}

// TestRejectedOpensChecker: a click on the rejected line starts the
// inspector on the callback checker prefilled with the newest refusal
// (`wwkit desktop --attach URL --open checker:ID`); when the inspector
// cannot start, or one is already open, the UI falls back to copying the
// doctor command (ErrUIAction).
func TestRejectedOpensChecker(t *testing.T) {
	b := &rejecting{fake: newFake()}
	var args [][]string
	exited := make(chan error)
	launch := func(path string, a ...string) (func() error, func(), error) {
		args = append(args, append([]string{path}, a...))
		return func() error { return <-exited }, func() {}, nil
	}
	m := New(b, Options{Launch: launch, Executable: "/opt/wwkit", DataDir: "/d"})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer close(exited)
	b.n, b.last = 1, &Rejection{ID: 42, Profile: "wecom", Verdict: "token", Doctor: "wwkit crypt doctor --nonce 1"}
	m.Refresh()
	if err := m.Do(ActionRejected); err != nil {
		t.Fatalf("ActionRejected: %v", err)
	}
	want := "/opt/wwkit desktop --attach " + b.ServerURL() + " --data-dir /d --open checker:42"
	if len(args) != 1 || strings.Join(args[0], " ") != want {
		t.Fatalf("launched %q, want %q", args, want)
	}
	// The open inspector cannot be told to navigate: copy instead.
	if err := m.Do(ActionRejected); !errors.Is(err, ErrUIAction) || len(args) != 1 {
		t.Errorf("with the inspector open: %v, %d launches", err, len(args))
	}
	failing := New(b, Options{Launch: func(string, ...string) (func() error, func(), error) { return nil, nil, errors.New("no such file") }, Executable: "/x"})
	if err := failing.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	failing.Refresh()
	if err := failing.Do(ActionRejected); !errors.Is(err, ErrUIAction) {
		t.Errorf("inspector cannot start: %v, want ErrUIAction (copy the command)", err)
	}
}

// TestVerdictTexts: every verdict has both languages, the Chinese one
// without English sentences.
func TestVerdictTexts(t *testing.T) {
	for _, v := range []string{"token", "aeskey", "receiveid", "wrong-field", "url-decoding", "altered", "base64", "envelope", "no-signature", "config",
		"clock", "missing-params", "unsafe-xml", "too-large", "not-a-message", "unknown-profile", "lan-peer"} {
		en, zh := VerdictText(uilang.En, v), VerdictText(uilang.Zh, v)
		if en == v || zh == v || en == zh {
			t.Errorf("%s: en %q zh %q", v, en, zh)
		}
	}
	if VerdictText(uilang.Zh, "brand-new") != "brand-new" {
		t.Error("an unknown verdict is not shown as it is")
	}
}

// warning is a backend whose dev server's QR URL a phone cannot open.
type warning struct {
	*fake
	w []QRWarning
}

func (w *warning) QRWarnings() []QRWarning { return w.w }

// TestQRWarningLine: the menu says, in the UI language, why a phone cannot
// open the H5 QR code and how to fix it; nothing when it can.
func TestQRWarningLine(t *testing.T) {
	b := &warning{fake: newFake()}
	m := New(b, Options{})
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, l := range labels(Menu(m.Status(), t0)) {
		if strings.Contains(l, "QR code:") {
			t.Errorf("a QR warning with none: %q", l)
		}
	}
	b.w = []QRWarning{{Code: "lan-excluded", Params: map[string]string{"addr": "127.0.0.1:8080", "url": "http://192.168.1.5:8080", "port": "8080"}}}
	m.Refresh()
	want := "⚠ QR code: the dev server listens on 127.0.0.1:8080 (this machine only), so a phone cannot reach http://192.168.1.5:8080; listen with --addr 0.0.0.0:8080"
	if got := labels(Menu(m.Status(), t0)); !contains(got, want+" (off)") && !contains(got, want) {
		t.Errorf("no %q in\n%s", want, strings.Join(got, "\n"))
	}
	_ = m.Do(ActionLang + "zh")
	want = "⚠ 二维码：开发服务器只监听 127.0.0.1:8080（仅本机），手机访问不到 http://192.168.1.5:8080；用 --addr 0.0.0.0:8080 监听"
	if got := labels(Menu(m.Status(), t0)); !contains(got, want) {
		t.Errorf("no %q in\n%s", want, strings.Join(got, "\n"))
	}
	for _, code := range []string{"loopback", "lan-excluded", "not-this-server", "unreachable"} {
		w := QRWarning{Code: code, Params: map[string]string{"url": "U", "port": "1", "addr": "A", "err": "E"}}
		if en, zh := QRWarningText(uilang.En, w), QRWarningText(uilang.Zh, w); en == code || zh == en || !strings.ContainsAny(zh, "手机服务器本机") {
			t.Errorf("%s: en %q zh %q", code, en, zh)
		}
	}
}
