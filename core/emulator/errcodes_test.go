package emulator

import (
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// TestEmulatorErrcodesAreCatalogued checks that every errcode the emulator
// can answer with is explained by the client's catalogue in English and
// Chinese, so a user who meets it offline gets the meaning and what to check.
func TestEmulatorErrcodesAreCatalogued(t *testing.T) {
	if len(errmsgs) < 10 {
		t.Fatalf("the emulator's errcode table has %d entries; the check proves nothing", len(errmsgs))
	}
	for code := range errmsgs {
		if code == 0 {
			continue
		}
		info, ok := api.Errcodes[code]
		if !ok {
			t.Errorf("errcode %d: no catalogue entry in core/api", code)
			continue
		}
		if info.Meaning == "" || info.Check == "" || info.MeaningZH == "" || info.CheckZH == "" {
			t.Errorf("errcode %d: catalogue entry lacks a language: %+v", code, info)
		}
	}
}
