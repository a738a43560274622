package jsonlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// seeds are inputs whose parse outcome must equal encoding/json's.
var seeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e9`, `-1E+2`, `"a"`, ` {"a" : [1, "b", null, true, {"c": {}}]} `,
	``, ` `, `{`, `[`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `[1`, `[1,`, `"abc`, `"\`, `"\u12`, `-`, `1.`, `1e`, `1e+`, `[-`, `[1.`, `tr`, `[tr`, `nul`, `f`,
	`{,}`, `{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `[1,]`, `{"a":1,}`, `1 2`, `01`, `-a`, `1.a`, `1ea`, `tx`, `nulx`, `fals`, `"a\x"`, `"\uzzzz"`, "\"a\x01\"", `'a'`, "\xff", `{"a":1}x`,
	`"\ud800"`, `"\ud800\udc00"`, `"\udc00\ud800"`, `"\ud800\u0041"`, `"\ud800x"`, "\"\xff\xfe\"", `"\u00e9\/\b\f\n\r\t\\\""`, "\"é中\"",
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), strings.Repeat("[", 10000) + strings.Repeat("]", 10000), strings.Repeat("{\"a\":", 10001),
}

func checkSame(t *testing.T, data []byte) {
	t.Helper()
	// Validity from a json.RawMessage: syntax only. Decoding into any would
	// also reject numbers out of float64's range (1e700), which is not a
	// syntax error and which jsonlite keeps as their literal.
	var raw json.RawMessage
	var std any
	stdErr := json.Unmarshal(data, &raw)
	if stdErr == nil {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		std = nil
		_ = dec.Decode(&std)
	}
	v, err := Parse(data)
	if (err == nil) != (stdErr == nil) {
		t.Fatalf("%q: jsonlite err %v, encoding/json err %v", data, err, stdErr)
	}
	if err != nil {
		var se *json.SyntaxError
		var le *SyntaxError
		if !errors.As(stdErr, &se) || !errors.As(err, &le) {
			t.Fatalf("%q: want syntax errors, got %T %v and %T %v", data, err, err, stdErr, stdErr)
		}
		if le.Msg != se.Error() || le.Offset != se.Offset {
			t.Fatalf("%q: jsonlite %q at %d, encoding/json %q at %d", data, le.Msg, le.Offset, se.Error(), se.Offset)
		}
		return
	}
	if got, want := toAny(v), std; !equal(got, want) {
		t.Fatalf("%q: jsonlite %#v, encoding/json %#v", data, got, want)
	}
}

// toAny converts a Value into what encoding/json decodes into any (numbers as
// their literal, since float64 would hide differences).
func toAny(v Value) any {
	switch v.Kind {
	case Bool:
		return v.Text == "true"
	case Number:
		return json.Number(v.Text)
	case String:
		return v.Text
	case Array:
		out := make([]any, len(v.Elems))
		for i, e := range v.Elems {
			out[i] = toAny(e)
		}
		return out
	case Object:
		out := map[string]any{}
		for _, m := range v.Members {
			out[m.Key] = toAny(m.Value)
		}
		return out
	}
	return nil
}

func equal(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return string(ab) == string(bb)
}

func TestParseMatchesEncodingJSON(t *testing.T) {
	for _, s := range seeds {
		if runtime.GOOS == "js" && len(s) > 1000 {
			// The 10000-deep seeds: the js build stops at depth 2000
			// (depth_js.go); TestDepth covers the limit on every platform.
			continue
		}
		checkSame(t, []byte(s))
	}
}

func TestDepth(t *testing.T) {
	for _, tc := range []struct {
		n   int
		err string
	}{{maxDepth, ""}, {maxDepth + 1, "invalid character '[' exceeded max depth"}} {
		_, err := Parse([]byte(strings.Repeat("[", tc.n) + strings.Repeat("]", tc.n)))
		if (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("depth %d: err %v, want %q", tc.n, err, tc.err)
		}
		var se *SyntaxError
		if errors.As(err, &se) && se.Offset != int64(maxDepth+1) {
			t.Errorf("depth %d: offset %d, want %d", tc.n, se.Offset, maxDepth+1)
		}
	}
}

func TestValueOffsets(t *testing.T) {
	tests := []struct {
		in         string
		start, end int
	}{
		{`{"a": 12 }`, 6, 8},
		{`{"a": "x\n" }`, 6, 11},
		{`{"a": [1, 2] }`, 6, 12},
		{`{"a": {"b": null} }`, 6, 17},
	}
	for _, tc := range tests {
		v, err := Parse([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		m := v.Members[0].Value
		if m.Start != tc.start || m.End != tc.end {
			t.Errorf("%s: value at [%d,%d), want [%d,%d)", tc.in, m.Start, m.End, tc.start, tc.end)
		}
	}
}

func TestAppendStringMatchesMarshal(t *testing.T) {
	for _, s := range []string{"", "plain", `"quote" \back`, "<a href=\"x\">&amp;</a>", "ctl\x00\x01\x1f\x7f", "\b\f\n\r\t", "中文 é", "\u2028\u2029", "bad\xff\xfeutf8", "\xed\xa0\x80", "\ufffd"} {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, json.Marshal = %s", s, got, want)
		}
	}
}

func TestWriter(t *testing.T) {
	w := Begin(nil)
	w.Bool("ok", true)
	w.String("s", "<x>")
	if got := string(w.End()); got != `{"ok":true,"s":"\u003cx\u003e"}` {
		t.Errorf("got %s", got)
	}
}

// FuzzParse: for any input, Parse agrees with encoding/json on validity, the
// syntax error message and offset, and the decoded value; AppendString
// agrees with json.Marshal.
func FuzzParse(f *testing.F) {
	for _, s := range seeds {
		if len(s) < 1000 {
			f.Add([]byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSame(t, data)
		want, _ := json.Marshal(string(data))
		if got := AppendString(nil, string(data)); string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal = %s", data, got, want)
		}
	})
}
