import { defineConfig } from "vite";

// The H5 debug page: relative asset URLs (base ./) so it works under any
// path the dev server mounts it at; the verifier is copied into
// dist/h5/wwkit/ by scripts/copy-wasm.mjs and imported at run time.
export default defineConfig({
  root: "h5",
  base: "./",
  build: {
    outDir: "../dist/h5",
    emptyOutDir: true,
    target: "es2020",
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { "/api": process.env.WWKIT_SERVE_URL ?? "http://127.0.0.1:8080" },
  },
});
