import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// Unit tests of the H5 page (h5/test) and of the desktop UI (desktop/test),
// both in jsdom. The Vue plugin only touches .vue files.
export default defineConfig({
  plugins: [vue()],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  test: {
    include: ["h5/test/**/*.test.ts", "desktop/test/**/*.test.ts"],
    environment: "jsdom",
  },
});
