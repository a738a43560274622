// Package httpguard holds the checks a local HTTP admin API needs against a
// web page in the developer's browser: a Host allow-list (against DNS
// rebinding, where a page's own name resolves to 127.0.0.1), an Origin /
// Sec-Fetch-Site check and a JSON content type on POSTs (against
// cross-site requests that need no CORS preflight). The emulator's admin API
// and the dev server share them.
package httpguard

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// IsJSONType reports whether a Content-Type header is application/json
// (parameters such as charset allowed). A cross-site form or fetch can only
// send text/plain, form or multipart bodies without a CORS preflight.
func IsJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// Hostname is the host of a Host header value without port or IPv6
// brackets, lower-cased.
func Hostname(host string) string {
	h := host
	if hp, _, err := net.SplitHostPort(host); err == nil {
		h = hp
	}
	return strings.ToLower(strings.Trim(h, "[]"))
}

// LoopbackHost reports whether the Host header names this machine:
// localhost (or a name under .localhost) or a loopback IP, with or without a
// port.
func LoopbackHost(host string) bool {
	h := Hostname(host)
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Hosts is a Host allow-list: loopback names always, plus the names added.
// The zero value allows loopback only.
type Hosts struct {
	names map[string]bool
}

// Add allows a host name or IP (a port, brackets and case are ignored).
func (h *Hosts) Add(host string) {
	n := Hostname(host)
	if n == "" {
		return
	}
	if h.names == nil {
		h.names = map[string]bool{}
	}
	h.names[n] = true
}

// Allowed reports whether a request's Host header names a host of the list.
// Ports are not compared: a rebinding page uses its own name, which is what
// the list refuses.
func (h *Hosts) Allowed(host string) bool {
	if host == "" {
		return false
	}
	return LoopbackHost(host) || h.names[Hostname(host)]
}

// List returns the allowed names besides loopback.
func (h *Hosts) List() []string {
	out := make([]string, 0, len(h.names))
	for n := range h.names {
		out = append(out, n)
	}
	return out
}

// CrossSite reports why a request comes from a page of another origin, or ""
// when it does not: Sec-Fetch-Site other than same-origin or none (a typed
// URL, a bookmark, a non-browser client), or an Origin header whose
// host:port is neither the request's Host nor one of the origins given
// (scheme://host[:port], such as a configured public URL). Requests without
// either header (curl, Go clients) pass; they are no browser page.
func CrossSite(r *http.Request, origins ...string) string {
	if sfs := r.Header.Get("Sec-Fetch-Site"); sfs != "" && sfs != "same-origin" && sfs != "none" {
		return "Sec-Fetch-Site: " + sfs
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return ""
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "Origin: " + o
	}
	if strings.EqualFold(withPort(u.Host, u.Scheme), withPort(r.Host, u.Scheme)) {
		return ""
	}
	for _, a := range origins {
		if au, err := url.Parse(a); err == nil && au.Host != "" && strings.EqualFold(au.Scheme, u.Scheme) &&
			strings.EqualFold(withPort(au.Host, au.Scheme), withPort(u.Host, u.Scheme)) {
			return ""
		}
	}
	return "Origin: " + o
}

// withPort adds the scheme's default port to a host without one.
func withPort(host, scheme string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if scheme == "https" {
		return net.JoinHostPort(strings.Trim(host, "[]"), "443")
	}
	return net.JoinHostPort(strings.Trim(host, "[]"), "80")
}
