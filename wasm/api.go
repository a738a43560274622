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
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wwkit/wwkit/core/jssdk"
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

type failure struct {
	OK    bool      `json:"ok"`
	Error errorBody `json:"error"`
}

func fail(kind, format string, args ...any) []byte {
	b, _ := json.Marshal(failure{Error: errorBody{Kind: kind, Message: fmt.Sprintf(format, args...)}})
	return b
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return fail(kindInternal, "wwkit: encoding the result: %v", err)
	}
	return b
}

// guard turns a panic inside f into an internal error value.
func guard(f func() []byte) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = fail(kindInternal, "wwkit: internal error (please report it): %v", r)
		}
	}()
	return f()
}

// verifyJSON runs the diagnostics on the JSON form of jssdk.Input.
func verifyJSON(in []byte) []byte {
	return guard(func() []byte {
		input, err := jssdk.ParseInput(in)
		if err != nil {
			return fail(kindInput, "%v", err)
		}
		return encode(jssdk.Check(input))
	})
}

type signRequest struct {
	Ticket    string          `json:"ticket"`
	NonceStr  string          `json:"nonceStr"`
	Timestamp jssdk.Timestamp `json:"timestamp"`
	URL       string          `json:"url"`
}

type signResult struct {
	OK           bool   `json:"ok"`
	Signature    string `json:"signature"`
	StringToSign string `json:"stringToSign"`
}

// signJSON signs {ticket, nonceStr, timestamp, url}. The timestamp is used as
// the page passes it (String(timestamp)); it must be integer seconds.
func signJSON(in []byte) []byte {
	return guard(func() []byte {
		var req signRequest
		dec := json.NewDecoder(strings.NewReader(string(in)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return fail(kindInput, "wwkit: sign expects {ticket, nonceStr, timestamp, url}: %v", err)
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
		var ts int64
		if _, err := fmt.Sscanf(req.Timestamp.Text, "%d", &ts); err != nil || fmt.Sprint(ts) != req.Timestamp.Text {
			return fail(kindArgument, "wwkit: sign: timestamp %q is not integer seconds: use Math.floor(Date.now()/1000)", req.Timestamp.Raw)
		}
		return encode(signResult{
			OK:           true,
			Signature:    jssdk.Sign(req.Ticket, req.NonceStr, ts, req.URL),
			StringToSign: jssdk.StringToSign(req.Ticket, req.NonceStr, ts, req.URL),
		})
	})
}

type apisResult struct {
	OK   bool        `json:"ok"`
	APIs []jssdk.API `json:"apis"`
}

// knownJSON lists the catalogue for platform ("wecom", "mp", "" for all).
func knownJSON(platform string) []byte {
	return guard(func() []byte {
		switch platform {
		case "", "all", jssdk.PlatformWeCom, jssdk.PlatformMP:
		default:
			return fail(kindArgument, "wwkit: knownJsApis: unknown platform %q: use \"wecom\", \"mp\" or nothing for all", platform)
		}
		return encode(apisResult{OK: true, APIs: jssdk.KnownJSAPIs(platform)})
	})
}
