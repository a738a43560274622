package xmlscan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// stdChild is a child of the root as encoding/xml reads it.
type stdChild struct {
	name   string
	text   string
	nested bool
}

// errNotComparable marks documents outside what the two parsers are meant to
// agree on (see stdRoot).
var errNotComparable = errors.New("not comparable")

// stdRoot reads d with encoding/xml in strict mode and returns the root's
// name and children the way scan does. encoding/xml is a token stream, so
// the rules xmlscan adds for a document are applied here: one root, nothing
// but space, comments and PIs outside it, no DOCTYPE, at most MaxDepth
// levels. Documents whose element names carry a namespace prefix are not
// compared (encoding/xml resolves prefixes; xmlscan compares names as
// bytes, which is what Tencent's flat documents need).
func stdRoot(d []byte) (string, []stdChild, error) {
	dec := xml.NewDecoder(bytes.NewReader(d))
	dec.Strict = true
	var (
		root     string
		kids     []stdChild
		depth    int
		rootDone bool
		text     strings.Builder
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != "" || strings.Contains(t.Name.Local, ":") {
				return "", nil, errNotComparable
			}
			if rootDone {
				return "", nil, ErrTrailing
			}
			depth++
			if depth > MaxDepth {
				return "", nil, ErrDepth
			}
			switch depth {
			case 1:
				root = t.Name.Local
			case 2:
				kids = append(kids, stdChild{name: t.Name.Local})
				text.Reset()
			case 3:
				kids[len(kids)-1].nested = true
			}
		case xml.EndElement:
			if depth == 2 {
				kids[len(kids)-1].text = text.String()
			}
			depth--
			if depth == 0 {
				rootDone = true
			}
		case xml.CharData:
			switch {
			case depth == 0 && len(bytes.TrimLeft(t, " \t\r\n")) > 0:
				if rootDone {
					return "", nil, ErrTrailing
				}
				return "", nil, ErrSyntax
			case depth == 2:
				text.Write(t)
			}
		case xml.Directive:
			return "", nil, ErrDoctype
		}
	}
	if root == "" {
		return "", nil, ErrNoRoot
	}
	return root, kids, nil
}

// xmlChars reports whether s holds only characters XML 1.0 allows
// (encoding/xml rejects the others; xmlscan passes them through, since the
// values are handed on as they are and never re-parsed).
func xmlChars(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0xFFFE && r <= 0xFFFF) {
			return false
		}
	}
	return true
}

// FuzzAgainstEncodingXML is the differential test against encoding/xml:
// every document encoding/xml accepts (within xmlscan's rules, stdRoot),
// xmlscan accepts too, with the same root, the same children in order and
// the same text. xmlscan may accept more (it skips attributes unchecked and
// does not validate names), never read the same document differently.
// Known, deliberate differences are normalised, each with its
// reason: encoding/xml turns CR LF and CR into LF (XML's end-of-line
// handling), xmlscan keeps the bytes Tencent sent; control characters and
// invalid UTF-8 are passed through by xmlscan and refused by encoding/xml.
func FuzzAgainstEncodingXML(f *testing.F) {
	for _, s := range []string{
		`<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 <b>&amp;]]></Content></xml>`,
		`<?xml version="1.0" encoding="UTF-8"?><xml><A>a&lt;&gt;&amp;&apos;&quot;&#65;&#x42;</A><B x="1"/><C><D>1</D></C></xml>`,
		"<xml>\n  <A> <![CDATA[x]]> y </A>\n  <!-- c --><?pi x?>\n</xml>\n",
		`<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>`,
		`<!DOCTYPE x><xml/>`,
		`<xml><A>1</B></xml>`,
		`<xml/><more/>`,
		"<xml><A>line1\r\nline2</A></xml>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		got, err := scan(t, string(d))
		root := ""
		if r, rerr := Root(d); rerr == nil {
			root = string(r.Name)
		}
		sroot, want, serr := stdRoot(d)
		if errors.Is(serr, errNotComparable) || !xmlChars(string(d)) {
			return
		}
		if serr != nil {
			// xmlscan is lenient where Tencent's documents never go
			// (attributes are skipped unchecked, names are not validated):
			// refusing less is allowed, reading differently is not.
			return
		}
		if err != nil {
			t.Fatalf("encoding/xml accepts what xmlscan refuses (%v):\n%q\nencoding/xml: %q %+v", err, d, sroot, want)
		}
		if root != sroot || len(got) != len(want) {
			t.Fatalf("%q:\nxmlscan      %q %+v\nencoding/xml %q %+v", d, root, got, sroot, want)
		}
		eol := strings.NewReplacer("\r\n", "\n", "\r", "\n")
		for i := range got {
			g, w := got[i], want[i]
			if g.name != w.name || g.nested != w.nested || (!g.nested && eol.Replace(g.text) != w.text) {
				t.Fatalf("%q: child %d:\nxmlscan      %+v\nencoding/xml %+v", d, i, g, w)
			}
		}
	})
}
