package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// goBench compiles the test binary of pkg (in module directory dir) once and
// runs its benchmarks -count times with -test.count 1, so that every round
// measures all benchmarks back to back: load from other processes on a
// shared machine then hits the rows being compared alike, instead of
// landing on whichever benchmark happened to run its five counts at the
// time. A failed run whose output still holds results keeps them (the
// report names the failures).
func (e *env) goBench(id, dir, pattern, pkg string) (*BenchSet, error) {
	tmp, err := os.MkdirTemp("", "wwkit-bench")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, id+".test")
	if _, err := e.commandAs(id, dir, "go test -c -o "+id+".test "+pkg, true, e.gobin, "test", "-c", "-o", bin, pkg); err != nil {
		return nil, err
	}
	pkgDir := filepath.Join(dir, pkg)
	var all strings.Builder
	var runErr error
	for i := 1; i <= e.count; i++ {
		fmt.Fprintf(e.out, "  run %d/%d\n", i, e.count)
		shown := fmt.Sprintf("./%s.test -test.run '^$' -test.bench '%s' -test.benchmem -test.count 1   # run %d times", id, pattern, e.count)
		out, err := e.commandAs(id, pkgDir, shown, i == 1, bin, "-test.run", "^$", "-test.bench", pattern, "-test.benchmem", "-test.count", "1")
		all.WriteString(out)
		if err != nil && runErr == nil {
			runErr = err
		}
	}
	set, perr := ParseBench(strings.NewReader(all.String()))
	if perr != nil {
		return nil, perr
	}
	if runErr != nil {
		if len(set.Order) == 0 {
			return nil, runErr
		}
		set.Fails = append(set.Fails, "a run exited with an error: "+firstLine(runErr.Error()))
	}
	if len(set.Order) == 0 {
		return nil, fmt.Errorf("no benchmark results for -bench %q in %s", pattern, pkgDir)
	}
	return set, nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func stepCrypto(e *env) error {
	e.resetRaw("crypto")
	if _, err := os.Stat(filepath.Join(e.root, "bench", "go.mod")); err != nil {
		return errSkip{"the bench/ module is missing (bench/go.mod)"}
	}
	set, err := e.goBench("crypto", "bench", ".", ".")
	e.cryptoSet = set
	return err
}

func stepJSSDK(e *env) error {
	e.resetRaw("jssdk")
	set, err := e.goBench("jssdk", ".", "BenchmarkSign$|BenchmarkSHA1", "./core/jssdk")
	e.jssdkSet = set
	return err
}

func stepTokens(e *env) error {
	e.resetRaw("tokens")
	pattern := "."
	if _, err := exec.LookPath("redis-server"); err != nil {
		// Memory rows still run; the Redis rows are reported as skipped.
		pattern = "Memory"
		e.notes["tokens-redis"] = "redis-server is not installed (run `make setup`, which installs the Debian package redis-server)"
		fmt.Fprintf(e.out, "  redis-server not found: running the memory rows only\n")
	}
	set, err := e.goBench("tokens", ".", pattern, "./core/token")
	e.tokenSet = set
	return err
}

func stepServer(e *env) error {
	e.resetRaw("server")
	if _, err := exec.LookPath("wrk"); err != nil {
		return errSkip{"wrk is not installed; `scripts/setup.sh bench` (run by `make bench`) installs the Debian package wrk"}
	}
	if _, err := os.Stat(filepath.Join(e.root, "app/server/loadtest/run.sh")); err != nil {
		return errSkip{"app/server/loadtest/run.sh is missing"}
	}
	fmt.Fprintf(e.out, "  %d rounds × (3 callback + 2 signature runs) × %d s, plus generating %d callbacks (about %d s in all)\n",
		e.rounds, e.duration, e.callbacks, e.rounds*5*(e.duration+1)+25)
	out, err := e.command("server", "app/server/loadtest",
		[]string{"ROUNDS=" + strconv.Itoa(e.rounds), "DURATION=" + strconv.Itoa(e.duration), "N=" + strconv.Itoa(e.callbacks), "CONNS=64", "THREADS=2"},
		"sh", "run.sh")
	runs, perr := ParseLoad(strings.NewReader(out))
	if perr != nil {
		return perr
	}
	e.loadRuns = runs
	for _, l := range strings.Split(out, "\n") {
		if d, ok := ParseDrain(l); ok {
			e.loadDrain = append(e.loadDrain, d)
		}
		if strings.HasPrefix(l, "wwkit inbox: ") {
			e.loadInbox = strings.TrimSpace(strings.TrimPrefix(l, "wwkit inbox: "))
		}
	}
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		return errors.New("run.sh printed no LOADTEST lines (see " + e.rawDir + "/server.txt)")
	}
	return nil
}

// wasmResult holds the bundle and the floors, in bytes.
type wasmResult struct {
	makeLine   string // what `make wasm` printed about the bundle
	flags      string // the go build flags taken from `make -n wasm`
	flagsNote  string
	gzipTool   string
	rows       []wasmRow
	bundleGzip float64
}

type wasmRow struct {
	name      string
	raw, gzip float64
}

var buildFlagsRE = regexp.MustCompile(`GOARCH=wasm\s+\S*go\s+build\s+(.*?)\s+-o\s`)

func stepWASM(e *env) error {
	e.resetRaw("wasm")
	w := &wasmResult{}
	e.wasm = w
	// The flags come from the Makefile, so the floors are built like the bundle.
	w.flags = `-trimpath -ldflags="-s -w"`
	if out, err := exec.Command("make", "-s", "-n", "-C", e.root, "wasm").Output(); err == nil {
		if m := buildFlagsRE.FindStringSubmatch(string(out)); m != nil {
			w.flags = m[1]
		} else {
			w.flagsNote = "could not read the go build flags from `make -n wasm`; the floors use " + w.flags
		}
	}
	out, err := e.command("wasm", ".", nil, "make", "--no-print-directory", "wasm")
	if err != nil {
		return err
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "wasm:") {
			w.makeLine = strings.TrimSpace(l)
		}
	}
	gz, tool := gzipSizer()
	w.gzipTool = tool
	bundle := filepath.Join(e.root, "wasm/dist/wwkit.wasm")
	b, err := os.ReadFile(bundle)
	if err != nil {
		return fmt.Errorf("make wasm did not produce wasm/dist/wwkit.wasm: %v", err)
	}
	tmp, err := os.MkdirTemp("", "wwkit-wasm-floor")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	floors := []struct{ name, src string }{
		{"empty program (`func main() {}`)", "package main\n\nfunc main() {}\n"},
		{"`syscall/js` only (one js.Global().Set)", "package main\n\nimport \"syscall/js\"\n\nfunc main() { js.Global().Set(\"wwkitFloor\", js.ValueOf(1)) }\n"},
	}
	for i, f := range floors {
		dir := filepath.Join(tmp, strconv.Itoa(i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(f.src), 0o644); err != nil {
			return err
		}
		wasmOut := filepath.Join(dir, "floor.wasm")
		shown := "GOOS=js GOARCH=wasm go build " + w.flags + " -o floor.wasm .   # in a scratch module: " + f.name
		if _, err := e.commandAs("wasm", dir, shown, true, "sh", "-c", "GOOS=js GOARCH=wasm "+e.gobin+" build "+w.flags+" -o "+wasmOut+" ."); err != nil {
			return err
		}
		fb, err := os.ReadFile(wasmOut)
		if err != nil {
			return err
		}
		n, err := gz(wasmOut)
		if err != nil {
			return err
		}
		w.rows = append(w.rows, wasmRow{f.name, float64(len(fb)), float64(n)})
	}
	n, err := gz(bundle)
	if err != nil {
		return err
	}
	w.bundleGzip = float64(n)
	w.rows = append(w.rows, wasmRow{"`wasm/dist/wwkit.wasm` (the verifier)", float64(len(b)), float64(n)})
	return nil
}

// gzipSizer returns a function measuring the gzip -9 size (GNU gzip, as the
// Makefile prints it; compress/gzip at BestCompression when gzip is absent).
func gzipSizer() (func(path string) (int, error), string) {
	if p, err := exec.LookPath("gzip"); err == nil {
		return func(path string) (int, error) {
			out, err := exec.Command(p, "-9", "-n", "-c", path).Output()
			return len(out), err
		}, "`gzip -9 -n -c FILE` (no name or time in the header)"
	}
	return func(path string) (int, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(b); err != nil {
			return 0, err
		}
		err = zw.Close()
		return buf.Len(), err
	}, "Go compress/gzip BestCompression (GNU gzip not found)"
}

type desktopResult struct {
	path  string
	size  float64
	built string
}

func stepDesktop(e *env) error {
	e.resetRaw("desktop")
	p := filepath.Join(e.root, "build/bin/wwkit")
	st, err := os.Stat(p)
	if err != nil {
		return errSkip{"build/bin/wwkit does not exist; `make desktop` builds it (make bench does not, a cold desktop build takes minutes)"}
	}
	e.desktop = &desktopResult{path: "build/bin/wwkit", size: float64(st.Size()), built: st.ModTime().UTC().Format("2006-01-02 15:04 UTC")}
	e.cmds["desktop"] = append(e.cmds["desktop"], "stat build/bin/wwkit")
	fmt.Fprintf(e.out, "  build/bin/wwkit: %s, built %s\n", fmtBytes(e.desktop.size), e.desktop.built)
	return nil
}

// distResult is dist/sizes.tsv as `make dist` last wrote it.
type distResult struct {
	built     string
	artefacts []sizeRow // the release files
	binaries  []sizeRow // the programs inside them
}

type sizeRow struct {
	name  string
	bytes float64
}

// parseSizes reads dist/sizes.tsv: "artefact|bin <TAB> name <TAB> bytes" per line.
func parseSizes(text string) (*distResult, error) {
	d := &distResult{}
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("dist/sizes.tsv line %d: %q is not kind, name and bytes separated by tabs", i+1, line)
		}
		n, err := strconv.ParseFloat(f[2], 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("dist/sizes.tsv line %d: %q is not a byte count", i+1, f[2])
		}
		switch f[0] {
		case "artefact":
			d.artefacts = append(d.artefacts, sizeRow{f[1], n})
		case "bin":
			d.binaries = append(d.binaries, sizeRow{f[1], n})
		default:
			return nil, fmt.Errorf("dist/sizes.tsv line %d: kind %q is neither artefact nor bin", i+1, f[0])
		}
	}
	if len(d.artefacts) == 0 {
		return nil, errors.New("dist/sizes.tsv lists no artefact")
	}
	return d, nil
}

// stepDist reads the sizes `make dist` recorded; like the desktop step it
// builds nothing (a full make dist cross-compiles the desktop build for two
// platforms and takes many minutes).
func stepDist(e *env) error {
	e.resetRaw("dist")
	p := filepath.Join(e.root, "dist/sizes.tsv")
	b, err := os.ReadFile(p)
	if err != nil {
		return errSkip{"dist/sizes.tsv does not exist; `make dist` writes it (make bench does not run it, it takes many minutes)"}
	}
	st, _ := os.Stat(p)
	d, err := parseSizes(string(b))
	if err != nil {
		return err
	}
	d.built = st.ModTime().UTC().Format("2006-01-02 15:04 UTC")
	e.dist = d
	e.cmds["dist"] = append(e.cmds["dist"], "cat dist/sizes.tsv")
	fmt.Fprintf(e.out, "  dist/sizes.tsv: %d artefacts, %d binaries, written %s\n", len(d.artefacts), len(d.binaries), d.built)
	return nil
}
