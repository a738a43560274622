package desktop

import (
	"path/filepath"
)

// SaveDialog asks the user where to save a file (the window's native save
// dialog): it returns the chosen path, or "" when the user cancelled.
type SaveDialog func(title, defaultName string) (string, error)

// SetSaveDialog installs the window's native save dialog (window.go does,
// with Wails' runtime.SaveFileDialog). Without one, SavePNGAs says to type a
// path instead.
func (a *App) SetSaveDialog(d SaveDialog) {
	a.QR.mu.Lock()
	a.QR.saveDialog = d
	a.QR.mu.Unlock()
}

// SavePNGAs asks where to save a QR code returned by H5 or MP (its dataUrl)
// in the native save dialog, proposing defaultName, then writes it like
// SavePNG. It returns the absolute path written, or "" when the user
// cancelled the dialog.
func (s *QRService) SavePNGAs(dataURL, defaultName string) (string, error) {
	s.mu.Lock()
	d := s.saveDialog
	s.mu.Unlock()
	if d == nil {
		return "", fail("dialog.none")
	}
	if defaultName == "" {
		defaultName = "wwkit-qr.png"
	}
	path, err := d("Save QR code / 保存二维码", filepath.Base(defaultName))
	if err != nil {
		return "", failWrap("dialog.failed", err)
	}
	if path == "" {
		return "", nil
	}
	return s.SavePNG(dataURL, path)
}
