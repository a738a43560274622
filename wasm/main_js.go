//go:build js && wasm

package main

import "syscall/js"

// main publishes the functions and keeps them alive.
func main() {
	register()
	select {}
}

// register publishes the functions on globalThis.__wwkit and tells the
// loader, through globalThis.__wwkitReady if it set one, that the module is
// ready. Arguments may be objects or JSON strings; results are plain objects.
func register() js.Value {
	json := js.Global().Get("JSON")
	date := js.Global().Get("Date")
	clock = func() int64 { return int64(date.Call("now").Float()) / 1000 }
	arg := func(args []js.Value) []byte {
		if len(args) == 0 || args[0].IsUndefined() || args[0].IsNull() {
			return []byte("{}")
		}
		if args[0].Type() == js.TypeString {
			return []byte(args[0].String())
		}
		return []byte(json.Call("stringify", args[0]).String())
	}
	out := func(b []byte) any { return json.Call("parse", string(b)) }

	ns := js.Global().Get("Object").New()
	ns.Set("version", version)
	ns.Set("verifyConfig", js.FuncOf(func(this js.Value, args []js.Value) any {
		return out(verifyJSON(arg(args)))
	}))
	ns.Set("sign", js.FuncOf(func(this js.Value, args []js.Value) any {
		return out(signJSON(arg(args)))
	}))
	ns.Set("knownJsApis", js.FuncOf(func(this js.Value, args []js.Value) any {
		platform := ""
		if len(args) > 0 && args[0].Type() == js.TypeString {
			platform = args[0].String()
		}
		return out(knownJSON(platform))
	}))
	js.Global().Set("__wwkit", ns)
	if ready := js.Global().Get("__wwkitReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(ns)
	}
	return ns
}
