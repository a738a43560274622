package jssdk

import (
	"testing"
	"time"
)

// seconds replaced time.Duration.String in the skew message; the text must
// not change.
func TestSecondsMatchesDuration(t *testing.T) {
	for _, d := range []int64{0, 1, 59, 60, 61, 600, 601, 3599, 3600, 3601, 86399, 86400, 100000, 1 << 31, 9_000_000_000} {
		if got, want := seconds(d), (time.Duration(d) * time.Second).String(); got != want {
			t.Errorf("seconds(%d) = %q, time.Duration says %q", d, got, want)
		}
	}
}
