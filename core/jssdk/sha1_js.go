//go:build js

package jssdk

import "github.com/wwkit/wwkit/internal/sha1lite"

// sha1Sum is the small pure-Go SHA-1 in the GOOS=js build: crypto/sha1 links
// the FIPS 140 module, too large for the WASM bundle (docs/benchmarks.md).
// sha1_test.go checks, natively, that it gives crypto/sha1's digests.
func sha1Sum(b []byte) [20]byte { return sha1lite.Sum(b) }

// digest is a SHA-1 in progress that the forensics fork (copy) to hash a
// shared prefix once; see sha1_other.go.
type digest struct{ d sha1lite.Digest }

func newDigest() digest                { return digest{sha1lite.New()} }
func (d *digest) writeString(s string) { d.d.WriteString(s) }
func (d *digest) write(p []byte)       { d.d.Write(p) }
func (d *digest) fork() digest         { return *d }
func (d *digest) forkInto(dst *digest) { *dst = *d }

// finish returns the digest as big-endian words and spends d.
func (d *digest) finish() [5]uint32 { return d.d.Finish() }
