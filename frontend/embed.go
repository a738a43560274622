// Package frontend embeds the built web frontends: the H5 debug page (H5
// 调试页) that `wwkit serve` hosts at / and the desktop UI that the Wails
// window of `wwkit desktop` shows.
//
// `make frontend` (npm run build) writes frontend/dist/; on a fresh clone
// only dist/.gitkeep exists, so the binary still builds and H5 reports that
// no page was built.
//
// The desktop UI's TypeScript types of the bound Go services
// (desktop/src/bindings.gen.ts) are written from app/desktop by a test:
//
//go:generate go test -run TestDesktopBindings -update .
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// H5 returns the built H5 debug page (the dist/h5 folder: index.html, the
// hashed assets and the wwkit/ verifier files) and whether it holds an
// index.html. When it is false, run `make frontend` and rebuild.
func H5() (fs.FS, bool) {
	return sub(dist, "dist/h5")
}

// Desktop returns the built desktop UI (the dist/desktop folder that
// `npm run build` writes from desktop/) and whether it holds an index.html.
// When it is false the window falls back to its built-in placeholder page;
// run `make frontend` and rebuild.
func Desktop() (fs.FS, bool) {
	return sub(dist, "dist/desktop")
}

func sub(fsys fs.FS, dir string) (fs.FS, bool) {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		return nil, false
	}
	st, err := fs.Stat(s, "index.html")
	if err != nil || st.IsDir() {
		return s, false
	}
	return s, true
}
