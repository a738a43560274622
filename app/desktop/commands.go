//go:build desktop

package desktop

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/cli"
)

// errNotBuilt is returned until the Wails window and the Fyne tray exist; the
// commands are registered now so the desktop build has its final shape.
var errNotBuilt = errors.New("desktop: not built yet in this version; use `wwkit emulator` or the CLI meanwhile")

func init() {
	cli.Register(func(env *cli.Env) *cobra.Command {
		return &cobra.Command{
			Use:   "desktop",
			Short: "Open the wwkit desktop app (token inspector, QR codes, test messages, callback inbox)",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return errNotBuilt },
		}
	})
	cli.Register(func(env *cli.Env) *cobra.Command {
		return &cobra.Command{
			Use:   "tray",
			Short: "Run the wwkit tray companion (dev server, token status, QR code)",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return errNotBuilt },
		}
	})
}
