package inbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The journal (日志) is where an accepted callback becomes durable: Put
// appends one checksummed record to the current segment file and returns
// once the bytes are written; a background importer copies the records into
// the SQLite database and deletes a segment when all of it is imported.
//
// A segment is a header (journalMagic) followed by frames:
//
//	uint32 little-endian  payload length
//	uint32 little-endian  CRC-32C of the length bytes and the payload
//	payload               kindCallback + the record, or kindDelivery + a key
//
// A frame is written with one write(2) together with the frames of the
// same group commit. After a crash, replay stops at the first frame of a
// segment whose length or checksum does not hold (a torn write) and keeps
// every frame before it.

const (
	journalMagic = "WWKJNL1\n"
	frameHeader  = 8
	// maxPayload bounds one frame: a callback body is at most 1 MiB, so a
	// larger length can only be a torn or damaged header.
	maxPayload = 8 << 20

	kindCallback = 1 // a new callback record
	kindDelivery = 2 // one more delivery (a retry) of a stored key
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// appendFrame appends the frame of one entry to b.
func appendFrame(b []byte, e *entry) []byte {
	start := len(b)
	b = append(b, make([]byte, frameHeader)...)
	if e.rec != nil {
		r := e.rec
		b = append(b, kindCallback)
		b = binary.AppendUvarint(b, uint64(r.ID))
		for _, s := range [...]string{r.Key, r.Profile, r.Platform, r.MsgType, r.Event, r.From, r.To, r.MsgID, r.XML, r.Reply} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendVarint(b, r.ReceivedAt.UnixMilli())
		b = binary.AppendVarint(b, r.AgentID)
		b = binary.AppendVarint(b, r.CreateTime)
	} else {
		b = append(b, kindDelivery)
		b = binary.AppendUvarint(b, uint64(len(e.key)))
		b = append(b, e.key...)
	}
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-frameHeader))
	crc := crc32.Update(0, crcTable, b[start:start+4])
	crc = crc32.Update(crc, crcTable, b[start+frameHeader:])
	binary.LittleEndian.PutUint32(b[start+4:], crc)
	return b
}

var errPayload = errors.New("malformed payload")

// decodePayload reads one frame's payload back into an entry.
func decodePayload(p []byte) (*entry, error) {
	if len(p) == 0 {
		return nil, errPayload
	}
	kind, p := p[0], p[1:]
	str := func() (string, bool) {
		n, k := binary.Uvarint(p)
		if k <= 0 || n > uint64(len(p)-k) {
			return "", false
		}
		s := string(p[k : k+int(n)])
		p = p[k+int(n):]
		return s, true
	}
	switch kind {
	case kindDelivery:
		key, ok := str()
		if !ok || len(p) != 0 {
			return nil, errPayload
		}
		return &entry{key: key}, nil
	case kindCallback:
		id, k := binary.Uvarint(p)
		if k <= 0 {
			return nil, errPayload
		}
		p = p[k:]
		r := &Record{ID: int64(id), Deliveries: 1}
		for _, dst := range [...]*string{&r.Key, &r.Profile, &r.Platform, &r.MsgType, &r.Event, &r.From, &r.To, &r.MsgID, &r.XML, &r.Reply} {
			s, ok := str()
			if !ok {
				return nil, errPayload
			}
			*dst = s
		}
		var ints [3]int64
		for i := range ints {
			v, k := binary.Varint(p)
			if k <= 0 {
				return nil, errPayload
			}
			ints[i], p = v, p[k:]
		}
		if len(p) != 0 {
			return nil, errPayload
		}
		r.ReceivedAt, r.AgentID, r.CreateTime = time.UnixMilli(ints[0]), ints[1], ints[2]
		return &entry{rec: r, key: r.Key}, nil
	}
	return nil, errPayload
}

// segmentFrame is a frame read back from a segment, with where it ends.
type segmentFrame struct {
	e   *entry
	end int64
}

// readSegment decodes a segment's frames. damage describes the first frame
// that does not hold (torn tail or corruption), "" when the whole file is
// sound; frames before it are returned.
func readSegment(b []byte) (frames []segmentFrame, damage string, damagedAt int64) {
	if len(b) < len(journalMagic) || string(b[:len(journalMagic)]) != journalMagic {
		if len(b) == 0 {
			return nil, "", 0 // created, nothing written yet
		}
		return nil, "the header is not a wwkit inbox journal", 0
	}
	off := int64(len(journalMagic))
	for off < int64(len(b)) {
		rest := b[off:]
		if len(rest) < frameHeader {
			return frames, fmt.Sprintf("a frame header cut short (%d bytes)", len(rest)), off
		}
		n := int64(binary.LittleEndian.Uint32(rest))
		if n == 0 || n > maxPayload || n > int64(len(rest)-frameHeader) {
			return frames, fmt.Sprintf("a frame of %d bytes with %d bytes left in the file", n, len(rest)-frameHeader), off
		}
		crc := crc32.Update(0, crcTable, rest[:4])
		crc = crc32.Update(crc, crcTable, rest[frameHeader:frameHeader+n])
		if crc != binary.LittleEndian.Uint32(rest[4:]) {
			return frames, "a checksum mismatch", off
		}
		e, err := decodePayload(rest[frameHeader : frameHeader+n])
		if err != nil {
			return frames, "a frame whose checksum holds but whose payload does not decode", off
		}
		off += frameHeader + n
		frames = append(frames, segmentFrame{e: e, end: off})
	}
	return frames, "", 0
}

// journalPrefix is the segment file name before its number: inbox.db has
// segments inbox.journal.000001, inbox.journal.000002, ….
func journalPrefix(dbPath string) string {
	base := filepath.Base(dbPath)
	return filepath.Join(filepath.Dir(dbPath), strings.TrimSuffix(base, filepath.Ext(base))+".journal.")
}

func segmentName(prefix string, n int64) string { return prefix + fmt.Sprintf("%06d", n) }

// segments lists the journal's segment numbers, oldest first.
func segments(prefix string) ([]int64, error) {
	matches, err := filepath.Glob(prefix + "*")
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, m := range matches {
		n, err := strconv.ParseInt(strings.TrimPrefix(m, prefix), 10, 64)
		if err != nil || n <= 0 {
			continue // a .damaged copy or a stranger
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// createSegment creates segment n with its header. With sync, the header
// and the directory entry reach the disk before the segment is used.
func createSegment(prefix string, n int64, sync bool) (*os.File, error) {
	name := segmentName(prefix, n)
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("inbox: creating the journal segment %s: %w", name, err)
	}
	if _, err := f.Write([]byte(journalMagic)); err != nil {
		f.Close()
		return nil, fmt.Errorf("inbox: writing the journal segment %s: %w", name, err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, fmt.Errorf("inbox: syncing the journal segment %s: %w", name, err)
		}
		syncDir(filepath.Dir(name))
	}
	return f, nil
}

// syncDir makes a created or removed file name durable; some systems cannot
// sync a directory, and then the file's own sync is all there is.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
