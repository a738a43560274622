package jssdk

import "github.com/wwkit/wwkit/internal/jsonlite"

// The JSON written here is byte for byte what encoding/json's Marshal writes
// for the same values (json_test.go compares them); it is hand-written so the
// WASM module does not link encoding/json and reflect (the bundle size: docs/benchmarks.md).

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
