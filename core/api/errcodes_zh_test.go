package api

import (
	"regexp"
	"strings"
	"testing"
)

// TestErrcodeCatalogueChinese walks every errcode: the desktop window shows
// its meaning and what to check in Chinese from this catalogue, so each
// needs both, without English sentences left in.
func TestErrcodeCatalogueChinese(t *testing.T) {
	for code, info := range Errcodes {
		for field, zh := range map[string]string{"MeaningZH": info.MeaningZH, "CheckZH": info.CheckZH} {
			if zh == "" {
				t.Errorf("errcode %d: no %s", code, field)
			} else if m := untranslated(zh); m != "" {
				t.Errorf("errcode %d: %s holds untranslated English %q", code, field, m)
			}
		}
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
