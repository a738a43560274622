package callback_test

import (
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

func FuzzCheckXMLShape(f *testing.F) {
	for _, s := range []string{"<xml><a>1</a></xml>", "<![CDATA[", "<!--", "<a", strings.Repeat("<a>", 20)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = callback.CheckXMLShape(b) // must not panic or loop
	})
}
