//go:build !js

package jssdk

import (
	"crypto/sha1"
	"hash"
)

// sha1Sum is crypto/sha1 outside the browser; sha1_js.go uses
// internal/sha1lite there (same digest, see sha1_test.go).
func sha1Sum(b []byte) [20]byte { return sha1.Sum(b) }

// digest is a SHA-1 in progress that the forensics fork to hash a shared
// prefix once (crypto/sha1 here, through hash.Cloner; sha1lite.Digest, a
// plain value, in the js build).
type digest struct {
	h   hash.Hash
	buf []byte
}

func newDigest() digest { return digest{h: sha1.New()} }

func (d *digest) writeString(s string) {
	d.buf = append(d.buf[:0], s...)
	d.h.Write(d.buf)
}

func (d *digest) write(p []byte) { d.h.Write(p) }

func (d *digest) forkInto(dst *digest) { *dst = d.fork() }

func (d *digest) fork() digest {
	c, err := d.h.(hash.Cloner).Clone()
	if err != nil {
		// crypto/sha1 always clones; a failure is a broken toolchain.
		panic("jssdk: crypto/sha1 cannot clone its state: " + err.Error())
	}
	return digest{h: c.(hash.Hash), buf: d.buf}
}

// finish returns the digest as big-endian words (d is not used after).
func (d *digest) finish() [5]uint32 {
	var b [20]byte
	return sumWords(d.h.Sum(b[:0]))
}
