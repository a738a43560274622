package token

import (
	"testing"
	"time"
)

// FuzzDecode: decoding any record never panics; on error the entry is zero;
// a decoded entry is valid and re-encodes to the same record.
func FuzzDecode(f *testing.F) {
	now := time.UnixMilli(1_800_000_000_000)
	seeds := []string{
		encode(Entry{Value: "TOKEN-abc", Expires: now, RefreshAt: now.Add(-time.Minute), FP: Fingerprint("TOKEN-abc")}),
		encode(Entry{Value: "TICKET-x", Expires: now, RefreshAt: now, FP: Fingerprint("TICKET-x"), ParentFP: Fingerprint("TOKEN-abc")}),
		"", "1", "1\t\t\t\t\t", "2\t1\t1\tx\ty\tz", "1\t-1\t99999999999999999999\tfp\t\tv",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := decode(s)
		if err != nil {
			if e != (Entry{}) {
				t.Fatalf("error %v with a non-zero entry %+v", err, e)
			}
			return
		}
		if ValidValue(e.Value) != nil || e.FP != Fingerprint(e.Value) {
			t.Fatalf("decoded an invalid entry from %q", s)
		}
		if again, err := decode(encode(e)); err != nil || again != e {
			t.Fatalf("round trip: %+v → %+v (%v)", e, again, err)
		}
	})
}
