package inbox

import (
	"context"
	"path/filepath"
	"testing"
)

// TestWriterPragmas checks the writer connection's WAL settings took effect
// (they are set with one multi-statement Exec).
func TestWriterPragmas(t *testing.T) {
	in, err := Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"wal_autocheckpoint", "16384"},
		{"journal_size_limit", "67108864"},
	} {
		var got string
		if err := in.wconn.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: %v", tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("writer connection: PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
		}
	}
}

// TestBatchWithDuplicates commits one batch holding the same key more than
// once and a key stored earlier: the first copy is new, the others are
// duplicates answered with the first copy's reply.
func TestBatchWithDuplicates(t *testing.T) {
	in, err := Open(filepath.Join(t.TempDir(), "inbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if _, _, err := in.Put(context.Background(), Record{Key: "old", Reply: "old reply"}); err != nil {
		t.Fatal(err)
	}
	keys := []string{"a", "b", "a", "old", "c", "b", "a"}
	wantDup := []bool{false, false, true, true, false, true, true}
	wantDeliveries := []int{1, 1, 2, 2, 1, 2, 3}
	wantReply := []string{"a0", "b1", "a0", "old reply", "c4", "b1", "a0"}
	batch := make([]*putReq, len(keys))
	for i, k := range keys {
		batch[i] = &putReq{rec: Record{Key: k, Reply: k + string(rune('0'+i))}}
	}
	// The writer goroutine is idle: commitTx runs here alone.
	out, err := in.commitTx(batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range out {
		if r.dup != wantDup[i] || r.rec.Deliveries != wantDeliveries[i] || r.rec.Reply != wantReply[i] {
			t.Errorf("%d (%s): dup %v deliveries %d reply %q; want %v %d %q", i, keys[i], r.dup, r.rec.Deliveries, r.rec.Reply, wantDup[i], wantDeliveries[i], wantReply[i])
		}
	}
	if out[0].rec.ID != out[2].rec.ID || out[0].rec.ID == out[1].rec.ID {
		t.Errorf("ids: %d %d %d", out[0].rec.ID, out[1].rec.ID, out[2].rec.ID)
	}
	n, _ := in.Count(context.Background())
	if n != 4 {
		t.Errorf("%d rows, want 4", n)
	}
}
