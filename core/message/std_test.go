package message

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// stdFields reads the root's children with encoding/xml in strict mode, as
// a user's handler would with xml.Unmarshal: for each name, the text of its
// last occurrence (a later element overwrites an earlier one) and whether
// that one has child elements. ok is false when encoding/xml refuses the
// document or it is outside what Parse is meant to read the same way (more
// than one root, a DOCTYPE, a namespace prefix, a CDATA section outside
// the root: not well-formed XML, which encoding/xml reads as white space
// and Parse refuses; bytes that are not UTF-8, which encoding/xml lets pass
// in comments and Parse refuses anywhere, see ErrNotUTF8).
func stdFields(d []byte) (root string, last map[string]string, nested map[string]bool, ok bool) {
	if !utf8.Valid(d) {
		return "", nil, nil, false
	}
	dec := xml.NewDecoder(bytes.NewReader(d))
	dec.Strict = true
	last, nested = map[string]string{}, map[string]bool{}
	depth, roots := 0, 0
	var name string
	var text strings.Builder
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != "" {
				return "", nil, nil, false
			}
			depth++
			switch depth {
			case 1:
				roots++
				root = t.Name.Local
			case 2:
				name = t.Name.Local
				text.Reset()
				nested[name] = false
			case 3:
				nested[name] = true
			}
		case xml.EndElement:
			if depth == 2 {
				last[name] = text.String()
			}
			depth--
		case xml.CharData:
			if depth == 2 {
				text.Write(t)
			} else if depth == 0 && (len(bytes.TrimSpace(t)) > 0 || bytes.Contains(d[off:dec.InputOffset()], []byte("<![CDATA["))) {
				return "", nil, nil, false
			}
		case xml.Directive:
			return "", nil, nil, false
		}
	}
	return root, last, nested, roots == 1
}

// FuzzParseAgainstEncodingXML: for a document encoding/xml reads, Parse
// gives the header fields and a text message's Content that xml.Unmarshal
// into a struct would give (the last occurrence of a repeated element),
// CreateTime, MsgId and AgentID as their decimal values. CR LF is compared
// as LF (encoding/xml's end-of-line handling; Parse keeps the bytes).
func FuzzParseAgainstEncodingXML(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.xml))
	}
	f.Add([]byte("<xml><ToUserName>a</ToUserName><ToUserName>b</ToUserName><MsgType>text</MsgType><Content>1</Content><Content>2</Content></xml>"))
	f.Fuzz(func(t *testing.T, d []byte) {
		_, last, nested, ok := stdFields(d)
		if !ok {
			return
		}
		m, err := Parse(d)
		if err != nil {
			t.Fatalf("encoding/xml reads %q, Parse refuses it: %v", d, err)
		}
		eol := strings.NewReplacer("\r\n", "\n", "\r", "\n")
		check := func(field, got string) {
			want, present := last[field]
			if nested[field] {
				return // an element with children: no text to compare
			}
			if !present {
				want = ""
			}
			if eol.Replace(got) != want {
				t.Fatalf("%q: %s = %q, encoding/xml %q", d, field, got, want)
			}
		}
		check("ToUserName", m.ToUserName)
		check("FromUserName", m.FromUserName)
		check("MsgType", m.MsgType)
		check("Event", m.Event)
		check("EventKey", m.EventKey)
		check("MsgId", m.MsgIDText)
		if txt, ok := m.Body.(*Text); ok {
			check("Content", txt.Content)
		}
		if si, ok := m.Body.(*SuiteInfo); ok {
			// InfoType is trimmed on purpose (Tencent's sample pads it).
			if want := strings.TrimSpace(eol.Replace(last["InfoType"])); !nested["InfoType"] && si.InfoType != want {
				t.Fatalf("%q: InfoType = %q, encoding/xml %q", d, si.InfoType, want)
			}
			check("SuiteId", si.SuiteID)
			check("AuthCorpId", si.AuthCorpID)
			check("SuiteTicket", si.SuiteTicket)
			check("AuthCode", si.AuthCode)
			check("State", si.State)
		}
		num := func(field string, got int64) {
			if nested[field] {
				return
			}
			want, err := strconv.ParseInt(strings.TrimSpace(last[field]), 10, 64)
			if err != nil {
				want = 0
			}
			if got != want {
				t.Fatalf("%q: %s = %d, encoding/xml text %q", d, field, got, last[field])
			}
		}
		num("CreateTime", m.CreateTime)
		num("AgentID", m.AgentID)
	})
}
