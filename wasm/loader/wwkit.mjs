// wwkit loader (ES module build). Loads wasm_exec.js and wwkit.wasm from the
// folder of this module:
//
//   import wwkit from "/wwkit/wwkit.mjs";
//   await wwkit.ready();
//   const result = wwkit.verifyConfig({ appId, timestamp, nonceStr, signature, url: location.href });
//
// The logic lives in the classic script build, wwkit.js.
globalThis.__wwkitBase ??= new URL(".", import.meta.url).href;
await import("./wwkit.js");
const wwkit = globalThis.wwkit;
export default wwkit;
export const ready = wwkit.ready;
export const verifyConfig = wwkit.verifyConfig;
export const sign = wwkit.sign;
export const knownJsApis = wwkit.knownJsApis;
