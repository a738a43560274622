//go:build js && wasm

package main

import (
	"syscall/js"
	"testing"
)

// TestRegisterUnderJS runs under Node through go_js_wasm_exec and calls the
// functions exactly as a page does: through the global namespace, with
// objects and JSON strings.
func TestRegisterUnderJS(t *testing.T) {
	readyCalled := false
	cb := js.FuncOf(func(this js.Value, args []js.Value) any { readyCalled = true; return nil })
	defer cb.Release()
	js.Global().Set("__wwkitReady", cb)
	ns := register()
	if !readyCalled {
		t.Fatal("register did not call globalThis.__wwkitReady")
	}
	if !js.Global().Get("__wwkit").Equal(ns) {
		t.Fatal("globalThis.__wwkit is not the namespace")
	}
	if ns.Get("version").String() == "" {
		t.Fatal("version is empty")
	}

	obj := js.Global().Get("Object").New()
	obj.Set("ticket", docTicket)
	obj.Set("nonceStr", docNonce)
	obj.Set("timestamp", docTimestamp)
	obj.Set("url", docURL)
	r := ns.Call("sign", obj)
	if !r.Get("ok").Bool() || r.Get("signature").String() != docSignature {
		t.Fatalf("sign(object) = %v %v", r.Get("ok"), r.Get("signature"))
	}

	r = ns.Call("verifyConfig", `{"appId":"ww0123456789abcdef","timestamp":1414587457000,"nonceStr":"`+docNonce+`","signature":"`+docSignature+`","url":"`+docURL+`","now":1414587457}`)
	if r.Get("ok").Bool() {
		t.Fatal("verifyConfig accepted a millisecond timestamp")
	}
	findings := r.Get("findings")
	codes := map[string]bool{}
	for i := 0; i < findings.Length(); i++ {
		codes[findings.Index(i).Get("code").String()] = true
	}
	if !codes["TIMESTAMP_MILLISECONDS"] {
		t.Fatalf("findings %v lack TIMESTAMP_MILLISECONDS", codes)
	}

	r = ns.Call("verifyConfig", "{not json")
	if r.Get("ok").Bool() || r.Get("error").Get("kind").String() != kindInput {
		t.Fatal("malformed JSON was not reported as an input error value")
	}
	r = ns.Call("knownJsApis", "mp")
	if !r.Get("ok").Bool() || r.Get("apis").Length() < 10 {
		t.Fatal("knownJsApis(mp) returned too few APIs")
	}

	// No "now": the skew check runs on JavaScript's clock (core/jssdk has
	// none in this build), so a 2014 timestamp is far behind it.
	r = ns.Call("verifyConfig", `{"appId":"ww0123456789abcdef","timestamp":`+"1414587457"+`,"nonceStr":"`+docNonce+`","signature":"`+docSignature+`","url":"`+docURL+`"}`)
	findings = r.Get("findings")
	skew := false
	for i := 0; i < findings.Length(); i++ {
		skew = skew || findings.Index(i).Get("code").String() == "TIMESTAMP_SKEW"
	}
	if !skew {
		t.Fatal("verifyConfig without now: no TIMESTAMP_SKEW for a 2014 timestamp, so the JS clock is not used")
	}
}
