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

// TestBatchWithDuplicates puts the same key more than once and a key stored
// (imported) earlier: the first copy is new, the others are duplicates
// answered with the first copy's reply, and the deliveries reach SQLite.
func TestBatchWithDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	in, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := in.Put(ctx, Record{Key: "old", Reply: "old reply"}); err != nil {
		t.Fatal(err)
	}
	in.Close()
	if in, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close() }()
	keys := []string{"a", "b", "a", "old", "c", "b", "a"}
	wantDup := []bool{false, false, true, true, false, true, true}
	wantDeliveries := []int{1, 1, 2, 2, 1, 2, 3}
	wantReply := []string{"a0", "b1", "a0", "old reply", "c4", "b1", "a0"}
	ids := map[string]int64{}
	for i, k := range keys {
		r, dup, err := in.Put(ctx, Record{Key: k, Reply: k + string(rune('0'+i))})
		if err != nil {
			t.Fatal(err)
		}
		if dup != wantDup[i] || r.Deliveries != wantDeliveries[i] || r.Reply != wantReply[i] {
			t.Errorf("%d (%s): dup %v deliveries %d reply %q; want %v %d %q", i, k, dup, r.Deliveries, r.Reply, wantDup[i], wantDeliveries[i], wantReply[i])
		}
		if id, ok := ids[k]; ok && id != r.ID {
			t.Errorf("%d (%s): id %d, first copy had %d", i, k, r.ID, id)
		}
		ids[k] = r.ID
	}
	in.Close()
	if in, err = Open(path); err != nil {
		t.Fatal(err)
	}
	recs, err := in.List(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range recs {
		got[r.Key] = r.Deliveries
	}
	want := map[string]int{"old": 2, "a": 3, "b": 2, "c": 1}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d deliveries stored, want %d", k, got[k], n)
		}
	}
}
