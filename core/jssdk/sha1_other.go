//go:build !js

package jssdk

import "crypto/sha1"

// sha1Sum is crypto/sha1 outside the browser; sha1_js.go uses
// core/internal/sha1lite there (same digest, see sha1_test.go).
func sha1Sum(b []byte) [20]byte { return sha1.Sum(b) }
