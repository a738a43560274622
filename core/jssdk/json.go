package jssdk

import (
	"errors"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/internal/jsonlite"
)

// The JSON written here is byte for byte what encoding/json's Marshal writes
// for the same values (json_test.go compares them); it is hand-written so the
// WASM module does not link encoding/json and reflect (issue 6).

// AppendJSON appends the JSON form of r, {"ok","findings","stringToSign"?},
// to b. It equals json.Marshal(r).
func (r Result) AppendJSON(b []byte) []byte {
	w := jsonlite.Begin(b)
	w.Bool("ok", r.OK)
	w.Key("findings")
	if r.Findings == nil {
		w.B = append(w.B, "null"...)
	} else {
		w.B = append(w.B, '[')
		for i, f := range r.Findings {
			if i > 0 {
				w.B = append(w.B, ',')
			}
			w.B = f.AppendJSON(w.B)
		}
		w.B = append(w.B, ']')
	}
	if r.StringToSign != "" {
		w.String("stringToSign", r.StringToSign)
	}
	return w.End()
}

// AppendJSON appends the JSON form of f to b. It equals json.Marshal(f).
func (f Finding) AppendJSON(b []byte) []byte {
	w := jsonlite.Begin(b)
	w.String("code", f.Code)
	w.String("severity", string(f.Severity))
	w.String("message", f.Message)
	w.String("messageZh", f.MessageZh)
	w.String("fix", f.Fix)
	return w.End()
}

// AppendJSON appends the JSON form of a to b. It equals json.Marshal(a).
func (a API) AppendJSON(b []byte) []byte {
	w := jsonlite.Begin(b)
	w.String("name", a.Name)
	w.String("platform", a.Platform)
	if a.NeedsAgentConfig {
		w.Bool("needsAgentConfig", true)
	}
	if a.ThirdPartyAgentConfig {
		w.Bool("thirdPartyAgentConfig", true)
	}
	if a.NeedsBeta {
		w.Bool("needsBeta", true)
	}
	if a.BridgeName != "" {
		w.String("bridgeName", a.BridgeName)
	}
	if a.MinWeCom != "" {
		w.String("minWeCom", a.MinWeCom)
	}
	if a.Purpose != "" {
		w.String("purpose", a.Purpose)
	}
	if a.Unconfirmed {
		w.Bool("unconfirmed", true)
	}
	return w.End()
}

// AppendJSONString appends s to b as a JSON string, exactly as json.Marshal
// writes it (HTML-safe escapes, invalid UTF-8 replaced). It lets the WASM
// module write its small result objects without encoding/json.
func AppendJSONString(b []byte, s string) []byte { return jsonlite.AppendString(b, s) }

// SignRequest is what a page or tool sends to have a URL signed:
// {ticket, nonceStr, timestamp, url} (the WASM module's sign()). Timestamp
// is kept as given; the caller decides whether it is integer seconds.
type SignRequest struct {
	Ticket    string
	NonceStr  string
	Timestamp Timestamp
	URL       string
}

var signRequestKeys = [...]string{"ticket", "nonceStr", "timestamp", "url"}

// ParseSignRequest reads {ticket, nonceStr, timestamp, url} with the rules
// encoding/json applied with DisallowUnknownFields: keys match exactly, then
// case-insensitively; any other key is an error; null leaves a field as it
// is (and clears the timestamp). The errors name the problem (unknown key, wrong type, bad JSON); it
// never panics.
func ParseSignRequest(in []byte) (SignRequest, error) {
	var req SignRequest
	v, err := jsonlite.Parse(in)
	if err != nil {
		return req, errors.New("jssdk: sign request is not valid JSON: " + err.Error())
	}
	switch v.Kind {
	case jsonlite.Null:
		return req, nil
	case jsonlite.Object:
	default:
		return req, errors.New("jssdk: sign request is a JSON " + v.Kind.Name() + ", not an object")
	}
	var typeErr error
	for _, m := range v.Members {
		k := -1
		for i, name := range signRequestKeys {
			if name == m.Key {
				k = i
				break
			}
		}
		if k < 0 {
			for i, name := range signRequestKeys {
				if strings.EqualFold(name, m.Key) {
					k = i
					break
				}
			}
		}
		if k < 0 {
			return SignRequest{}, errors.New("jssdk: sign request has an unknown field " + strconv.Quote(m.Key) + ": send only ticket, nonceStr, timestamp and url")
		}
		val := m.Value
		if k == 2 {
			if err := req.Timestamp.set(val); err != nil {
				return SignRequest{}, err
			}
			continue
		}
		dst := [...]*string{&req.Ticket, &req.NonceStr, nil, &req.URL}[k]
		switch val.Kind {
		case jsonlite.Null:
		case jsonlite.String:
			*dst = val.Text
		default:
			if typeErr == nil {
				typeErr = errors.New("jssdk: sign request field " + strconv.Quote(signRequestKeys[k]) + " must be a string, got a JSON " + val.Kind.Name())
			}
		}
	}
	if typeErr != nil {
		return SignRequest{}, typeErr
	}
	return req, nil
}
