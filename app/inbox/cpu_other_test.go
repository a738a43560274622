//go:build !unix

package inbox

import "time"

func processCPU() time.Duration { return 0 }
