// Package sha1lite is a small pure-Go SHA-1 (FIPS 180-4). core/jssdk uses it
// in the GOOS=js build instead of crypto/sha1, which links the FIPS 140
// module, a large share of the WASM bundle (figure in docs/benchmarks.md).
// SHA-1 is
// what the JS-SDK signature (签名) is defined with; nothing here is used
// for security beyond reproducing that signature.
package sha1lite

//go:generate go run gen_block.go

// Big-endian words by hand: encoding/binary imports reflect, which the WASM
// bundle should not carry.
func be32(p []byte) uint32 {
	_ = p[3]
	return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
}

func putBE32(p []byte, v uint32) {
	_ = p[3]
	p[0], p[1], p[2], p[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

// Size is the length of a SHA-1 digest in bytes.
const Size = 20

// Sum returns the SHA-1 digest of data.
func Sum(data []byte) [Size]byte {
	h := [5]uint32{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}
	n := len(data)
	full := n &^ 63
	for i := 0; i < full; i += 64 {
		block(&h, data[i:i+64])
	}
	// Padding: 0x80, zeros, then the bit length, in one or two blocks.
	var tail [128]byte
	r := copy(tail[:], data[full:])
	tail[r] = 0x80
	end := 64
	if r >= 56 {
		end = 128
	}
	bitLen := uint64(n) << 3
	putBE32(tail[end-8:], uint32(bitLen>>32))
	putBE32(tail[end-4:], uint32(bitLen))
	block(&h, tail[:64])
	if end == 128 {
		block(&h, tail[64:128])
	}
	var out [Size]byte
	for i, v := range h {
		putBE32(out[4*i:], v)
	}
	return out
}

// Digest is a SHA-1 in progress. It is a plain value: copying it forks the
// computation, so a shared prefix is hashed once and finished with many
// different suffixes (the JS-SDK forensics try thousands of strings that
// share their first blocks).
type Digest struct {
	h    [5]uint32
	buf  [64]byte
	nbuf int
	n    uint64
}

// New returns a Digest with nothing written.
func New() Digest {
	return Digest{h: [5]uint32{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}}
}

// WriteString adds s to the message.
func (d *Digest) WriteString(s string) { write(d, s) }

// Write adds p to the message.
func (d *Digest) Write(p []byte) { write(d, p) }

func write[T string | []byte](d *Digest, s T) {
	d.n += uint64(len(s))
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], s)
		d.nbuf += k
		s = s[k:]
		if d.nbuf < 64 {
			return
		}
		block(&d.h, d.buf[:])
		d.nbuf = 0
	}
	for len(s) >= 64 {
		k := copy(d.buf[:], s[:64])
		block(&d.h, d.buf[:k])
		s = s[64:]
	}
	d.nbuf = copy(d.buf[:], s)
}

// Finish pads d in place and returns the digest as five words (Sum's bytes,
// big-endian). It leaves d spent: for a copy that is thrown away afterwards,
// as the forensics do thousands of times per check, it saves Sum's copy.
func (d *Digest) Finish() [5]uint32 {
	bitLen := d.n << 3
	n := d.nbuf
	d.buf[n] = 0x80
	clear(d.buf[n+1:])
	if n >= 56 {
		block(&d.h, d.buf[:])
		clear(d.buf[:56])
	}
	for i := 0; i < 8; i++ {
		d.buf[56+i] = byte(bitLen >> (56 - 8*i))
	}
	block(&d.h, d.buf[:])
	return d.h
}

// Sum returns the digest of what was written; d is not changed. It pads in
// the block buffer directly (no intermediate write), as the forensics call it
// thousands of times per check.
func (d *Digest) Sum() [Size]byte {
	h := d.h
	bitLen := d.n << 3
	buf := d.buf
	n := d.nbuf
	buf[n] = 0x80
	clear(buf[n+1:])
	if n >= 56 {
		block(&h, buf[:])
		clear(buf[:56])
	}
	for i := 0; i < 8; i++ {
		buf[56+i] = byte(bitLen >> (56 - 8*i))
	}
	block(&h, buf[:])
	var out [Size]byte
	for i, v := range h {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	return out
}
