//go:build bindings

package desktop

// generatingBindings is true in the binary `wails generate module` and
// `wails build` compile (tag bindings, without the desktop tag) and run to
// write the TypeScript bindings: wails.Run only reflects on the bound
// services there, so the dev server and the emulator are not started.
const generatingBindings = true
