// Package desktop is the wwkit desktop app (桌面应用): plain-Go services, one
// per domain, that the Wails window binds, and — behind the desktop build
// tag only — the `wwkit desktop` and `wwkit tray` subcommands.
//
// The services (ProfileService, TokenService, SignService, QRService,
// MessageService, InboxService, CryptoService) have no Wails import and no
// build tag, so `go test ./app/desktop/...` runs without cgo. They exchange
// DTOs with JSON tags. An errcode from WeCom or the Official Account server
// is data in a DTO (with its explanation from the errcode catalogue); a Go
// error means the tool itself failed.
//
// Secrets (app secret, callback Token, EncodingAESKey, access_token, tickets)
// appear in DTOs only masked; ProfileService.Reveal is the one explicit way
// to read one in clear.
//
// App owns the process-wide parts: it starts the dev server (app/server)
// with the in-process emulator on Start and stops both on Stop.
package desktop
