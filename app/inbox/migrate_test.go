package inbox_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/wwkit/wwkit/app/inbox"
)

// schemaV0 is the schema wwkit created before the exact MsgId column, copied
// here so the test keeps a database made by the old code.
const schemaV0 = `
CREATE TABLE callbacks (
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
	deliveries  INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE media (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	profile      TEXT NOT NULL,
	media_id     TEXT NOT NULL,
	path         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	created_at   INTEGER NOT NULL
);`

type oldRow struct {
	key, msgType, event, xml, reply string
	msgID                           int64
	deliveries                      int
}

var oldRows = []oldRow{
	{"msg:wecom:4561255354251345929", "text", "", `<xml><FromUserName>zhangsan</FromUserName><CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>hello</Content><MsgId>4561255354251345929</MsgId></xml>`, "<xml>r1</xml>", 4561255354251345929, 2},
	// The old code clamped 2^63 to 2^63-1: the row keeps the clamped key,
	// and the migration recovers the exact MsgId from its XML.
	{"msg:wecom:9223372036854775807", "text", "", `<xml><FromUserName>lisi</FromUserName><CreateTime>1700000001</CreateTime><MsgType>text</MsgType><Content>big</Content><MsgId>9223372036854775808</MsgId></xml>`, "", 9223372036854775807, 4},
	{"evt:wecom:zhangsan:1700000002:event:click:K", "event", "click", `<xml><FromUserName>zhangsan</FromUserName><CreateTime>1700000002</CreateTime><MsgType>event</MsgType><Event>click</Event><EventKey>K</EventKey></xml>`, "", 0, 1},
	{"evt:wecom:x:0:::", "text", "", `not xml at all`, "", 0, 1},
}

// TestMigrateFromFirstSchema opens a database written by the first schema:
// every row and column survives, the exact MsgId is filled in, a retry of
// an old message still counts as a duplicate, and new rows are written.
func TestMigrateFromFirstSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schemaV0); err != nil {
		t.Fatal(err)
	}
	for i, r := range oldRows {
		if _, err := db.Exec(`INSERT INTO callbacks (dedup_key, profile, platform, received_at, msg_type, event, from_user, to_user, msg_id, agent_id, create_time, xml, reply, deliveries)
			VALUES (?, 'wecom', 'wecom', ?, ?, ?, 'u', 'corp', ?, 1000002, 1700000000, ?, ?, ?)`, r.key, 1700000000000+int64(i), r.msgType, r.event, r.msgID, r.xml, r.reply, r.deliveries); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO media (profile, media_id, path, content_type, size, sha256, created_at) VALUES ('wecom', 'm1', 'a.jpg', 'image/jpeg', 3, 'abc', 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for round := 0; round < 2; round++ { // the second Open finds nothing to do
		in, err := inbox.Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		ctx := context.Background()
		recs, err := in.List(ctx, inbox.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if want := len(oldRows) + round; len(recs) != want {
			t.Fatalf("open %d: %d rows after the upgrade, want %d", round, len(recs), want)
		}
		wantIDs := []string{"4561255354251345929", "9223372036854775808", "", ""}
		for i, r := range oldRows {
			got := recs[len(recs)-1-i]
			if i == 0 && round == 1 {
				r.deliveries++ // the retry counted in round 0
			}
			if got.Key != r.key || got.XML != r.xml || got.Reply != r.reply || got.Deliveries != r.deliveries || got.MsgType != r.msgType ||
				got.Event != r.event || got.AgentID != 1000002 || got.ReceivedAt.UnixMilli() != 1700000000000+int64(i) {
				t.Errorf("open %d: row %d changed: %+v", round, i, got)
			}
			if got.MsgID != wantIDs[i] {
				t.Errorf("open %d: row %d msgId %q, want %q", round, i, got.MsgID, wantIDs[i])
			}
		}
		ms, err := in.ListMedia(ctx, 0)
		if err != nil || len(ms) != 1 || ms[0].MediaID != "m1" {
			t.Errorf("open %d: media after the upgrade: %+v %v", round, ms, err)
		}
		if round == 0 {
			got, dup, err := in.Put(ctx, inbox.Record{Key: oldRows[0].key, Profile: "wecom", Platform: "wecom", MsgType: "text", MsgID: "4561255354251345929", XML: oldRows[0].xml})
			if err != nil || !dup || got.Reply != "<xml>r1</xml>" || got.Deliveries != 3 {
				t.Errorf("retry of an old message: dup %v reply %q deliveries %d err %v; want a duplicate answered with r1", dup, got.Reply, got.Deliveries, err)
			}
			if _, dup, err := in.Put(ctx, inbox.Record{Key: "msg:wecom:18446744073709551615", Profile: "wecom", Platform: "wecom", MsgType: "text", MsgID: "18446744073709551615", XML: "<xml/>"}); err != nil || dup {
				t.Errorf("new row after the upgrade: dup %v err %v", dup, err)
			}
		}
		in.Close()
	}
	in, err := inbox.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	recs, err := in.List(context.Background(), inbox.Query{Limit: 1})
	if err != nil || len(recs) != 1 || recs[0].MsgID != "18446744073709551615" {
		t.Errorf("a MsgId of 2^64-1 did not come back exactly: %+v %v", recs, err)
	}
}
