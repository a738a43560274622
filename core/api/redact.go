package api

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Redacted replaces what Redact removes.
const Redacted = "[redacted]"

// partialRun is how many consecutive characters of a known secret Redact
// treats as a leak: a token cut short by a length limit still goes, while a
// run this long of a random 512-character token does not appear by chance.
const partialRun = 8

// minSecret is the shortest known secret Redact looks for by value; shorter
// ones would mask ordinary words. The parameter rules still catch them.
const minSecret = 6

// Redact returns s without the secrets it may carry, for a call record, a log
// line or an error shown in a window. It removes:
//
//   - the value of every secret-named parameter (access_token, corpsecret,
//     secret, key, code, ticket, any name containing token, secret,
//     ticket, password or webhook, any name ending in _key or -key such as
//     a group robot's webhook_key, and command-line flags of these names
//     such as --key=) written as a query (name=value), URL-encoded
//     (name%3Dvalue, also inside another parameter), as JSON
//     ("name":"value", also escaped inside a JSON string) or as Go prints
//     a URL in an error;
//   - the user info (user:password) of a URL;
//   - each of secrets (of at least 6 characters) wherever it appears: as is,
//     URL-encoded, JSON-escaped, or cut short (any run of 8 of its
//     characters in a row).
//
// What is removed becomes Redacted. Redact is the one redactor of the tree:
// the call recorder, the client's own messages and the desktop app use it.
func Redact(s string, secrets ...string) string {
	if s == "" {
		return s
	}
	mask := make([]bool, len(s))
	maskParams(s, mask)
	maskUserinfo(s, mask)
	for _, sec := range secrets {
		if len(sec) < minSecret {
			continue
		}
		for _, f := range secretForms(sec) {
			maskValue(s, f, mask)
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !mask[i] {
			j := i
			for j < len(s) && !mask[j] {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			continue
		}
		for i < len(s) && mask[i] {
			i++
		}
		b.WriteString(Redacted)
	}
	return b.String()
}

// secretName reports whether a parameter or JSON key of this name holds a
// credential.
func secretName(name string) bool {
	// A command-line flag (--key=…) names its value like a parameter.
	n := strings.TrimLeft(strings.ToLower(strings.Trim(name, `"\`)), "-")
	switch n {
	case "key", "code", "auth_code", "permanent_code", "pre_auth_code", "pwd", "passwd", "sign", "credential":
		return true
	}
	// A group robot's webhook key under any name (webhook_key,
	// WWKIT_ROBOT_KEY, robot-key), and a whole webhook URL, which carries
	// the key.
	if strings.HasSuffix(n, "_key") || strings.HasSuffix(n, "-key") || strings.HasSuffix(n, ".key") || strings.Contains(n, "webhook") {
		return true
	}
	for _, part := range []string{"token", "secret", "ticket", "password", "aes_key", "aeskey"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// maskParams marks the values of secret-named parameters and JSON keys.
func maskParams(s string, mask []bool) {
	for i := 0; i < len(s); i++ {
		var sepLen int
		var encoded bool
		switch {
		case s[i] == '=':
			sepLen = 1
		case s[i] == '%' && i+2 < len(s) && s[i+1] == '3' && (s[i+2] == 'D' || s[i+2] == 'd'):
			sepLen, encoded = 3, true
		case s[i] == '%' && i+4 < len(s) && s[i+1:i+4] == "253" && (s[i+4] == 'D' || s[i+4] == 'd'):
			sepLen, encoded = 5, true // encoded twice
		case s[i] == ':':
			sepLen = 1
		default:
			continue
		}
		// The name before the separator; for ':' it must be a JSON key,
		// "name" or \"name\".
		end := i
		if s[i] == '=' || s[i] == ':' {
			for end > 0 && (s[end-1] == ' ' || s[end-1] == '\t') {
				end--
			}
		}
		if s[i] == ':' {
			if end == 0 || s[end-1] != '"' {
				continue
			}
			end--
			if end > 0 && s[end-1] == '\\' {
				end--
			}
		}
		start := end
		for start > 0 && isNameByte(s[start-1]) {
			start--
		}
		name := s[start:end]
		if start > 0 && s[start-1] == '%' {
			// The name follows an encoded separator (%3F, %26, %253F):
			// the hex digits are not part of it.
			for strings.HasPrefix(name, "25") && len(name) > 4 {
				name = name[2:]
			}
			if len(name) > 2 {
				name = name[2:]
			}
		}
		if start == end || !secretName(name) {
			continue
		}
		v := i + sepLen
		if s[i] == ':' || s[i] == '=' {
			for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
				v++
			}
		}
		// An opening quote, plain or escaped, ends the value at its twin.
		quote := ""
		switch {
		case strings.HasPrefix(s[v:], `\"`):
			quote = `\"`
		case v < len(s) && (s[v] == '"' || s[v] == '\''):
			quote = s[v : v+1]
		}
		v += len(quote)
		e := v
		for e < len(s) {
			if quote != "" {
				if strings.HasPrefix(s[e:], quote) && (quote != `"` || s[e-1] != '\\') {
					break
				}
				e++
				continue
			}
			c := s[e]
			if c == '&' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '#' || c == '<' || c == '>' || c == '\\' || c == ',' || c == '}' || c == ']' || c == ')' {
				break
			}
			if encoded && c == '%' && (strings.HasPrefix(s[e:], "%26") || strings.HasPrefix(s[e:], "%2526") || strings.HasPrefix(s[e:], "%22") || strings.HasPrefix(s[e:], "%2522")) {
				break
			}
			e++
		}
		for k := v; k < e; k++ {
			mask[k] = true
		}
		i = e - 1
		if i < v {
			i = v
		}
	}
}

// maskUserinfo marks the user info of URLs (scheme://user:password@host).
func maskUserinfo(s string, mask []bool) {
	for off := 0; ; {
		k := strings.Index(s[off:], "://")
		if k < 0 {
			return
		}
		start := off + k + 3
		e := start
		for e < len(s) && !strings.ContainsRune("/?#@ \t\n\"'<>", rune(s[e])) {
			e++
		}
		if e < len(s) && s[e] == '@' && e > start {
			for j := start; j < e; j++ {
				mask[j] = true
			}
		}
		off = start
	}
}

// secretForms lists how a secret may be written: as is, URL-encoded (query
// and path rules) and JSON-escaped.
func secretForms(sec string) []string {
	forms := []string{sec, url.QueryEscape(sec), url.PathEscape(sec)}
	if b, err := json.Marshal(sec); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	out := forms[:0]
	for _, f := range forms {
		dup := false
		for _, o := range out {
			dup = dup || o == f
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// maskValue marks every occurrence of f in s, and every run of partialRun
// characters of f, which is how a cut-short copy shows up.
func maskValue(s, f string, mask []bool) {
	if len(f) <= partialRun {
		for off := 0; ; {
			k := strings.Index(s[off:], f)
			if k < 0 {
				return
			}
			for j := off + k; j < off+k+len(f); j++ {
				mask[j] = true
			}
			off += k + 1
		}
	}
	runs := make(map[string]struct{}, len(f)-partialRun+1)
	for i := 0; i+partialRun <= len(f); i++ {
		runs[f[i:i+partialRun]] = struct{}{}
	}
	for i := 0; i+partialRun <= len(s); i++ {
		if _, ok := runs[s[i:i+partialRun]]; ok {
			for j := i; j < i+partialRun; j++ {
				mask[j] = true
			}
		}
	}
}
