package desktop

import (
	"embed"
	"io/fs"

	"github.com/wwkit/wwkit/frontend"
)

//go:embed assets
var assetsDir embed.FS

// Assets is the window's page: the desktop UI built from frontend/desktop
// (frontend.Desktop(), embedded from frontend/dist/desktop by `make
// frontend`), or, when the binary was built without it (a fresh clone that
// never ran npm), the built-in fallback page assets/index.html, which says
// so on screen and still shows the profile, tokens, inbox and H5 QR code
// through the bound services.
func Assets() fs.FS {
	if ui, ok := frontend.Desktop(); ok {
		return ui
	}
	return FallbackAssets()
}

// UIBuilt reports whether the window shows the built desktop UI (true) or
// the fallback page (false).
func UIBuilt() bool {
	_, ok := frontend.Desktop()
	return ok
}

// FallbackAssets is the built-in page the window shows when no desktop UI
// was built.
func FallbackAssets() fs.FS {
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
