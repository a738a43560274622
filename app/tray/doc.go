// Package tray is the wwkit tray companion (`wwkit tray` in the desktop
// build): a system tray icon (Fyne) whose menu shows the active profile, token
// status, the dev server state and new callbacks, with the frequent actions
// one click away (H5 QR code, signature on the clipboard, test message).
//
// The status and actions live in the plain-Go view-model app/tray/model; the
// Fyne code (files with the desktop build tag) only renders model.Menu and
// forwards clicks. Where there is no tray host (no D-Bus session, no
// StatusNotifierWatcher) the tray says so once and shows the same menu as a
// small window instead. One tray runs per user (app/tray/instance).
package tray
