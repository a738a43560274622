package frontend_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/desktop"
	"github.com/wwkit/wwkit/core/jssdk"
)

// The desktop UI reaches the Go services through window.go.desktop.* (Wails
// v2 binds every exported method of the bound services). Its TypeScript
// types are written from the services by reflection, here, instead of by
// `wails generate module`: the Wails CLI is not needed to build or check the
// UI, and this test fails as soon as a Go DTO or method changes without the
// TypeScript following it.
//
//	go test ./frontend -run TestDesktopBindings -update   (or go generate ./frontend)
var update = flag.Bool("update", false, "rewrite desktop/src/bindings.gen.ts from the bound Go services")

const bindingsFile = "desktop/src/bindings.gen.ts"

func TestDesktopBindings(t *testing.T) {
	a, err := desktop.NewApp(desktop.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	got, err := genBindings(a.Services())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(bindingsFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(bindingsFile)
	if err != nil {
		t.Fatalf("reading %s: %v (write it with: go test ./frontend -run TestDesktopBindings -update)", bindingsFile, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with the Go services in app/desktop (a DTO or method changed); regenerate it with: go test ./frontend -run TestDesktopBindings -update\nfirst difference: %s", bindingsFile, firstDiff(string(want), string(got)))
	}
}

const problemsFile = "desktop/src/problems.gen.json"

// TestDesktopProblemCodes writes (with -update) or checks the list of tool
// error codes the window renders (desktop/src/problems.ts translates each;
// its unit test walks this list).
func TestDesktopProblemCodes(t *testing.T) {
	got, err := json.MarshalIndent(desktop.ProblemCodes(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(problemsFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(problemsFile)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with app/desktop/problem.go; regenerate it with: go test ./frontend -run TestDesktop -update", problemsFile)
	}
}

const codesFile = "h5/src/codes.gen.json"

// TestDesktopFindingCodes writes (with -update) or checks the diagnostic
// codes with their fixes in both languages: the H5 page and the window show
// a finding's fix by its code from this table, whose one source is
// core/jssdk.
func TestDesktopFindingCodes(t *testing.T) {
	type row struct {
		Code  string `json:"code"`
		Fix   string `json:"fix"`
		FixZh string `json:"fixZh"`
	}
	var rows []row
	for _, c := range jssdk.Codes() {
		rows = append(rows, row{c.Code, c.Fix, jssdk.FixZh(c.Code)})
	}
	got, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(codesFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(codesFile)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date with core/jssdk's codes; regenerate it with: go test ./frontend -run TestDesktop -update", codesFile)
	}
}

// TestDesktopUICallsBoundMethods checks that every service method the UI
// sources call (svc("NAME").Method calls) is bound, so a rename in Go fails
// here and not in the window.
func TestDesktopUICallsBoundMethods(t *testing.T) {
	a, err := desktop.NewApp(desktop.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	bound := map[string]reflect.Type{}
	for _, s := range a.Services() {
		bound[reflect.TypeOf(s).Elem().Name()] = reflect.TypeOf(s)
	}
	re := regexp.MustCompile(`svc\("(\w+)"\)\.(\w+)\(`)
	n := 0
	err = walkSources("desktop/src", func(name string, src []byte) {
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n++
			typ, ok := bound[m[1]]
			if !ok {
				t.Errorf("%s calls %s.%s: no bound service %s", name, m[1], m[2], m[1])
				continue
			}
			if _, ok := typ.MethodByName(m[2]); !ok {
				t.Errorf("%s calls %s.%s: no such method", name, m[1], m[2])
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Fatalf("found %d service calls in desktop/src; the UI is expected to use the services through svc(\"Service\").Method(…)", n)
	}
}

func walkSources(dir string, f func(name string, src []byte)) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := dir + "/" + e.Name()
		if e.IsDir() {
			if err := walkSources(p, f); err != nil {
				return err
			}
			continue
		}
		if strings.HasSuffix(p, ".ts") || strings.HasSuffix(p, ".vue") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f(p, b)
		}
	}
	return nil
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: file has %q, the services give %q", i+1, x, y)
		}
	}
	return "none"
}

// tsGen writes TypeScript for Go types as encoding/json marshals them.
type tsGen struct {
	names  map[reflect.Type]string // named struct → interface name
	taken  map[string]reflect.Type
	queue  []reflect.Type
	failed []string
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	errorType     = reflect.TypeFor[error]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

func genBindings(services []any) ([]byte, error) {
	g := &tsGen{names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}}
	var svc bytes.Buffer
	var names []string
	for _, s := range services {
		typ := reflect.TypeOf(s)
		name := typ.Elem().Name()
		names = append(names, name)
		fmt.Fprintf(&svc, "\n/** %s: window.go.desktop.%s */\nexport interface %s {\n", name, name, name)
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			var args []string
			for j := 1; j < m.Type.NumIn(); j++ {
				args = append(args, fmt.Sprintf("arg%d: %s", j, g.ts(m.Type.In(j))))
			}
			ret := "void"
			for j := 0; j < m.Type.NumOut(); j++ {
				if out := m.Type.Out(j); out != errorType {
					ret = g.ts(out)
				}
			}
			fmt.Fprintf(&svc, "  %s(%s): Promise<%s>;\n", m.Name, strings.Join(args, ", "), ret)
		}
		svc.WriteString("}\n")
	}
	// The rejection value of every call (the Wails ErrorFormatter).
	g.ts(reflect.TypeOf(desktop.ErrorDTO{}))
	var types bytes.Buffer
	for len(g.queue) > 0 {
		t := g.queue[0]
		g.queue = g.queue[1:]
		g.iface(&types, t)
	}
	if len(g.failed) > 0 {
		return nil, fmt.Errorf("bindings: Go types with no TypeScript form: %s", strings.Join(g.failed, ", "))
	}
	var out bytes.Buffer
	out.WriteString("// Code generated by `go test ./frontend -run TestDesktopBindings -update` from the\n")
	out.WriteString("// services app/desktop binds to the window. DO NOT EDIT.\n")
	out.Write(types.Bytes())
	out.Write(svc.Bytes())
	fmt.Fprintf(&out, "\n/** Services are the bound services by name (window.go.desktop). */\nexport interface Services {\n")
	for _, n := range names {
		fmt.Fprintf(&out, "  %s: %s;\n", n, n)
	}
	out.WriteString("}\n")
	return out.Bytes(), nil
}

// ts is the TypeScript type of a value of t.
func (g *tsGen) ts(t reflect.Type) string {
	if t == timeType {
		return "string"
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && (t.Implements(marshalerType) || t.Implements(textType)) {
		if t.Kind() == reflect.String {
			return "string"
		}
		g.failed = append(g.failed, t.String()+" (custom JSON)")
		return "unknown"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Interface:
		return "unknown"
	case reflect.Pointer:
		return g.ts(t.Elem()) + " | null"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string" // base64
		}
		el := g.ts(t.Elem())
		if strings.Contains(el, " ") {
			el = "(" + el + ")"
		}
		return el + "[] | null"
	case reflect.Array:
		return g.ts(t.Elem()) + "[]"
	case reflect.Map:
		return "Record<string, " + g.ts(t.Elem()) + "> | null"
	case reflect.Struct:
		if t.Name() == "" {
			var b bytes.Buffer
			b.WriteString("{ ")
			for _, f := range g.fields(t) {
				b.WriteString(f + " ")
			}
			b.WriteString("}")
			return b.String()
		}
		return g.name(t)
	}
	g.failed = append(g.failed, t.String())
	return "unknown"
}

func (g *tsGen) name(t reflect.Type) string {
	if n, ok := g.names[t]; ok {
		return n
	}
	n := t.Name()
	if other, ok := g.taken[n]; ok && other != t {
		pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
		n = strings.ToUpper(pkg[:1]) + pkg[1:] + n
	}
	g.names[t], g.taken[n] = n, t
	g.queue = append(g.queue, t)
	return n
}

// iface writes the interface of a named struct; embedded structs without a
// JSON name become `extends` (encoding/json flattens them).
func (g *tsGen) iface(w *bytes.Buffer, t reflect.Type) {
	var ext []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" && f.Type.Kind() == reflect.Struct {
			ext = append(ext, g.name(f.Type))
		}
	}
	sort.Strings(ext)
	head := "export interface " + g.names[t]
	if len(ext) > 0 {
		head += " extends " + strings.Join(ext, ", ")
	}
	fmt.Fprintf(w, "\n/** %s (Go %s) */\n%s {\n", g.names[t], t.String(), head)
	for _, f := range g.fields(t) {
		fmt.Fprintf(w, "  %s\n", f)
	}
	w.WriteString("}\n")
}

// fields lists "name?: type;" for the JSON fields of t, skipping embedded
// structs (see iface).
func (g *tsGen) fields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		opt := ""
		if strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,") {
			opt = "?"
		}
		typ := g.ts(f.Type)
		if f.Tag.Get("ts_type") != "" {
			typ = f.Tag.Get("ts_type")
			if f.Type.Kind() == reflect.Pointer {
				typ += " | null"
			}
		}
		out = append(out, fmt.Sprintf("%s%s: %s;", name, opt, typ))
	}
	return out
}
