package server

import (
	"net/url"
	"testing"
)

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
