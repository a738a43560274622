//go:build js

package jssdk

// unixNow is nil in the GOOS=js build: the time package alone is a large
// share of the WASM verifier (figure in docs/benchmarks.md), so Check there has
// no clock of its own. The verifier passes JavaScript's Date.now() as
// Input.Now; a caller that passes nothing gets no skew check.
var unixNow func() int64
