// .vue files are compiled by @vitejs/plugin-vue; for `tsc` they are components.
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
