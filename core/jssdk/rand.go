//go:build !js

package jssdk

import "crypto/rand"

// defaultRand is crypto/rand: the nonce of a signed config. The Signer is
// not in the GOOS=js build (see signer.go).
var defaultRand = rand.Reader
