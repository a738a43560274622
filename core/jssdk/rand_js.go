//go:build js

package jssdk

import (
	"encoding/binary"
	"math/rand/v2"
)

// defaultRand in the GOOS=js build reads math/rand/v2's global generator
// (ChaCha8, seeded by the Go runtime from crypto.getRandomValues) instead of
// crypto/rand, which would pull fmt, reflect and math/big into the WASM
// bundle (issue 6). That is acceptable for a JS-SDK nonce (随机串): the
// nonce only has to differ between signatures so a signed config is not
// replayed verbatim; the signature's security rests on the jsapi_ticket,
// which the page never learns, not on the nonce being unpredictable.
// Servers signing real configs run the native build, which uses crypto/rand.
var defaultRand = runtimeRand{}

type runtimeRand struct{}

func (runtimeRand) Read(p []byte) (int, error) {
	var b [8]byte
	for i := 0; i < len(p); i += 8 {
		binary.LittleEndian.PutUint64(b[:], rand.Uint64())
		copy(p[i:], b[:])
	}
	return len(p), nil
}
