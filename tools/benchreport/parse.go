package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Result is one benchmark's samples: every value reported for each unit
// (ns/op, B/op, allocs/op, MB/s, custom metrics such as redis-calls/op),
// one per run of -count.
type Result struct {
	Name    string
	Samples map[string][]float64
}

// Median is the median of the samples of unit, and false when there are none.
func (r *Result) Median(unit string) (float64, bool) {
	if r == nil {
		return 0, false
	}
	return median(r.Samples[unit])
}

// Range is the smallest and largest sample of unit.
func (r *Result) Range(unit string) (lo, hi float64) {
	v := r.Samples[unit]
	if len(v) == 0 {
		return 0, 0
	}
	lo, hi = v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// Runs is the number of samples of ns/op (0 for a missing result).
func (r *Result) Runs() int {
	if r == nil {
		return 0
	}
	return len(r.Samples["ns/op"])
}

// BenchSet is the parsed output of one or more `go test -bench` runs.
type BenchSet struct {
	Order   []string // benchmark names in order of first appearance
	Results map[string]*Result
	CPU     string   // the "cpu:" header, if printed
	Pkgs    []string // the "pkg:" headers
	Fails   []string // "--- FAIL", "FAIL" and panic lines, for the report
}

// Get returns the result named name (without the -GOMAXPROCS suffix), or nil.
func (s *BenchSet) Get(name string) *Result { return s.Results[name] }

// ParseBench reads `go test -bench` output. Benchmark lines are
// "BenchmarkName-P  N  v1 unit1  v2 unit2 …"; the -P suffix (GOMAXPROCS) is
// removed so runs on machines with other core counts merge. Other lines are
// ignored except the cpu/pkg headers and failures.
func ParseBench(r io.Reader) (*BenchSet, error) {
	set := &BenchSet{Results: map[string]*Result{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "cpu: "):
			set.CPU = strings.TrimSpace(strings.TrimPrefix(line, "cpu: "))
			continue
		case strings.HasPrefix(line, "pkg: "):
			p := strings.TrimSpace(strings.TrimPrefix(line, "pkg: "))
			if !contains(set.Pkgs, p) {
				set.Pkgs = append(set.Pkgs, p)
			}
			continue
		case strings.HasPrefix(line, "--- FAIL"), strings.HasPrefix(line, "FAIL"), strings.HasPrefix(line, "panic:"):
			set.Fails = append(set.Fails, strings.TrimSpace(line))
			continue
		case !strings.HasPrefix(line, "Benchmark"):
			continue
		}
		f := strings.Fields(line)
		// name, iterations, then value/unit pairs
		if len(f) < 4 || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		name := trimProcs(f[0])
		res := set.Results[name]
		if res == nil {
			res = &Result{Name: name, Samples: map[string][]float64{}}
			set.Results[name] = res
			set.Order = append(set.Order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("benchreport: bad value %q for %s in line %q", f[i], f[i+1], line)
			}
			res.Samples[f[i+1]] = append(res.Samples[f[i+1]], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("benchreport: reading benchmark output: %w", err)
	}
	return set, nil
}

// trimProcs removes the "-P" GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 {
		return name
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name
		}
	}
	return name[:i]
}

func median(v []float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// LoadRun is one wrk run printed by app/server/loadtest/run.sh:
// "round R MODE KIND LOADTEST requests=… errors_status=… p50_ms=… p99_ms=… rps=…".
type LoadRun struct {
	Round      int
	Mode, Kind string // minimal|silenceper|wwkit, callback|signature
	Requests   float64
	Errors     float64 // non-2xx/3xx responses
	P50, P99   float64 // milliseconds
	RPS        float64
}

// ParseDrain reads run.sh's "round R wwkit import drained in S s" line (how
// long the inbox journal's import into SQLite took after a wwkit run) and
// returns "S s".
func ParseDrain(line string) (string, bool) {
	f := strings.Fields(line)
	if len(f) != 8 || f[0] != "round" || f[2] != "wwkit" || f[3] != "import" || f[4] != "drained" || f[7] != "s" {
		return "", false
	}
	if _, err := strconv.ParseFloat(f[6], 64); err != nil {
		return "", false
	}
	return f[6] + " s", true
}

// ParseLoad reads run.sh output. Lines it does not know are skipped; a
// LOADTEST line with a missing field is an error naming the line.
func ParseLoad(r io.Reader) ([]LoadRun, error) {
	var runs []LoadRun
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) < 5 || f[0] != "round" || f[4] != "LOADTEST" {
			continue
		}
		round, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		lr := LoadRun{Round: round, Mode: f[2], Kind: f[3]}
		kv := map[string]float64{}
		for _, p := range f[5:] {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				continue
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("benchreport: bad %s in load test line %q", k, line)
			}
			kv[k] = x
		}
		for _, k := range []string{"requests", "errors_status", "p50_ms", "p99_ms", "rps"} {
			if _, ok := kv[k]; !ok {
				return nil, fmt.Errorf("benchreport: load test line without %s: %q", k, line)
			}
		}
		lr.Requests, lr.Errors, lr.P50, lr.P99, lr.RPS = kv["requests"], kv["errors_status"], kv["p50_ms"], kv["p99_ms"], kv["rps"]
		runs = append(runs, lr)
	}
	return runs, sc.Err()
}
