//go:build !js

package jssdk

import "crypto/rand"

// defaultRand is crypto/rand outside the browser; see rand_js.go.
var defaultRand = rand.Reader
