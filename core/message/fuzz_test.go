package message

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, returns nil on error, keeps Raw,
// and that a text reply round-trips whatever content it is given.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.xml))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if m != nil {
				t.Fatal("non-nil message with error")
			}
		} else if !bytes.Equal(m.Raw, data) || m.Body == nil {
			t.Fatal("Raw not kept or nil body")
		}
		// The flat fast path reads a document as the general scanner
		// does, errors included.
		g, gerr := parse(data, false)
		if !reflect.DeepEqual(m, g) || fmt.Sprint(err) != fmt.Sprint(gerr) {
			t.Fatalf("%q: fast path %+v %v, general scanner %+v %v", data, m, err, g, gerr)
		}
		content := string(data)
		if !utf8.ValidString(content) {
			// Parse refuses XML that is not UTF-8 (ErrNotUTF8); a reply
			// carries the UTF-8 text it is given.
			if _, err := Parse(NewTextReply("u", "c", 1, content)); !errors.Is(err, ErrNotUTF8) {
				t.Fatalf("a reply with invalid UTF-8 parsed: %v", err)
			}
			return
		}
		r, err := Parse(NewTextReply("u", "c", 1, content))
		if err != nil {
			t.Fatalf("reply does not parse: %v", err)
		}
		if got := r.Body.(*Text).Content; got != content {
			t.Fatalf("content %q, want %q", got, content)
		}
	})
}
