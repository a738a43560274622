package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

const (
	modPath = "github.com/wwkit/wwkit"
	apiPkg  = modPath + "/core/api"
)

// listedPkg is what `go list -export -deps -json` tells about a package.
type listedPkg struct {
	ImportPath string
	Dir        string
	Export     string
	GoFiles    []string
	Error      *struct{ Err string }
}

// program is a set of wwkit packages type-checked from source, their
// dependencies read from the compiler's export data.
type program struct {
	fset  *token.FileSet
	pkgs  map[string]*checked
	order []string
}

type checked struct {
	path  string
	files []*ast.File
	names []string // file base names, parallel to files
	info  *types.Info
}

// load type-checks pkgs (import paths) from source. Dependencies come from
// `go list -export`, which builds them with the go command's cache.
func load(root string, pkgs ...string) (*program, error) {
	args := append([]string{"list", "-e", "-export", "-deps", "-json=ImportPath,Dir,Export,GoFiles,Error"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("coverage: go list: %v\n%s", err, stderr.Bytes())
	}
	listed := map[string]*listedPkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("coverage: reading go list: %w", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("coverage: package %s: %s", p.ImportPath, p.Error.Err)
		}
		listed[p.ImportPath] = &p
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		p, ok := listed[path]
		if !ok || p.Export == "" {
			return nil, fmt.Errorf("coverage: no export data for %s", path)
		}
		return os.Open(p.Export)
	})
	prog := &program{fset: fset, pkgs: map[string]*checked{}}
	for _, path := range pkgs {
		p, ok := listed[path]
		if !ok {
			return nil, fmt.Errorf("coverage: go list did not report %s", path)
		}
		c := &checked{path: path, info: &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}}
		for _, name := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
			if err != nil {
				return nil, fmt.Errorf("coverage: %w", err)
			}
			c.files = append(c.files, f)
			c.names = append(c.names, name)
		}
		conf := types.Config{Importer: imp}
		if _, err := conf.Check(path, fset, c.files, c.info); err != nil {
			return nil, fmt.Errorf("coverage: type-checking %s: %w", path, err)
		}
		prog.pkgs[path] = c
		prog.order = append(prog.order, path)
	}
	return prog, nil
}

// funcKey names a function or method across packages: "pkg.Func" or
// "pkg.Type.Method".
func funcKey(f *types.Func) string {
	if f.Pkg() == nil {
		return ""
	}
	sig, _ := f.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		t := sig.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return f.Pkg().Path() + "." + n.Obj().Name() + "." + f.Name()
		}
		return "" // interface method: the call is dynamic, not followed
	}
	return f.Pkg().Path() + "." + f.Name()
}

// callGraph maps every function declared in the loaded packages to the
// functions its body (closures included) calls or refers to. Referring
// counts because a function value handed to a helper is called by it.
func (p *program) callGraph() map[string]map[string]bool {
	g := map[string]map[string]bool{}
	for _, path := range p.order {
		c := p.pkgs[path]
		for _, f := range c.files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				obj, _ := c.info.Defs[fd.Name].(*types.Func)
				if obj == nil {
					continue
				}
				from := funcKey(obj)
				edges := map[string]bool{}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						if fn, ok := c.info.Uses[id].(*types.Func); ok {
							if k := funcKey(fn); k != "" {
								edges[k] = true
							}
						}
					}
					return true
				})
				g[from] = edges
			}
		}
	}
	return g
}

// reach returns every function reachable from start in g, not entering
// functions whose key starts with one of skip.
func reach(g map[string]map[string]bool, start string, skip ...string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{start}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for next := range g[k] {
			skipped := false
			for _, p := range skip {
				skipped = skipped || strings.HasPrefix(next, p)
			}
			if !seen[next] && !skipped {
				seen[next] = true
				stack = append(stack, next)
			}
		}
	}
	return seen
}

// generatedDoc is the line tools/apigen writes above each generated
// method: "// GET /cgi-bin/user/get (needs token: …".
var generatedDoc = regexp.MustCompile(`(?m)^(GET|POST) (\S+) \(needs token`)

// endpointMethods maps each generated client method ("pkg.Type.Name") to
// "METHOD PATH", read from zz_generated.go of core/api.
func (p *program) endpointMethods() map[string]string {
	out := map[string]string{}
	c := p.pkgs[apiPkg]
	for i, f := range c.files {
		if !strings.HasPrefix(c.names[i], "zz_generated") {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Doc == nil {
				continue
			}
			m := generatedDoc.FindStringSubmatch(fd.Doc.Text())
			obj, _ := c.info.Defs[fd.Name].(*types.Func)
			if m == nil || obj == nil {
				continue
			}
			out[funcKey(obj)] = m[1] + " " + m[2]
		}
	}
	return out
}

// exportedEntryPoints are the exported methods of exported types declared
// in pkg: for the desktop package, what Wails binds for the frontend.
func (p *program) exportedEntryPoints(pkg string) []string {
	var out []string
	c := p.pkgs[pkg]
	for _, f := range c.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			obj, _ := c.info.Defs[fd.Name].(*types.Func)
			if obj == nil {
				continue
			}
			k := funcKey(obj)
			parts := strings.Split(strings.TrimPrefix(k, pkg+"."), ".")
			if len(parts) == 2 && ast.IsExported(parts[0]) {
				out = append(out, k)
			}
		}
	}
	return out
}

// functions are every function and method declared in pkg.
func (p *program) functions(pkg string) []string {
	var out []string
	c := p.pkgs[pkg]
	for _, f := range c.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if obj, _ := c.info.Defs[fd.Name].(*types.Func); obj != nil {
				if k := funcKey(obj); k != "" {
					out = append(out, k)
				}
			}
		}
	}
	return out
}
