//go:build js

package jsonlite

// maxDepth is lower than encoding/json's 10000 under GOOS=js: recursion 10000
// deep overflows the host's (Node's, a browser's) native stack and kills the
// module, which encoding/json does too. The verifier's inputs are two levels
// deep; TestDepth checks the limit holds under Node (the measured margin is
// in docs/benchmarks.md).
const maxDepth = 2000
