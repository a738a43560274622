package inbox

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/wwkit/wwkit/core/message"
)

// schemaVersion is stored in PRAGMA user_version. Version 1 added
// callbacks.msg_id_text: the first schema kept the MsgId only as an INTEGER,
// which clamps a MsgId of 2^63 or more and drops one that is not a number.
const schemaVersion = 1

// insertCols is the number of values one inserted row takes.
const insertCols = 15

// migrate brings a database made by an older wwkit to schemaVersion in one
// transaction: rows are never removed or rewritten, a column is added and
// filled from each row's stored XML (the exact MsgId text, which the old
// INTEGER column may have clamped). Two processes opening the same file
// serialise on BEGIN IMMEDIATE; the second finds the work done.
func migrate(db *sql.DB) (err error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	version := func() (int, error) {
		var v int
		err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
		return v, err
	}
	if v, err := version(); err != nil || v >= schemaVersion {
		return err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
		}
	}()
	v, err := version()
	if err != nil || v >= schemaVersion {
		if err == nil {
			_, err = conn.ExecContext(ctx, "COMMIT")
		}
		return err
	}
	has, err := hasColumn(ctx, conn, "callbacks", "msg_id_text")
	if err != nil {
		return err
	}
	if !has {
		if _, err := conn.ExecContext(ctx, `ALTER TABLE callbacks ADD COLUMN msg_id_text TEXT NOT NULL DEFAULT ''`); err != nil {
			return fmt.Errorf("adding msg_id_text: %w", err)
		}
	}
	if err := backfillMsgIDs(ctx, conn); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

func hasColumn(ctx context.Context, conn *sql.Conn, table, col string) (bool, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return false, err
		}
		if name == col {
			return true, nil
		}
	}
	return false, rows.Err()
}

// backfillMsgIDs fills msg_id_text of the rows that have none from their
// stored plaintext XML.
func backfillMsgIDs(ctx context.Context, conn *sql.Conn) error {
	type fix struct {
		id   int64
		text string
	}
	var fixes []fix
	rows, err := conn.QueryContext(ctx, `SELECT id, xml FROM callbacks WHERE msg_id_text = ''`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var xml []byte
		if err := rows.Scan(&id, &xml); err != nil {
			rows.Close()
			return err
		}
		// A row whose XML no longer parses keeps an empty msg_id_text; its
		// old msg_id column is still there.
		if m, err := message.Parse(xml); err == nil && m.MsgIDText != "" {
			fixes = append(fixes, fix{id, m.MsgIDText})
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, f := range fixes {
		if _, err := conn.ExecContext(ctx, `UPDATE callbacks SET msg_id_text = ? WHERE id = ?`, f.text, f.id); err != nil {
			return fmt.Errorf("filling msg_id_text: %w", err)
		}
	}
	return nil
}
