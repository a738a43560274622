//go:build desktop || bindings

package main

// The desktop build adds the desktop and tray subcommands. The bindings tag is
// the one `wails generate module` and `wails build` compile with (they drop
// the desktop tag) to write the TypeScript bindings of the bound services.
import "github.com/wwkit/wwkit/app/desktop"

var build = desktop.CLI()
