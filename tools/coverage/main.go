// Command coverage writes docs/coverage.md: every endpoint of
// core/api/endpoints.json with the CLI commands, emulator route and desktop
// methods that reach it, grouped by area, and the same areas counted in
// go-workwx and silenceper/wechat.
//
// Nothing in the table is kept by hand. The client column is the endpoint
// table itself; the CLI column comes from running the examples of every
// API command's --help against the emulator and recording the paths it
// served; the emulator column from the emulator's routes; the desktop
// column from the call graph of app/desktop (type-checked from source),
// which exported service methods reach the generated client method.
//
//	go run ./tools/coverage            # rewrite docs/coverage.md
//	go run ./tools/coverage -check     # exit 1 when it is stale
//
// `make docs` runs the first; TestCoverageDocUpToDate the second.
package main

//go:generate go run . -root ../..

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wwkit/wwkit/core/emulator"
)

const docPath = "docs/coverage.md"

func main() {
	root := flag.String("root", ".", "the wwkit module root")
	check := flag.Bool("check", false, "do not write: exit 1 when "+docPath+" differs from what would be written")
	flag.Parse()
	got, err := generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	path := filepath.Join(*root, docPath)
	if *check {
		old, _ := os.ReadFile(path)
		if !bytes.Equal(old, got) {
			fmt.Fprintf(os.Stderr, "coverage: %s is stale: run `make docs` (go run ./tools/coverage) and commit it\n", docPath)
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(path, got, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "coverage:", err)
		os.Exit(1)
	}
}

// endpoint is one row of core/api/endpoints.json (the fields used here).
type endpoint struct {
	Name     string `json:"name"`
	Platform string `json:"platform"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Doc      string `json:"doc"`
}

type row struct {
	endpoint
	area    string
	method  string   // the client method, Type.Name
	cli     []string // command paths
	emu     string   // the emulator route, "" when not emulated
	desktop []string // exported desktop methods
	serve   []string // functions of the dev server (app/server)
}

func generate(root string) ([]byte, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(root, "core/api/endpoints.json"))
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	var table struct{ Endpoints []endpoint }
	if err := json.Unmarshal(raw, &table); err != nil {
		return nil, fmt.Errorf("coverage: core/api/endpoints.json: %w", err)
	}

	prog, err := load(root, apiPkg, modPath+"/app/desktop", modPath+"/app/server")
	if err != nil {
		return nil, err
	}
	graph := prog.callGraph()
	methods := prog.endpointMethods() // "pkg.Type.Name" → "GET /cgi-bin/…"
	methodOf := func(e endpoint) string {
		var found []string
		for k, mp := range methods {
			if mp == e.Method+" "+e.Path && strings.HasSuffix(k, "."+e.Name) {
				found = append(found, k)
			}
		}
		if len(found) > 1 { // the same path and name on both platforms (menu/create)
			for _, k := range found {
				if strings.Contains(k, ".MP.") == (e.Platform == "mp") {
					return k
				}
			}
		}
		if len(found) == 0 {
			return ""
		}
		return found[0]
	}
	// desktop: which exported methods reach each client method, and how
	// many client methods each reaches (the most specific are listed first).
	desk := map[string][]string{}
	breadth := map[string]int{}
	for _, entry := range prog.exportedEntryPoints(modPath + "/app/desktop") {
		// The window runs the dev server in-process; what the server
		// builds in its constructor (its handlers and their calls) is its
		// column, not the desktop's. The server's other functions the
		// desktop calls are followed: Server.SuiteCorp hands the desktop a
		// corp's client, whose calls (get_corp_token) the desktop makes.
		r := reach(graph, entry, modPath+"/app/server.New")
		short := strings.TrimPrefix(entry, modPath+"/app/desktop.")
		for k := range r {
			if _, ok := methods[k]; ok {
				desk[k] = append(desk[k], short)
				breadth[short]++
			}
		}
	}

	// dev server: the functions of app/server that reach each client
	// method; only the most specific (those reaching the fewest client
	// methods) are shown, since its constructor reaches every handler.
	srv := map[string][]string{}
	srvBreadth := map[string]int{}
	for _, fn := range prog.functions(modPath + "/app/server") {
		short := strings.TrimPrefix(fn, modPath+"/app/server.")
		for k := range reach(graph, fn) {
			if _, ok := methods[k]; ok {
				srv[k] = append(srv[k], short)
				srvBreadth[short]++
			}
		}
	}

	emu, err := emulator.New()
	if err != nil {
		return nil, err
	}
	routes := map[string]string{}
	for _, r := range emu.Routes() {
		m, p, _ := strings.Cut(r, " ")
		routes[p] = m
	}
	hits, err := traceCLI()
	if err != nil {
		return nil, err
	}

	var rows []row
	for _, e := range table.Endpoints {
		r := row{endpoint: e, area: areaOf(e.Platform, e.Path)}
		k := methodOf(e)
		r.method = strings.TrimPrefix(k, apiPkg+".")
		ep := "/" + e.Platform + e.Path
		if m, ok := routes[ep]; ok && (m == "*" || m == e.Method) {
			r.emu = ep
		}
		r.cli = commandsFor(ep, hits)
		d := desk[k]
		sort.Slice(d, func(i, j int) bool {
			if breadth[d[i]] != breadth[d[j]] {
				return breadth[d[i]] < breadth[d[j]]
			}
			return d[i] < d[j]
		})
		r.desktop = d
		r.serve = mostSpecific(srv[k], srvBreadth)
		rows = append(rows, r)
	}
	return render(rows, others)
}

// mostSpecific keeps the names with the smallest breadth, sorted.
func mostSpecific(names []string, breadth map[string]int) []string {
	min := -1
	for _, n := range names {
		if min < 0 || breadth[n] < min {
			min = breadth[n]
		}
	}
	var out []string
	for _, n := range names {
		if breadth[n] == min {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// list shows at most three names, the rest as a count.
func list(names []string, format string) string {
	if len(names) == 0 {
		return "—"
	}
	var b []string
	if len(names) == 1 && names[0] == onTheWay {
		return onTheWay
	}
	for i, n := range names {
		if i == 3 {
			b = append(b, fmt.Sprintf("+%d more", len(names)-3))
			break
		}
		b = append(b, fmt.Sprintf(format, n))
	}
	return strings.Join(b, ", ")
}

func render(rows []row, cmp comparison) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("<!-- Code generated by tools/coverage. DO NOT EDIT: run `make docs`. -->\n\n")
	b.WriteString("# API coverage\n\n")
	b.WriteString("Every endpoint wwkit covers, generated from the code by `make docs`\n" +
		"(`go run ./tools/coverage`); a test fails when this file is stale.\n\n" +
		"* **client**: the typed method of `core/api`, generated from `core/api/endpoints.json`.\n" +
		"* **CLI**: the `wwkit` commands whose `--help` examples reach the endpoint when run\n" +
		"  against the emulator, in a scratch directory holding the files the examples name and\n" +
		"  the state `wwkit serve` leaves as a suite's callback URL (the emulator pushed a\n" +
		"  suite_ticket and its test corp installed the suite). A path more than a quarter of\n" +
		"  them reach (the access_token) says \"" + onTheWay + "\". — means no example\n" +
		"  reaches it (a command may still call it with other arguments).\n" +
		"* **emulator**: the path `wwkit emulator` serves for it.\n" +
		"* **desktop**: the exported methods of the desktop app's services (`app/desktop`,\n" +
		"  bound to the UI) whose static call graph reaches the client method. Calls through\n" +
		"  interfaces or the generic `Do` are not followed, so a token fetched on the way by a\n" +
		"  client the desktop did not build (the suite_access_token) is not shown. What the dev\n" +
		"  server's constructor sets up is its own column; a client it hands the desktop\n" +
		"  (`Server.SuiteCorp`) is followed.\n" +
		"* **dev server**: the functions of `wwkit serve` (`app/server`) that reach it, for the\n" +
		"  H5 page (OAuth, signatures, media, private fields); of those, the ones reaching the\n" +
		"  fewest endpoints, by the same call graph.\n\n")
	areas := map[string][]row{}
	var order []string
	for _, r := range rows {
		if _, ok := areas[r.area]; !ok {
			order = append(order, r.area)
		}
		areas[r.area] = append(areas[r.area], r)
	}
	sort.SliceStable(order, func(i, j int) bool { return areaRank(order[i]) < areaRank(order[j]) })

	b.WriteString("## Counts per area\n\n")
	b.WriteString("| area | endpoints | client | CLI | emulator | desktop | dev server |\n|---|---:|---:|---:|---:|---:|---:|\n")
	var tot [6]int
	for _, a := range order {
		var n [6]int
		for _, r := range areas[a] {
			n[0]++
			if r.method != "" {
				n[1]++
			}
			if len(r.cli) > 0 {
				n[2]++
			}
			if r.emu != "" {
				n[3]++
			}
			if len(r.desktop) > 0 {
				n[4]++
			}
			if len(r.serve) > 0 {
				n[5]++
			}
		}
		for i := range n {
			tot[i] += n[i]
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d |\n", a, n[0], n[1], n[2], n[3], n[4], n[5])
	}
	fmt.Fprintf(&b, "| **all** | **%d** | **%d** | **%d** | **%d** | **%d** | **%d** |\n\n", tot[0], tot[1], tot[2], tot[3], tot[4], tot[5])

	for _, a := range order {
		fmt.Fprintf(&b, "## %s\n\n", a)
		b.WriteString("| endpoint | client | CLI | emulator | desktop | dev server |\n|---|---|---|---|---|---|\n")
		for _, r := range areas[a] {
			client := "—"
			if r.method != "" {
				client = "`" + r.method + "`"
			}
			emu := "—"
			if r.emu != "" {
				emu = "✓"
			}
			fmt.Fprintf(&b, "| `%s %s` (%s) | %s | %s | %s | %s | %s |\n", r.Method, r.Path, r.Platform, client,
				list(r.cli, "`%s`"), emu, list(r.desktop, "`%s`"), list(r.serve, "`%s`"))
		}
		b.WriteString("\n")
	}
	writeComparison(&b, rows, cmp)
	return b.Bytes(), nil
}
