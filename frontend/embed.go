// Package frontend embeds the built web frontends: the H5 debug page (H5
// 调试页) that `wwkit serve` hosts at / and, later, the desktop UI.
//
// `make frontend` (npm run build) writes frontend/dist/; on a fresh clone
// only dist/.gitkeep exists, so the binary still builds and H5 reports that
// no page was built.
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
