//go:build desktop

package tray

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"
)

// qrPixels is the QR image's side in the window.
const qrPixels = 280

// newQRWindow is the small window with the H5 page's QR code and its URL,
// which the user can select or copy with the button, and above them why a
// phone may not open it (warnings, in the UI language).
func newQRWindow(a fyne.App, url string, warnings []string) (fyne.Window, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("tray: the URL does not fit in a QR code (%v); shorten the public URL", err)
	}
	img := canvas.NewImageFromImage(q.Image(qrPixels))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSize(qrPixels, qrPixels))

	entry := widget.NewEntry()
	entry.SetText(url)
	// The entry is editable so the URL can be selected; edits are undone so
	// the window always shows what the QR encodes.
	entry.OnChanged = func(s string) {
		if s != url {
			entry.SetText(url)
		}
	}
	copied := widget.NewLabel("")
	copyBtn := widget.NewButton("Copy URL", func() {
		a.Clipboard().SetContent(url)
		copied.SetText("copied")
	})
	w := a.NewWindow("wwkit — H5 QR code")
	box := container.NewVBox()
	for _, s := range warnings {
		l := widget.NewLabel("⚠ " + s)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	w.SetContent(container.NewVBox(
		box,
		container.NewCenter(img),
		entry,
		container.NewHBox(copyBtn, copied),
	))
	return w, nil
}
