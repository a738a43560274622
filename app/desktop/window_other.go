//go:build (desktop || bindings) && !windows

package desktop

import "github.com/wailsapp/wails/v2/pkg/options/windows"

// windowsOptions: Wails reads them on Windows only.
func windowsOptions() *windows.Options { return nil }

// releaseOwnConsole: only a Windows console program gets a console of its own.
func releaseOwnConsole() {}
