package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func parseFile(t *testing.T, name string) *BenchSet {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set, err := ParseBench(f)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestParseBench(t *testing.T) {
	set := parseFile(t, "bench.txt")
	wantOrder := []string{"BenchmarkCallbackDecrypt/300B/wwkit", "BenchmarkCallbackDecrypt/300B/reference", "BenchmarkCallbackDecrypt/300B/silenceper",
		"BenchmarkCallbackPrimitives/300B/sha1", "BenchmarkCallbackPrimitives/300B/base64", "BenchmarkCallbackPrimitives/300B/aescbc", "BenchmarkPaired/callback_decrypt",
		"BenchmarkSignature/wwkit", "BenchmarkSignature/bare_sha1", "BenchmarkTokenHitRedis", "BenchmarkPaired/msg_signature", "BenchmarkPaired/jssdk_sign"}
	if strings.Join(set.Order, ",") != strings.Join(wantOrder, ",") {
		t.Fatalf("order %v, want %v", set.Order, wantOrder)
	}
	if set.CPU != "AMD EPYC" || len(set.Pkgs) != 1 || set.Pkgs[0] != "github.com/wwkit/wwkit/bench" {
		t.Errorf("headers: cpu %q pkgs %v", set.CPU, set.Pkgs)
	}
	cases := []struct {
		name, unit string
		median     float64
		runs       int
	}{
		{"BenchmarkCallbackDecrypt/300B/wwkit", "ns/op", 2973, 3},  // odd count: the middle value
		{"BenchmarkCallbackDecrypt/300B/wwkit", "MB/s", 100.91, 3}, // another unit of the same lines
		{"BenchmarkSignature/wwkit", "ns/op", 406.5, 4},            // even count: mean of the two middle values
		{"BenchmarkSignature/bare_sha1", "allocs/op", 0, 3},
		{"BenchmarkTokenHitRedis", "redis-calls/op", 1, 3}, // custom metric, -16 suffix removed
		{"BenchmarkTokenHitRedis", "ns/op", 30300, 3},
		{"BenchmarkPaired/msg_signature", "wwkit_append/bare_sha1", (1.155 + 1.022) / 2, 2}, // units with a slash
	}
	for _, c := range cases {
		r := set.Get(c.name)
		got, ok := r.Median(c.unit)
		if !ok || math.Abs(got-c.median) > 1e-9 || len(r.Samples[c.unit]) != c.runs {
			t.Errorf("%s %s: median %v (ok %v) of %d samples, want %v of %d", c.name, c.unit, got, ok, len(r.Samples[c.unit]), c.median, c.runs)
		}
	}
	if lo, hi := set.Get("BenchmarkCallbackDecrypt/300B/silenceper").Range("ns/op"); lo != 17318 || hi != 23545 {
		t.Errorf("range %v–%v", lo, hi)
	}
	if _, ok := set.Get("BenchmarkMissing").Median("ns/op"); ok {
		t.Error("a missing benchmark has a median")
	}
	if len(set.Fails) != 2 || !strings.HasPrefix(set.Fails[0], "--- FAIL: BenchmarkBroken") || set.Fails[1] != "FAIL" {
		t.Errorf("fails %q", set.Fails)
	}
}

func TestParseBenchBadValue(t *testing.T) {
	_, err := ParseBench(strings.NewReader("BenchmarkX-2 10 1x2 ns/op\n"))
	if err == nil || !strings.Contains(err.Error(), "1x2") {
		t.Fatalf("got %v, want an error naming the bad value", err)
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkSign-2":                   "BenchmarkSign",
		"BenchmarkSign":                     "BenchmarkSign",
		"BenchmarkSignature/bare_sha1-16":   "BenchmarkSignature/bare_sha1",
		"BenchmarkX/size-300B":              "BenchmarkX/size-300B",
		"BenchmarkX-":                       "BenchmarkX-",
		"BenchmarkCallbackDecrypt/16384B-2": "BenchmarkCallbackDecrypt/16384B",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{[]float64{5}, 5}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{9, 9, 1, 9, 1}, 9}} {
		in := append([]float64(nil), c.in...)
		if got, ok := median(in); !ok || got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		if !slices.Equal(in, c.in) {
			t.Errorf("median reordered its input: %v", in)
		}
	}
	if _, ok := median(nil); ok {
		t.Error("median of nothing")
	}
}

func TestParseLoad(t *testing.T) {
	f, err := os.Open("testdata/load.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	runs, err := ParseLoad(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 10 {
		t.Fatalf("%d runs, want 10", len(runs))
	}
	r := runs[5]
	if r.Round != 2 || r.Mode != "wwkit" || r.Kind != "callback" || r.RPS != 33988 || r.P99 != 31.6 || r.Errors != 2 || r.Requests != 169940 {
		t.Errorf("run 6 = %+v", r)
	}
	if _, err := ParseLoad(strings.NewReader("round 1 wwkit callback LOADTEST requests=1 rps=2\n")); err == nil || !strings.Contains(err.Error(), "without") {
		t.Errorf("incomplete line: %v", err)
	}
}

// checkSVG decodes b fully as XML and returns the number of each element.
func checkSVG(t *testing.T, b []byte) map[string]int {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	count := map[string]int{}
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
				if se.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", se.Name.Space)
				}
			}
			count[se.Name.Local]++
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return count
}

func TestChartSVG(t *testing.T) {
	for _, logAxis := range []bool{false, true} {
		c := &Chart{File: "x.svg", Title: `A & B <"quoted"> 'title'`, Subtitle: "ns/op; a < b", Log: logAxis,
			Bars:  []Bar{{Label: "wwkit <fast>", Value: 12.5, Text: "12.5 ns", Highlight: true}, {Label: "R&D", Value: 29300, Text: "29.3 µs"}, {Label: "zero", Value: 0, Text: "0"}},
			Lines: []RefLine{{"target 100 ns & less", 100}, {"second", 2000}}}
		b := c.SVG()
		n := checkSVG(t, b)
		if n["rect"] != 1+len(c.Bars) {
			t.Errorf("log=%v: %d rects, want background + %d bars", logAxis, n["rect"], len(c.Bars))
		}
		if !bytes.Contains(b, []byte("wwkit &lt;fast&gt;")) || !bytes.Contains(b, []byte("R&amp;D")) {
			t.Errorf("labels not escaped:\n%s", b)
		}
		if bytes.Contains(b, []byte("NaN")) || bytes.Contains(b, []byte("Inf")) {
			t.Errorf("log=%v: NaN/Inf in the SVG:\n%s", logAxis, b)
		}
		// longer values get longer bars
		s := newScale(c)
		if !(s.px(12.5) < s.px(29300)) || s.px(29300) > plotW || s.px(0) != 0 {
			t.Errorf("log=%v: scale px(12.5)=%v px(29300)=%v", logAxis, s.px(12.5), s.px(29300))
		}
	}
	empty := (&Chart{Title: "nothing"}).SVG()
	checkSVG(t, empty)
}

const handDoc = `# Benchmarks

Intro written by hand.

## JS-SDK signing

Hand-written analysis of signing, with a table:

| a | b |
|---|---|
| 1 | 2 |

## WASM

Figures the WASM helper appended by hand.
`

func TestReplaceSectionKeepsHandWrittenText(t *testing.T) {
	doc, err := ReplaceSection(handDoc, "jssdk", "## JS-SDK signing", "generated v1\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "## JS-SDK signing\n\n<!-- benchreport:begin jssdk -->\ngenerated v1\n<!-- benchreport:end jssdk -->\n\nHand-written analysis"
	if !strings.Contains(doc, want) {
		t.Fatalf("block not inserted after its heading:\n%s", doc)
	}
	// Someone edits outside the markers between runs; a second run replaces
	// only the block.
	edited := strings.Replace(doc, "Figures the WASM helper appended by hand.", "Figures the WASM helper appended by hand.\nAnd one more line.", 1)
	doc2, err := ReplaceSection(edited, "jssdk", "## JS-SDK signing", "generated v2")
	if err != nil {
		t.Fatal(err)
	}
	if doc2 != strings.Replace(edited, "generated v1", "generated v2", 1) {
		t.Fatalf("text outside the markers changed:\n%s", doc2)
	}
	again, _ := ReplaceSection(doc2, "jssdk", "## JS-SDK signing", "generated v2")
	if again != doc2 {
		t.Error("rewriting the same content is not idempotent")
	}
	// no heading: appended under a new one, nothing else touched
	doc3, err := ReplaceSection(doc2, "desktop", "## Desktop", "desk")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc3, doc2) || !strings.HasSuffix(doc3, "## Desktop\n\n<!-- benchreport:begin desktop -->\ndesk\n<!-- benchreport:end desktop -->\n") {
		t.Fatalf("append:\n%s", doc3)
	}
}

func TestReplaceSectionBrokenMarkers(t *testing.T) {
	for _, doc := range []string{
		"x\n<!-- benchreport:begin jssdk -->\nonly a begin\n",
		"x\n<!-- benchreport:end jssdk -->\n<!-- benchreport:begin jssdk -->\n",
		"<!-- benchreport:begin jssdk -->\n<!-- benchreport:end jssdk -->\n<!-- benchreport:begin jssdk -->\n<!-- benchreport:end jssdk -->\n",
	} {
		got, err := ReplaceSection(doc, "jssdk", "## JS-SDK signing", "new")
		if err == nil || got != doc {
			t.Errorf("broken markers accepted (err %v):\n%s", err, got)
		}
	}
}

// TestWriteReport builds every section from recorded outputs, writes the
// report twice into a document with hand-written text and checks that the
// text survives, the sections and targets are there, and every chart is
// well-formed SVG.
func TestWriteReport(t *testing.T) {
	dir := t.TempDir()
	docPath := filepath.Join(dir, "benchmarks.md")
	if err := os.WriteFile(docPath, []byte(handDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open("testdata/load.txt")
	runs, err := ParseLoad(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{root: dir, gobin: "go", count: 3, rounds: 2, duration: 5, docPath: docPath, chartDir: filepath.Join(dir, "bench"), rawDir: "raw",
		notes: map[string]string{"tokens-redis": "redis-server is not installed"}, fails: map[string]bool{}, cmds: map[string][]string{},
		cryptoSet: parseFile(t, "bench.txt"), jssdkSet: parseFile(t, "jssdk.txt"), tokenSet: parseFile(t, "bench.txt"), loadRuns: runs,
		wasm: &wasmResult{makeLine: "wasm: x", flags: "-trimpath", gzipTool: "gzip -9", bundleGzip: 787966,
			rows: []wasmRow{{"empty", 1799461, 540380}, {"js", 1914861, 569768}, {"bundle", 2539513, 787966}}},
	}
	e.notes["desktop"] = "skipped: build/bin/wwkit does not exist"
	e.loadStart, e.loadEnd = "0.50 0.40 0.30", "99.00 50.00 20.00"
	if err := os.MkdirAll(e.chartDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{"crypto": true, "jssdk": true, "tokens": true, "server": true, "wasm": true, "desktop": true}
	for i := 0; i < 2; i++ {
		if _, err := e.writeReport(ran); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, keep := range []string{"Intro written by hand.", "| 1 | 2 |", "Figures the WASM helper appended by hand."} {
		if strings.Count(doc, keep) != 1 {
			t.Errorf("hand-written %q appears %d times", keep, strings.Count(doc, keep))
		}
	}
	for _, id := range []string{"summary", "jssdk", "crypto", "tokens", "server", "wasm", "desktop"} {
		if strings.Count(doc, "<!-- benchreport:begin "+id+" -->") != 1 || strings.Count(doc, "<!-- benchreport:end "+id+" -->") != 1 {
			t.Errorf("section %s missing or duplicated", id)
		}
	}
	for _, want := range []string{
		"| callback decrypt 300 B | ≤ 0.5× the stdlib reference | 0.14× (2 973 ns vs 21.2 µs); silenceper 1.09× | met |",
		"| msg_signature, `Signature` (hex string) | ≤ 1.1× a bare SHA-1 of the same bytes; no alloc beyond the result | paired 1.28×; separate medians 1.29× (406 ns vs 315 ns), 1 alloc | **missed** |",
		"| JS-SDK `Sign` | ≤ 1.1× a bare SHA-1 of the same string; no alloc beyond the result | paired 1.50×; separate medians 1.41× (263 ns vs 187 ns), 1 alloc | **missed** |",
		"| `wwkit_append` | 374 | 1.09× | 1.02–1.16 |",
		"| callback decrypt 300 B vs its primitives | ≤ 1.5× SHA-1 + base64 + AES-CBC of the same bytes | paired 3.28×; separate medians 3.65× (2 973 ns vs 815 ns) | **missed** |",
		"| sum of the three (the floor) | 815 | — |",
		"| `wwkit` | 2 666 | 3.28× | 3.20–3.35 |",
		"| access_token hit, Redis | one round trip per hit | 1.000 Redis calls per hit, 30.3 µs | met |",
		"| `/callback` with the durable inbox | ≥ 0.7× the minimal handler's req/s at 64 connections, in every round | median 0.50× over 2 rounds (0.48–0.53); silenceper 0.31×; 2 of 2 rounds below 0.7 | **missed** |",
		"| WASM bundle | ≤ 650 KB gzip (650 000 B) | 787 966 gzip (1.21× the budget; the syscall/js floor alone is 569 768) | **missed** |",
		"| desktop binary | ≤ 30 MB stripped (30 000 000 B) | — | skipped (build/bin/wwkit does not exist) |",
		"**wrk counted 2 non-2xx/3xx responses in this run**",
		"**Warning: the 1-minute load average reached 99.0 on",
		"--- FAIL: BenchmarkBroken",
		"![Callback decrypt, 300-byte text message (POST body → typed message)](bench/crypto-decrypt-300b.svg)",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	charts, _ := filepath.Glob(filepath.Join(e.chartDir, "*.svg"))
	if len(charts) < 8 {
		t.Errorf("%d charts written: %v", len(charts), charts)
	}
	for _, c := range charts {
		b, _ := os.ReadFile(c)
		checkSVG(t, b)
		if !strings.Contains(doc, "(bench/"+filepath.Base(c)+")") {
			t.Errorf("chart %s is not embedded in the report", filepath.Base(c))
		}
	}
}

func TestParseSizes(t *testing.T) {
	d, err := parseSizes("bin\twwkit_v1_linux_amd64/wwkit\t100\nbin\twwkit-desktop_v1_windows_amd64/wwkit.exe\t31000000\nartefact\twwkit_v1_linux_amd64.tar.gz\t40\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.artefacts) != 1 || d.artefacts[0] != (sizeRow{"wwkit_v1_linux_amd64.tar.gz", 40}) || len(d.binaries) != 2 || d.binaries[1].bytes != 31000000 {
		t.Fatalf("parsed %+v", d)
	}
	e := &env{dist: d, notes: map[string]string{}, cmds: map[string][]string{}}
	s := &section{id: "dist"}
	e.distSection(s)
	if len(s.targets) != 1 || s.targets[0].Area != "desktop binary windows/amd64 (`make dist`)" || s.targets[0].Status != Missed {
		t.Errorf("targets %+v; want the windows/amd64 desktop binary missed at 31 MB", s.targets)
	}
	if !strings.Contains(s.body.String(), "| `wwkit_v1_linux_amd64.tar.gz` | 40 |") {
		t.Errorf("no artefact row in:\n%s", s.body.String())
	}
	for _, bad := range []string{"", "bin\tx\n", "bin\tx\t-1\n", "zip\tx\t1\n", "bin\tx\t1\n"} {
		if _, err := parseSizes(bad); err == nil {
			t.Errorf("parseSizes(%q) accepted it", bad)
		}
	}
}

func TestParseDrain(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		ok         bool
	}{
		{"round 2 wwkit import drained in 3.4 s", "3.4 s", true},
		{"round 1 wwkit      callback  LOADTEST requests=1 errors_status=0 p50_ms=1 p99_ms=2 rps=3", "", false},
		{"round 1 wwkit import drained in soon s", "", false},
	} {
		got, ok := ParseDrain(tc.line)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseDrain(%q) = %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}
