//go:build !desktop

package tray

import (
	"context"
	"errors"
)

// Run reports that this build has no tray: the Fyne tray needs cgo and the
// desktop build tag (`make desktop`). It exists so the bindings generator,
// which builds app/desktop without the desktop tag, still compiles.
func Run(ctx context.Context, cfg Config) error {
	return errors.New("tray: this wwkit was built without the tray; build it with `make desktop`")
}
