//go:build desktop

package main

// The desktop build adds the desktop and tray subcommands.
import _ "github.com/wwkit/wwkit/app/desktop"
