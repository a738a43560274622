import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["h5/test/**/*.test.ts"],
    environment: "jsdom",
  },
});
