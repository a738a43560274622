package inbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func rec(i int) Record {
	return Record{Key: fmt.Sprintf("msg:p:%d", i), Profile: "p", Platform: "wecom", MsgType: "text", From: "zhangsan", To: "ww1",
		MsgID: fmt.Sprintf("%d", 18446744073709551000+uint64(i)), AgentID: 1000002, CreateTime: 1795509036,
		XML: fmt.Sprintf("<xml><Content><![CDATA[第 %d 条]]></Content></xml>", i), Reply: fmt.Sprintf("reply %d", i)}
}

// holdImports keeps the importer from importing until the returned func
// is called (or the test ends).
func holdImports(t *testing.T) (release func()) {
	gate := make(chan struct{})
	var once sync.Once
	importHook = func() { <-gate }
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { release(); importHook = nil })
	return release
}

// TestJournalChild is the process TestSIGKILLBeforeImport kills: it puts
// callbacks and retries with the import held back, says so, and waits.
func TestJournalChild(t *testing.T) {
	dir := os.Getenv("WWKIT_INBOX_CHILD")
	if dir == "" {
		t.Skip("runs as the child of TestSIGKILLBeforeImport")
	}
	holdImports(t)
	in, err := Open(filepath.Join(dir, "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 400; i += 8 {
				if _, _, err := in.Put(ctx, rec(i)); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	// Two retries of record 7, answered like the first.
	for j := 0; j < 2; j++ {
		r := rec(7)
		r.Reply = "a different reply"
		got, dup, err := in.Put(ctx, r)
		if err != nil || !dup || got.Reply != "reply 7" {
			t.Errorf("retry: %+v dup %v err %v", got, dup, err)
		}
	}
	if n, _ := in.Count(ctx); n != 400 {
		t.Errorf("count %d before the import, want 400", n)
	}
	fmt.Println("ACKED")
	time.Sleep(time.Minute)
}

// TestSIGKILLBeforeImport kills a process (SIGKILL) that acknowledged
// callbacks into the journal but imported none, then opens the inbox:
// every acknowledged callback is there once, a retry gets the first reply,
// and the deliveries counted before the kill are kept.
func TestSIGKILLBeforeImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestJournalChild$", "-test.v")
	cmd.Env = append(os.Environ(), "WWKIT_INBOX_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "ACKED") {
				acked <- true
				return
			}
			t.Log("child:", sc.Text())
		}
		acked <- false
	}()
	select {
	case ok := <-acked:
		if !ok {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("the child ended before acknowledging its callbacks")
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the child did not acknowledge its callbacks in 60 s")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	segs, _ := segments(journalPrefix(filepath.Join(dir, "inbox.db")))
	if len(segs) == 0 {
		t.Fatal("no journal segment left by the killed process")
	}
	var logs bytes.Buffer
	in, err := OpenOptions(filepath.Join(dir, "inbox.db"), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	var n int64
	if err := in.db.QueryRow(`SELECT count(*) FROM callbacks`).Scan(&n); err != nil || n != 400 {
		t.Fatalf("%d rows imported by the replay (err %v), want 400", n, err)
	}
	if !strings.Contains(logs.String(), "journal replayed") {
		t.Errorf("no replay log line: %s", logs.String())
	}
	if left, _ := segments(in.prefix); len(left) != 1 || left[0] != in.segNum {
		t.Errorf("segments after replay %v, want only the new %d", left, in.segNum)
	}
	ids := map[int64]bool{}
	for i := 0; i < 400; i++ {
		r := rec(i)
		r.Reply = "changed"
		got, dup, err := in.Put(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !dup || got.Reply != fmt.Sprintf("reply %d", i) || ids[got.ID] {
			t.Fatalf("retry of %d after the kill: dup %v reply %q id %d (seen %v)", i, dup, got.Reply, got.ID, ids[got.ID])
		}
		ids[got.ID] = true
		if want := 2; i == 7 {
			if want = 4; got.Deliveries != want {
				t.Errorf("record 7: %d deliveries, want %d (1 + 2 retries before the kill + this one)", got.Deliveries, want)
			}
		} else if got.Deliveries != want {
			t.Errorf("record %d: %d deliveries, want %d", i, got.Deliveries, want)
		}
	}
	if c, _ := in.Count(ctx); c != 400 {
		t.Errorf("count %d after the retries, want 400", c)
	}
	// A new callback gets an ID after the replayed ones.
	got, dup, err := in.Put(ctx, rec(400))
	if err != nil || dup || ids[got.ID] {
		t.Errorf("new callback: %+v dup %v err %v", got, dup, err)
	}
}

// TestJournalVisibleBeforeImport: a callback is listed and counted as soon
// as Put returns, before the import, and once after it.
func TestJournalVisibleBeforeImport(t *testing.T) {
	release := holdImports(t)
	path := filepath.Join(t.TempDir(), "inbox.db")
	in, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close() }()
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, _, err := in.Put(ctx, rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		recs, err := in.List(ctx, Query{Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[0].Key != rec(9).Key || recs[3].Key != rec(6).Key {
			t.Errorf("%s: first page %v", when, keysOf(recs))
		}
		more, err := in.List(ctx, Query{Limit: 100, Before: recs[3].ID})
		if err != nil || len(more) != 6 || more[5].Key != rec(0).Key {
			t.Errorf("%s: second page %v, err %v", when, keysOf(more), err)
		}
		if n, err := in.Count(ctx); n != 10 || err != nil {
			t.Errorf("%s: count %d err %v", when, n, err)
		}
	}
	check("before the import")
	release()
	deadline := time.Now().Add(10 * time.Second)
	for in.Stats().Pending > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if p := in.Stats().Pending; p != 0 {
		t.Fatalf("%d still pending after 10 s", p)
	}
	check("after the import")
}

func keysOf(rs []Record) []string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.Key)
	}
	return ks
}

// TestJournalDamagedTail writes a segment by hand as a killed process or a
// failing disk leaves it: the frames before the damage are imported, the
// log says what was ignored, a copy is kept, and a retry of an imported
// callback is a duplicate.
func TestJournalDamagedTail(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(b []byte, lastStart int) []byte
		want   string
	}{
		{"torn frame", func(b []byte, last int) []byte { return b[:len(b)-7] }, "with"},
		{"torn header", func(b []byte, last int) []byte { return b[:last+5] }, "cut short"},
		{"flipped byte", func(b []byte, last int) []byte { b[last+20] ^= 0x40; return b }, "checksum mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "inbox.db")
			b := []byte(journalMagic)
			last := 0
			for i := 0; i < 5; i++ {
				r := rec(i)
				r.ID = int64(i + 1)
				last = len(b)
				b = appendFrame(b, &entry{rec: &r, key: r.Key})
			}
			b = tc.damage(b, last)
			name := segmentName(journalPrefix(path), 1)
			if err := os.WriteFile(name, b, 0o600); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			in, err := OpenOptions(path, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			ctx := context.Background()
			recs, err := in.List(ctx, Query{})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 4 || recs[0].Key != rec(3).Key || recs[3].Key != rec(0).Key || recs[0].Reply != "reply 3" {
				t.Errorf("imported %v, want the 4 records before the damage", keysOf(recs))
			}
			l := logs.String()
			if !strings.Contains(l, "journal segment damaged") || !strings.Contains(l, tc.want) || !strings.Contains(l, fmt.Sprintf("offset=%d", last)) {
				t.Errorf("log does not name the damage (%q at offset %d): %s", tc.want, last, l)
			}
			if _, err := os.Stat(name + ".damaged"); err != nil {
				t.Errorf("no copy of the damaged segment: %v", err)
			}
			got, dup, err := in.Put(ctx, rec(2))
			if err != nil || !dup || got.Reply != "reply 2" || got.Deliveries != 2 {
				t.Errorf("retry of an imported record: %+v dup %v err %v", got, dup, err)
			}
			// The record lost with the damage was never acknowledged (its
			// write did not finish): its retry is a new record.
			if _, dup, err := in.Put(ctx, rec(4)); err != nil || dup {
				t.Errorf("retry of the torn record: dup %v err %v", dup, err)
			}
		})
	}
}

// TestJournalFrameRoundTrip: what appendFrame writes, readSegment reads
// back, also for texts with every byte value and very long replies.
func TestJournalFrameRoundTrip(t *testing.T) {
	b := []byte(journalMagic)
	r := rec(1)
	r.ID, r.Event, r.Reply = 1<<40, "\x00\xff\n", strings.Repeat("回复", 100000)
	r.ReceivedAt = time.UnixMilli(1795509036123)
	b = appendFrame(b, &entry{rec: &r, key: r.Key})
	b = appendFrame(b, &entry{key: "evt:p:a:1:event:click:k:abc"})
	frames, damage, _ := readSegment(b)
	if damage != "" || len(frames) != 2 {
		t.Fatalf("damage %q, %d frames", damage, len(frames))
	}
	got := *frames[0].e.rec
	got.Deliveries = 0
	if !got.ReceivedAt.Equal(r.ReceivedAt) {
		t.Errorf("time %v, want %v", got.ReceivedAt, r.ReceivedAt)
	}
	got.ReceivedAt = r.ReceivedAt
	if fmt.Sprint(got) != fmt.Sprint(r) {
		t.Errorf("record did not round-trip")
	}
	if frames[1].e.rec != nil || frames[1].e.key != "evt:p:a:1:event:click:k:abc" || frames[1].end != int64(len(b)) {
		t.Errorf("delivery frame: %+v", frames[1])
	}
}

// BenchmarkImport measures the background import alone: b.N callbacks are
// acknowledged into the journal with the import held back, then the time
// to copy them into SQLite is measured (ns/op is per callback).
func BenchmarkImport(b *testing.B) {
	gate := make(chan struct{})
	importHook = func() { <-gate }
	defer func() { importHook = nil }()
	in, err := Open(filepath.Join(b.TempDir(), "inbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < b.N; i += 16 {
				if _, _, err := in.Put(ctx, rec(i)); err != nil {
					b.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	b.ResetTimer()
	cpu := processCPU()
	close(gate)
	for in.Stats().Pending > 0 {
		time.Sleep(100 * time.Microsecond)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// TestOnWriteBeforeImport: OnWrite hands the live views each new callback
// before its Put returns, while the import is held back, in ID order, and
// never a retry.
func TestOnWriteBeforeImport(t *testing.T) {
	release := holdImports(t)
	var mu sync.Mutex
	var seen []Record
	in, err := OpenOptions(filepath.Join(t.TempDir(), "inbox.db"), Options{OnWrite: func(rs []Record) {
		mu.Lock()
		seen = append(seen, rs...)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	defer release() // before Close, which waits for the import
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 200; i += 8 {
				got, _, err := in.Put(ctx, rec(i%150)) // 50 retries
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				found := false
				for _, r := range seen {
					found = found || r.ID == got.ID
				}
				mu.Unlock()
				if !found {
					t.Errorf("Put of %d returned before OnWrite saw ID %d", i, got.ID)
				}
			}
		}(w)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 150 {
		t.Errorf("OnWrite saw %d records, want 150 (no retries)", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].ID <= seen[i-1].ID {
			t.Fatalf("OnWrite out of order: %d after %d", seen[i].ID, seen[i-1].ID)
		}
	}
	if s := in.Stats(); s.Pending != 150 || s.Imports != 0 {
		t.Errorf("stats %+v: want 150 pending, nothing imported (the import is held)", s)
	}
}

// BenchmarkPutJournal measures Put alone (the import held back): the cost
// on the callback path.
func BenchmarkPutJournal(b *testing.B) {
	gate := make(chan struct{})
	importHook = func() { <-gate }
	defer func() { importHook = nil }()
	in, err := Open(filepath.Join(b.TempDir(), "inbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	defer close(gate)
	defer b.StopTimer() // the import on Close is not the callback path
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	cpu := processCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := in.Put(context.Background(), rec(int(n.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// TestFlushAndPendingDeliveries: Flush puts every acknowledged callback in
// the database file, and List counts the retries of an imported callback
// whose delivery frames are not imported yet.
func TestFlushAndPendingDeliveries(t *testing.T) {
	var gmu sync.Mutex
	gate := make(chan struct{})
	close(gate) // open
	importHook = func() {
		gmu.Lock()
		g := gate
		gmu.Unlock()
		<-g
	}
	t.Cleanup(func() { importHook = nil })
	in, err := Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 2000; i += 8 {
				if _, _, err := in.Put(ctx, rec(i)); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	if err := in.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := in.db.QueryRow(`SELECT count(*) FROM callbacks`).Scan(&n); err != nil || n != 2000 {
		t.Fatalf("%d rows in the file after Flush (err %v), want 2000", n, err)
	}
	// Hold the import, retry record 5 twice: the file still says 1.
	held := make(chan struct{})
	gmu.Lock()
	gate = held
	gmu.Unlock()
	var id int64
	for j := 0; j < 2; j++ {
		got, dup, err := in.Put(ctx, rec(5))
		if err != nil || !dup {
			t.Fatalf("retry: dup %v err %v", dup, err)
		}
		id = got.ID
	}
	recs, err := in.List(ctx, Query{Limit: 1, Before: id + 1})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		if r.Key == rec(5).Key {
			found = true
			if r.Deliveries != 3 {
				t.Errorf("List: record 5 has %d deliveries, want 3", r.Deliveries)
			}
		}
	}
	if !found {
		t.Error("record 5 not listed")
	}
	close(held)
	if err := in.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var d int
	if err := in.db.QueryRow(`SELECT deliveries FROM callbacks WHERE dedup_key = ?`, rec(5).Key).Scan(&d); err != nil || d != 3 {
		t.Errorf("deliveries in the file %d (err %v), want 3", d, err)
	}
}

// TestFsyncMode runs the journal with Options.Fsync through a replay: the
// importer's connection is synchronous=FULL and nothing is lost.
func TestFsyncMode(t *testing.T) {
	release := holdImports(t)
	path := filepath.Join(t.TempDir(), "inbox.db")
	in, err := OpenOptions(path, Options{Fsync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var mode int
	if err := in.wconn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&mode); err != nil || mode != 2 {
		t.Errorf("importer connection: PRAGMA synchronous = %d (err %v), want 2 (FULL)", mode, err)
	}
	for i := 0; i < 50; i++ {
		if _, _, err := in.Put(ctx, rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	release()
	in.Close()
	if segs, _ := segments(journalPrefix(path)); len(segs) != 0 {
		t.Errorf("segments left after Close: %v", segs)
	}
	if in, err = OpenOptions(path, Options{Fsync: true}); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if n, err := in.Count(ctx); n != 50 || err != nil {
		t.Errorf("count %d err %v, want 50", n, err)
	}
}

// TestPendingHashCollisions: pending records are found by the hash of their
// key and then compared by the key itself; with every key hashing alike
// (forced here), each callback is still stored once, each retry answered
// with its own first reply, and the counts hold before and after import.
func TestPendingHashCollisions(t *testing.T) {
	old := keyHash
	keyHash = func(maphash.Seed, string) uint64 { return 42 }
	t.Cleanup(func() { keyHash = old })
	release := holdImports(t)
	in, err := Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	const n = 50
	for i := 0; i < n; i++ {
		if _, dup, err := in.Put(ctx, rec(i)); err != nil || dup {
			t.Fatalf("put %d: dup %v, err %v", i, dup, err)
		}
	}
	check := func(stage string, wantDeliveries int) {
		t.Helper()
		for i := n - 1; i >= 0; i-- {
			got, dup, err := in.Put(ctx, rec(i))
			if err != nil || !dup {
				t.Fatalf("%s: retry of %d: dup %v, err %v", stage, i, dup, err)
			}
			if want := rec(i); got.Key != want.Key || got.Reply != want.Reply || got.Deliveries != wantDeliveries {
				t.Fatalf("%s: retry of %d answered with %q / %q, deliveries %d; want %q / %q, %d", stage, i, got.Key, got.Reply, got.Deliveries, want.Key, want.Reply, wantDeliveries)
			}
		}
		if c, err := in.Count(ctx); err != nil || c != n {
			t.Fatalf("%s: count %d (%v), want %d", stage, c, err, n)
		}
		list, err := in.List(ctx, Query{Limit: 1000})
		if err != nil || len(list) != n {
			t.Fatalf("%s: list has %d records (%v), want %d", stage, len(list), err, n)
		}
		for _, r := range list {
			if r.Deliveries != wantDeliveries {
				t.Fatalf("%s: %s listed with %d deliveries, want %d", stage, r.Key, r.Deliveries, wantDeliveries)
			}
		}
	}
	check("pending", 2)
	release()
	if err := in.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	check("imported", 3)
}

// TestJournalWriteFailure: when the journal cannot be written, the callbacks
// of that group commit are refused (not acknowledged), forgotten (not
// counted, not answered as retries later) and the inbox refuses new ones
// with an error that says why, keeping what was accepted before.
func TestJournalWriteFailure(t *testing.T) {
	release := holdImports(t)
	in, err := Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	defer release() // before Close, which waits for the importer
	ctx := context.Background()
	for i := 0; i < 10; i++ {
		if _, _, err := in.Put(ctx, rec(i)); err != nil {
			t.Fatal(err)
		}
	}
	in.segFile.Close() // the next write(2) fails, as on a full disk
	_, _, err = in.Put(ctx, rec(10))
	if err == nil || !strings.Contains(err.Error(), "could not be written") {
		t.Fatalf("put after the journal broke: %v, want a write error", err)
	}
	if _, _, err := in.Put(ctx, rec(11)); err == nil || !strings.Contains(err.Error(), "restarted") {
		t.Fatalf("the next put: %v, want the journal's error naming the fix", err)
	}
	if c, err := in.Count(ctx); err != nil || c != 10 {
		t.Fatalf("count %d (%v), want the 10 acknowledged callbacks", c, err)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if _, ok := in.lookupPending(rec(10).Key, keyHash(in.seed, rec(10).Key)); ok {
		t.Fatal("the refused callback is still pending")
	}
	if _, ok := in.lookupPending(rec(9).Key, keyHash(in.seed, rec(9).Key)); !ok {
		t.Fatal("an acknowledged callback was forgotten")
	}
}
