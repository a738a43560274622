// Package jsonlite is a small JSON reader and writer for the few shapes
// wwkit's WebAssembly verifier exchanges (jssdk.Input, jssdk.Result, the
// JS-API catalogue, the sign request). It exists because encoding/json (with
// reflect and fmt) would be the largest part of the WASM bundle after the
// runtime (figure in docs/benchmarks.md).
//
// Parse accepts exactly the JSON that encoding/json accepts and reports
// syntax errors with encoding/json's messages and offsets (SyntaxError.Offset
// is the byte count read when the error was found, as json.SyntaxError's),
// so callers can compute the same line and column. Strings are decoded the
// same way too: invalid UTF-8 and unpaired surrogate escapes become U+FFFD.
// AppendString writes a string the way json.Marshal does (HTML-safe, U+2028
// and U+2029 escaped, invalid UTF-8 replaced). Differential tests and a fuzz
// target in the packages that use it hold both promises against
// encoding/json.
package jsonlite

import (
	"strconv"
	"unicode/utf8"
)

// Kind is the type of a JSON value.
type Kind uint8

// Kinds of Value.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// Name returns the word encoding/json uses for the kind in type errors
// ("number", "string", "bool", "array", "object", "null").
func (k Kind) Name() string {
	switch k {
	case Bool:
		return "bool"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "null"
}

// Value is a parsed JSON value.
type Value struct {
	Kind    Kind
	Text    string   // String: the decoded text; Number: the literal; Bool: "true" or "false"
	Start   int      // offset of the first byte of the value in the input
	End     int      // offset just past the value
	Elems   []Value  // Array elements
	Members []Member // Object members, in input order (duplicates kept)
}

// Member is one key/value pair of an object.
type Member struct {
	Key   string
	Value Value
}

// SyntaxError is a JSON syntax error. Msg and Offset are what
// encoding/json's SyntaxError would hold for the same input.
type SyntaxError struct {
	Msg    string
	Offset int64
}

func (e *SyntaxError) Error() string { return e.Msg }

type parser struct {
	data  []byte
	depth int
}

// Parse parses one JSON value surrounded by optional whitespace.
func Parse(data []byte) (Value, error) {
	p := parser{data: data}
	i := p.space(0)
	v, i, err := p.value(i)
	if err != nil {
		return Value{}, err
	}
	i = p.space(i)
	if i < len(data) {
		return Value{}, p.errAt(i, "after top-level value")
	}
	return v, nil
}

// Valid reports whether data is one valid JSON value.
func Valid(data []byte) bool {
	_, err := Parse(data)
	return err == nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (p *parser) space(i int) int {
	for i < len(p.data) && isSpace(p.data[i]) {
		i++
	}
	return i
}

// errAt reports the character at i (a space past the end, as encoding/json's
// scanner does at EOF) with the scanner's context words.
func (p *parser) errAt(i int, context string) error {
	c := byte(' ')
	off := len(p.data)
	if i < len(p.data) {
		c = p.data[i]
		off = i + 1
	}
	return &SyntaxError{Msg: "invalid character " + quoteChar(c) + " " + context, Offset: int64(off)}
}

func (p *parser) eof() error {
	return &SyntaxError{Msg: "unexpected end of JSON input", Offset: int64(len(p.data))}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

func (p *parser) value(i int) (Value, int, error) {
	if i >= len(p.data) {
		return Value{}, i, p.eof()
	}
	switch c := p.data[i]; {
	case c == '{':
		return p.object(i)
	case c == '[':
		return p.array(i)
	case c == '"':
		s, end, err := p.str(i)
		return Value{Kind: String, Text: s, Start: i, End: end}, end, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number(i)
	case c == 't':
		return p.literal(i, "true", Bool)
	case c == 'f':
		return p.literal(i, "false", Bool)
	case c == 'n':
		return p.literal(i, "null", Null)
	}
	return Value{}, i, p.errAt(i, "looking for beginning of value")
}

func (p *parser) push(i int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(i, "exceeded max depth")
	}
	return nil
}

func (p *parser) object(start int) (Value, int, error) {
	if err := p.push(start); err != nil {
		return Value{}, start, err
	}
	v := Value{Kind: Object, Start: start}
	i := p.space(start + 1)
	if i >= len(p.data) {
		return Value{}, i, p.eof()
	}
	if p.data[i] == '}' {
		p.depth--
		v.End = i + 1
		return v, i + 1, nil
	}
	for {
		if i >= len(p.data) {
			return Value{}, i, p.eof()
		}
		if p.data[i] != '"' {
			return Value{}, i, p.errAt(i, "looking for beginning of object key string")
		}
		key, j, err := p.str(i)
		if err != nil {
			return Value{}, j, err
		}
		j = p.space(j)
		if j >= len(p.data) {
			return Value{}, j, p.eof()
		}
		if p.data[j] != ':' {
			return Value{}, j, p.errAt(j, "after object key")
		}
		j = p.space(j + 1)
		val, j, err := p.value(j)
		if err != nil {
			return Value{}, j, err
		}
		v.Members = append(v.Members, Member{Key: key, Value: val})
		j = p.space(j)
		if j >= len(p.data) {
			return Value{}, j, p.eof()
		}
		switch p.data[j] {
		case ',':
			i = p.space(j + 1)
			continue
		case '}':
			p.depth--
			v.End = j + 1
			return v, j + 1, nil
		}
		return Value{}, j, p.errAt(j, "after object key:value pair")
	}
}

func (p *parser) array(start int) (Value, int, error) {
	if err := p.push(start); err != nil {
		return Value{}, start, err
	}
	v := Value{Kind: Array, Start: start}
	i := p.space(start + 1)
	if i >= len(p.data) {
		return Value{}, i, p.eof()
	}
	if p.data[i] == ']' {
		p.depth--
		v.End = i + 1
		return v, i + 1, nil
	}
	for {
		el, j, err := p.value(i)
		if err != nil {
			return Value{}, j, err
		}
		v.Elems = append(v.Elems, el)
		j = p.space(j)
		if j >= len(p.data) {
			return Value{}, j, p.eof()
		}
		switch p.data[j] {
		case ',':
			i = p.space(j + 1)
			continue
		case ']':
			p.depth--
			v.End = j + 1
			return v, j + 1, nil
		}
		return Value{}, j, p.errAt(j, "after array element")
	}
}

func (p *parser) literal(i int, word string, k Kind) (Value, int, error) {
	for n := 1; n < len(word); n++ {
		if i+n >= len(p.data) || p.data[i+n] != word[n] {
			return Value{}, i + n, p.errAt(i+n, "in literal "+word+" (expecting "+quoteChar(word[n])+")")
		}
	}
	end := i + len(word)
	return Value{Kind: k, Text: word, Start: i, End: end}, end, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) at(i int) byte {
	if i < len(p.data) {
		return p.data[i]
	}
	return ' '
}

func (p *parser) number(start int) (Value, int, error) {
	i := start
	if p.data[i] == '-' {
		i++
	}
	switch c := p.at(i); {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		for i++; isDigit(p.at(i)); i++ {
		}
	default:
		return Value{}, i, p.errAt(i, "in numeric literal")
	}
	if p.at(i) == '.' {
		i++
		if !isDigit(p.at(i)) {
			return Value{}, i, p.errAt(i, "after decimal point in numeric literal")
		}
		for isDigit(p.at(i)) {
			i++
		}
	}
	if c := p.at(i); c == 'e' || c == 'E' {
		i++
		if c := p.at(i); c == '+' || c == '-' {
			i++
		}
		if !isDigit(p.at(i)) {
			return Value{}, i, p.errAt(i, "in exponent of numeric literal")
		}
		for isDigit(p.at(i)) {
			i++
		}
	}
	return Value{Kind: Number, Text: string(p.data[start:i]), Start: start, End: i}, i, nil
}

// str checks and decodes the string literal starting at the quote at i.
func (p *parser) str(i int) (string, int, error) {
	start := i + 1
	plain := true
	for j := start; ; j++ {
		if j >= len(p.data) {
			return "", j, p.eof()
		}
		switch c := p.data[j]; {
		case c == '"':
			if plain {
				return string(p.data[start:j]), j + 1, nil
			}
			return unquote(p.data[start:j]), j + 1, nil
		case c == '\\':
			plain = false
			j++
			if j >= len(p.data) {
				return "", j, p.errAt(j, "in string escape code")
			}
			switch p.data[j] {
			case 'b', 'f', 'n', 'r', 't', '\\', '/', '"':
			case 'u':
				for n := 0; n < 4; n++ {
					j++
					if hexVal(p.at(j)) < 0 {
						return "", j, p.errAt(j, `in \u hexadecimal character escape`)
					}
				}
			default:
				return "", j, p.errAt(j, "in string escape code")
			}
		case c < 0x20:
			return "", j, p.errAt(j, "in string literal")
		case c >= utf8.RuneSelf:
			plain = false
		}
	}
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		h := hexVal(c)
		if h < 0 {
			return -1
		}
		r = r*16 + h
	}
	return r
}

// unquote decodes the body of a string literal already checked by str,
// exactly as encoding/json does.
func unquote(s []byte) string {
	b := make([]byte, 0, len(s)+8)
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch e := s[r+1]; e {
			case '"', '\\', '/', '\'':
				b = append(b, e)
				r += 2
			case 'b':
				b = append(b, '\b')
				r += 2
			case 'f':
				b = append(b, '\f')
				r += 2
			case 'n':
				b = append(b, '\n')
				r += 2
			case 'r':
				b = append(b, '\r')
				r += 2
			case 't':
				b = append(b, '\t')
				r += 2
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if rr >= 0xd800 && rr < 0xe000 {
					if rr < 0xdc00 {
						if rr1 := getu4(s[r:]); rr1 >= 0xdc00 && rr1 < 0xe000 {
							b = utf8.AppendRune(b, (rr-0xd800)<<10|(rr1-0xdc00)+0x10000)
							r += 6
							break
						}
					}
					rr = utf8.RuneError
				}
				b = utf8.AppendRune(b, rr)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string exactly as json.Marshal writes it:
// <, > and & as \u003c, \u003e, \u0026, U+2028/U+2029 escaped, invalid
// UTF-8 replaced by U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Writer helps write a JSON object with fields in a fixed order.
type Writer struct {
	B     []byte
	first bool
}

// Begin starts an object on b.
func Begin(b []byte) Writer { return Writer{B: append(b, '{'), first: true} }

// Key writes the separator and the key of the next member.
func (o *Writer) Key(k string) {
	if !o.first {
		o.B = append(o.B, ',')
	}
	o.first = false
	o.B = AppendString(o.B, k)
	o.B = append(o.B, ':')
}

// String writes a string member.
func (o *Writer) String(k, v string) {
	o.Key(k)
	o.B = AppendString(o.B, v)
}

// Bool writes a bool member.
func (o *Writer) Bool(k string, v bool) {
	o.Key(k)
	o.B = strconv.AppendBool(o.B, v)
}

// End closes the object and returns the bytes.
func (o *Writer) End() []byte { return append(o.B, '}') }
