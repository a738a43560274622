package desktop

import (
	"embed"
	"io/fs"
)

//go:embed assets
var assetsDir embed.FS

// Assets is the window's built-in page: a labelled placeholder that shows
// the active profile, token status, inbox and the H5 QR code through the
// bound services, until the desktop UI in frontend/ exists.
func Assets() fs.FS {
	sub, err := fs.Sub(assetsDir, "assets")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "assets" is valid.
		return assetsDir
	}
	return sub
}

// Icon is the application icon (a copy of build/appicon.png, which Wails
// packaging uses), for the window manager.
func Icon() []byte {
	b, err := fs.ReadFile(assetsDir, "assets/appicon.png")
	if err != nil {
		return nil
	}
	return b
}
