// @wwkit/verify entry for bundlers: the new URL(..., import.meta.url) forms
// let Vite, webpack 5 and others emit wwkit.wasm and wasm_exec.js as assets
// and give the loader their final URLs.
import wwkit from "./wwkit.mjs";

const assets = {
  wasmUrl: new URL("./wwkit.wasm", import.meta.url).href,
  execUrl: new URL("./wasm_exec.js", import.meta.url).href,
};
const ready = (opts) => wwkit.ready({ ...assets, ...opts });
const api = Object.freeze({
  ready,
  verifyConfig: wwkit.verifyConfig,
  sign: wwkit.sign,
  knownJsApis: wwkit.knownJsApis,
  get version() { return wwkit.version; },
});
export default api;
export { ready };
export const verifyConfig = wwkit.verifyConfig;
export const sign = wwkit.sign;
export const knownJsApis = wwkit.knownJsApis;
