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

// FuzzCheckXMLShape: what CheckXMLShape lets through has, as encoding/xml
// reads it, no DOCTYPE or entity declaration and no element nested deeper
// than MaxXMLDepth; and a flat well-formed document with no declaration
// (what every callback is) is let through. encoding/xml is the reference
// because it is what a user's own handler would parse the body with.
func FuzzCheckXMLShape(f *testing.F) {
	for _, s := range []string{"<xml><a>1</a></xml>", "<![CDATA[", "<!--", "<a", strings.Repeat("<a>", 20),
		`<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>`, "<xml><!-- <!DOCTYPE x> --><a><![CDATA[<!DOCTYPE y>]]></a></xml>",
		strings.Repeat("<a>", 16) + strings.Repeat("</a>", 16), `<?xml version="1.0"?><xml><a x="1"/></xml>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		shapeErr := callback.CheckXMLShape(b)
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		depth, maxDepth, directive, roots := 0, 0, false, 0
		var readErr error
		for {
			tok, err := dec.RawToken()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				break
			}
			switch tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					roots++
				}
				depth++
				maxDepth = max(maxDepth, depth)
			case xml.EndElement:
				depth--
			case xml.Directive:
				directive = true
			}
		}
		if shapeErr == nil && (directive || maxDepth > callback.MaxXMLDepth) {
			t.Fatalf("let through %q: directive %v, depth %d", b, directive, maxDepth)
		}
		if shapeErr != nil && readErr == nil && !directive && roots == 1 && depth == 0 && maxDepth <= callback.MaxXMLDepth && flat(b) {
			t.Fatalf("refused a well-formed document %q: %v", b, shapeErr)
		}
	})
}

// flat reports whether b has no attributes and no processing instruction
// other than the declaration, as callbacks are; CheckXMLShape only counts
// tags and need not understand '>' or "<!" inside an attribute value.
func flat(b []byte) bool {
	s := string(b)
	if strings.HasPrefix(s, "<?xml") {
		if i := strings.Index(s, "?>"); i >= 0 {
			s = s[i+2:]
		}
	}
	return !strings.ContainsAny(s, "=?")
}
