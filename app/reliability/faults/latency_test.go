package faults

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/token/redistoken"
	"github.com/wwkit/wwkit/internal/redistest"
)

// Token latency phase: 4 processes, a 5 s token lifetime (the emulator's),
// no injected faults. The target is p99 ≤ 100 ms; it is measured and
// reported, not asserted (docs/reliability.md).
const (
	latencyProcesses = 4
	latencyTTL       = 5 * time.Second
	latencyTargetMs  = 100
)

// measureTokenLatency runs the phase on its own redis-server and emulator
// and fills rep.Latency. A fetch that fails is a problem: nothing is
// injected here.
func measureTokenLatency(t *testing.T, cfg config, rep *Report) {
	duration := 6 * time.Second // ci: a little over one rotation
	if cfg.name == "full" {
		duration = 30 * time.Second // six rotations
	}
	rs := redistest.Start(t)
	emu, err := emulator.New(emulator.WithTokenTTL(latencyTTL))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(emu)
	defer hs.Close()
	stopAt := time.Now().Add(duration)

	var (
		mu    sync.Mutex
		durs  []time.Duration
		fails int
	)
	add := func(o tokenOp) {
		mu.Lock()
		defer mu.Unlock()
		if o.Outcome != Succeeded {
			fails++
			if len(rep.Problems) < 20 {
				rep.Problem("token latency phase: a fetch failed with no fault injected: %s", o.Sample)
			}
			return
		}
		durs = append(durs, time.Duration(o.TookNs))
	}

	outs := make([]*bytes.Buffer, latencyProcesses-1)
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i := range outs {
		outs[i] = &bytes.Buffer{}
		cmd := exec.Command(os.Args[0], "-test.run=^TestFaultsHelper$", "-test.count=1", "-test.v=false")
		cmd.Env = append(os.Environ(),
			"WWKIT_FAULTS_HELPER=1",
			"WWKIT_FAULTS_REDIS="+rs.URL(),
			"WWKIT_FAULTS_BASE="+hs.URL+"/wecom",
			"WWKIT_FAULTS_STOP="+strconv.FormatInt(stopAt.UnixMilli(), 10),
			"WWKIT_FAULTS_WORKERS="+strconv.Itoa(cfg.tokenWorkers),
			"WWKIT_FAULTS_TIMEOUT="+cfg.clientTimeout.String(),
			"WWKIT_FAULTS_PAUSE="+cfg.opPause.String(),
		)
		cmd.Stdout = outs[i]
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := cmd.Wait(); err != nil {
				errs[i] = &helperError{err, truncate(stderr.String(), 2000)}
			}
		})
	}

	fx := emu.Fixture()
	app := fx.WeCom.Apps[0]
	store, err := redistoken.Open(rs.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	wc, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret},
		api.WithBaseURL(hs.URL+"/wecom"), api.WithStore(store), api.WithHTTPClient(newHTTPClient(cfg.clientTimeout)))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for w := 0; w < cfg.tokenWorkers; w++ {
		wg.Go(func() {
			for time.Now().Before(stopAt) {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				add(fetchToken(ctx, wc))
				cancel()
				time.Sleep(time.Duration(int64(cfg.opPause) * int64(w+1) / int64(cfg.tokenWorkers+1)))
			}
		})
	}
	wg.Wait()
	seconds := time.Since(start).Seconds()
	for i, out := range outs {
		if errs[i] != nil {
			rep.Problem("token latency phase: helper process %d: %v", i, errs[i])
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
		for sc.Scan() {
			line, ok := strings.CutPrefix(sc.Text(), helperPrefix)
			if !ok {
				continue
			}
			var o tokenOp
			if err := json.Unmarshal([]byte(line), &o); err != nil {
				rep.Problem("token latency phase: helper process %d: bad line %q", i, line)
				continue
			}
			add(o)
		}
	}
	l := &TokenLatency{Processes: latencyProcesses, Workers: cfg.tokenWorkers, TTLSeconds: latencyTTL.Seconds(), Seconds: seconds,
		Fetches: len(durs) + fails, Failed: fails, Gettoken: emu.Stats()["/wecom/cgi-bin/gettoken"], TargetP99: latencyTargetMs}
	if len(durs) == 0 {
		rep.Problem("token latency phase: no fetch succeeded")
		rep.Latency = l
		return
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Microseconds()) / 1000 }
	l.P50Ms, l.P99Ms, l.P999Ms, l.MaxMs = pct(0.50), pct(0.99), pct(0.999), float64(durs[len(durs)-1].Microseconds())/1000
	l.TargetMet = l.P99Ms <= latencyTargetMs
	rep.Latency = l
}

type helperError struct {
	err    error
	stderr string
}

func (e *helperError) Error() string { return e.err.Error() + "\n" + e.stderr }
