// Command benchreport runs every comparison benchmark of wwkit in one go and
// rewrites the generated sections of docs/benchmarks.md and the SVG charts
// in docs/bench/ (`make bench` runs it from the repository root):
//
//   - core crypto and signing vs silenceper/wechat and a stdlib reference
//     (the bench/ module), core/jssdk Sign vs a bare SHA-1,
//   - token hits from memory, file and a real redis-server,
//   - the dev server's callback and signature endpoints under wrk against a
//     minimal handler and silenceper's server (app/server/loadtest),
//   - the WASM bundle (`make wasm`) against the Go runtime floors,
//   - the desktop binary's size when build/bin/wwkit exists,
//   - the release files' sizes when make dist has written dist/sizes.tsv.
//
// Every ratio compares medians measured in the same run. A missing tool
// (wrk, redis-server, gzip) marks its section skipped with the reason; a
// step that fails is reported in its section and makes the exit status 1,
// after the report is written.
//
// Usage (from the repository root):
//
//	go run ./tools/benchreport [-count 5] [-rounds 3] [-duration 5] [-only crypto,jssdk,tokens,server,wasm,desktop,dist]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// stepTimeout bounds every command the tool runs.
const stepTimeout = 10 * time.Minute

// env is one run: options, and what the steps measured.
type env struct {
	root               string
	gobin              string
	count              int
	rounds, duration   int
	callbacks          int
	docPath, chartDir  string
	rawDir             string
	out                io.Writer
	start              time.Time
	loadStart, loadEnd string
	loadPeak           float64 // highest 1-minute load average seen between steps

	cryptoSet, jssdkSet, tokenSet *BenchSet
	loadRuns                      []LoadRun
	loadInbox                     string
	loadDrain                     []string // after each wwkit run: how long the journal import took
	wasm                          *wasmResult
	desktop                       *desktopResult
	dist                          *distResult

	results []Target // every target of the sections written, for the console

	notes map[string]string // section id → why it was skipped or failed
	fails map[string]bool
	cmds  map[string][]string // section id → commands run, for the report
}

type step struct {
	id, what string
	run      func(e *env) error
}

// errSkip marks a step that could not run because a tool is missing.
type errSkip struct{ msg string }

func (e errSkip) Error() string { return e.msg }

func main() {
	e := &env{notes: map[string]string{}, fails: map[string]bool{}, cmds: map[string][]string{}, out: os.Stdout}
	only := flag.String("only", "", "comma-separated steps to run (crypto,jssdk,tokens,server,wasm,desktop,dist); default all")
	flag.IntVar(&e.count, "count", 5, "go test -count: runs per benchmark (the report shows medians)")
	flag.IntVar(&e.rounds, "rounds", 3, "wrk rounds (each measures every server back to back)")
	flag.IntVar(&e.duration, "duration", 5, "seconds per wrk run")
	flag.StringVar(&e.root, "root", ".", "repository root")
	flag.StringVar(&e.docPath, "doc", "docs/benchmarks.md", "report to rewrite (relative to -root)")
	flag.StringVar(&e.chartDir, "charts", "docs/bench", "directory for the SVG charts (relative to -root)")
	flag.StringVar(&e.rawDir, "raw", "bench/results", "directory for the raw outputs (relative to -root)")
	flag.Parse()
	if e.count < 1 || e.rounds < 1 || e.duration < 1 {
		fatalf("-count, -rounds and -duration must be at least 1")
	}
	e.callbacks = e.rounds * 300000
	e.gobin = os.Getenv("GO")
	if e.gobin == "" {
		e.gobin = "go"
	}
	if _, err := os.Stat(filepath.Join(e.root, "go.mod")); err != nil {
		fatalf("run from the repository root or pass -root (no go.mod in %s)", e.root)
	}
	steps := []step{
		{"crypto", "bench/ module: callback crypto, msg_signature and file-store token hits vs silenceper and the stdlib reference", stepCrypto},
		{"jssdk", "core/jssdk: Sign vs a bare SHA-1", stepJSSDK},
		{"tokens", "core/token: memory and Redis token hits (real redis-server)", stepTokens},
		{"server", "dev server /callback and signature endpoint under wrk vs minimal and silenceper", stepServer},
		{"wasm", "WASM bundle (make wasm) vs the Go runtime floors", stepWASM},
		{"desktop", "desktop binary size", stepDesktop},
		{"dist", "release file sizes (dist/sizes.tsv of make dist)", stepDist},
	}
	selected := map[string]bool{}
	if *only != "" {
		for _, id := range strings.Split(*only, ",") {
			id = strings.TrimSpace(id)
			found := false
			for _, s := range steps {
				found = found || s.id == id
			}
			if !found {
				fatalf("-only: unknown step %q; the steps are crypto, jssdk, tokens, server, wasm, desktop, dist", id)
			}
			selected[id] = true
		}
	}
	var run []step
	for _, s := range steps {
		if len(selected) == 0 || selected[s.id] {
			run = append(run, s)
		}
	}
	for _, d := range []string{e.rawDir, e.chartDir} {
		if err := os.MkdirAll(e.path(d), 0o755); err != nil {
			fatalf("creating %s: %v", d, err)
		}
	}
	e.start = time.Now()
	e.loadStart = loadavg()
	for i, s := range run {
		t0 := time.Now()
		fmt.Fprintf(e.out, "\n[bench %d/%d] %s: %s\n", i+1, len(run), s.id, s.what)
		err := s.run(e)
		e.loadPeak = max(e.loadPeak, maxLoad(loadavg()))
		d := time.Since(t0).Round(time.Second)
		switch err := err.(type) {
		case nil:
			fmt.Fprintf(e.out, "[bench %d/%d] %s done in %s\n", i+1, len(run), s.id, d)
		case errSkip:
			e.notes[s.id] = "skipped: " + err.msg
			fmt.Fprintf(e.out, "[bench %d/%d] %s SKIPPED: %s\n", i+1, len(run), s.id, err.msg)
		default:
			e.notes[s.id] = "failed: " + err.Error()
			e.fails[s.id] = true
			fmt.Fprintf(e.out, "[bench %d/%d] %s FAILED after %s: %v\n", i+1, len(run), s.id, d, err)
		}
	}
	e.loadEnd = loadavg()
	ran := map[string]bool{}
	for _, s := range run {
		ran[s.id] = true
	}
	path, err := e.writeReport(ran)
	if err != nil {
		fatalf("%v", err)
	}
	fmt.Fprintf(e.out, "\nbench: against the targets:\n")
	for _, t := range e.results {
		fmt.Fprintf(e.out, "  %-9s %s: %s (target %s)\n", strings.Trim(t.Status, "*")+",", strings.ReplaceAll(t.Area, "`", ""), strings.ReplaceAll(t.Measured, "`", ""), t.Goal)
	}
	fmt.Fprintf(e.out, "\nbench: wrote %s and its charts in %s (%s in all)\n", path, e.chartDir, time.Since(e.start).Round(time.Second))
	if len(e.fails) > 0 {
		var ids []string
		for _, s := range run {
			if e.fails[s.id] {
				ids = append(ids, s.id)
			}
		}
		fmt.Fprintf(os.Stderr, "bench: FAILED steps: %s (see their sections and %s)\n", strings.Join(ids, ", "), e.rawDir)
		os.Exit(1)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchreport: "+format+"\n", args...)
	os.Exit(2)
}

// command runs name args in dir (relative to the root), echoing the command,
// appending its combined output to the raw file of section id and returning
// it. A non-zero exit is an error carrying the last lines of output.
func (e *env) command(id, dir string, extraEnv []string, name string, args ...string) (string, error) {
	shown := name
	for _, a := range args {
		shown += " " + shellQuote(a)
	}
	for i := len(extraEnv) - 1; i >= 0; i-- {
		shown = extraEnv[i] + " " + shown
	}
	return e.run(id, dir, extraEnv, shown, true, name, args...)
}

// commandAs is command with the line shown given; record says whether the
// report lists it.
func (e *env) commandAs(id, dir, shown string, record bool, name string, args ...string) (string, error) {
	return e.run(id, dir, nil, shown, record, name, args...)
}

func shellQuote(a string) string {
	if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:") == "" {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

func (e *env) run(id, dir string, extraEnv []string, shown string, record bool, name string, args ...string) (string, error) {
	if dir != "." && dir != "" && !filepath.IsAbs(dir) {
		shown = "(cd " + dir + " && " + shown + ")"
	}
	if record {
		e.cmds[id] = append(e.cmds[id], shown)
	}
	fmt.Fprintf(e.out, "  $ %s\n", shown)
	// A hung command (a wedged server under wrk, say) ends the step instead
	// of the whole run: SIGTERM first, so run.sh's trap stops its servers.
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 15 * time.Second
	cmd.Dir = e.path(dir)
	cmd.Env = append(os.Environ(), extraEnv...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	raw := filepath.Join(e.path(e.rawDir), id+".txt")
	f, ferr := os.OpenFile(raw, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if ferr == nil {
		fmt.Fprintf(f, "$ %s\n%s\n", shown, buf.String())
		f.Close()
	}
	if ctx.Err() != nil {
		return buf.String(), fmt.Errorf("%s: stopped after %s (the limit per command)\n%s", shown, stepTimeout, tail(buf.String(), 15))
	}
	if err != nil {
		return buf.String(), fmt.Errorf("%s: %v\n%s", shown, err, tail(buf.String(), 15))
	}
	return buf.String(), nil
}

// resetRaw empties the raw output file of section id.
func (e *env) resetRaw(id string) {
	_ = os.WriteFile(filepath.Join(e.path(e.rawDir), id+".txt"), nil, 0o644)
}

// path resolves p against the repository root unless it is absolute.
func (e *env) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.root, p)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// machine is the report's machine line.
func (e *env) machine() string {
	gv := strings.TrimSpace(runCapture(e.gobin, "version"))
	if gv == "" {
		gv = runtime.Version()
	}
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %f kB", &kb); err == nil {
			mem = fmt.Sprintf(", %.0f GiB RAM", kb/(1<<20))
		}
	}
	return fmt.Sprintf("%s, nproc %d, CPU %q%s; run started %s, load average %s at start and %s at the end (1-minute peak between steps %.1f)",
		gv, runtime.NumCPU(), cpu, mem, e.start.UTC().Format("2006-01-02 15:04 UTC"), e.loadStart, e.loadEnd, max(e.loadPeak, maxLoad(e.loadStart, e.loadEnd)))
}

func runCapture(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return ""
	}
	return string(out)
}
