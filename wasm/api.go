// Command wasm is wwkit's JS-SDK verifier compiled to WebAssembly
// (GOOS=js GOARCH=wasm, `make wasm`). It exposes, under the global namespace
// that the loader (wasm/loader) turns into `wwkit`, the diagnostics of
// core/jssdk with the same input and output JSON as `wwkit jssdk check`:
//
//	verifyConfig(input) → {ok, findings, stringToSign?}
//	sign({ticket, nonceStr, timestamp, url}) → {ok, signature, stringToSign}
//	knownJsApis(platform?) → {ok, apis}
//	version
//
// Errors come back as values, {ok:false, error:{kind, message}}, and panics
// are recovered at the boundary. The module imports only the verifier: no API
// client, no net/http, no encoding/xml, and it never sees a corp secret or an
// access_token (signing needs only the jsapi_ticket).
//
// The JSON functions in this file are plain Go so they are tested natively as
// well as under GOOS=js.
package main

import (
	"strconv"

	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/internal/jsonlite"
)

// version is set at link time with -ldflags "-X main.version=…".
var version = "dev"

// Error kinds returned in {ok:false, error:{kind, message}}.
const (
	kindInput    = "input"    // the argument is not valid JSON or has a wrong type
	kindArgument = "argument" // a required value is missing
	kindInternal = "internal" // a bug in wwkit (a recovered panic)
)

type errorBody struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// The results are written by hand (the AppendJSON methods of core/jssdk and
// internal/jsonlite) rather than with encoding/json and fmt, which would
// bring reflect into the bundle (docs/benchmarks.md has the size);
// api_std_test.go holds them to the former encoding/json implementation.

func fail(kind, message string) []byte {
	b := append([]byte(nil), `{"ok":false,"error":{"kind":`...)
	b = jsonlite.AppendString(b, kind)
	b = append(b, `,"message":`...)
	b = jsonlite.AppendString(b, message)
	return append(b, "}}"...)
}

// guard turns a panic inside f into an internal error value.
func guard(f func() []byte) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = fail(kindInternal, "wwkit: internal error (please report it): "+panicText(r))
		}
	}()
	return f()
}

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "a non-error panic value"
}

// clock gives the current Unix time in seconds for the skew check when the
// input has no "now". main_js.go sets it from Date.now(): core/jssdk has no
// clock in the GOOS=js build (the time package is too large for the bundle;
// docs/benchmarks.md has the figure). Natively it
// stays nil and jssdk.Check uses time.Now.
var clock func() int64

// verifyJSON runs the diagnostics on the JSON form of jssdk.Input.
func verifyJSON(in []byte) []byte {
	return guard(func() []byte {
		input, err := jssdk.ParseInput(in)
		if err != nil {
			return fail(kindInput, err.Error())
		}
		if input.Now == 0 && clock != nil {
			input.Now = clock()
		}
		return jssdk.Check(input).AppendJSON(nil)
	})
}

// signJSON signs {ticket, nonceStr, timestamp, url}. The timestamp is used as
// the page passes it (String(timestamp)); it must be integer seconds.
func signJSON(in []byte) []byte {
	return guard(func() []byte {
		req, err := parseSignRequest(in)
		if err != nil {
			return fail(kindInput, "wwkit: sign expects {ticket, nonceStr, timestamp, url}: "+err.Error())
		}
		switch {
		case req.Ticket == "":
			return fail(kindArgument, "wwkit: sign: ticket is empty: pass the jsapi_ticket (agent_config ticket for wx.agentConfig)")
		case req.NonceStr == "":
			return fail(kindArgument, "wwkit: sign: nonceStr is empty: pass the nonceStr the page gives wx.config")
		case !req.Timestamp.Set:
			return fail(kindArgument, "wwkit: sign: timestamp is missing: pass integer seconds (Math.floor(Date.now()/1000))")
		case req.URL == "":
			return fail(kindArgument, "wwkit: sign: url is empty: pass location.href")
		}
		ts, err := strconv.ParseInt(req.Timestamp.Text, 10, 64)
		if err != nil || strconv.FormatInt(ts, 10) != req.Timestamp.Text {
			return fail(kindArgument, "wwkit: sign: timestamp "+strconv.Quote(req.Timestamp.Raw)+" is not integer seconds: use Math.floor(Date.now()/1000)")
		}
		b := append([]byte(nil), `{"ok":true,"signature":`...)
		b = jsonlite.AppendString(b, jssdk.Sign(req.Ticket, req.NonceStr, ts, req.URL))
		b = append(b, `,"stringToSign":`...)
		b = jsonlite.AppendString(b, jssdk.StringToSign(req.Ticket, req.NonceStr, ts, req.URL))
		return append(b, '}')
	})
}

// knownJSON lists the catalogue for platform ("wecom", "mp", "" for all).
func knownJSON(platform string) []byte {
	return guard(func() []byte {
		switch platform {
		case "", "all", jssdk.PlatformWeCom, jssdk.PlatformMP:
		default:
			return fail(kindArgument, "wwkit: knownJsApis: unknown platform "+strconv.Quote(platform)+": use \"wecom\", \"mp\" or nothing for all")
		}
		b := append([]byte(nil), `{"ok":true,"apis":[`...)
		for i, a := range jssdk.KnownJSAPIs(platform) {
			if i > 0 {
				b = append(b, ',')
			}
			b = a.AppendJSON(b)
		}
		return append(b, "]}"...)
	})
}
