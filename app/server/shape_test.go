package server

import (
	"net/url"
	"strings"
	"testing"
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
		err := checkXMLShape([]byte(tc.body))
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
		_ = checkXMLShape(b) // must not panic or loop
	})
}

func TestTrusted(t *testing.T) {
	domains := []string{"Dev.Example.com", "127.0.0.1:8080", "[::1]", " ", "[fe80::1]:9000"}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://dev.example.com/p", true},
		{"https://DEV.example.com:8443/p", true}, // a host entry accepts any port
		{"https://a.dev.example.com/p", false},   // subdomains are separate entries [unconfirmed for Tencent]
		{"https://dev.example.com.evil.com/p", false},
		{"http://127.0.0.1:8080/p", true},
		{"http://127.0.0.1:9090/p", false}, // a host:port entry needs that port
		{"http://[::1]:3000/p", true},
		{"http://[fe80::1]:9000/", true},
		{"http://[fe80::1]:9001/", false},
		{"http://evil.com/?u=https://dev.example.com", false},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := trusted(domains, u); got != tc.want {
			t.Errorf("trusted(%s) = %v, want %v", tc.url, got, tc.want)
		}
	}
}
