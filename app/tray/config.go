package tray

import (
	"io"
	"time"

	"github.com/wwkit/wwkit/app/internal/uilang"
	"github.com/wwkit/wwkit/app/tray/model"
)

// Config configures Run.
type Config struct {
	// Backend is the dev server and services (the desktop App). Required.
	Backend model.Backend
	// Me is who a test message goes to (model.Options.Me); "" is the
	// current user.
	Me string
	// Lang is the UI language (uilang.Resolve over the data directory).
	Lang uilang.Lang
	// SaveLang persists a language picked in the menu.
	SaveLang func(uilang.Lang) error
	// DataDir is the data directory the inspector window is started with
	// (model.Options.DataDir).
	DataDir string
	// Icon is the PNG tray and window icon; Fyne's default when nil.
	Icon []byte
	// Stderr receives the start line (the dev server URL) and notices.
	Stderr io.Writer
	// LockPath is the single-instance socket (default
	// instance.DefaultPath()); "-" disables the check.
	LockPath string
	// RefreshEvery is how often token status is refreshed (and expired
	// tokens fetched again); default 1 minute.
	RefreshEvery time.Duration
}
