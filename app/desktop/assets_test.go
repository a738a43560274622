package desktop

import (
	"io/fs"
	"reflect"
	"regexp"
	"testing"
)

// TestPageCallsBoundMethods checks that every service method the fallback
// page calls (svc().Service.Method) exists on the bound services, so a
// renamed method cannot silently break the window.
func TestPageCallsBoundMethods(t *testing.T) {
	page, err := fs.ReadFile(FallbackAssets(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewApp(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bound := map[string]reflect.Type{}
	for _, s := range a.Services() {
		typ := reflect.TypeOf(s)
		bound[typ.Elem().Name()] = typ
	}
	if icon := Icon(); len(icon) < 100 || string(icon[1:4]) != "PNG" {
		t.Errorf("Icon() is %d bytes, not a PNG", len(icon))
	}
	calls := regexp.MustCompile(`svc\(\)\.(\w+)\.(\w+)\(`).FindAllStringSubmatch(string(page), -1)
	if len(calls) < 5 {
		t.Fatalf("found %d service calls in the page, want the page to use the services", len(calls))
	}
	for _, c := range calls {
		typ, ok := bound[c[1]]
		if !ok {
			t.Errorf("page calls %s.%s: no bound service %s", c[1], c[2], c[1])
			continue
		}
		if _, ok := typ.MethodByName(c[2]); !ok {
			t.Errorf("page calls %s.%s: no such method", c[1], c[2])
		}
	}
}
