//go:build desktop

package tray

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/wwkit/wwkit/app/internal/uilang"
	"github.com/wwkit/wwkit/app/tray/model"
)

// TestQRWindowWarns: the QR window of a loopback URL says, in the UI
// language, that a phone cannot open it and how to fix it, and the code
// still decodes.
func TestQRWindowWarns(t *testing.T) {
	a := test.NewTempApp(t)
	url := "http://127.0.0.1:8080/?profile=wecom"
	warn := model.QRWarningText(uilang.Zh, model.QRWarning{Code: "loopback", Params: map[string]string{"url": "http://127.0.0.1:8080", "port": "8080"}})
	w, err := newQRWindow(a, url, []string{warn})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Resize(fyne.NewSize(420, 560))
	w.Show()
	var texts []string
	walk(w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	if !strings.Contains(strings.Join(texts, "\n"), "手机无法打开 http://127.0.0.1:8080") || !strings.Contains(strings.Join(texts, "\n"), "--addr 0.0.0.0:8080") {
		t.Errorf("no warning in the QR window: %q", texts)
	}
	if got := decodeQR(t, w.Canvas().Capture()); got != url {
		t.Fatalf("QR decodes to %q, want %q", got, url)
	}
}
