package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// secret is one value that must not leak.
type secret struct {
	Name, Value string
}

// needle is one encoded form of a secret.
type needle struct {
	secret, form string
	b            []byte
}

// forms returns the encodings a leak could take. Base64 of a value inside a
// longer stream depends on its offset modulo 3, so each alignment is encoded
// and the characters touched by neighbouring bytes are trimmed.
func forms(s secret) []needle {
	v := []byte(s.Value)
	out := []needle{{s.Name, "raw", v}}
	add := func(form string, b []byte) {
		if len(b) >= 8 {
			out = append(out, needle{s.Name, form, b})
		}
	}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{{"base64", base64.StdEncoding}, {"base64url", base64.URLEncoding}} {
		for shift := 0; shift < 3; shift++ {
			in := append(bytes.Repeat([]byte{0}, shift), v...)
			e := enc.e.WithPadding(base64.NoPadding).EncodeToString(in)
			// Drop the characters that mix in the prefix and the last,
			// partial group that mixes in whatever follows.
			start := (shift*8 + 5) / 6
			end := (len(in) * 8) / 6
			if end > start {
				add(fmt.Sprintf("%s(offset %d)", enc.name, shift), []byte(e[start:end]))
			}
		}
	}
	if q := url.QueryEscape(s.Value); q != s.Value {
		add("url-encoded", []byte(q))
	}
	if p := url.PathEscape(s.Value); p != s.Value && p != url.QueryEscape(s.Value) {
		add("path-escaped", []byte(p))
	}
	add("hex", []byte(hex.EncodeToString(v)))
	add("HEX", []byte(strings.ToUpper(hex.EncodeToString(v))))
	return out
}

// aesKeySecret is the AES key an EncodingAESKey decodes to, as its own secret
// (raw bytes, base64 and hex are then searched by forms).
func aesKeySecret(name, encodingAESKey string) (secret, bool) {
	k, err := wxcrypt.DecodeAESKey(encodingAESKey)
	if err != nil {
		return secret{}, false
	}
	return secret{name + " (AES key bytes)", string(k)}, true
}

// blob is one captured piece of output.
type blob struct {
	surface, where string
	data           []byte
	allow          map[string]bool // secret names allowed here (explicit reveals)
}

// allows reports whether the blob may show the named secret; an allowance
// ending in "*" covers every name with that prefix.
func (b blob) allows(name string) bool {
	if b.allow[name] {
		return true
	}
	for a := range b.allow {
		if p, ok := strings.CutSuffix(a, "*"); ok && strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// auditor collects every output of the run and scans it once all secrets
// (including the tokens issued during the run) are known.
type auditor struct {
	mu      sync.Mutex
	secrets []secret
	blobs   []blob
}

func (a *auditor) addSecret(name, value string) {
	if value == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.secrets {
		if s.Value == value {
			return
		}
	}
	a.secrets = append(a.secrets, secret{name, value})
}

// capture records output of a surface; allow names secrets that this output
// may show (an explicit reveal).
func (a *auditor) capture(surface, where string, data []byte, allow ...string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := blob{surface: surface, where: where, data: append([]byte(nil), data...)}
	if len(allow) > 0 {
		b.allow = map[string]bool{}
		for _, n := range allow {
			b.allow[n] = true
		}
	}
	a.blobs = append(a.blobs, b)
}

// surfaceStats is what was scanned of one surface.
type surfaceStats struct {
	items, bytes, lines int
}

// scan searches every blob for every form of every secret and returns the
// findings and per-surface figures.
func (a *auditor) scan() (findings []string, stats map[string]*surfaceStats, nNeedles int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var needles []needle
	for _, s := range a.secrets {
		needles = append(needles, forms(s)...)
	}
	stats = map[string]*surfaceStats{}
	for _, b := range a.blobs {
		st := stats[b.surface]
		if st == nil {
			st = &surfaceStats{}
			stats[b.surface] = st
		}
		st.items++
		st.bytes += len(b.data)
		st.lines += bytes.Count(b.data, []byte("\n"))
		for _, n := range needles {
			if b.allows(n.secret) {
				continue
			}
			if i := bytes.Index(b.data, n.b); i >= 0 {
				lo, hi := max(i-60, 0), min(i+len(n.b)+20, len(b.data))
				findings = append(findings, fmt.Sprintf("%s: %s (%s) found in %s: …%q…", b.surface, n.secret, n.form, b.where, b.data[lo:hi]))
			}
		}
	}
	sort.Strings(findings)
	return findings, stats, len(needles)
}

// TestForms checks the scanner itself: every form of a secret embedded in
// other text at any offset is found, and unrelated text is not.
func TestForms(t *testing.T) {
	s := secret{"test", "AuditSecret+/=?&xyz0123456789"}
	ns := forms(s)
	enc := func(prefix string, e *base64.Encoding) string {
		return e.EncodeToString([]byte(prefix + s.Value + "tail"))
	}
	texts := map[string]string{
		"raw":       "log: " + s.Value + " end",
		"b64 0":     enc("", base64.StdEncoding),
		"b64 1":     enc("a", base64.StdEncoding),
		"b64 2":     enc("ab", base64.StdEncoding),
		"b64url 1":  enc("a", base64.URLEncoding),
		"query":     "u=" + url.QueryEscape(s.Value),
		"path":      "/x/" + url.PathEscape(s.Value),
		"hex":       "k=" + hex.EncodeToString([]byte(s.Value)),
		"hex upper": strings.ToUpper(hex.EncodeToString([]byte("zz" + s.Value))),
	}
	for name, text := range texts {
		found := false
		for _, n := range ns {
			if bytes.Contains([]byte(text), n.b) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the secret in %q is not found", name, text)
		}
	}
	for _, n := range ns {
		if bytes.Contains([]byte("nothing to see here, AuditSecret alone is not the secret"), n.b) {
			t.Errorf("form %s matches unrelated text", n.form)
		}
	}
}

// hits counts the secrets found in one surface ignoring its allowances: the
// audit uses it on the explicit reveals to prove the needles match what the
// tools really print.
func (a *auditor) hits(surface string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, b := range a.blobs {
		if b.surface != surface {
			continue
		}
		for _, s := range a.secrets {
			for _, f := range forms(s) {
				if bytes.Contains(b.data, f.b) {
					n++
				}
			}
		}
	}
	return n
}
