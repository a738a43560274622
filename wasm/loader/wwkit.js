/*
 * wwkit loader (classic script build). Loads wasm_exec.js and wwkit.wasm from
 * the same folder as this file and publishes `wwkit`:
 *
 *   <script src="/wwkit/wwkit.js"></script>
 *   <script>
 *     wwkit.ready().then(function () {
 *       var r = wwkit.verifyConfig({appId: ..., timestamp: ..., nonceStr: ..., signature: ..., url: location.href});
 *     });
 *   </script>
 *
 * The ES module build (wwkit.mjs) wraps this file. Set globalThis.__wwkitBase
 * (a folder URL ending in "/") before loading to fetch the files elsewhere.
 */
(function () {
  "use strict";
  if (globalThis.wwkit && globalThis.wwkit.ready) return; // loaded twice

  var base = globalThis.__wwkitBase;
  if (!base && typeof document !== "undefined" && document.currentScript && document.currentScript.src) {
    base = new URL(".", document.currentScript.src).href;
  }
  var loading = null;

  function load(opts) {
    opts = opts || {};
    var root = opts.base || base || (typeof location !== "undefined" ? new URL(".", location.href).href : "./");
    var wasmUrl = opts.wasmUrl || new URL("wwkit.wasm", root).href;
    var execUrl = opts.execUrl || new URL("wasm_exec.js", root).href;
    var haveGo = typeof globalThis.Go === "function" ? Promise.resolve() : import(/* @vite-ignore */ execUrl);
    return haveGo.then(function () {
      if (typeof globalThis.Go !== "function") {
        throw new Error("wwkit: " + execUrl + " did not define Go; serve the wasm_exec.js of the Go version that built wwkit.wasm");
      }
      var api = new Promise(function (resolve) { globalThis.__wwkitReady = resolve; });
      var go = new globalThis.Go();
      // A page may start compiling the module before this loader runs:
      // globalThis.__wwkitCompile = WebAssembly.compileStreaming(fetch(".../wwkit.wasm"))
      // (the H5 debug page does, in its <head>). Use it when it worked.
      var early = !opts.wasmUrl && globalThis.__wwkitCompile ? Promise.resolve(globalThis.__wwkitCompile).catch(function () { return null; }) : Promise.resolve(null);
      var instantiate = early.then(function (mod) {
        if (mod instanceof WebAssembly.Module) {
          return WebAssembly.instantiate(mod, go.importObject).then(function (instance) { return { instance: instance }; });
        }
        if (typeof WebAssembly.instantiateStreaming !== "function") {
          return fetchBytes(wasmUrl).then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
        }
        return WebAssembly.instantiateStreaming(fetch(wasmUrl), go.importObject).catch(function () {
          // wrong MIME type (not application/wasm) or no streaming: fall back
          return fetchBytes(wasmUrl).then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
        });
      });
      return instantiate.then(function (result) {
        go.run(result.instance);
        return api;
      });
    });
  }

  function fetchBytes(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error("wwkit: fetching " + url + ": HTTP " + r.status);
      return r.arrayBuffer();
    });
  }

  function call(name) {
    return function (arg) {
      var ns = globalThis.__wwkit;
      if (!ns) {
        return { ok: false, error: { kind: "not_ready", message: "wwkit: call and await wwkit.ready() before wwkit." + name + "()" } };
      }
      return ns[name](arg);
    };
  }

  globalThis.wwkit = {
    /** Loads the module once; resolves when the verifier is ready. */
    ready: function (opts) {
      if (!loading) {
        loading = load(opts).catch(function (e) { loading = null; throw e; });
      }
      return loading.then(function () { return globalThis.wwkit; });
    },
    verifyConfig: call("verifyConfig"),
    sign: call("sign"),
    knownJsApis: call("knownJsApis"),
    get version() { return globalThis.__wwkit ? globalThis.__wwkit.version : undefined; },
  };
})();
