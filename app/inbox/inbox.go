// Package inbox is the durable store of the dev server: every callback (回调)
// message the server accepts is written to a SQLite database (pure Go,
// modernc.org/sqlite, WAL journal) before the server acknowledges it, so a
// crash or a SIGKILL after the acknowledgement never loses a message.
//
// Duplicates are stored once: WeCom and Official Accounts retry a callback
// that was not answered in 5 seconds (up to three times) with the same
// plaintext. The caller builds the deduplication key (Record.Key); Put
// reports a duplicate and returns the first copy, so the server answers it
// the same way.
//
// Writes are group-committed: concurrent Put calls are gathered by one writer
// goroutine into a single transaction, so under load one fsync covers many
// callbacks while each caller still returns only after its row is committed.
package inbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrClosed is returned by Put after Close.
var ErrClosed = errors.New("inbox: closed; open the inbox again")

// Record is one accepted callback.
type Record struct {
	ID         int64     `json:"id"`
	Key        string    `json:"key"` // deduplication key: msg:PROFILE:MSGID or evt:PROFILE:FROM:CREATETIME:TYPE:EVENT:KEY:SHA256
	Profile    string    `json:"profile"`
	Platform   string    `json:"platform"` // wecom or mp
	ReceivedAt time.Time `json:"receivedAt"`
	MsgType    string    `json:"msgType"`
	Event      string    `json:"event,omitempty"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	MsgID      string    `json:"msgId,omitempty"` // the MsgId exactly as sent (it may exceed int64)
	AgentID    int64     `json:"agentId,omitempty"`
	CreateTime int64     `json:"createTime"`
	XML        string    `json:"xml"`             // the decrypted message
	Reply      string    `json:"reply,omitempty"` // the plaintext passive reply, "" for none
	Deliveries int       `json:"deliveries"`      // how many times it was delivered (retries included)
}

// Media is a file the server downloaded (media/get) and stored in the data dir.
type Media struct {
	ID          int64     `json:"id"`
	Profile     string    `json:"profile"`
	MediaID     string    `json:"mediaId"` // the serverId / media_id
	Path        string    `json:"path"`    // file name under the media directory
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"createdAt"`
}

const schema = `
CREATE TABLE IF NOT EXISTS callbacks (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	dedup_key   TEXT NOT NULL UNIQUE,
	profile     TEXT NOT NULL,
	platform    TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	msg_type    TEXT NOT NULL,
	event       TEXT NOT NULL,
	from_user   TEXT NOT NULL,
	to_user     TEXT NOT NULL,
	msg_id      INTEGER NOT NULL,
	agent_id    INTEGER NOT NULL,
	create_time INTEGER NOT NULL,
	xml         TEXT NOT NULL,
	reply       TEXT NOT NULL,
	deliveries  INTEGER NOT NULL DEFAULT 1,
	msg_id_text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS media (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	profile      TEXT NOT NULL,
	media_id     TEXT NOT NULL,
	path         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	created_at   INTEGER NOT NULL
);
`

// maxBatch bounds one group commit.
const maxBatch = 256

// Inbox is an open inbox database. It is safe for concurrent use.
type Inbox struct {
	db      *sql.DB
	wconn   *sql.Conn // the writer's own connection, with prepared statements
	begin   *sql.Stmt
	insert  *sql.Stmt
	multi   map[int]*sql.Stmt // multi-row inserts by row count, prepared on first use
	bump    *sql.Stmt
	commitS *sql.Stmt
	rollbk  *sql.Stmt
	reqs    chan *putReq
	done    chan struct{}
	wg      sync.WaitGroup
	closeMu sync.RWMutex
	closed  bool
	batches atomic.Int64
	rows    atomic.Int64
}

// Stats counts the group commits: transactions and rows written since Open.
type Stats struct {
	Commits int64 `json:"commits"`
	Rows    int64 `json:"rows"`
}

// Stats returns the commit counters (rows per commit shows how well
// concurrent callbacks are grouped).
func (in *Inbox) Stats() Stats { return Stats{Commits: in.batches.Load(), Rows: in.rows.Load()} }

type putReq struct {
	rec Record
	res chan putRes
}

type putRes struct {
	rec Record
	dup bool
	err error
}

// Open opens (creating if needed) the inbox database at path, in WAL mode.
func Open(path string) (*Inbox, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("inbox: creating the data directory: %w", err)
	}
	// synchronous=NORMAL in WAL mode: a committed transaction survives a
	// process crash (SIGKILL); only an OS crash or power loss may lose the
	// last commits. busy_timeout lets a second process wait for the lock.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("inbox: opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("inbox: creating the schema in %s (is it a wwkit inbox?): %w", path, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("inbox: upgrading %s (nothing was changed; it still opens with the wwkit that made it): %w", path, err)
	}
	in := &Inbox{db: db, reqs: make(chan *putReq, maxBatch), done: make(chan struct{})}
	if err := in.prepareWriter(); err != nil {
		db.Close()
		return nil, err
	}
	in.wg.Add(2)
	go in.writer()
	go in.checkpointer()
	return in, nil
}

// checkpointInterval is how often the WAL is copied into the database.
const checkpointInterval = time.Second

// checkpointer runs passive WAL checkpoints in the background while there
// were commits since the last one, and a last one on Close.
func (in *Inbox) checkpointer() {
	defer in.wg.Done()
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	last := int64(0)
	for {
		select {
		case <-in.done:
			_, _ = in.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			return
		case <-t.C:
		}
		if n := in.batches.Load(); n != last {
			last = n
			_, _ = in.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// Close stops the writer and closes the database.
func (in *Inbox) Close() error {
	in.closeMu.Lock()
	if in.closed {
		in.closeMu.Unlock()
		return nil
	}
	in.closed = true
	close(in.done)
	in.closeMu.Unlock()
	in.wg.Wait()
	for _, st := range []*sql.Stmt{in.begin, in.insert, in.bump, in.commitS, in.rollbk} {
		st.Close()
	}
	for _, st := range in.multi {
		st.Close()
	}
	in.wconn.Close()
	return in.db.Close()
}

// prepareWriter takes one connection for the writer and prepares its
// statements once, so a commit parses no SQL.
func (in *Inbox) prepareWriter() error {
	ctx := context.Background()
	var err error
	if in.wconn, err = in.db.Conn(ctx); err != nil {
		return fmt.Errorf("inbox: opening the writer connection: %w", err)
	}
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = in.wconn.PrepareContext(ctx, q)
		return st
	}
	// The writer does not checkpoint at the default 1000 pages (that would
	// copy the WAL into the database and fsync inside a callback's commit);
	// checkpointer does it from another connection, concurrently with the
	// writer. Under sustained load a passive checkpoint never catches up, so
	// the writer still checkpoints when the WAL reaches 16384 pages (64 MiB
	// at 4 KiB pages), and the WAL file is truncated back to 64 MiB.
	if _, err = in.wconn.ExecContext(ctx, "PRAGMA wal_autocheckpoint=16384; PRAGMA journal_size_limit=67108864"); err != nil {
		in.wconn.Close()
		return fmt.Errorf("inbox: configuring the writer connection: %w", err)
	}
	in.begin = prep("BEGIN IMMEDIATE")
	in.insert = prep(insertSQL)
	in.bump = prep(bumpSQL)
	in.commitS = prep("COMMIT")
	in.rollbk = prep("ROLLBACK")
	if err != nil {
		in.wconn.Close()
		return fmt.Errorf("inbox: preparing the writer statements: %w", err)
	}
	return nil
}

// insertSQL stores a new callback; a duplicate key inserts nothing and
// bumpSQL then counts the delivery and reads the first copy.
const (
	insertHead = `INSERT INTO callbacks (dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id, agent_id, create_time, xml, reply, msg_id_text) VALUES `
	insertRow  = `(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	insertSQL  = insertHead + insertRow + ` ON CONFLICT(dedup_key) DO NOTHING`
	bumpSQL    = `UPDATE callbacks SET deliveries = deliveries + 1 WHERE dedup_key = ? RETURNING id, deliveries, reply, received_at`
)

// Put stores rec unless a record with the same Key exists. It returns the
// stored record (the first copy for a duplicate, with its Reply) and whether
// rec was a duplicate. It returns only after the row is committed.
func (in *Inbox) Put(ctx context.Context, rec Record) (Record, bool, error) {
	if rec.Key == "" {
		return Record{}, false, errors.New("inbox: a record needs a deduplication key")
	}
	if rec.ReceivedAt.IsZero() {
		rec.ReceivedAt = time.Now()
	}
	req := &putReq{rec: rec, res: make(chan putRes, 1)}
	in.closeMu.RLock()
	if in.closed {
		in.closeMu.RUnlock()
		return Record{}, false, ErrClosed
	}
	select {
	case in.reqs <- req:
	case <-ctx.Done():
		in.closeMu.RUnlock()
		return Record{}, false, ctx.Err()
	}
	in.closeMu.RUnlock()
	// Once queued, wait for the result even if ctx ends: the row may be
	// committed, and the caller must not answer differently from the inbox.
	r := <-req.res
	return r.rec, r.dup, r.err
}

func (in *Inbox) writer() {
	defer in.wg.Done()
	batch := make([]*putReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-in.reqs:
			batch = append(batch, r)
		case <-in.done:
			// Drain what was queued before Close.
			for {
				select {
				case r := <-in.reqs:
					in.commit([]*putReq{r})
				default:
					return
				}
			}
		}
		batch = in.fill(batch)
		in.commit(batch)
	}
}

// fill gathers the requests queued behind the first one. When some were
// queued, it yields the processor so handlers that are about to queue get to
// run, and gathers again; it stops when two yields in a row bring nothing new.
// Under load this turns many tiny commits into few large ones; an idle
// server commits a lone callback after three yields.
func (in *Inbox) fill(batch []*putReq) []*putReq {
	idle := 0
	for round := 0; round < 16 && len(batch) < maxBatch; round++ {
		n := len(batch)
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-in.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if round > 0 && len(batch) == n {
			if idle++; idle == 2 {
				break
			}
		} else {
			idle = 0
		}
		runtime.Gosched()
	}
	return batch
}

// commit writes a batch in one transaction. If the transaction fails, each
// request is retried alone so one bad row does not fail the others.
func (in *Inbox) commit(batch []*putReq) {
	results, err := in.commitTx(batch)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			in.commit([]*putReq{r})
		}
		return
	}
	for i, r := range batch {
		if err != nil {
			r.res <- putRes{err: err}
			continue
		}
		r.res <- results[i]
	}
}

func (in *Inbox) commitTx(batch []*putReq) (out []putRes, err error) {
	if _, err := in.begin.Exec(); err != nil {
		return nil, fmt.Errorf("inbox: starting a transaction: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = in.rollbk.Exec()
		}
	}()
	out = make([]putRes, len(batch))
	if len(batch) == 1 {
		err = in.insertOne(batch[0].rec, &out[0])
	} else {
		err = in.insertMany(batch, out)
	}
	if err != nil {
		return nil, err
	}
	if _, err := in.commitS.Exec(); err != nil {
		return nil, fmt.Errorf("inbox: committing: %w", err)
	}
	in.batches.Add(1)
	in.rows.Add(int64(len(batch)))
	return out, nil
}

// recordArgs gives the insert's arguments. msg_id keeps the MsgId as a
// number where it is one (0 otherwise) for readers of the first schema;
// msg_id_text is the exact text.
func recordArgs(args []any, rec *Record) []any {
	return append(args, rec.Key, rec.Profile, rec.Platform, rec.ReceivedAt.UnixMilli(), rec.MsgType, rec.Event, rec.From, rec.To,
		msgIDNumber(rec.MsgID), rec.AgentID, rec.CreateTime, rec.XML, rec.Reply, rec.MsgID)
}

func msgIDNumber(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func (in *Inbox) insertOne(rec Record, out *putRes) error {
	res, err := in.insert.Exec(recordArgs(make([]any, 0, insertCols), &rec)...)
	if err != nil {
		return fmt.Errorf("inbox: storing a callback: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("inbox: storing a callback: %w", err)
	}
	if n == 1 {
		if rec.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("inbox: storing a callback: %w", err)
		}
		rec.Deliveries = 1
		*out = putRes{rec: rec}
		return nil
	}
	return in.duplicate(rec, out)
}

// insertMany stores a batch with one multi-row INSERT … RETURNING: the rows
// it returns are the new ones; every other request (a key already stored,
// or seen earlier in the same batch) is a duplicate.
func (in *Inbox) insertMany(batch []*putReq, out []putRes) error {
	st, err := in.multiInsert(len(batch))
	if err != nil {
		return err
	}
	args := make([]any, 0, insertCols*len(batch))
	for _, r := range batch {
		args = recordArgs(args, &r.rec)
	}
	rows, err := st.Query(args...)
	if err != nil {
		return fmt.Errorf("inbox: storing callbacks: %w", err)
	}
	ids := make(map[string]int64, len(batch))
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return fmt.Errorf("inbox: storing callbacks: %w", err)
		}
		ids[key] = id
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("inbox: storing callbacks: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("inbox: storing callbacks: %w", err)
	}
	for i, r := range batch {
		rec := r.rec
		if id, ok := ids[rec.Key]; ok {
			delete(ids, rec.Key) // a later copy in this batch is a duplicate
			rec.ID, rec.Deliveries = id, 1
			out[i] = putRes{rec: rec}
			continue
		}
		if err := in.duplicate(rec, &out[i]); err != nil {
			return err
		}
	}
	return nil
}

// duplicate counts one more delivery of an already stored key and returns
// the first copy's reply.
func (in *Inbox) duplicate(rec Record, out *putRes) error {
	var received int64
	if err := in.bump.QueryRow(rec.Key).Scan(&rec.ID, &rec.Deliveries, &rec.Reply, &received); err != nil {
		return fmt.Errorf("inbox: counting a duplicate delivery: %w", err)
	}
	rec.ReceivedAt = time.UnixMilli(received)
	*out = putRes{rec: rec, dup: true}
	return nil
}

// multiInsert returns the prepared n-row insert (only the writer calls it).
func (in *Inbox) multiInsert(n int) (*sql.Stmt, error) {
	if st, ok := in.multi[n]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString(insertHead)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(insertRow)
	}
	b.WriteString(" ON CONFLICT(dedup_key) DO NOTHING RETURNING id, dedup_key")
	st, err := in.wconn.PrepareContext(context.Background(), b.String())
	if err != nil {
		return nil, fmt.Errorf("inbox: preparing a %d-row insert: %w", n, err)
	}
	if in.multi == nil {
		in.multi = map[int]*sql.Stmt{}
	}
	in.multi[n] = st
	return st, nil
}

// Query selects records for List.
type Query struct {
	Profile string // "" for all
	Before  int64  // only records with ID < Before; 0 for the newest
	Limit   int    // 1..1000, 50 when 0
}

// List returns records newest first.
func (in *Inbox) List(ctx context.Context, q Query) ([]Record, error) {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > 1000 {
		q.Limit = 1000
	}
	before := q.Before
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := in.db.QueryContext(ctx, `SELECT id, dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id_text, agent_id, create_time, xml, reply, deliveries
		FROM callbacks WHERE id < ? AND (? = '' OR profile = ?) ORDER BY id DESC LIMIT ?`, before, q.Profile, q.Profile, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("inbox: listing: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var received int64
		if err := rows.Scan(&r.ID, &r.Key, &r.Profile, &r.Platform, &received, &r.MsgType, &r.Event, &r.From, &r.To, &r.MsgID, &r.AgentID, &r.CreateTime, &r.XML, &r.Reply, &r.Deliveries); err != nil {
			return nil, fmt.Errorf("inbox: reading a row: %w", err)
		}
		r.ReceivedAt = time.UnixMilli(received)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("inbox: listing: %w", err)
	}
	return out, nil
}

// Count returns the number of stored callbacks.
func (in *Inbox) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := in.db.QueryRowContext(ctx, `SELECT count(*) FROM callbacks`).Scan(&n); err != nil {
		return 0, fmt.Errorf("inbox: counting: %w", err)
	}
	return n, nil
}

// AddMedia indexes a downloaded media file.
func (in *Inbox) AddMedia(ctx context.Context, m Media) (Media, error) {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	err := in.db.QueryRowContext(ctx, `INSERT INTO media (profile, media_id, path, content_type, size, sha256, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id`,
		m.Profile, m.MediaID, m.Path, m.ContentType, m.Size, m.SHA256, m.CreatedAt.UnixMilli()).Scan(&m.ID)
	if err != nil {
		return Media{}, fmt.Errorf("inbox: indexing media: %w", err)
	}
	return m, nil
}

// ListMedia returns the indexed media files, newest first.
func (in *Inbox) ListMedia(ctx context.Context, limit int) ([]Media, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := in.db.QueryContext(ctx, `SELECT id, profile, media_id, path, content_type, size, sha256, created_at FROM media ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("inbox: listing media: %w", err)
	}
	defer rows.Close()
	var out []Media
	for rows.Next() {
		var m Media
		var created int64
		if err := rows.Scan(&m.ID, &m.Profile, &m.MediaID, &m.Path, &m.ContentType, &m.Size, &m.SHA256, &created); err != nil {
			return nil, fmt.Errorf("inbox: reading media: %w", err)
		}
		m.CreatedAt = time.UnixMilli(created)
		out = append(out, m)
	}
	return out, rows.Err()
}
