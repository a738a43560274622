package inbox_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wwkit/wwkit/app/inbox"
)

func open(t *testing.T) (*inbox.Inbox, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "inbox.db")
	in, err := inbox.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in, path
}

func TestPutDedup(t *testing.T) {
	in, _ := open(t)
	ctx := context.Background()
	tests := []struct {
		key, reply string
		wantDup    bool
		wantReply  string
		wantDeliv  int
	}{
		{"msg:wecom:1", "r1", false, "r1", 1},
		{"msg:wecom:2", "r2", false, "r2", 1},
		{"msg:wecom:1", "other", true, "r1", 2},
		{"msg:wecom:1", "", true, "r1", 3},
		{"evt:wecom:zhangsan:1700000000:click:K", "", false, "", 1},
	}
	for i, tc := range tests {
		got, dup, err := in.Put(ctx, inbox.Record{Key: tc.key, Profile: "wecom", Platform: "wecom", MsgType: "text", XML: "<xml/>", Reply: tc.reply})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if dup != tc.wantDup || got.Reply != tc.wantReply || got.Deliveries != tc.wantDeliv {
			t.Errorf("%d: Put(%s) = dup %v reply %q deliveries %d; want %v %q %d", i, tc.key, dup, got.Reply, got.Deliveries, tc.wantDup, tc.wantReply, tc.wantDeliv)
		}
	}
	recs, err := in.List(ctx, inbox.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("List: %d records, want 3", len(recs))
	}
	if recs[0].Key != "evt:wecom:zhangsan:1700000000:click:K" || recs[2].Key != "msg:wecom:1" {
		t.Errorf("List not newest first: %s … %s", recs[0].Key, recs[2].Key)
	}
	if _, _, err := in.Put(ctx, inbox.Record{}); err == nil {
		t.Error("Put without a key: no error")
	}
}

func TestConcurrentPutsAndReopen(t *testing.T) {
	in, path := open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	dups := 0
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				// Every key is written by two goroutines.
				_, dup, err := in.Put(ctx, inbox.Record{Key: fmt.Sprintf("msg:p:%d", (g/2)*1000+i), Profile: "p", Platform: "wecom", XML: "<xml/>"})
				if err != nil {
					t.Error(err)
					return
				}
				if dup {
					mu.Lock()
					dups++
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	if dups != 400 {
		t.Errorf("%d duplicates, want 400", dups)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in.Put(ctx, inbox.Record{Key: "x"}); err != inbox.ErrClosed {
		t.Errorf("Put after Close: %v, want ErrClosed", err)
	}
	again, err := inbox.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	n, err := again.Count(ctx)
	if err != nil || n != 400 {
		t.Fatalf("after reopen: %d records (%v), want 400", n, err)
	}
	m, err := again.AddMedia(ctx, inbox.Media{Profile: "p", MediaID: "m1", Path: "a.jpg", ContentType: "image/jpeg", Size: 3, SHA256: "abc"})
	if err != nil || m.ID == 0 {
		t.Fatalf("AddMedia: %+v %v", m, err)
	}
	ms, err := again.ListMedia(ctx, 0)
	if err != nil || len(ms) != 1 || ms[0].MediaID != "m1" {
		t.Fatalf("ListMedia: %+v %v", ms, err)
	}
}

// BenchmarkPutParallel measures durable, deduplicated inserts from many
// goroutines, the whole cost: the journal's group commit and the import
// into SQLite (which waits for an idle journal, so here mostly in Close).
func BenchmarkPutParallel(b *testing.B) {
	in, err := inbox.Open(filepath.Join(b.TempDir(), "inbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	xml := "<xml><ToUserName><![CDATA[gh_b46bf3de16b6]]></ToUserName><FromUserName><![CDATA[o98BB2PNgxzT38eDOe5J-PkZEhyL]]></FromUserName><CreateTime>1795509036</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[load test message]]></Content><MsgId>9000025087</MsgId></xml>"
	var n atomic.Int64
	b.SetParallelism(16)
	cpu := inbox.ProcessCPU()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			if _, _, err := in.Put(context.Background(), inbox.Record{Key: fmt.Sprintf("msg:mp:%d", i), Profile: "mp", Platform: "mp", MsgType: "text",
				From: "o98BB2PNgxzT38eDOe5J-PkZEhyL", To: "gh_b46bf3de16b6", MsgID: strconv.FormatInt(i, 10), CreateTime: 1795509036, XML: xml}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.ReportMetric(float64(inbox.ProcessCPU()-cpu)/float64(b.N), "cpu-ns/op")
}
