//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains how to build the module when it is built for another target.
func main() {
	fmt.Fprintln(os.Stderr, "wasm: this is the WebAssembly verifier; build it with `make wasm` (GOOS=js GOARCH=wasm)")
	os.Exit(2)
}
