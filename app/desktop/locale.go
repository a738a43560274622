//go:build desktop || bindings

package desktop

import "github.com/wwkit/wwkit/app/internal/localefix"

// This package imports the tray, which imports Fyne, so by the time this init
// runs Fyne's lang package has read the locale (with LANG=C.UTF-8 shortened
// to C by localefix, so it does not log a parse error on every start). Give
// the process its real environment back before GTK or a child reads it.
func init() { localefix.Restore() }
