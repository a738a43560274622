// Package xmlscan is a small hand-written scanner for the flat XML documents
// WeCom (企业微信) and WeChat Official Accounts (公众号) exchange in callbacks:
// a root element whose children are text elements (CDATA or plain text) or,
// for a few events, shallow nested elements.
//
// It never uses reflection, never allocates on the fast path (elements are
// reported as offsets into the input) and rejects DOCTYPE and entity
// declarations, so XML bombs and external entities cannot be expressed.
// Attributes are skipped. Element names are compared byte-wise.
package xmlscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"unicode/utf8"
)

// MaxDepth is the deepest element nesting the scanner accepts.
const MaxDepth = 32

// Errors returned by the scanner. They are wrapped with the byte offset.
var (
	ErrSyntax   = errors.New("xmlscan: malformed xml")
	ErrDoctype  = errors.New("xmlscan: DOCTYPE and entity declarations are not allowed (possible XML bomb)")
	ErrDepth    = errors.New("xmlscan: elements nested too deeply")
	ErrEntity   = errors.New("xmlscan: unknown or malformed character entity")
	ErrNoRoot   = errors.New("xmlscan: no root element")
	ErrTrailing = errors.New("xmlscan: content after the root element")
)

// Error is a scanner error with the byte offset where it was found.
type Error struct {
	Offset int
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() + " at byte " + strconv.Itoa(e.Offset) }
func (e *Error) Unwrap() error { return e.Err }

func fail(off int, err error) error { return &Error{Offset: off, Err: err} }

// Elem is one element: its name and the byte range [Start, End) of its
// content (between the start and end tags) in the scanned document.
// NameStart is the offset of Name in the document, so that callers can keep
// an element as offsets only. CDATA reports that the content is exactly one
// CDATA section, whose text is [Start+9, End-3): the usual shape of a
// Tencent field, which then needs no second look (see SimpleText).
type Elem struct {
	Name       []byte
	NameStart  int
	Start, End int
	CDATA      bool
}

// cdataOpen8 is the first eight bytes of cdataOpen as a little-endian
// word, for a one-comparison test.
const cdataOpen8 = uint64('<') | uint64('!')<<8 | uint64('[')<<16 | uint64('C')<<24 |
	uint64('D')<<32 | uint64('A')<<40 | uint64('T')<<48 | uint64('A')<<56

var (
	cdataOpen  = []byte("<![CDATA[")
	cdataClose = []byte("]]>")
	commentEnd = []byte("-->")
	piEnd      = []byte("?>")
)

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// nameStop marks the bytes that end a tag name: whitespace, '/' and '>'
// end it, '<', quotes and '=' are errors there. A table lookup per byte
// keeps the name scan, which runs for every element, short.
var nameStop = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '/': true, '>': true, '<': true, '"': true, '\'': true, '=': true}

// skipMisc skips whitespace, comments and processing instructions from i and
// returns the offset of the next significant byte. It rejects DOCTYPE.
func skipMisc(d []byte, i int) (int, error) {
	for i < len(d) {
		c := d[i]
		if isSpace(c) {
			i++
			continue
		}
		if c != '<' || i+1 >= len(d) {
			return i, nil
		}
		switch d[i+1] {
		case '?':
			j := bytes.Index(d[i+2:], piEnd)
			if j < 0 {
				return 0, fail(i, ErrSyntax)
			}
			i += 2 + j + 2
		case '!':
			if bytes.HasPrefix(d[i:], []byte("<!--")) {
				j := bytes.Index(d[i+4:], commentEnd)
				if j < 0 {
					return 0, fail(i, ErrSyntax)
				}
				i += 4 + j + 3
				continue
			}
			if bytes.HasPrefix(d[i:], cdataOpen) {
				return i, nil
			}
			return 0, fail(i, ErrDoctype)
		default:
			return i, nil
		}
	}
	return i, nil
}

// startTag parses a start tag at d[i] == '<'. It returns the name, the offset
// just after the tag and whether it was self-closing.
func startTag(d []byte, i int) (name []byte, next int, selfClose bool, err error) {
	j := i + 1
	for j < len(d) && !nameStop[d[j]] {
		j++
	}
	if j < len(d) {
		switch d[j] {
		case '<', '"', '\'', '=':
			return nil, 0, false, fail(j, ErrSyntax)
		}
	}
	if j == i+1 || j >= len(d) {
		return nil, 0, false, fail(i, ErrSyntax)
	}
	name = d[i+1 : j]
	// Skip attributes, honouring quotes.
	var quote byte
	for ; j < len(d); j++ {
		c := d[j]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
		case '<':
			return nil, 0, false, fail(j, ErrSyntax)
		case '>':
			return name, j + 1, d[j-1] == '/', nil
		}
	}
	return nil, 0, false, fail(i, ErrSyntax)
}

// findEnd scans element content starting at i (just after the start tag of
// an element named name at nesting level depth) and returns the offset of
// its end tag and the offset after it, plus whether the content holds child
// elements.
func findEnd(d []byte, i int, name []byte, depth int) (end, next int, children bool, err error) {
	level := 0
	for {
		// Markup usually follows markup directly (a CDATA section after
		// the start tag, the end tag after it): look at the next byte
		// before searching.
		if i >= len(d) || d[i] != '<' {
			k := bytes.IndexByte(d[i:], '<')
			if k < 0 {
				return 0, 0, false, fail(len(d), ErrSyntax)
			}
			i += k
		}
		if i+1 >= len(d) {
			return 0, 0, false, fail(i, ErrSyntax)
		}
		switch d[i+1] {
		case '!':
			if bytes.HasPrefix(d[i:], cdataOpen) {
				j := bytes.Index(d[i+len(cdataOpen):], cdataClose)
				if j < 0 {
					return 0, 0, false, fail(i, ErrSyntax)
				}
				i += len(cdataOpen) + j + len(cdataClose)
				continue
			}
			if bytes.HasPrefix(d[i:], []byte("<!--")) {
				j := bytes.Index(d[i+4:], commentEnd)
				if j < 0 {
					return 0, 0, false, fail(i, ErrSyntax)
				}
				i += 4 + j + 3
				continue
			}
			return 0, 0, false, fail(i, ErrDoctype)
		case '?':
			j := bytes.Index(d[i+2:], piEnd)
			if j < 0 {
				return 0, 0, false, fail(i, ErrSyntax)
			}
			i += 2 + j + 2
		case '/':
			j := i + 2
			// The usual case, the element's own end tag written tightly,
			// is checked in one comparison.
			if level == 0 && len(d) > j+len(name) && d[j+len(name)] == '>' && bytes.Equal(d[j:j+len(name)], name) {
				return i, j + len(name) + 1, children, nil
			}
			for j < len(d) && d[j] != '>' && !isSpace(d[j]) {
				j++
			}
			en := d[i+2 : j]
			for j < len(d) && isSpace(d[j]) {
				j++
			}
			if j >= len(d) || d[j] != '>' {
				return 0, 0, false, fail(i, ErrSyntax)
			}
			if level == 0 {
				if !bytes.Equal(en, name) {
					return 0, 0, false, fail(i, ErrSyntax)
				}
				return i, j + 1, children, nil
			}
			level--
			i = j + 1
		default:
			_, nx, sc, err := startTag(d, i)
			if err != nil {
				return 0, 0, false, err
			}
			children = true
			if !sc {
				level++
				if depth+level > MaxDepth {
					return 0, 0, false, fail(i, ErrDepth)
				}
			}
			i = nx
		}
	}
}

// Root finds the document's root element. Only whitespace, comments and
// processing instructions may surround it.
//
// When the document ends with the root's end tag, Root takes that tag as the
// end without scanning the content; the content is then validated by
// iterating the children (Children reports any malformed markup), so callers
// must iterate all children and check Err, as the wwkit parsers do.
// Otherwise the content is scanned to find the end.
func Root(d []byte) (Elem, error) {
	// The form WeCom and Official Accounts write, <xml>…</xml> with
	// nothing around it, is recognised in two comparisons; it is what the
	// general steps below find for it.
	if n := len(d); n >= len("<xml></xml>") && string(d[:5]) == "<xml>" && string(d[n-6:]) == "</xml>" {
		return Elem{Name: d[1:4:4], NameStart: 1, Start: 5, End: n - 6}, nil
	}
	i, err := skipMisc(d, 0)
	if err != nil {
		return Elem{}, err
	}
	if i >= len(d) || d[i] != '<' || bytes.HasPrefix(d[i:], cdataOpen) {
		return Elem{}, fail(i, ErrNoRoot)
	}
	name, nx, sc, err := startTag(d, i)
	if err != nil {
		return Elem{}, err
	}
	e := Elem{Name: name, NameStart: i + 1, Start: nx, End: nx}
	if !sc {
		if end, ok := trailingEndTag(d, nx, name); ok {
			e.End = end
			return e, nil
		}
		end, after, _, err := findEnd(d, nx, name, 1)
		if err != nil {
			return Elem{}, err
		}
		e.End = end
		nx = after
	}
	j, err := skipMisc(d, nx)
	if err != nil {
		return Elem{}, err
	}
	if j != len(d) {
		return Elem{}, fail(j, ErrTrailing)
	}
	return e, nil
}

// trailingEndTag reports whether d, minus trailing whitespace, ends with
// "</name>" (optionally "</name >") at or after start, and where it begins.
func trailingEndTag(d []byte, start int, name []byte) (int, bool) {
	j := len(d)
	for j > start && isSpace(d[j-1]) {
		j--
	}
	if j <= start || d[j-1] != '>' {
		return 0, false
	}
	j--
	for j > start && isSpace(d[j-1]) {
		j--
	}
	k := j - len(name) - 2
	if k < start || d[k] != '<' || d[k+1] != '/' || !bytes.Equal(d[k+2:j], name) {
		return 0, false
	}
	return k, true
}

// rootSlow is Root without the trailing end tag shortcut (for tests).
func rootSlow(d []byte) (Elem, error) {
	i, err := skipMisc(d, 0)
	if err != nil {
		return Elem{}, err
	}
	if i >= len(d) || d[i] != '<' || bytes.HasPrefix(d[i:], cdataOpen) {
		return Elem{}, fail(i, ErrNoRoot)
	}
	name, nx, sc, err := startTag(d, i)
	if err != nil {
		return Elem{}, err
	}
	e := Elem{Name: name, NameStart: i + 1, Start: nx, End: nx}
	if !sc {
		end, after, _, err := findEnd(d, nx, name, 1)
		if err != nil {
			return Elem{}, err
		}
		e.End = end
		nx = after
	}
	j, err := skipMisc(d, nx)
	if err != nil {
		return Elem{}, err
	}
	if j != len(d) {
		return Elem{}, fail(j, ErrTrailing)
	}
	return e, nil
}

// Children iterates over the child elements of the content range
// [start, end) of d. Text between children is ignored.
type Children struct {
	d     []byte
	pos   int
	end   int
	depth int
	err   error
}

// NewChildren returns an iterator over the children of parent. depth is the
// nesting level of parent (1 for the root).
func NewChildren(d []byte, parent Elem, depth int) *Children {
	return &Children{d: d[:parent.End], pos: parent.Start, end: parent.End, depth: depth}
}

// Iter is a value form of Children that avoids an allocation.
func Iter(d []byte, parent Elem, depth int) Children {
	return Children{d: d[:parent.End], pos: parent.Start, end: parent.End, depth: depth}
}

// Next returns the next child element. ok is false at the end or on error;
// check Err afterwards.
func (c *Children) Next() (e Elem, hasChildren, ok bool) {
	if c.err != nil {
		return Elem{}, false, false
	}
	d := c.d
	for c.pos < c.end {
		i := c.pos
		if d[i] != '<' {
			k := bytes.IndexByte(d[i:], '<')
			if k < 0 {
				c.pos = c.end
				break
			}
			i += k
		}
		if i+1 >= len(d) {
			c.err = fail(i, ErrSyntax)
			return Elem{}, false, false
		}
		switch d[i+1] {
		case '!', '?':
			if bytes.HasPrefix(d[i:], cdataOpen) {
				j := bytes.Index(d[i+len(cdataOpen):], cdataClose)
				if j < 0 {
					c.err = fail(i, ErrSyntax)
					return Elem{}, false, false
				}
				c.pos = i + len(cdataOpen) + j + len(cdataClose)
				continue
			}
			j, err := skipMisc(d, i)
			if err != nil {
				c.err = err
				return Elem{}, false, false
			}
			if j == i {
				c.err = fail(i, ErrSyntax)
				return Elem{}, false, false
			}
			c.pos = j
			continue
		case '/':
			c.err = fail(i, ErrSyntax)
			return Elem{}, false, false
		}
		if c.depth+1 > MaxDepth {
			c.err = fail(i, ErrDepth)
			return Elem{}, false, false
		}
		name, nx, sc, err := startTag(d, i)
		if err != nil {
			c.err = err
			return Elem{}, false, false
		}
		if sc {
			c.pos = nx
			return Elem{Name: name, NameStart: i + 1, Start: nx, End: nx}, false, true
		}
		// The usual child, <Name><![CDATA[…]]></Name>, is recognised
		// directly; anything else is scanned in full.
		if bytes.HasPrefix(d[nx:], cdataOpen) {
			if j := bytes.Index(d[nx+len(cdataOpen):], cdataClose); j >= 0 {
				k := nx + len(cdataOpen) + j + len(cdataClose)
				if e := k + 2 + len(name); e < len(d) && d[k] == '<' && d[k+1] == '/' && d[e] == '>' && bytes.Equal(d[k+2:e], name) {
					c.pos = e + 1
					return Elem{Name: name, NameStart: i + 1, Start: nx, End: k, CDATA: true}, false, true
				}
			}
		}
		end, after, ch, err := findEnd(d, nx, name, c.depth+1)
		if err != nil {
			c.err = err
			return Elem{}, false, false
		}
		c.pos = after
		return Elem{Name: name, NameStart: i + 1, Start: nx, End: end}, ch, true
	}
	return Elem{}, false, false
}

// Err reports the first error met by Next.
func (c *Children) Err() error { return c.err }

// Field is a child element read by Flat: its name is d[NameStart:NameEnd]
// and its text d[Start:End] (inside the CDATA markers when it is a CDATA
// section). Offsets are int32 so that a list of fields stays small; Flat
// declines documents of 2 GiB or more.
type Field struct{ NameStart, NameEnd, Start, End int32 }

// Flat reads the children of parent when its content has the form WeCom
// and Official Accounts write: only child elements, separated by nothing
// but whitespace, each written <Name>text</Name> with no attributes, the
// text being one CDATA section or character data without markup or entity
// references. It appends them to dst in document order and reports true;
// they are the children Children gives for that content, with the names and
// texts Text gives, and none has children of its own.
//
// false means only that the content is not of that form: it may still be
// well-formed (comments, attributes, entities, nested elements, …), so read
// it with Children, which also reports the errors. dst is then returned
// unchanged, as it is when the children do not fit in dst's capacity:
// Flat never allocates. It never reports an error itself, which keeps the
// errors of a document the same whichever path read it.
func Flat(d []byte, parent Elem, dst []Field) ([]Field, bool) {
	n0 := len(dst)
	end := parent.End
	if parent.Start < 0 || parent.Start > end || end > len(d) || len(d) >= 1<<31 {
		return dst, false
	}
	d = d[:end]
	i := parent.Start
	for {
		for i < end && isSpace(d[i]) {
			i++
		}
		if i == end {
			return dst, true
		}
		if d[i] != '<' {
			return dst[:n0], false
		}
		// The name runs to the first byte that ends one; it must be '>'
		// (no attributes, not self-closing). '/' ends a name at once, so
		// an end tag never passes; '!' and '?' start comments, CDATA and
		// processing instructions, which Children reads.
		ns := i + 1
		j := ns
		for j < end && !nameStop[d[j]] {
			j++
		}
		if j == ns || j == end || d[j] != '>' || d[ns] == '!' || d[ns] == '?' {
			return dst[:n0], false
		}
		vs, ve, tag := j+1, 0, 0
		if vs+len(cdataOpen) <= end && binary.LittleEndian.Uint64(d[vs:]) == cdataOpen8 && d[vs+8] == '[' {
			// The text runs to the first "]]>"; the search is for ']',
			// which base64 and most text do not hold.
			vs += len(cdataOpen)
			k := vs
			for {
				x := bytes.IndexByte(d[k:], ']')
				if x < 0 {
					return dst[:n0], false
				}
				k += x
				if k+2 < end && d[k+1] == ']' && d[k+2] == '>' {
					break
				}
				k++
			}
			ve, tag = k, k+len(cdataClose)
		} else {
			k := vs
			for k < end && d[k] != '<' && d[k] != '&' {
				k++
			}
			if k == end || d[k] != '<' {
				return dst[:n0], false
			}
			ve, tag = k, k
		}
		// The end tag, written tightly: </Name>.
		e := tag + 2 + (j - ns)
		if e >= end || d[tag] != '<' || d[tag+1] != '/' || d[e] != '>' || string(d[tag+2:e]) != string(d[ns:j]) {
			return dst[:n0], false
		}
		if len(dst) == cap(dst) {
			return dst[:n0], false
		}
		dst = append(dst, Field{int32(ns), int32(j), int32(vs), int32(ve)})
		i = e + 1
	}
}

// SimpleText reports whether the content [start, end) is one CDATA section
// or plain text without entities; if so it returns the range of the value.
func SimpleText(d []byte, start, end int) (s, e int, ok bool) {
	c := d[start:end]
	if bytes.HasPrefix(c, cdataOpen) && bytes.HasSuffix(c, cdataClose) && len(c) >= len(cdataOpen)+len(cdataClose) {
		in := c[len(cdataOpen) : len(c)-len(cdataClose)]
		if bytes.Index(in, cdataClose) < 0 {
			return start + len(cdataOpen), end - len(cdataClose), true
		}
		return 0, 0, false
	}
	if bytes.IndexByte(c, '<') < 0 && bytes.IndexByte(c, '&') < 0 {
		return start, end, true
	}
	return 0, 0, false
}

// Text returns the character data of the content [start, end): CDATA
// sections verbatim, plain text with the predefined and numeric entities
// decoded. Child elements, comments and processing instructions are skipped.
// It allocates only when the content is not a single simple run.
func Text(d []byte, start, end int) ([]byte, error) {
	if s, e, ok := SimpleText(d, start, end); ok {
		return d[s:e], nil
	}
	var out []byte
	i := start
	for i < end {
		c := d[i]
		switch c {
		case '<':
			if bytes.HasPrefix(d[i:end], cdataOpen) {
				j := bytes.Index(d[i+len(cdataOpen):end], cdataClose)
				if j < 0 {
					return nil, fail(i, ErrSyntax)
				}
				out = append(out, d[i+len(cdataOpen):i+len(cdataOpen)+j]...)
				i += len(cdataOpen) + j + len(cdataClose)
				continue
			}
			// Skip a nested element, comment or PI entirely.
			if bytes.HasPrefix(d[i:end], []byte("<!--")) {
				j := bytes.Index(d[i+4:end], commentEnd)
				if j < 0 {
					return nil, fail(i, ErrSyntax)
				}
				i += 4 + j + 3
				continue
			}
			if i+1 < end && d[i+1] == '?' {
				j := bytes.Index(d[i+2:end], piEnd)
				if j < 0 {
					return nil, fail(i, ErrSyntax)
				}
				i += 2 + j + 2
				continue
			}
			if i+1 < end && d[i+1] == '!' {
				return nil, fail(i, ErrDoctype)
			}
			name, nx, sc, err := startTag(d[:end], i)
			if err != nil {
				return nil, err
			}
			if sc {
				i = nx
				continue
			}
			_, after, _, err := findEnd(d[:end], nx, name, 1)
			if err != nil {
				return nil, err
			}
			i = after
		case '&':
			j := bytes.IndexByte(d[i:end], ';')
			if j < 0 || j > 12 {
				return nil, fail(i, ErrEntity)
			}
			r, ok := entity(d[i+1 : i+j])
			if !ok {
				return nil, fail(i, ErrEntity)
			}
			out = utf8.AppendRune(out, r)
			i += j + 1
		default:
			out = append(out, c)
			i++
		}
	}
	if out == nil {
		out = []byte{}
	}
	return out, nil
}

func entity(n []byte) (rune, bool) {
	switch string(n) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(n) < 2 || n[0] != '#' {
		return 0, false
	}
	base, digits := 10, n[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || v > utf8.MaxRune || !utf8.ValidRune(rune(v)) || v == 0 {
		return 0, false
	}
	return rune(v), true
}

// AppendCDATA appends s as character data wrapped in CDATA. A "]]>" inside
// s is split across two CDATA sections so the output stays well-formed.
func AppendCDATA(dst []byte, s string) []byte {
	dst = append(dst, "<![CDATA["...)
	for {
		i := indexString(s, "]]>")
		if i < 0 {
			break
		}
		dst = append(dst, s[:i+2]...)
		dst = append(dst, "]]><![CDATA["...)
		s = s[i+2:]
	}
	dst = append(dst, s...)
	return append(dst, "]]>"...)
}

func indexString(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
