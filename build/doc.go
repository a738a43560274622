// Package build holds no code: the directory is Wails' packaging inputs
// (appicon.png, windows/, darwin/, linux/) and build/bin is build output.
// Its test checks the release inputs that no machine here can run: the
// workflow that builds macOS, and the macOS Info.plist.
package build
