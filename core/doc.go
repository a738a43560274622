// Package core is the root of wwkit's pure-Go core: JS-SDK signing and
// diagnostics (jssdk), callback crypto (wxcrypt), callback messages (message),
// the WeCom and Official Account API client with token management, and the
// offline emulator of Tencent's servers.
//
// Nothing under core imports app/, wasm/, frontend/, Wails, Fyne or
// syscall/js, and nothing needs cgo; TestCoreDependencies enforces it.
package core
