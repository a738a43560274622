// Package uilang picks the language (界面语言) of the desktop build's native
// UI (the tray): Chinese or English. The choice the user made is persisted in
// the data directory (locale.json, shared by every process over that
// directory); without one the operating system's locale decides: the
// LANGUAGE, LC_ALL, LC_MESSAGES and LANG variables on Linux and the BSDs
// (read as strings, so LANG=zh_CN.UTF-8 gives Chinese even when that locale
// is not compiled into the C library), the user's UI language on Windows and
// the AppleLanguages preference on macOS (both through go-locale, which Fyne
// uses too).
package uilang

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	golocale "github.com/jeandeaual/go-locale"
)

// Lang is a UI language.
type Lang string

// The languages the UI has.
const (
	En Lang = "en"
	Zh Lang = "zh"
)

// FileName is the file in the data directory that holds the user's choice.
const FileName = "locale.json"

// FromTag maps a locale tag ("zh_CN.UTF-8", "zh-Hans-CN", "en-US", "C") to a
// Lang: Chinese for any zh tag, English otherwise.
func FromTag(tag string) Lang {
	t := strings.ToLower(strings.TrimSpace(tag))
	if t == "zh" || strings.HasPrefix(t, "zh_") || strings.HasPrefix(t, "zh-") || strings.HasPrefix(t, "zh.") {
		return Zh
	}
	return En
}

// Parse accepts "zh" or "en" (any case, or a locale tag) and reports whether
// s named a language at all ("" and "system" do not).
func Parse(s string) (Lang, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "system") {
		return "", false
	}
	return FromTag(s), true
}

// System is the operating system's UI language. On Linux the first of
// LANGUAGE (a colon list, honoured unless the locale is C), LC_ALL,
// LC_MESSAGES and LANG that is set decides.
func System() Lang {
	tag, err := golocale.GetLocale()
	if err != nil || tag == "" {
		return En
	}
	return FromTag(tag)
}

type file struct {
	Lang Lang `json:"lang"`
}

// Load returns the language saved in dir, and false when none is saved (or
// the file does not name one).
func Load(dir string) (Lang, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("uilang: reading the language choice: %w", err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return "", false, fmt.Errorf("uilang: %s is not JSON (%v); delete it to follow the system language", filepath.Join(dir, FileName), err)
	}
	l, ok := Parse(string(f.Lang))
	return l, ok, nil
}

// Save persists l in dir; "" removes the choice (follow the system again).
func Save(dir string, l Lang) error {
	p := filepath.Join(dir, FileName)
	if l == "" {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("uilang: removing the language choice: %w", err)
		}
		return nil
	}
	if l != En && l != Zh {
		return fmt.Errorf("uilang: unknown language %q; use %q or %q", l, En, Zh)
	}
	b, _ := json.Marshal(file{Lang: l})
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("uilang: saving the language choice: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("uilang: saving the language choice: %w", err)
	}
	return nil
}

// Resolve is the language to show: the one saved in dir, else System. A
// broken file is reported and the system language used.
func Resolve(dir string) (Lang, error) {
	if dir != "" {
		l, ok, err := Load(dir)
		if ok {
			return l, nil
		}
		if err != nil {
			return System(), err
		}
	}
	return System(), nil
}
