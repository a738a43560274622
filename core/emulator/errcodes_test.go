package emulator

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// emittedErrcodes reads the emulator's own source and returns every errcode
// it can answer with, and the platforms that can answer it: the keys of
// errmsgs, the constant first argument of fail, failMsg, errmsgFor and
// decorate, the constant first result returned by a function whose results
// are (int, string) (the payload checks), and the constant value given to an
// "errcode" key. Reading the source, not a hand-kept list, means a code added
// to a handler is checked the day it is added. Handlers in mp*.go answer for
// the Official Account, in wecom.go for WeCom, elsewhere for both.
func emittedErrcodes(t *testing.T) map[int]map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]map[string]bool{}
	add := func(code int, platforms []string) {
		if code == 0 {
			return
		}
		if out[code] == nil {
			out[code] = map[string]bool{}
		}
		for _, p := range platforms {
			out[code][p] = true
		}
	}
	both := []string{api.PlatformWeCom, api.PlatformMP}
	for code := range errmsgs {
		add(code, both)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		platforms := both
		switch {
		case strings.HasPrefix(name, "mp"):
			platforms = []string{api.PlatformMP}
		case name == "wecom.go":
			platforms = []string{api.PlatformWeCom}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				if (fn == "fail" || fn == "failMsg" || fn == "errmsgFor" || fn == "decorate") && len(n.Args) > 0 {
					if c, ok := intLit(n.Args[0]); ok {
						add(c, platforms)
					}
				}
			case *ast.FuncDecl:
				if !returnsCodeAndText(n.Type) || n.Body == nil {
					return true
				}
				ast.Inspect(n.Body, func(m ast.Node) bool {
					if _, ok := m.(*ast.FuncLit); ok {
						return false
					}
					if r, ok := m.(*ast.ReturnStmt); ok && len(r.Results) == 2 {
						if c, ok := intLit(r.Results[0]); ok {
							add(c, platforms)
						}
					}
					return true
				})
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.BasicLit); ok && k.Value == `"errcode"` {
					if c, ok := intLit(n.Value); ok {
						add(c, platforms)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					ix, ok := lhs.(*ast.IndexExpr)
					if !ok || i >= len(n.Rhs) {
						continue
					}
					if k, ok := ix.Index.(*ast.BasicLit); ok && k.Value == `"errcode"` {
						if c, ok := intLit(n.Rhs[i]); ok {
							add(c, platforms)
						}
					}
				}
			}
			return true
		})
	}
	return out
}

func intLit(e ast.Expr) (int, bool) {
	neg := false
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.SUB {
		neg, e = true, u.X
	}
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.INT {
		return 0, false
	}
	n, err := strconv.Atoi(b.Value)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func returnsCodeAndText(ft *ast.FuncType) bool {
	if ft.Results == nil {
		return false
	}
	var types []string
	for _, f := range ft.Results.List {
		id, ok := f.Type.(*ast.Ident)
		if !ok {
			return false
		}
		for range max(1, len(f.Names)) {
			types = append(types, id.Name)
		}
	}
	return len(types) == 2 && types[0] == "int" && types[1] == "string"
}

// TestEmulatorErrcodesAreCatalogued checks that every errcode the emulator
// can answer with is explained by the client's catalogue, for each platform
// that can answer it, in English and Chinese, so a user who meets it offline
// gets the meaning and what to check.
func TestEmulatorErrcodesAreCatalogued(t *testing.T) {
	codes := emittedErrcodes(t)
	// The scan must see the codes written outside errmsgs too; if it finds
	// none of these, it is reading nothing and proves nothing.
	for _, c := range []int{40058, 81013, 40008, 45159} {
		if codes[c] == nil {
			t.Fatalf("the source scan missed errcode %d (found %d codes); the check proves nothing", c, len(codes))
		}
	}
	var sorted []int
	for c := range codes {
		sorted = append(sorted, c)
	}
	sort.Ints(sorted)
	for _, code := range sorted {
		for p := range codes[code] {
			info, ok := api.LookupErrcode(p, code)
			if !ok {
				t.Errorf("errcode %d (%s): no catalogue entry in core/api", code, p)
				continue
			}
			if info.Meaning == "" || info.Check == "" || info.MeaningZH == "" || info.CheckZH == "" {
				t.Errorf("errcode %d (%s): catalogue entry lacks a language: %+v", code, p, info)
			}
		}
	}
	t.Logf("%d errcodes checked: %v", len(sorted), sorted)
}
