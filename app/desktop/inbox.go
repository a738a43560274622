package desktop

import (
	"context"
	"database/sql"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/message"
)

// InboxService is the callback inbox (回调收件箱): the callbacks the dev
// server accepted, newest first, with filters and the raw XML.
type InboxService struct {
	app    *App
	opened atomic.Bool // Opening was answered (Config.Open is shown once)
}

// InboxFilter selects entries. Profile narrows in the database; MsgType,
// Event and From are matched on the page of entries read.
type InboxFilter struct {
	Profile string `json:"profile"` // "" = all profiles
	MsgType string `json:"msgType"` // text, event, …; "" = all
	Event   string `json:"event"`   // event name, case-insensitive; "" = all
	From    string `json:"from"`    // sender userid/openid, substring; "" = all
	Before  int64  `json:"before"`  // only entries with id < before (paging); 0 = newest
	Limit   int    `json:"limit"`   // 1..1000; 100 when 0
}

// EntryDTO is one inbox entry in the list (no XML).
type EntryDTO struct {
	ID         int64  `json:"id"`
	Profile    string `json:"profile"`
	Platform   string `json:"platform"`
	ReceivedAt string `json:"receivedAt"` // RFC 3339
	MsgType    string `json:"msgType"`
	Event      string `json:"event,omitempty"`
	EventKey   string `json:"eventKey,omitempty"`
	From       string `json:"from"`
	Summary    string `json:"summary"` // text content or event key, shortened
	HasReply   bool   `json:"hasReply"`
	Deliveries int    `json:"deliveries"`
}

// EntryDetailDTO is one entry with its raw XML, passive reply and typed body.
type EntryDetailDTO struct {
	EntryDTO
	XML      string `json:"xml"`
	Reply    string `json:"reply,omitempty"`
	BodyType string `json:"bodyType,omitempty"` // Go type of the typed body, e.g. message.Text
	Body     any    `json:"body,omitempty"`
	// Fields are the message's XML elements in document order, named as
	// in the XML (PicUrl, Location_X, ScanCodeInfo/ScanType), which is
	// what the window shows: users look fields up in Tencent's docs by
	// these names, not by wwkit's Go field names.
	Fields     []FieldDTO `json:"fields"`
	ParseError string     `json:"parseError,omitempty"`
}

// FieldDTO is one XML element of a callback message.
type FieldDTO struct {
	Name  string `json:"name"` // element path below <xml>, e.g. SendLocationInfo/Location_X
	Value string `json:"value"`
}

// xmlFields lists the leaf elements of a callback message.
func xmlFields(doc string) []FieldDTO {
	out := []FieldDTO{}
	dec := xml.NewDecoder(strings.NewReader(doc))
	var path []string
	var text strings.Builder
	leaf := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			text.Reset()
			leaf = true
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if leaf && len(path) > 1 {
				out = append(out, FieldDTO{Name: strings.Join(path[1:], "/"), Value: strings.TrimSpace(text.String())})
			}
			leaf = false
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
}

// scanLimit bounds how many rows one filtered List reads.
const scanLimit = 1000

// InboxQuery selects a page of entries for a virtualised list: the filters
// run in the database, Total counts every match.
type InboxQuery struct {
	Profile string `json:"profile"` // "" = all profiles
	MsgType string `json:"msgType"` // text, event, …; "" = all (case-insensitive)
	Event   string `json:"event"`   // event name, case-insensitive; "" = all
	From    string `json:"from"`    // sender userid/openid, substring, case-insensitive
	Text    string `json:"text"`    // substring of the message XML (content, event key, …), case-insensitive
	Offset  int    `json:"offset"`  // entries to skip, newest first
	Limit   int    `json:"limit"`   // 1..1000; 100 when 0
}

// InboxPageDTO is one page of matching entries, newest first.
type InboxPageDTO struct {
	Entries []EntryDTO `json:"entries"`
	Total   int64      `json:"total"` // entries matching the filters
	Offset  int        `json:"offset"`
	Limit   int        `json:"limit"`
}

// openInboxReader opens the read side of the inbox database (the dev
// server's, or the attached one's: SQLite in WAL mode lets another process
// read while the server writes).
func openInboxReader(path string) (*sql.DB, error) {
	if path == "" {
		return nil, fail("inbox.noPath")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, failWrap("inbox.open", err, "path", path)
	}
	db.SetMaxOpenConns(2)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, failWrap("inbox.open", err, "path", path)
	}
	return db, nil
}

const inboxColumns = `id, dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id_text, agent_id, create_time, xml, reply, deliveries`

func scanRecords(rows *sql.Rows) ([]inbox.Record, error) {
	defer rows.Close()
	var out []inbox.Record
	for rows.Next() {
		var r inbox.Record
		var received int64
		if err := rows.Scan(&r.ID, &r.Key, &r.Profile, &r.Platform, &received, &r.MsgType, &r.Event, &r.From, &r.To, &r.MsgID, &r.AgentID, &r.CreateTime, &r.XML, &r.Reply, &r.Deliveries); err != nil {
			return nil, failWrap("inbox.read", err)
		}
		r.ReceivedAt = time.UnixMilli(received)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, failWrap("inbox.read", err)
	}
	return out, nil
}

// where builds the filter of q (the LIKE patterns escape % and _).
func (q InboxQuery) where() (string, []any) {
	var conds []string
	var args []any
	like := func(col, v string) {
		v = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(v))
		conds = append(conds, "lower("+col+") LIKE ? ESCAPE '\\'")
		args = append(args, "%"+v+"%")
	}
	if q.Profile != "" {
		conds = append(conds, "profile = ?")
		args = append(args, q.Profile)
	}
	if q.MsgType != "" {
		conds = append(conds, "lower(msg_type) = lower(?)")
		args = append(args, q.MsgType)
	}
	if q.Event != "" {
		conds = append(conds, "lower(event) = lower(?)")
		args = append(args, q.Event)
	}
	if q.From != "" {
		like("from_user", q.From)
	}
	if q.Text != "" {
		like("xml", q.Text)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Page returns one page of the entries matching q and how many match in
// all, so the window's virtualised list can size its scrollbar and fetch
// the rows it shows.
func (s *InboxService) Page(q InboxQuery) (InboxPageDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	l, err := s.app.current()
	if err != nil {
		return InboxPageDTO{}, err
	}
	s.app.flushInbox(ctx, l)
	if q.Limit == 0 {
		q.Limit = 100
	}
	if q.Limit < 1 || q.Limit > scanLimit {
		return InboxPageDTO{}, fail("inbox.limit", "limit", q.Limit, "max", scanLimit)
	}
	if q.Offset < 0 {
		return InboxPageDTO{}, fail("inbox.offset", "offset", q.Offset)
	}
	where, args := q.where()
	out := InboxPageDTO{Entries: []EntryDTO{}, Offset: q.Offset, Limit: q.Limit}
	if err := l.db.QueryRowContext(ctx, "SELECT count(*) FROM callbacks"+where, args...).Scan(&out.Total); err != nil {
		return InboxPageDTO{}, failWrap("inbox.read", err)
	}
	rows, err := l.db.QueryContext(ctx, "SELECT "+inboxColumns+" FROM callbacks"+where+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	if err != nil {
		return InboxPageDTO{}, failWrap("inbox.read", err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return InboxPageDTO{}, err
	}
	for _, r := range recs {
		out.Entries = append(out.Entries, entry(r, nil))
	}
	return out, nil
}

// List returns entries matching f, newest first (before-id paging; Page
// adds offsets and the total).
func (s *InboxService) List(f InboxFilter) ([]EntryDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	l, err := s.app.current()
	if err != nil {
		return nil, err
	}
	s.app.flushInbox(ctx, l)
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > scanLimit {
		return nil, fail("inbox.limit", "limit", limit, "max", scanLimit)
	}
	where, args := InboxQuery{Profile: f.Profile, MsgType: f.MsgType, Event: f.Event, From: f.From}.where()
	if f.Before > 0 {
		if where == "" {
			where = " WHERE id < ?"
		} else {
			where += " AND id < ?"
		}
		args = append(args, f.Before)
	}
	rows, err := l.db.QueryContext(ctx, "SELECT "+inboxColumns+" FROM callbacks"+where+" ORDER BY id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, failWrap("inbox.read", err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return nil, err
	}
	out := make([]EntryDTO, 0, len(recs))
	for _, r := range recs {
		out = append(out, entry(r, nil))
	}
	return out, nil
}

// Detail returns the entry with the given id.
func (s *InboxService) Detail(id int64) (EntryDetailDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	l, err := s.app.current()
	if err != nil {
		return EntryDetailDTO{}, err
	}
	s.app.flushInbox(ctx, l)
	rows, err := l.db.QueryContext(ctx, "SELECT "+inboxColumns+" FROM callbacks WHERE id = ?", id)
	if err != nil {
		return EntryDetailDTO{}, failWrap("inbox.read", err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return EntryDetailDTO{}, err
	}
	if len(recs) == 0 {
		return EntryDetailDTO{}, fail("inbox.noEntry", "id", id)
	}
	return detail(recs[0]), nil
}

// Count returns the number of stored callbacks.
func (s *InboxService) Count() (int64, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	l, err := s.app.current()
	if err != nil {
		return 0, err
	}
	s.app.flushInbox(ctx, l)
	var n int64
	if err := l.db.QueryRowContext(ctx, "SELECT count(*) FROM callbacks").Scan(&n); err != nil {
		return 0, failWrap("inbox.read", err)
	}
	return n, nil
}

// WatchInbox calls emit with every callback the dev server stores from now
// on (an attached window follows the other process's live stream), until
// ctx ends or the app stops; it carries on across the restarts a profile
// change causes. It is on App, not InboxService, because a func parameter
// cannot be bound to the window; the desktop build forwards the entries as
// window events.
func (a *App) WatchInbox(ctx context.Context, emit func(EntryDTO)) error {
	return a.Inbox.watch(ctx, emit)
}

// watch follows the sessions one after the other: the live stream of each
// (the in-process server's subscription, or the attached server's
// /api/inbox/stream) until its done channel closes, then the next one.
func (s *InboxService) watch(ctx context.Context, emit func(EntryDTO)) error {
	a := s.app
	// last is the newest id emitted (or present at the start): after a
	// restart the entries stored in between are read from the database, so
	// none is missed and none repeated.
	var last int64
	for {
		l, err := a.current()
		if err != nil {
			return err
		}
		if l.srv == nil {
			a.flushInbox(ctx, l) // the attached server's file, with its journal imported
		}
		if last, err = l.maxID(ctx); err == nil {
			break
		}
		// A profile change closed this server's database while we read
		// it: read again from the new one.
		if !a.replaced(l) {
			return err
		}
		if !waitEnd(ctx, l, 10*time.Second) {
			return nil
		}
	}
	send := func(r inbox.Record) {
		if r.ID > last {
			last = r.ID
			emit(entry(r, nil))
		}
	}
	first := true
	for {
		// A profile change may be between stopping the old server and
		// starting the new one: follow it (ending here silently stopped
		// the window's live list; seen in CI under load).
		l := a.follow(ctx, 10*time.Second)
		if l == nil {
			return nil // the app stopped
		}
		if l.srv != nil {
			ch, cancel := l.srv.Subscribe()
			// Entries stored before the subscription (since last, or
			// while the server restarted) come from the database; send
			// drops what the channel then repeats.
			if err := l.catchUp(ctx, last, send); err != nil {
				cancel()
				if !a.replaced(l) {
					return err
				}
				// restarted again while catching up: follow it
				first = false
				if l.successor(ctx, 10*time.Second) == nil {
					return nil
				}
				continue
			}
			stopped := false
			for !stopped {
				select {
				case <-ctx.Done():
					cancel()
					return nil
				case r, ok := <-ch:
					if !ok {
						stopped = true
						break
					}
					send(r)
				}
			}
			cancel()
		} else {
			sctx, scancel := context.WithCancel(ctx)
			go func() {
				// End the stream when the app stops or reloads.
				select {
				case <-l.done:
					scancel()
				case <-sctx.Done():
				}
			}()
			opened := func() error {
				if first {
					return nil
				}
				a.flushInbox(sctx, l)
				return l.catchUp(sctx, last, send)
			}
			_ = a.streamInbox(sctx, l.url, opened, send)
			scancel()
			if ctx.Err() != nil {
				return nil
			}
			if a.session() == l {
				// The attached server went away (the tray's Stop/Start dev
				// server): reconnect, then catch up from the database.
				first = false
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(reconnectEvery):
				}
				continue
			}
		}
		first = false
		// The server stopped: follow a reload, or end when the app stopped.
		if l.successor(ctx, 10*time.Second) == nil {
			return nil
		}
	}
}

// replaced reports whether a reload has replaced (or is replacing) l, so an
// error from its closed database is a restart to follow, not a failure.
func (a *App) replaced(l *session) bool {
	return a.session() != l
}

// waitEnd waits until session l has ended (at most limit); false when ctx
// ends first.
func waitEnd(ctx context.Context, l *session, limit time.Duration) bool {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-l.done:
	case <-t.C:
	case <-ctx.Done():
		return false
	}
	return true
}

// reconnectEvery is how often an attached window retries the attached
// server's live stream while that server is away.
const reconnectEvery = 250 * time.Millisecond

// maxID is the newest inbox id (0 when empty).
func maxID(ctx context.Context, db *sql.DB) (int64, error) {
	var n sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(id) FROM callbacks").Scan(&n); err != nil {
		return 0, failWrap("inbox.read", err)
	}
	return n.Int64, nil
}

// flushInbox has the dev server import every acknowledged callback into
// inbox.db before the window reads the file: the server answers callbacks
// once they are in its journal and imports them in the background. A
// failure is left to the read (it shows what is imported).
func (a *App) flushInbox(ctx context.Context, l *session) {
	if l.srv != nil {
		_ = l.srv.Inbox().Flush(ctx)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url+"/api/inbox/flush", strings.NewReader("{}"))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json") // the API's POST rule
	a.setClientToken(req)
	if resp, err := a.adminClient().Do(req); err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// maxID is the newest stored id. In process it asks the server's inbox,
// which also has the callbacks acknowledged but not yet imported into the
// database file.
func (l *session) maxID(ctx context.Context) (int64, error) {
	if l.srv == nil {
		return maxID(ctx, l.db)
	}
	recs, err := l.srv.Inbox().List(ctx, inbox.Query{Limit: 1})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return recs[0].ID, nil
}

// catchUp emits the entries stored after id, oldest first (in process from
// the server's inbox, like maxID).
func (l *session) catchUp(ctx context.Context, after int64, send func(inbox.Record)) error {
	if l.srv == nil {
		return catchUp(ctx, l.db, after, send)
	}
	recs, err := l.srv.Inbox().List(ctx, inbox.Query{Limit: 1000})
	if err != nil {
		return failWrap("inbox.read", err)
	}
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].ID > after {
			send(recs[i])
		}
	}
	return nil
}

// catchUp emits the entries stored after id, oldest first.
func catchUp(ctx context.Context, db *sql.DB, after int64, send func(inbox.Record)) error {
	rows, err := db.QueryContext(ctx, "SELECT "+inboxColumns+" FROM callbacks WHERE id > ? ORDER BY id LIMIT 1000", after)
	if err != nil {
		return failWrap("inbox.read", err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return err
	}
	for _, r := range recs {
		send(r)
	}
	return nil
}

func matches(r inbox.Record, f InboxFilter) bool {
	if f.MsgType != "" && !strings.EqualFold(r.MsgType, f.MsgType) {
		return false
	}
	if f.Event != "" && !strings.EqualFold(r.Event, f.Event) {
		return false
	}
	if f.From != "" && !strings.Contains(strings.ToLower(r.From), strings.ToLower(f.From)) {
		return false
	}
	return true
}

func entry(r inbox.Record, m *message.Message) EntryDTO {
	if m == nil {
		m, _ = message.Parse([]byte(r.XML))
	}
	e := EntryDTO{ID: r.ID, Profile: r.Profile, Platform: r.Platform, ReceivedAt: r.ReceivedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		MsgType: r.MsgType, Event: r.Event, From: r.From, HasReply: r.Reply != "", Deliveries: r.Deliveries}
	if m != nil {
		e.EventKey = m.EventKey
		if t, ok := m.Body.(*message.Text); ok {
			e.Summary = shorten(t.Content, 80)
		} else if m.EventKey != "" {
			e.Summary = shorten(m.EventKey, 80)
		}
	}
	return e
}

func detail(r inbox.Record) EntryDetailDTO {
	m, err := message.Parse([]byte(r.XML))
	d := EntryDetailDTO{EntryDTO: entry(r, m), XML: r.XML, Reply: r.Reply, Fields: xmlFields(r.XML)}
	if err != nil {
		d.ParseError = err.Error()
		return d
	}
	if m.Body != nil {
		d.BodyType = strings.TrimPrefix(fmt.Sprintf("%T", m.Body), "*")
		d.Body = m.Body
	}
	return d
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
