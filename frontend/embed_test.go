package frontend

import (
	"io/fs"
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
	for _, name := range []string{"index.html", "wwkit/wwkit.mjs", "wwkit/wwkit.wasm", "wwkit/wasm_exec.js"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("built H5 page lacks %s: %v", name, err)
		}
	}
	if _, err := fs.Stat(dist, "dist/.gitkeep"); err != nil {
		t.Errorf("dist/.gitkeep is missing (the build must re-create it): %v", err)
	}
}
