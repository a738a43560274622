//go:build desktop || bindings

package desktop

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/cli"
)

// errNotBuilt is returned by `wwkit tray` until the Fyne tray exists; the
// command is registered now so the desktop build has its final shape.
var errNotBuilt = errors.New("desktop: not built yet in this version; use `wwkit emulator` or the CLI meanwhile")

func init() {
	cli.Register(newDesktopCmd)
	// A bare `wwkit` in the desktop build opens the window.
	cli.NoArgsHook = func(cmd *cobra.Command) error {
		f := windowFlags{dataDir: os.Getenv("WWKIT_DESKTOP_DATA"), addr: os.Getenv("WWKIT_DESKTOP_ADDR"), publicURL: os.Getenv("WWKIT_PUBLIC_URL")}
		if f.addr == "" {
			f.addr = "0.0.0.0:0"
		}
		return runWindow(cmd.Context(), &cli.Env{Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()}, f)
	}
	cli.Register(func(env *cli.Env) *cobra.Command {
		return &cobra.Command{
			Use:   "tray",
			Short: "Run the wwkit tray companion (dev server, token status, QR code)",
			Args:  cobra.NoArgs,
			RunE:  func(cmd *cobra.Command, args []string) error { return errNotBuilt },
		}
	})
}
