// Command wwkit is the toolkit for building WeCom (企业微信) and WeChat Official
// Account (公众号) H5 pages: JS-SDK signing and diagnostics, callback crypto, an
// API client with safe token management, an offline emulator of Tencent's
// servers, a dev server, and (in the desktop build) a Wails app and a Fyne tray.
//
// This file stays thin: everything lives in app/ and core/.
package main

import (
	"os"

	"github.com/wwkit/wwkit/app/cli"
)

func main() {
	os.Exit(cli.Main(build, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
