// Package localefix keeps Fyne from logging "Error parsing user locale C" on
// every start of the desktop build under the C locale with an encoding
// (LANG=C.UTF-8, the default of Debian containers and many CI machines).
//
// Fyne's lang package reads the locale in its init, and its locale library
// passes "C.UTF-8" on as a language tag that does not parse (plain "C" it
// understands). This package has no dependencies beyond os and strings, so
// Go's initialisation order (Go 1.21+: dependencies first, then by import
// path) runs its init before golang.org/x/text and fyne.io/fyne/v2/lang: it
// shortens such values to "C" for the duration of the package inits, and
// Restore, called from the main package's init, puts the original values
// back before GTK, Fyne's driver or any child process reads them.
package localefix

import (
	"os"
	"strings"
)

type saved struct {
	name, value string
}

var changed []saved

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		// The first non-empty variable is the one the locale library reads.
		if base, _, ok := strings.Cut(v, "."); ok && (base == "C" || base == "POSIX") {
			changed = append(changed, saved{name, v})
			_ = os.Setenv(name, base)
		}
		return
	}
}

// Restore puts back the environment as the process received it.
func Restore() {
	for _, s := range changed {
		_ = os.Setenv(s.name, s.value)
	}
	changed = nil
}
