//go:build !desktop && !bindings

package main

import "github.com/wwkit/wwkit/app/cli"

// The headless build is the shared command tree alone.
var build cli.Build
