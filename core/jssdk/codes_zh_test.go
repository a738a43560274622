//go:build !js

package jssdk

import (
	"regexp"
	"strings"
	"testing"
)

// TestCodesHaveChinese walks every finding code: the desktop window and the
// H5 page show meaning and fix in Chinese from this table.
func TestCodesHaveChinese(t *testing.T) {
	for _, c := range Codes() {
		for field, zh := range map[string]string{"MeaningZh": c.MeaningZh, "FixZh": FixZh(c.Code)} {
			if zh == "" {
				t.Errorf("%s: no %s", c.Code, field)
				continue
			}
			if m := untranslated(zh); m != "" {
				t.Errorf("%s: %s holds untranslated English %q", c.Code, field, m)
			}
		}
	}
	if len(fixZh) != len(Codes()) {
		t.Errorf("fixZh has %d entries for %d codes (a stale or misspelled key)", len(fixZh), len(Codes()))
	}
}

// untranslated finds four or more English words in a row that include a
// function word: text left untranslated (names, codes and formulas pass).
func untranslated(s string) string {
	for _, m := range sentenceRun.FindAllString(s, -1) {
		for _, w := range strings.FieldsFunc(strings.ToLower(m), func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == ':' }) {
			if functionWords[w] {
				return m
			}
		}
	}
	return ""
}

var sentenceRun = regexp.MustCompile(`\b[A-Za-z][A-Za-z']+(?:[ ,;:]+[A-Za-z][A-Za-z']*){3,}`)

var functionWords = map[string]bool{"the": true, "a": true, "an": true, "is": true, "are": true, "not": true, "to": true, "of": true,
	"and": true, "or": true, "use": true, "set": true, "no": true, "in": true, "for": true, "with": true, "was": true, "does": true,
	"has": true, "have": true, "be": true, "it": true, "this": true, "from": true, "on": true, "at": true, "by": true, "can": true, "cannot": true}
