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
 * verifyConfig(cfg, opts) (two arguments) is the page form: cfg is what the
 * signing endpoint answered (its url is the URL it signed) and the loader
 * adds the page's own location.href, landing URL and user agent; with
 * opts.signedBy it also asks that endpoint (POST) to check the signature
 * with the ticket it keeps, and returns a Promise. See docs/embed.md.
 *
 * The ES module build (wwkit.mjs) wraps this file. Set globalThis.__wwkitBase
 * (a folder URL ending in "/") before loading to fetch the files elsewhere.
 */
(function () {
  "use strict";
  if (globalThis.wwkit && globalThis.wwkit.ready) return; // loaded twice

  var base = globalThis.__wwkitBase;
  // The URL the document was loaded at: WeChat on iOS verifies an SPA's
  // signature against it, whatever history.pushState did since.
  var landing = "";
  try {
    var nav = typeof performance !== "undefined" && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    landing = (nav && nav.name) || (typeof location !== "undefined" ? location.href : "");
  } catch (e) { landing = ""; }
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

  var answerOnly = { ok: 1, stringToSign: 1, ticketFingerprint: 1, ticketExpires: 1, error: 1 };

  // pageInput turns a signing endpoint's answer into the verifier's input:
  // the answer's url is the URL the server signed, the page's is location.href.
  function pageInput(cfg, opts) {
    var input = {};
    for (var k in cfg) {
      if (Object.prototype.hasOwnProperty.call(cfg, k) && !answerOnly[k]) input[k] = cfg[k];
    }
    if (!input.signedUrl && typeof cfg.url === "string") input.signedUrl = cfg.url;
    input.url = opts.url || (typeof location !== "undefined" ? location.href : "");
    if (!input.landingUrl && (opts.landingUrl || landing)) input.landingUrl = opts.landingUrl || landing;
    if (!input.userAgent && typeof navigator !== "undefined") input.userAgent = navigator.userAgent;
    if (opts.jsApiList) input.jsApiList = opts.jsApiList;
    if (opts.kind) input.kind = opts.kind;
    else if (!input.kind && (cfg.corpId || cfg.corpid) && (cfg.agentId || cfg.agentid)) input.kind = "agentConfig";
    return input;
  }

  function hasError(findings) {
    for (var i = 0; i < findings.length; i++) if (findings[i].severity === "error") return true;
    return false;
  }

  // serverCheck posts the input to the signing endpoint, which recomputes the
  // signature with its ticket (never sent to the page), and merges its
  // findings with the page's own: the server's win for a code both report.
  function serverCheck(input, local, signedBy) {
    function without(error) {
      var out = { ok: local.ok, findings: local.findings, server: { ok: false, error: error } };
      return out;
    }
    return fetch(signedBy, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(input),
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, error: "HTTP " + r.status + ", not JSON" }; });
    }).then(function (ans) {
      if (!ans || !ans.ok || !ans.result || !Array.isArray(ans.result.findings)) {
        return without("wwkit: " + signedBy + " did not check the signature: " + ((ans && ans.error) || "no result") +
          " (it needs a POST handler that recomputes the signature; wwkit serve has one)");
      }
      var seen = {};
      var findings = ans.result.findings.slice();
      for (var i = 0; i < findings.length; i++) seen[findings[i].code] = true;
      for (var j = 0; j < local.findings.length; j++) {
        var f = local.findings[j];
        if (!seen[f.code] && f.code !== "SIGNATURE_UNVERIFIED") findings.push(f);
      }
      return { ok: !hasError(findings), findings: findings, server: { ok: true } };
    }, function (e) {
      return without("wwkit: POST " + signedBy + " failed: " + (e && e.message ? e.message : String(e)));
    });
  }

  function verifyConfig(input, opts) {
    if (opts === undefined) return call("verifyConfig")(input);
    opts = opts || {};
    if (!input || typeof input !== "object") {
      var bad = { ok: false, error: { kind: "input", message: "wwkit: verifyConfig(cfg, opts): cfg must be the signing endpoint's answer (an object)" } };
      return opts.signedBy ? Promise.resolve(bad) : bad;
    }
    var pin = pageInput(input, opts);
    var local = call("verifyConfig")(pin);
    if (!opts.signedBy) return local;
    if (!local.findings) return Promise.resolve(local); // not_ready, input errors
    return serverCheck(pin, local, opts.signedBy);
  }

  globalThis.wwkit = {
    /** Loads the module once; resolves when the verifier is ready. */
    ready: function (opts) {
      if (!loading) {
        loading = load(opts).catch(function (e) { loading = null; throw e; });
      }
      return loading.then(function () { return globalThis.wwkit; });
    },
    verifyConfig: verifyConfig,
    sign: call("sign"),
    knownJsApis: call("knownJsApis"),
    get version() { return globalThis.__wwkit ? globalThis.__wwkit.version : undefined; },
  };
})();
