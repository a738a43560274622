import { createApp } from "vue";
import App from "./App.vue";
import { i18n } from "./i18n";

// The wwkit desktop UI. Wails injects /wails/runtime.js and /wails/ipc.js
// (window.go, window.runtime) before this module runs.
const app = createApp(App);
app.use(i18n);
app.mount("#app");
document.documentElement.lang = i18n.global.locale.value === "zh" ? "zh-CN" : "en";
