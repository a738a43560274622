package callback_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/callback"
)

func TestCheckXMLShape(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"envelope", "<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc<def>]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>", true},
		{"declaration and comment", `<?xml version="1.0"?><!-- c --><xml><a/><b>1</b></xml>`, true},
		{"16 levels", strings.Repeat("<a>", 16) + strings.Repeat("</a>", 16), true},
		{"17 levels", strings.Repeat("<a>", 17) + strings.Repeat("</a>", 17), false},
		{"cdata hides tags", "<xml><![CDATA[" + strings.Repeat("<a>", 100) + "]]></xml>", true},
		{"doctype", `<!DOCTYPE x><xml/>`, false},
		{"lowercase doctype", `<!doctype x><xml/>`, false},
		{"entity", `<xml><!ENTITY a "b"></xml>`, false},
		{"unterminated cdata", "<xml><![CDATA[abc</xml>", false},
		{"unterminated comment", "<xml><!-- abc</xml>", false},
		{"comment whose text starts with ->", "<xml><!---> <!DOCTYPE x> --><a/></xml>", true},
		{"<!--> does not close a comment", "<xml><!--> <!DOCTYPE x></xml>", false},
		{"unterminated element", "<xml><a", false},
		{"empty", "   ", false},
	}
	for _, tc := range tests {
		err := callback.CheckXMLShape([]byte(tc.body))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

// FuzzCheckXMLShape checks CheckXMLShape against encoding/xml, the parser a
// user's own handler would read the body with, both ways:
//
//   - what it lets through has, as encoding/xml reads it, no DOCTYPE or
//     entity declaration and no element nested deeper than MaxXMLDepth;
//   - what encoding/xml reads as one well-formed root with no declaration
//     and no deeper nesting is let through, unless an attribute value or a
//     processing instruction holds '<' or '>' (CheckXMLShape counts tags by
//     their brackets and need not understand those; callbacks have neither).
func FuzzCheckXMLShape(f *testing.F) {
	for _, s := range []string{"<xml><a>1</a></xml>", "<![CDATA[", "<!--", "<a", strings.Repeat("<a>", 20),
		`<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>`, "<xml><!-- <!DOCTYPE x> --><a><![CDATA[<!DOCTYPE y>]]></a></xml>",
		strings.Repeat("<a>", 16) + strings.Repeat("</a>", 16), `<?xml version="1.0"?><xml><a x="1"/></xml>`,
		"<xml><!---> <!DOCTYPE x> --><a>x=1 ?</a></xml>", `<?pi a="1"?><xml><a x="2>1"/></xml>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		shapeErr := callback.CheckXMLShape(b)
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		depth, maxDepth, directive, roots := 0, 0, false, 0
		bracketsInMarkup := false // '<' or '>' in an attribute value or a PI
		var readErr error
		for {
			tok, err := dec.RawToken()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				break
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					roots++
				}
				depth++
				maxDepth = max(maxDepth, depth)
				for _, a := range t.Attr {
					bracketsInMarkup = bracketsInMarkup || strings.ContainsAny(a.Value, "<>")
				}
			case xml.EndElement:
				depth--
			case xml.ProcInst:
				bracketsInMarkup = bracketsInMarkup || bytes.ContainsAny(t.Inst, "<>")
			case xml.Directive:
				directive = true
			}
		}
		if shapeErr == nil && (directive || maxDepth > callback.MaxXMLDepth) {
			t.Fatalf("let through %q: directive %v, depth %d", b, directive, maxDepth)
		}
		if shapeErr != nil && readErr == nil && !directive && roots == 1 && depth == 0 && maxDepth <= callback.MaxXMLDepth && !bracketsInMarkup {
			t.Fatalf("refused a well-formed document %q: %v", b, shapeErr)
		}
	})
}
