import { writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

const out = fileURLToPath(new URL("./dist/desktop", import.meta.url));

// The desktop UI shown by the Wails window of `wwkit desktop` (Vue 3 +
// Naive UI + vue-i18n). Everything is bundled into dist/desktop/ (no CDN,
// no web fonts), which frontend/embed.go embeds (frontend.Desktop()). The
// Wails asset server injects /wails/runtime.js and /wails/ipc.js into
// index.html; the UI reaches the Go services through window.go.desktop.*
// (src/api.ts). Vite empties the folder, so .gitkeep is written back for
// //go:embed on a clean checkout.
export default defineConfig({
  root: "desktop",
  base: "./",
  plugins: [
    vue(),
    {
      name: "wwkit-gitkeep",
      closeBundle() {
        mkdirSync(out, { recursive: true });
        writeFileSync(`${out}/.gitkeep`, "");
      },
    },
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: out,
    emptyOutDir: true,
    target: "es2020",
    chunkSizeWarningLimit: 1500,
  },
});
