package desktop

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// listeners counts this process's listening TCP sockets (Linux
// /proc/net/tcp*, state 0A); -1 where that is not readable.
func listeners() int {
	// /proc/self/net/tcp lists every socket of the network namespace, so
	// other processes' listeners (parallel test binaries) would count too:
	// only the listening sockets whose inode is one of this process's file
	// descriptors are ours.
	own := map[string]bool{}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	for _, fd := range fds {
		link, err := os.Readlink("/proc/self/fd/" + fd.Name())
		if err == nil && strings.HasPrefix(link, "socket:[") {
			own[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	n := 0
	for _, f := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			return -1
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			if fs := strings.Fields(line); len(fs) > 9 && fs[3] == "0A" && own[fs[9]] {
				n++
			}
		}
	}
	return n
}

// TestAttach runs two Apps as the tray and the inspector window do: the
// second attaches to the first one's dev server, starts no listener, and
// sees its callbacks (stored and live) and its tokens.
func TestAttach(t *testing.T) {
	dir := t.TempDir()
	owner := startApp(t, Config{DataDir: dir})
	before := listeners()
	if _, err := NewApp(Config{DataDir: dir, Attach: "ftp://x"}); err == nil {
		t.Error("attach to an ftp URL: no error")
	}
	bad, _ := NewApp(Config{DataDir: t.TempDir(), Attach: "http://127.0.0.1:1", ConfigPath: "-", Secrets: SecretsFile})
	if err := bad.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "still running") {
		t.Errorf("attach to nothing: %v", err)
	}
	win := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL() + "/"})
	if after := listeners(); before >= 0 && after != before {
		t.Errorf("the attached App opened listeners: %d before, %d after", before, after)
	}
	if !win.Attached() || win.session().srv != nil || win.ServerURL() != owner.ServerURL() || win.EmulatorURL() != owner.EmulatorURL() {
		t.Fatalf("attached: srv=%v url=%s emulator=%s", win.session().srv, win.ServerURL(), win.EmulatorURL())
	}
	list, err := win.Profiles.List()
	if err != nil || len(list) != 2 || !list[0].Served || list[0].Source != SourceEmulator || !list[0].CallbackReady {
		t.Fatalf("attached profiles = %+v, %v", list, err)
	}

	// Tokens: the owner fetches, the window gets the same from the shared
	// file store, without a gettoken of its own.
	own, err := owner.Tokens.Fetch("wecom")
	if err != nil {
		t.Fatal(err)
	}
	seen, err := win.Tokens.Fetch("wecom")
	if err != nil {
		t.Fatal(err)
	}
	for i := range own {
		if seen[i].Fingerprint != own[i].Fingerprint || seen[i].Source != "file (cache)" {
			t.Errorf("%s: window %+v, owner %+v", own[i].Kind, seen[i], own[i])
		}
	}
	for _, c := range win.Tokens.Calls(0) {
		if strings.HasSuffix(c.Path, "/gettoken") {
			t.Errorf("the attached window fetched a token itself: %+v", c)
		}
	}
	// The attached server's own API calls (here for an H5 signature) show in
	// the window's call log.
	resp, err := http.Get(owner.ServerURL() + "/api/jssdk/config?profile=mp&url=" + owner.ServerURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var mpTicket bool
	for _, c := range win.Tokens.Calls(0) {
		mpTicket = mpTicket || strings.HasSuffix(c.Path, "/cgi-bin/ticket/getticket")
		if strings.Contains(c.Path, "?") {
			t.Errorf("a query in the call log: %+v", c)
		}
	}
	if !mpTicket {
		t.Errorf("the window's call log lacks the server's getticket: %+v", win.Tokens.Calls(0))
	}

	// Callbacks: live through the owner's SSE stream, stored in its inbox.
	live := make(chan EntryDTO, 8)
	wctx, stop := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	go func() { watched <- win.WatchInbox(wctx, func(e EntryDTO) { live <- e }) }()
	time.Sleep(100 * time.Millisecond) // let the stream connect
	user := emulator.DefaultFixture().WeCom.Users[0].UserID
	if _, err := owner.Messages.Simulate(SimulateRequest{From: user, Content: "from the tray"}); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-live:
		if e.Summary != "from the tray" || e.Profile != "wecom" {
			t.Errorf("live = %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the attached window got no live callback")
	}
	// A callback the window simulates goes to the owner's server too.
	if sim, err := win.Messages.Simulate(SimulateRequest{Profile: "mp", MsgType: "event", Event: "subscribe", From: "o-attached"}); err != nil || sim.Status != 200 {
		t.Fatalf("simulate from the window = %+v, %v", sim, err)
	}
	page, err := win.Inbox.Page(InboxQuery{})
	if err != nil || page.Total != 2 || page.Entries[0].From != "o-attached" {
		t.Fatalf("window inbox = %+v, %v", page, err)
	}
	if n, _ := owner.Inbox.Count(); n != 2 {
		t.Errorf("owner inbox count %d", n)
	}
	det, err := win.Inbox.Detail(page.Entries[1].ID)
	if err != nil || !strings.Contains(det.XML, "from the tray") {
		t.Errorf("detail = %+v, %v", det, err)
	}
	// The emulator of the owner answers the window's scan.
	q, err := win.QR.MP(MPQRRequest{Profile: "mp", SceneStr: "attached"})
	if err != nil || !q.OK {
		t.Fatalf("MP QR from the window = %+v, %v", q, err)
	}
	if sc, err := win.QR.SimulateScan(ScanRequest{Profile: "mp", Ticket: q.Ticket}); err != nil || !sc.OK {
		t.Errorf("scan from the window = %+v, %v", sc, err)
	}
	// The owner's dev server stops and starts again (the tray's menu): the
	// window's live list reconnects and catches up with what came in
	// between.
	owner.Stop()
	if err := owner.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if owner.ServerURL() != win.ServerURL() {
		t.Fatalf("the owner came back on %s, not %s", owner.ServerURL(), win.ServerURL())
	}
	if _, err := owner.Messages.Simulate(SimulateRequest{From: user, Content: "after the restart"}); err != nil {
		t.Fatal(err)
	}
	for got := false; !got; {
		select {
		case e := <-live:
			got = e.Summary == "after the restart"
		case <-time.After(10 * time.Second):
			t.Fatal("the attached window's live list did not reconnect after the owner's restart")
		}
	}
	stop()
	if err := <-watched; err != nil {
		t.Errorf("WatchInbox: %v", err)
	}
	// When the window stops, its watch ends.
	w2 := make(chan error, 1)
	go func() { w2 <- win.WatchInbox(context.Background(), func(EntryDTO) {}) }()
	time.Sleep(100 * time.Millisecond)
	owner.Stop()
	win.Stop()
	select {
	case <-w2:
	case <-time.After(15 * time.Second):
		t.Fatal("WatchInbox did not end after the app stopped")
	}
}

// TestInboxPaging stores 10,000 callbacks and pages through them with
// filters, as the window's virtualised list does.
func TestInboxPaging(t *testing.T) {
	a := startApp(t, Config{})
	in := a.session().srv.Inbox()
	const n = 10000
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 64 {
				from := fmt.Sprintf("user%02d", i%50)
				mt, ev := "text", ""
				xml := fmt.Sprintf("<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[message %d]]></Content></xml>", i)
				if i%10 == 0 {
					mt, ev = "event", "click"
					xml = fmt.Sprintf("<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event><EventKey><![CDATA[key-%d]]></EventKey></xml>", i)
				}
				_, _, err := in.Put(ctx, inbox.Record{Key: fmt.Sprintf("msg:wecom:%d", i), Profile: "wecom", Platform: "wecom", ReceivedAt: time.Now(),
					MsgType: mt, Event: ev, From: from, To: "corp", MsgID: strconv.Itoa(i), CreateTime: int64(i), XML: xml})
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		q     InboxQuery
		total int64
		rows  int
	}{
		{"first page", InboxQuery{Limit: 100}, n, 100},
		{"last page", InboxQuery{Offset: n - 30, Limit: 100}, n, 30},
		{"past the end", InboxQuery{Offset: n + 5, Limit: 100}, n, 0},
		{"events", InboxQuery{MsgType: "EVENT", Limit: 1000}, n / 10, 1000},
		{"event name", InboxQuery{Event: "CLICK", Offset: 990, Limit: 50}, n / 10, 10},
		{"from", InboxQuery{From: "USER07", Limit: 1000}, n / 50, n / 50},
		{"text", InboxQuery{Text: "message 999]", Limit: 1000}, 1, 1},
		{"text with like chars", InboxQuery{Text: "100%_", Limit: 10}, 0, 0},
		{"profile", InboxQuery{Profile: "mp"}, 0, 0},
	} {
		p, err := a.Inbox.Page(tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if p.Total != tc.total || len(p.Entries) != tc.rows {
			t.Errorf("%s: total %d rows %d, want %d and %d", tc.name, p.Total, len(p.Entries), tc.total, tc.rows)
		}
		for i := 1; i < len(p.Entries); i++ {
			if p.Entries[i].ID >= p.Entries[i-1].ID {
				t.Fatalf("%s: not newest first", tc.name)
			}
		}
	}
	// Pages tile the whole inbox without gaps or repeats.
	seen := map[int64]bool{}
	for off := 0; off < n; off += 1000 {
		p, err := a.Inbox.Page(InboxQuery{Offset: off, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Entries {
			if seen[e.ID] {
				t.Fatalf("entry %d twice", e.ID)
			}
			seen[e.ID] = true
		}
	}
	if len(seen) != n {
		t.Errorf("paged %d entries, want %d", len(seen), n)
	}
	for _, bad := range []InboxQuery{{Limit: 1001}, {Limit: -1}, {Offset: -1}} {
		if _, err := a.Inbox.Page(bad); err == nil {
			t.Errorf("Page(%+v): no error", bad)
		}
	}
}

// BenchmarkInboxPage measures one page of 100 from 10,000 entries with a
// text filter (what the window asks while scrolling a filtered list).
func BenchmarkInboxPage(b *testing.B) {
	a, err := NewApp(Config{DataDir: b.TempDir(), Secrets: SecretsFile, ConfigPath: "-"})
	if err != nil {
		b.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer a.Stop()
	for i := 0; i < 10000; i++ {
		_, _, err := a.session().srv.Inbox().Put(context.Background(), inbox.Record{Key: fmt.Sprint(i), Profile: "wecom", Platform: "wecom", ReceivedAt: time.Now(),
			MsgType: "text", From: fmt.Sprintf("user%d", i%50), XML: fmt.Sprintf("<xml><Content>m %d</Content></xml>", i)})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.Inbox.Page(InboxQuery{Text: "m 5", Offset: 500, Limit: 100}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSimulateRemote posts simulated callbacks of every type to a callback
// server of its own (httptest with wxcrypt, as a user's app would be) and
// reads the decrypted passive reply.
func TestSimulateRemote(t *testing.T) {
	a := startApp(t, Config{})
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	cr, err := wxcrypt.New(app.Token, app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []*message.Message
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		body, _ := io.ReadAll(r.Body)
		plain, err := cr.DecryptBody(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		m, err := message.Parse(plain)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		reply := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[got %s]]></Content></xml>",
			m.FromUserName, m.ToUserName, m.MsgType)
		env, err := cr.EncryptReply([]byte(reply), q.Get("timestamp"), q.Get("nonce"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Write(env)
	}))
	defer srv.Close()
	for _, req := range []SimulateRequest{
		{MsgType: "text", Content: "hi"},
		{MsgType: "image", Fields: map[string]string{"PicUrl": "https://example.com/a.png", "MediaId": "m1"}},
		{MsgType: "voice", Fields: map[string]string{"MediaId": "m2", "Format": "amr"}},
		{MsgType: "video", Fields: map[string]string{"MediaId": "m3", "ThumbMediaId": "t3"}},
		{MsgType: "location", Fields: map[string]string{"Location_X": "23.1", "Location_Y": "113.3", "Scale": "15", "Label": "广州"}},
		{MsgType: "link", Fields: map[string]string{"Title": "t", "Description": "d", "Url": "https://example.com"}},
		{MsgType: "event", Event: "change_contact", Fields: map[string]string{"ChangeType": "create_user", "UserID": "newbie"}},
		{MsgType: "event", Event: "click", EventKey: "MENU_1"},
	} {
		req.URL = srv.URL + "/wecom/callback?keep=1"
		d, err := a.Messages.Simulate(req)
		if err != nil {
			t.Fatalf("%s: %v", req.MsgType, err)
		}
		if d.Status != 200 || d.ReplyError != "" || d.ReplyType != "text" || !strings.Contains(d.Reply, "got "+req.MsgType) || d.URL != srv.URL+"/wecom/callback" {
			t.Errorf("%s %s: %+v", req.MsgType, req.Event, d)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 8 || got[4].MsgType != "location" || got[6].Event != "change_contact" || got[7].EventKey != "MENU_1" {
		t.Errorf("the server got %d messages: %+v", len(got), got)
	}
	for _, bad := range []SimulateRequest{
		{URL: srv.URL, MsgType: "image", Fields: map[string]string{"PicUrl": "x"}},
		{URL: srv.URL, MsgType: "sticker"},
		{URL: srv.URL, MsgType: "event", Event: "x", Fields: map[string]string{"Bad Name": "x"}},
		{URL: srv.URL, Content: "x", Fields: map[string]string{"MsgType": "image"}},
	} {
		if _, err := a.Messages.Simulate(bad); err == nil {
			t.Errorf("Simulate(%+v): no error", bad)
		}
	}
}
