// Package inbox is the durable store of the dev server: every callback (回调)
// message the server accepts is made durable before the server acknowledges
// it, so a crash or a SIGKILL after the acknowledgement never loses a
// message, and is kept in a SQLite database (pure Go, modernc.org/sqlite,
// WAL journal) for listing.
//
// The durable step is an append-only, checksummed journal file (日志):
// concurrent Put calls are group-committed by one writer goroutine with one
// write(2) (plus fsync with Options.Fsync), and each caller returns once its
// frame is written. A background importer copies the journal into SQLite in
// large transactions and deletes what it has imported; Open imports what a
// killed process left (replay). So the callback path never waits for SQLite.
//
// Duplicates are stored once: WeCom and Official Accounts retry a callback
// that was not answered in 5 seconds (up to three times) with the same
// plaintext. The caller builds the deduplication key (Record.Key); Put
// reports a duplicate and returns the first copy, so the server answers it
// the same way. The check is exact across the journal and the database:
// keys not yet imported are held in memory with their records, and a
// 64-bit hash of every stored key tells a new key from one to look up.
package inbox

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
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
CREATE TABLE IF NOT EXISTS journal_state (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	segment INTEGER NOT NULL,
	offset  INTEGER NOT NULL
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

// Options tune Open.
type Options struct {
	// Fsync makes every group commit of the journal call fsync before the
	// callbacks in it are acknowledged, and the import into SQLite use
	// synchronous=FULL: an acknowledged callback then survives an OS crash
	// or a power loss too. Without it a write(2) into the page cache is the
	// durable step: it survives the process being killed (SIGKILL, a panic,
	// the OOM killer) but not the machine stopping.
	Fsync bool
	// MaxPending bounds the journal bytes acknowledged but not yet imported
	// into SQLite; Put waits while it is reached. 0 means 512 MiB. The
	// records not imported are also held in memory (about twice their
	// journal size), for deduplication and listing.
	MaxPending int64
	// Logger gets the journal's replay and import problems; nil means
	// slog.Default().
	Logger *slog.Logger
	// OnWrite, when set, is called by the journal writer with the new
	// records of each group commit, in ID order, once they are durable and
	// before their Put calls return: live views see a callback as soon as
	// it is acknowledged, in order. It must not block or call the Inbox.
	OnWrite func([]Record)
}

// segmentSize is the size after which the journal writer starts a new
// segment, so imported segments can be deleted while callbacks keep coming.
const segmentSize = 16 << 20

// Flush imports every callback acknowledged so far into SQLite and returns
// once it is there, for readers of the database file that must see them
// (the desktop's inbox history); Put does not need it.
func (in *Inbox) Flush(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	target := in.queued
	if in.imported >= target {
		return nil
	}
	in.flushing++
	defer func() { in.flushing-- }()
	stop := context.AfterFunc(ctx, func() {
		in.mu.Lock()
		in.importedCV.Broadcast()
		in.mu.Unlock()
	})
	defer stop()
	for in.imported < target {
		if err := ctx.Err(); err != nil {
			return err
		}
		if in.closed && in.wrDone {
			return ErrClosed
		}
		in.importedCV.Wait()
	}
	return nil
}

// importHook, when set by a test, runs before each import (to hold the
// import back and look at the journal alone).
var importHook func()

// importBatch bounds one import transaction, insertChunk one INSERT.
const (
	importBatch = 4096
	insertChunk = 128
)

// Inbox is an open inbox database. It is safe for concurrent use.
type Inbox struct {
	db                     *sql.DB
	wconn                  *sql.Conn // the importer's own connection, with prepared statements
	insert                 *sql.Stmt // insertChunk rows
	one                    *sql.Stmt
	bump                   *sql.Stmt
	mark                   *sql.Stmt
	begin, commitS, rollbk *sql.Stmt
	opts                   Options
	log                    *slog.Logger
	prefix                 string // journal segment names
	seed                   maphash.Seed

	// mu guards the journal's in-memory side: what is acknowledged but not
	// imported, the keys known to be in the database, the chunk of the next
	// group commit.
	mu         sync.Mutex
	space      *sync.Cond          // signalled when the importer frees pending bytes
	pending    map[uint64]pval     // acknowledged records not imported, by key hash
	pendingX   map[string]pval     // the rare pending key whose hash another pending key has
	bumps      map[string]int      // deliveries of stored keys not yet imported
	known      map[uint64]struct{} // hashes of every stored or pending key
	nextID     int64
	cur        *chunk   // the next group commit, filled by Put
	live       []*chunk // handed to the writer and not imported, oldest first
	epoch      *epoch
	pendB      int64 // journal bytes acknowledged or queued, not imported
	broken     error // the journal can no longer be written
	closed     bool
	wrDone     bool          // the writer has written its last batch
	compact    bool          // the importer caught up: the writer may start a fresh segment
	kick       chan struct{} // wakes the journal writer
	importCV   *sync.Cond
	queued     int64      // frames ever handed to the importer
	imported   int64      // frames ever imported
	flushing   int        // Flush calls waiting: import now
	importedCV *sync.Cond // signalled after each import

	// viewMu makes an import (commit + removal from pending) atomic for
	// List and Count, so a record is never seen twice or missed.
	viewMu sync.RWMutex

	segFile  *os.File
	segNum   int64
	segSize  int64
	firstSeg int64 // the oldest segment that may hold unimported records

	writerDone, importerDone, ckptDone chan struct{}
	done                               chan struct{}
	batches, rows, written             atomic.Int64
}

// entry is one journal frame decoded: a new record (rec != nil) or one more
// delivery of key; seg/end say where it lies in the journal.
type entry struct {
	rec *Record
	key string
	seg int64
	end int64
}

// chunk is one group commit: the frames Put appended, written with one
// write(2) and kept in memory until they are imported. Acknowledged records
// are read back from these bytes (a retry's reply, the live list): a byte
// slice has no pointers for the garbage collector to follow, so a backlog of
// a million callbacks costs no GC marking, where a map of *Record would.
type chunk struct {
	seq     int64 // consecutive: live[i].seq == live[0].seq+i
	buf     []byte
	slots   []slot
	recs    []Record // the new records, for Options.OnWrite; dropped once written
	seg     int64    // the segment it was written to
	at      int64    // when it was written (Unix ns)
	written bool     // in the journal: the importer may take it
}

// slot is one frame of a chunk: its payload lies at buf[off:off+n] and the
// frame ends at end in its segment once written.
type slot struct {
	off, n int32
	rec    bool // a new record; a delivery otherwise
	end    int64
}

func (c *chunk) payload(i int) []byte { s := c.slots[i]; return c.buf[s.off : s.off+s.n] }

// pval is a pending record: the chunk and slot of its frame, and its
// deliveries so far (retries bump it before they are imported).
type pval struct {
	seq        int64
	slot       int32
	deliveries int32
}

// keyHash hashes a deduplication key (a variable so that a test can force
// collisions).
var keyHash = func(seed maphash.Seed, key string) uint64 { return maphash.String(seed, key) }

// chunkBySeq finds a chunk not yet imported (mu held).
func (in *Inbox) chunkBySeq(seq int64) *chunk {
	if seq == in.cur.seq {
		return in.cur
	}
	if len(in.live) > 0 {
		if i := seq - in.live[0].seq; i >= 0 && i < int64(len(in.live)) {
			return in.live[i]
		}
	}
	return nil
}

// payloadKey is the deduplication key in a frame's payload.
func payloadKey(p []byte) []byte {
	if len(p) == 0 {
		return nil
	}
	kind, p := p[0], p[1:]
	if kind == kindCallback {
		_, k := binary.Uvarint(p)
		if k <= 0 {
			return nil
		}
		p = p[k:]
	}
	n, k := binary.Uvarint(p)
	if k <= 0 || n > uint64(len(p)-k) {
		return nil
	}
	return p[k : k+int(n)]
}

// frameOf returns the payload of a pending record's frame (mu held).
func (in *Inbox) frameOf(pv pval) []byte {
	c := in.chunkBySeq(pv.seq)
	if c == nil || int(pv.slot) >= len(c.slots) {
		return nil
	}
	return c.payload(int(pv.slot))
}

// lookupPending finds the pending record of key (mu held).
func (in *Inbox) lookupPending(key string, h uint64) (pval, bool) {
	if pv, ok := in.pending[h]; ok && string(payloadKey(in.frameOf(pv))) == key {
		return pv, true
	}
	if len(in.pendingX) > 0 {
		pv, ok := in.pendingX[key]
		return pv, ok
	}
	return pval{}, false
}

// setPending stores pv for key: in pending unless another key holds its
// hash there (mu held).
func (in *Inbox) setPending(key string, h uint64, pv pval) {
	if cur, ok := in.pending[h]; !ok || (cur.seq == pv.seq && cur.slot == pv.slot) {
		in.pending[h] = pv
		return
	}
	in.pendingX[key] = pv
}

// deletePending forgets the pending record at (seq, slot), of key (mu held).
func (in *Inbox) deletePending(key string, h uint64, seq int64, slot int32) {
	if cur, ok := in.pending[h]; ok && cur.seq == seq && cur.slot == slot {
		delete(in.pending, h)
		return
	}
	delete(in.pendingX, key)
}

// unbump takes back one not-yet-imported delivery of key: imported, or
// never written (mu held).
func (in *Inbox) unbump(key string) {
	if n := in.bumps[key]; n > 1 {
		in.bumps[key] = n - 1
	} else {
		delete(in.bumps, key)
	}
}

func (in *Inbox) pendingCount() int { return len(in.pending) + len(in.pendingX) }

// pendingRecord decodes the pending record pv (mu held).
func (in *Inbox) pendingRecord(pv pval) (Record, error) {
	e, err := decodePayload(in.frameOf(pv))
	if err != nil || e.rec == nil {
		return Record{}, errors.New("inbox: a pending record's frame does not decode (a bug in wwkit)")
	}
	r := *e.rec
	r.Deliveries = int(pv.deliveries)
	return r, nil
}

// epoch is one group commit of the journal: closed when its bytes are
// written (and synced in Fsync mode); err says why not.
type epoch struct {
	done chan struct{}
	err  error
}

// Stats counts the work since Open: journal group commits, records and
// deliveries written, and records acknowledged but not yet imported.
type Stats struct {
	Commits int64 `json:"commits"` // journal group commits
	Rows    int64 `json:"rows"`    // journal frames written (new callbacks and retries)
	Pending int64 `json:"pending"` // acknowledged callbacks not yet imported into SQLite
	Imports int64 `json:"imports"` // import transactions into SQLite
}

// Stats returns the counters (rows per commit shows how well concurrent
// callbacks are grouped; pending, how far the import is behind).
func (in *Inbox) Stats() Stats {
	in.mu.Lock()
	p := int64(in.pendingCount())
	in.mu.Unlock()
	return Stats{Commits: in.written.Load(), Rows: in.rows.Load(), Pending: p, Imports: in.batches.Load()}
}

// Open opens (creating if needed) the inbox database at path, in WAL mode,
// with the default Options.
func Open(path string) (*Inbox, error) { return OpenOptions(path, Options{}) }

// OpenOptions opens the inbox at path. Journal segments left by a process
// that stopped without Close (a crash, SIGKILL) are imported first.
func OpenOptions(path string, opts Options) (*Inbox, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("inbox: creating the data directory: %w", err)
	}
	if opts.MaxPending <= 0 {
		opts.MaxPending = 512 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	// synchronous=NORMAL in WAL mode: a committed transaction survives a
	// process crash (SIGKILL); only an OS crash or power loss may lose the
	// last commits. busy_timeout lets a second process wait for the lock.
	syncMode := "NORMAL"
	if opts.Fsync {
		syncMode = "FULL"
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(" + syncMode + ")&_pragma=busy_timeout(5000)&_pragma=foreign_keys(ON)"
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
	in := &Inbox{db: db, opts: opts, log: opts.Logger, prefix: journalPrefix(path), seed: maphash.MakeSeed(),
		pending: map[uint64]pval{}, pendingX: map[string]pval{}, bumps: map[string]int{}, known: map[uint64]struct{}{},
		cur:  &chunk{seq: 1},
		kick: make(chan struct{}, 1), done: make(chan struct{}),
		writerDone: make(chan struct{}), importerDone: make(chan struct{}), ckptDone: make(chan struct{})}
	in.space = sync.NewCond(&in.mu)
	in.importCV = sync.NewCond(&in.mu)
	in.importedCV = sync.NewCond(&in.mu)
	in.epoch = &epoch{done: make(chan struct{})}
	if err := in.prepareWriter(); err != nil {
		db.Close()
		return nil, err
	}
	if err := in.replay(); err != nil {
		in.closeDB()
		return nil, err
	}
	if err := in.loadKnown(); err != nil {
		in.closeDB()
		return nil, err
	}
	if in.segFile, err = createSegment(in.prefix, in.segNum, opts.Fsync); err != nil {
		in.closeDB()
		return nil, err
	}
	in.segSize, in.firstSeg = int64(len(journalMagic)), in.segNum
	go in.writer()
	go in.importer()
	go in.checkpointer()
	return in, nil
}

// loadKnown reads the hash of every stored key and the next ID, so Put
// tells a new key from a retry without asking SQLite: a hash that is not
// there is a new key; one that is, is looked up exactly.
func (in *Inbox) loadKnown() error {
	rows, err := in.db.Query(`SELECT dedup_key FROM callbacks`)
	if err != nil {
		return fmt.Errorf("inbox: reading the stored keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return fmt.Errorf("inbox: reading the stored keys: %w", err)
		}
		in.known[keyHash(in.seed, k)] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("inbox: reading the stored keys: %w", err)
	}
	// AUTOINCREMENT never reuses an ID, also of deleted rows.
	var maxID, seq sql.NullInt64
	if err := in.db.QueryRow(`SELECT max(id) FROM callbacks`).Scan(&maxID); err != nil {
		return fmt.Errorf("inbox: reading the last ID: %w", err)
	}
	_ = in.db.QueryRow(`SELECT seq FROM sqlite_sequence WHERE name = 'callbacks'`).Scan(&seq)
	in.nextID = max(maxID.Int64, seq.Int64) + 1
	return nil
}

// checkpointInterval is how often the WAL is copied into the database.
const checkpointInterval = time.Second

// checkpointer runs passive WAL checkpoints in the background while there
// were imports since the last one, and a last one on Close.
func (in *Inbox) checkpointer() {
	defer close(in.ckptDone)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	last := int64(0)
	for {
		select {
		case <-in.importerDone:
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

// Close writes what is queued, imports the whole journal, deletes its
// segments and closes the database.
func (in *Inbox) Close() error {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil
	}
	in.closed = true
	close(in.done)
	in.space.Broadcast()
	in.importCV.Broadcast()
	in.mu.Unlock()
	<-in.writerDone
	<-in.importerDone
	<-in.ckptDone
	in.mu.Lock()
	left := in.pendingCount()
	in.mu.Unlock()
	if left == 0 {
		// Everything is in SQLite: the journal is not needed.
		in.segFile.Close()
		in.removeSegments(in.segNum + 1)
	} else {
		in.segFile.Close()
		in.log.Warn("inbox: closing with callbacks not imported; they stay in the journal and are imported at the next start", "count", left)
	}
	return in.closeDB()
}

func (in *Inbox) closeDB() error {
	for _, st := range []*sql.Stmt{in.insert, in.one, in.bump, in.mark, in.begin, in.commitS, in.rollbk} {
		if st != nil {
			st.Close()
		}
	}
	if in.wconn != nil {
		in.wconn.Close()
	}
	return in.db.Close()
}

// prepareWriter takes one connection for the importer and prepares its
// statements once, so an import parses no SQL.
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
	// The importer does not checkpoint at the default 1000 pages (that would
	// copy the WAL into the database and fsync inside an import);
	// checkpointer does it from another connection, concurrently. Under
	// sustained load a passive checkpoint never catches up, so the importer
	// still checkpoints when the WAL reaches 16384 pages (64 MiB at 4 KiB
	// pages), and the WAL file is truncated back to 64 MiB.
	if _, err = in.wconn.ExecContext(ctx, "PRAGMA wal_autocheckpoint=16384; PRAGMA journal_size_limit=67108864"); err != nil {
		in.wconn.Close()
		in.wconn = nil
		return fmt.Errorf("inbox: configuring the writer connection: %w", err)
	}
	var b strings.Builder
	b.WriteString(insertHead)
	for i := 0; i < insertChunk; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(insertRow)
	}
	b.WriteString(insertTail)
	in.insert = prep(b.String())
	in.one = prep(insertHead + insertRow + insertTail)
	in.bump = prep(bumpSQL)
	in.mark = prep(markSQL)
	in.begin = prep("BEGIN IMMEDIATE")
	in.commitS = prep("COMMIT")
	in.rollbk = prep("ROLLBACK")
	if err != nil {
		return fmt.Errorf("inbox: preparing the writer statements: %w", err)
	}
	return nil
}

// The import inserts records with the ID Put gave them. ON CONFLICT DO
// NOTHING makes importing a frame twice harmless; journal_state (updated in
// the same transaction) says how far the journal is imported, so a replay
// does not count a delivery twice either.
const (
	insertHead = `INSERT INTO callbacks (id, dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id, agent_id, create_time, xml, reply, msg_id_text) VALUES `
	insertRow  = `(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`
	insertTail = ` ON CONFLICT DO NOTHING`
	bumpSQL    = `UPDATE callbacks SET deliveries = deliveries + 1 WHERE dedup_key = ?`
	markSQL    = `INSERT INTO journal_state (id, segment, offset) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET segment = excluded.segment, offset = excluded.offset`
	lookupSQL  = `SELECT id, deliveries, reply, received_at FROM callbacks WHERE dedup_key = ?`
)

// Put stores rec unless a record with the same Key exists. It returns the
// stored record (the first copy for a duplicate, with its Reply) and whether
// rec was a duplicate. It returns once rec (or, for a duplicate, the
// delivery) is written to the journal: durable against the process being
// killed, and against power loss with Options.Fsync.
func (in *Inbox) Put(ctx context.Context, rec Record) (Record, bool, error) {
	if rec.Key == "" {
		return Record{}, false, errors.New("inbox: a record needs a deduplication key")
	}
	if rec.ReceivedAt.IsZero() {
		rec.ReceivedAt = time.Now()
	}
	// Milliseconds are what SQLite keeps: the live views see the same time.
	rec.ReceivedAt = time.UnixMilli(rec.ReceivedAt.UnixMilli())
	h := keyHash(in.seed, rec.Key)
	in.mu.Lock()
	for in.pendB >= in.opts.MaxPending && !in.closed && in.broken == nil {
		in.space.Wait()
	}
	if in.closed {
		in.mu.Unlock()
		return Record{}, false, ErrClosed
	}
	if in.broken != nil {
		err := in.broken
		in.mu.Unlock()
		return Record{}, false, err
	}
	out, dup := rec, false
	// Every pending key is known: a hash not known is a new key, found
	// with one lookup (the common case, in maps too large for the cache).
	if _, known := in.known[h]; known {
		var err error
		if out, dup, err = in.lookupKnown(ctx, rec, h); err != nil {
			in.mu.Unlock()
			return Record{}, false, err
		}
	}
	c := in.cur
	start := len(c.buf)
	if dup {
		c.buf = appendFrame(c.buf, &entry{key: rec.Key})
	} else {
		out.ID, out.Deliveries = in.nextID, 1
		in.nextID++
		c.buf = appendFrame(c.buf, &entry{rec: &out, key: rec.Key})
		in.setPending(rec.Key, h, pval{seq: c.seq, slot: int32(len(c.slots)), deliveries: 1})
		in.known[h] = struct{}{}
		if in.opts.OnWrite != nil {
			c.recs = append(c.recs, out)
		}
	}
	c.slots = append(c.slots, slot{off: int32(start + frameHeader), n: int32(len(c.buf) - start - frameHeader), rec: !dup})
	in.pendB += int64(len(c.buf) - start)
	ep := in.epoch
	in.mu.Unlock()
	select {
	case in.kick <- struct{}{}:
	default:
	}
	// Wait even if ctx ends: the caller must not answer before the journal
	// holds the record, nor differently from what the journal holds.
	<-ep.done
	if ep.err != nil {
		return Record{}, false, ep.err
	}
	return out, dup, nil
}

// lookupKnown finds the stored copy of rec, whose key hash is known: a
// pending record, else (a retry of an imported callback, or a hash
// collision) the database. mu is held, so a concurrent copy of the key
// waits for the answer. It counts the delivery.
func (in *Inbox) lookupKnown(ctx context.Context, rec Record, h uint64) (Record, bool, error) {
	if pv, ok := in.lookupPending(rec.Key, h); ok {
		pv.deliveries++
		in.setPending(rec.Key, h, pv)
		in.bumps[rec.Key]++
		r, err := in.pendingRecord(pv)
		return r, err == nil, err
	}
	out := rec
	var received int64
	err := in.db.QueryRowContext(ctx, lookupSQL, rec.Key).Scan(&out.ID, &out.Deliveries, &out.Reply, &received)
	switch {
	case err == nil:
		in.bumps[rec.Key]++
		out.Deliveries += in.bumps[rec.Key]
		out.ReceivedAt = time.UnixMilli(received)
		return out, true, nil
	case errors.Is(err, sql.ErrNoRows):
		return rec, false, nil
	default:
		return Record{}, false, fmt.Errorf("inbox: looking up a delivered key: %w", err)
	}
}

// writer is the journal's group commit: it takes everything Put queued since
// its last write, writes it with one write(2) (plus fsync in Fsync mode),
// then releases the waiting callers and queues the frames for import.
func (in *Inbox) writer() {
	defer close(in.writerDone)
	for {
		select {
		case <-in.kick:
			// Let the handlers that are about to append run first: one
			// write for many callbacks instead of one each.
			runtime.Gosched()
		case <-in.done:
		}
		in.mu.Lock()
		c, ep := in.cur, in.epoch
		in.epoch = &epoch{done: make(chan struct{})}
		// An empty chunk stays the current one: after Unlock only its
		// length read here is used.
		n := len(c.slots)
		if n > 0 {
			in.live = append(in.live, c)
			in.cur = in.nextChunk(c)
		}
		closing, broken := in.closed, in.broken
		compact := in.compact && n == 0 && len(in.live) == 0 && in.pendingCount() == 0 && len(in.bumps) == 0
		in.compact = false
		in.mu.Unlock()
		switch {
		case n > 0 && broken != nil:
			in.drop(c)
			ep.err = broken
		case n > 0:
			ep.err = in.writeBatch(c)
		case compact && in.segSize >= compactSize:
			// Everything written is imported: start a fresh segment and
			// delete the old one, so an idle server keeps no journal.
			in.rotate()
			in.removeSegments(in.segNum)
		}
		close(ep.done)
		if closing {
			in.mu.Lock()
			empty := len(in.cur.slots) == 0
			if empty {
				in.wrDone = true
				in.importCV.Broadcast()
			}
			in.mu.Unlock()
			if empty {
				return
			}
		}
	}
}

// compactSize is the segment size from which an idle journal is replaced by
// a fresh segment once all of it is imported.
const compactSize = 1 << 20

// rotate starts the next segment (only the writer calls it).
func (in *Inbox) rotate() {
	f, err := createSegment(in.prefix, in.segNum+1, in.opts.Fsync)
	if err != nil {
		in.log.Error("inbox: starting a new journal segment failed; the current one keeps growing", "err", err)
		return
	}
	in.segFile.Close()
	in.segFile, in.segNum, in.segSize = f, in.segNum+1, int64(len(journalMagic))
}

// chunkArena is the size of the buffers the chunks are cut from.
const chunkArena = 256 << 10

// nextChunk starts the chunk after c (mu held). Its bytes go on in the
// buffer c was cut from, right after c's, so a group commit costs no
// allocation and the backlog is packed; c is sealed, only the new chunk
// appends there. A full buffer is replaced by a fresh one.
func (in *Inbox) nextChunk(c *chunk) *chunk {
	rest := c.buf[len(c.buf):cap(c.buf)]
	if cap(rest) < chunkArena/16 {
		rest = make([]byte, 0, chunkArena)
	}
	next := &chunk{seq: c.seq + 1, buf: rest[:0], slots: make([]slot, 0, max(16, len(c.slots)))}
	if in.opts.OnWrite != nil {
		next.recs = make([]Record, 0, max(16, len(c.slots)))
	}
	return next
}

// drop forgets a chunk that was never written (the newest in live): its
// callbacks were not acknowledged.
func (in *Inbox) drop(c *chunk) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if n := len(in.live); n > 0 && in.live[n-1] == c {
		in.live = in.live[:n-1]
	}
	for i, sl := range c.slots {
		in.pendB -= int64(sl.n) + frameHeader
		key := payloadKey(c.payload(i))
		h := keyHash(in.seed, string(key))
		if sl.rec {
			in.deletePending(string(key), h, c.seq, int32(i))
			continue
		}
		if pv, ok := in.lookupPending(string(key), h); ok {
			pv.deliveries--
			in.setPending(string(key), h, pv)
		}
		in.unbump(string(key))
	}
	in.space.Broadcast()
}

func (in *Inbox) writeBatch(c *chunk) error {
	if in.segSize >= segmentSize {
		in.rotate()
	}
	_, err := in.segFile.Write(c.buf)
	if err == nil && in.opts.Fsync {
		err = in.segFile.Sync()
	}
	if err != nil {
		// A partial write may sit in the file, and a retry of one of these
		// callbacks may already be queued as a duplicate: stop taking
		// callbacks rather than acknowledge one a replay would not reach.
		werr := fmt.Errorf("inbox: the journal %s could not be written (is the disk full?); callbacks are refused until wwkit serve is restarted: %w", in.segFile.Name(), err)
		in.drop(c)
		in.mu.Lock()
		in.broken = werr
		in.space.Broadcast()
		in.mu.Unlock()
		in.log.Error("inbox: a journal write failed; those callbacks were not acknowledged and will be retried by the sender", "err", err)
		return werr
	}
	if len(c.recs) > 0 {
		in.opts.OnWrite(c.recs)
	}
	base := in.segSize
	in.segSize += int64(len(c.buf))
	in.written.Add(1)
	in.rows.Add(int64(len(c.slots)))
	in.mu.Lock()
	c.recs = nil
	for i := range c.slots {
		c.slots[i].end = base + int64(c.slots[i].off+c.slots[i].n)
	}
	c.seg, c.at, c.written = in.segNum, time.Now().UnixNano(), true
	in.queued += int64(len(c.slots))
	in.importCV.Signal()
	in.mu.Unlock()
	return nil
}

// importer copies written journal frames into SQLite in large transactions,
// then drops them from pending and deletes the segments it has finished.
func (in *Inbox) importer() {
	defer close(in.importerDone)
	for {
		in.mu.Lock()
		for len(in.live) == 0 || !in.live[0].written {
			if in.wrDone {
				in.mu.Unlock()
				return // the writer is done and everything written is imported
			}
			in.importCV.Wait()
		}
		if !in.closed {
			in.mu.Unlock()
			in.settle()
			in.mu.Lock()
		}
		// Whole chunks from the front, about importBatch frames: they stay
		// in live (retries and List read them) until importBatch commits.
		k, n := 0, 0
		for k < len(in.live) && in.live[k].written && (k == 0 || n+len(in.live[k].slots) <= importBatch) {
			n += len(in.live[k].slots)
			k++
		}
		batch := append([]*chunk(nil), in.live[:k]...)
		in.mu.Unlock()
		if importHook != nil {
			importHook()
		}
		for {
			err := in.importBatch(batch)
			if err == nil {
				break
			}
			in.log.Error("inbox: importing the journal into SQLite failed; retrying in a second (the callbacks are safe in the journal)", "err", err)
			select {
			case <-time.After(time.Second):
			case <-in.done:
				// Closing: leave the rest in the journal for the next start.
				<-in.writerDone
				return
			}
		}
	}
}

// importTick, importBurst, importMaxAge: during a burst (importBurst or more
// journal records written in the last importTick, about 5 000 callbacks a
// second) the import waits, so that the CPU goes to answering callbacks; it
// starts when the burst ends, when the backlog reaches half of MaxPending,
// when the oldest callback not imported is importMaxAge old, or when Flush
// asks. Outside bursts each group commit is imported within importTick.
const (
	importTick   = 50 * time.Millisecond
	importBurst  = 256
	importMaxAge = 10 * time.Second
)

// settle waits until the import should run.
func (in *Inbox) settle() {
	last := in.rows.Load()
	for {
		in.mu.Lock()
		closed, backlog, flush := in.closed, in.pendB, in.flushing > 0
		oldest := int64(0)
		if len(in.live) > 0 && in.live[0].written {
			oldest = in.live[0].at
		}
		in.mu.Unlock()
		if closed || flush || backlog >= in.opts.MaxPending/2 || (oldest > 0 && time.Now().UnixNano()-oldest >= int64(importMaxAge)) {
			return
		}
		time.Sleep(importTick)
		n := in.rows.Load()
		if n-last < importBurst {
			return
		}
		last = n
	}
}

func (in *Inbox) importBatch(batch []*chunk) error {
	var ents []entry
	for _, c := range batch {
		for i, sl := range c.slots {
			e, err := decodePayload(c.payload(i))
			if err != nil {
				return fmt.Errorf("inbox: a frame in memory does not decode (a bug in wwkit): %w", err)
			}
			e.seg, e.end = c.seg, sl.end
			ents = append(ents, *e)
		}
	}
	in.viewMu.Lock()
	defer in.viewMu.Unlock()
	if err := in.importTx(ents); err != nil {
		return err
	}
	last := batch[len(batch)-1]
	in.mu.Lock()
	j := 0
	for _, c := range batch {
		for i, sl := range c.slots {
			e := ents[j]
			j++
			in.pendB -= int64(sl.n) + frameHeader
			if sl.rec {
				in.deletePending(e.key, keyHash(in.seed, e.key), c.seq, int32(i))
			} else {
				in.unbump(e.key)
			}
		}
	}
	k := copy(in.live, in.live[len(batch):])
	clear(in.live[k:])
	in.live = in.live[:k]
	in.imported += int64(len(ents))
	in.importedCV.Broadcast()
	in.space.Broadcast()
	first := in.firstSeg
	in.firstSeg = last.seg
	if len(in.live) == 0 && in.pendingCount() == 0 {
		in.compact = true
		select {
		case in.kick <- struct{}{}:
		default:
		}
	}
	in.mu.Unlock()
	if last.seg > first {
		in.removeSegments(last.seg)
	}
	return nil
}

// importTx writes entries (in journal order) and the journal position they
// reach in one transaction.
func (in *Inbox) importTx(batch []entry) (err error) {
	// The statements run on the importer's connection, prepared once
	// (a database/sql Tx would prepare them again in every transaction).
	if _, err := in.begin.Exec(); err != nil {
		return fmt.Errorf("inbox: starting an import: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = in.rollbk.Exec()
		}
	}()
	var recs []*Record
	flush := func() error {
		for len(recs) >= insertChunk {
			args := make([]any, 0, insertCols*insertChunk)
			for _, r := range recs[:insertChunk] {
				args = recordArgs(args, r)
			}
			if _, err := in.insert.Exec(args...); err != nil {
				return fmt.Errorf("inbox: importing callbacks: %w", err)
			}
			recs = recs[insertChunk:]
		}
		for _, r := range recs {
			if _, err := in.one.Exec(recordArgs(nil, r)...); err != nil {
				return fmt.Errorf("inbox: importing a callback: %w", err)
			}
		}
		recs = recs[:0]
		return nil
	}
	for _, e := range batch {
		if e.rec != nil {
			recs = append(recs, e.rec)
			continue
		}
		// A delivery follows its record: write the records before it.
		if err := flush(); err != nil {
			return err
		}
		if _, err := in.bump.Exec(e.key); err != nil {
			return fmt.Errorf("inbox: counting a delivery: %w", err)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	last := batch[len(batch)-1]
	if _, err := in.mark.Exec(last.seg, last.end); err != nil {
		return fmt.Errorf("inbox: recording the imported journal position: %w", err)
	}
	if _, err := in.commitS.Exec(); err != nil {
		return fmt.Errorf("inbox: committing an import: %w", err)
	}
	in.batches.Add(1)
	return nil
}

// removeSegments deletes the segments numbered below upTo (all imported).
func (in *Inbox) removeSegments(upTo int64) {
	nums, err := segments(in.prefix)
	if err != nil {
		return
	}
	for _, n := range nums {
		if n < upTo {
			if err := os.Remove(segmentName(in.prefix, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				in.log.Warn("inbox: deleting an imported journal segment failed", "err", err)
			}
		}
	}
}

// replay imports the segments a previous process left (it stopped without
// Close), from the position journal_state says was imported, then deletes
// them. A damaged frame ends its segment: the frames before it are imported,
// the segment is kept as NAME.damaged for inspection, and the log says so.
func (in *Inbox) replay() error {
	nums, err := segments(in.prefix)
	if err != nil {
		return fmt.Errorf("inbox: listing the journal: %w", err)
	}
	var doneSeg, doneOff int64
	if err := in.db.QueryRow(`SELECT segment, offset FROM journal_state WHERE id = 1`).Scan(&doneSeg, &doneOff); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("inbox: reading the journal position: %w", err)
	}
	in.segNum = doneSeg + 1
	if len(nums) > 0 && nums[len(nums)-1] >= in.segNum {
		in.segNum = nums[len(nums)-1] + 1
	}
	total := 0
	for _, n := range nums {
		name := segmentName(in.prefix, n)
		if n < doneSeg {
			continue // imported; deleted below
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("inbox: reading the journal segment %s: %w", name, err)
		}
		frames, damage, at := readSegment(b)
		if damage != "" {
			kept := name + ".damaged"
			_ = os.WriteFile(kept, b, 0o600)
			in.log.Warn("inbox: journal segment damaged (a torn write from a crash, or corruption); the callbacks before the damage are imported, the bytes from it on are ignored",
				"segment", name, "damage", damage, "offset", at, "ignoredBytes", int64(len(b))-at, "frames", len(frames), "copy", kept)
		}
		var batch []entry
		for _, f := range frames {
			if n == doneSeg && f.end <= doneOff {
				continue
			}
			e := *f.e
			e.seg, e.end = n, f.end
			batch = append(batch, e)
			if len(batch) == importBatch {
				if err := in.importTx(batch); err != nil {
					return err
				}
				total += len(batch)
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			if err := in.importTx(batch); err != nil {
				return err
			}
			total += len(batch)
		}
	}
	if total > 0 {
		in.log.Info("inbox: journal replayed into SQLite", "frames", total, "segments", len(nums))
	}
	// The imports are committed (synced with Fsync): the journal can go.
	in.removeSegments(in.segNum)
	return nil
}

// recordArgs gives the insert's arguments. msg_id keeps the MsgId as a
// number where it is one (0 otherwise) for readers of the first schema;
// msg_id_text is the exact text.
func recordArgs(args []any, rec *Record) []any {
	return append(args, rec.ID, rec.Key, rec.Profile, rec.Platform, rec.ReceivedAt.UnixMilli(), rec.MsgType, rec.Event, rec.From, rec.To,
		msgIDNumber(rec.MsgID), rec.AgentID, rec.CreateTime, rec.XML, rec.Reply, rec.MsgID)
}

func msgIDNumber(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
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
	// Acknowledged callbacks not yet imported are listed from memory; the
	// import takes viewMu, so none is missed or listed twice.
	in.viewMu.RLock()
	defer in.viewMu.RUnlock()
	out, err := in.listPending(q.Profile, before, q.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := in.db.QueryContext(ctx, `SELECT id, dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id_text, agent_id, create_time, xml, reply, deliveries
		FROM callbacks WHERE id < ? AND (? = '' OR profile = ?) ORDER BY id DESC LIMIT ?`, before, q.Profile, q.Profile, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("inbox: listing: %w", err)
	}
	defer rows.Close()
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
	// Retries of imported callbacks whose delivery frames are not imported
	// yet (viewMu keeps the import out meanwhile).
	in.mu.Lock()
	for i := range out {
		if _, pending := in.lookupPending(out[i].Key, keyHash(in.seed, out[i].Key)); !pending {
			out[i].Deliveries += in.bumps[out[i].Key]
		}
	}
	in.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// listPending returns the newest pending records (acknowledged, not
// imported) of profile ("" for all) with ID < before, newest first. Frames
// are appended in ID order, so the chunks are read from the newest back.
func (in *Inbox) listPending(profile string, before int64, limit int) ([]Record, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	var out []Record
	for ci := len(in.live); ci >= 0 && len(out) < limit; ci-- {
		c := in.cur
		if ci < len(in.live) {
			c = in.live[ci]
		}
		for i := len(c.slots) - 1; i >= 0 && len(out) < limit; i-- {
			if !c.slots[i].rec {
				continue
			}
			e, err := decodePayload(c.payload(i))
			if err != nil || e.rec == nil {
				return nil, errors.New("inbox: a pending record's frame does not decode (a bug in wwkit)")
			}
			r := e.rec
			if r.ID >= before || (profile != "" && r.Profile != profile) {
				continue
			}
			if pv, ok := in.lookupPending(r.Key, keyHash(in.seed, r.Key)); ok {
				r.Deliveries = int(pv.deliveries)
			}
			out = append(out, *r)
		}
	}
	return out, nil
}

// Count returns the number of stored callbacks (imported or in the journal).
func (in *Inbox) Count(ctx context.Context) (int64, error) {
	in.viewMu.RLock()
	defer in.viewMu.RUnlock()
	var n int64
	if err := in.db.QueryRowContext(ctx, `SELECT count(*) FROM callbacks`).Scan(&n); err != nil {
		return 0, fmt.Errorf("inbox: counting: %w", err)
	}
	in.mu.Lock()
	n += int64(in.pendingCount())
	in.mu.Unlock()
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
