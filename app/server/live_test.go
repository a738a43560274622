package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
)

// TestLiveViewsAtAcknowledgment: a callback reaches Subscribe (the
// desktop's live inbox and /api/inbox/stream) by the time its HTTP 200
// arrives, not after the import into SQLite, in ID order, and a retry is
// not published again.
func TestLiveViewsAtAcknowledgment(t *testing.T) {
	e := start(t, nil)
	recs, cancel := e.srv.Subscribe()
	defer cancel()
	var (
		mu   sync.Mutex
		seen = map[string]inbox.Record{}
		ids  []int64
	)
	drain := func() {
		for {
			select {
			case r := <-recs:
				seen[r.MsgID] = r
				ids = append(ids, r.ID)
			default:
				return
			}
		}
	}
	now := time.Now().Unix()
	post := func(msgID int) {
		plain := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[live %d]]></Content><MsgId>%d</MsgId><AgentID>1000002</AgentID></xml>",
			e.st.WeCom.CorpID, now, msgID, msgID)
		body, query := signedPost(t, e, plain, now)
		resp, err := http.Post(e.srv.URL()+"/callback/wecom?"+query, "text/xml", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("MsgId %d: HTTP %d", msgID, resp.StatusCode)
			return
		}
		// Acknowledged: the live views must already have it.
		mu.Lock()
		defer mu.Unlock()
		drain()
		if _, ok := seen[fmt.Sprint(msgID)]; !ok {
			t.Errorf("MsgId %d acknowledged before the live views saw it", msgID)
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < 60; i += 4 {
				post(1000 + i%50) // the last 10 are retries
			}
		}(w)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	drain()
	if len(ids) != 50 {
		t.Errorf("%d records published, want 50 (retries are not published)", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Errorf("published out of ID order: %d after %d (a live view that keeps the newest ID would drop one)", ids[i], ids[i-1])
		}
	}
}
