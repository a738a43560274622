package frontend

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestSub(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		built bool
		read  string
	}{
		{"fresh clone", fstest.MapFS{"dist/.gitkeep": {}}, false, ""},
		{"built page", fstest.MapFS{"dist/.gitkeep": {}, "dist/h5/index.html": {Data: []byte("<!doctype html>")}, "dist/h5/wwkit/wwkit.mjs": {Data: []byte("x")}}, true, "wwkit/wwkit.mjs"},
		{"index is a folder", fstest.MapFS{"dist/h5/index.html/x": {}}, false, ""},
		{"other ui only", fstest.MapFS{"dist/desktop/index.html": {}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sub(tt.fsys, "dist/h5")
			if ok != tt.built {
				t.Fatalf("built = %v, want %v", ok, tt.built)
			}
			if tt.read != "" {
				if _, err := fs.ReadFile(got, tt.read); err != nil {
					t.Fatalf("reading %s from the sub-filesystem: %v", tt.read, err)
				}
			}
		})
	}
}

// TestH5 checks the embedded tree: whatever the state of dist/, H5 never
// fails, and when it reports a page the page and the verifier are there.
func TestH5(t *testing.T) {
	fsys, ok := H5()
	if !ok {
		t.Log("no built H5 page embedded (run make frontend); checking only that H5 does not fail")
		return
	}
	// The verifier is embedded precompressed only (scripts/copy-wasm.mjs).
	for _, name := range []string{"index.html", "wwkit/wwkit.mjs", "wwkit/wwkit.wasm.gz", "wwkit/wasm_exec.js"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("built H5 page lacks %s: %v", name, err)
		}
	}
	if _, err := fs.Stat(dist, "dist/.gitkeep"); err != nil {
		t.Errorf("dist/.gitkeep is missing (the build must re-create it): %v", err)
	}
}

func TestSubDesktop(t *testing.T) {
	fresh := fstest.MapFS{"dist/.gitkeep": {}, "dist/desktop/.gitkeep": {}}
	if _, ok := sub(fresh, "dist/desktop"); ok {
		t.Error("a fresh clone (only .gitkeep) reports a built desktop UI")
	}
	built := fstest.MapFS{"dist/desktop/index.html": {Data: []byte("<!doctype html>")}, "dist/desktop/assets/index-abc.js": {Data: []byte("x")}, "dist/h5/index.html": {}}
	got, ok := sub(built, "dist/desktop")
	if !ok {
		t.Fatal("a built desktop UI is not reported")
	}
	if _, err := fs.ReadFile(got, "assets/index-abc.js"); err != nil {
		t.Errorf("reading the UI's assets: %v", err)
	}
}

// TestDesktop checks the embedded desktop UI: when one is built, it is a
// bundled page (no CDN or web font URL: the window makes no request outside
// the app) with its scripts present.
func TestDesktop(t *testing.T) {
	fsys, ok := Desktop()
	if !ok {
		t.Log("no built desktop UI embedded (run make frontend); checking only that Desktop does not fail")
		return
	}
	page, err := fs.ReadFile(fsys, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<script") {
		t.Errorf("the desktop index.html loads no script:\n%s", page)
	}
	n := 0
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(p, ".js") && !strings.HasSuffix(p, ".css") && !strings.HasSuffix(p, ".html") {
			return nil
		}
		n++
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		for _, bad := range []string{"fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s references %s; the desktop UI must bundle everything", p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("the desktop UI has %d html/js/css files; want the page and its bundle", n)
	}
	if _, err := fs.Stat(dist, "dist/desktop/.gitkeep"); err != nil {
		t.Errorf("dist/desktop/.gitkeep is missing (the build must keep it): %v", err)
	}
}
