// Package sha1lite is a small pure-Go SHA-1 (FIPS 180-4). core/jssdk uses it
// in the GOOS=js build instead of crypto/sha1, which links the FIPS 140
// module and adds about 135 KB gzip to the WASM bundle (issue 6). SHA-1 is
// what the JS-SDK signature (签名) is defined with; nothing here is used
// for security beyond reproducing that signature.
package sha1lite

import "math/bits"

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

func block(h *[5]uint32, p []byte) {
	var w [16]uint32
	for i := range w {
		w[i] = be32(p[4*i:])
	}
	a, b, c, d, e := h[0], h[1], h[2], h[3], h[4]
	// Four loops of 20 rounds, so no round picks its function at run time.
	i := 0
	for ; i < 16; i++ {
		t := bits.RotateLeft32(a, 5) + (b&c | ^b&d) + e + w[i] + 0x5A827999
		a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
	}
	for ; i < 20; i++ {
		t := bits.RotateLeft32(a, 5) + (b&c | ^b&d) + e + next(&w, i) + 0x5A827999
		a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
	}
	for ; i < 40; i++ {
		t := bits.RotateLeft32(a, 5) + (b ^ c ^ d) + e + next(&w, i) + 0x6ED9EBA1
		a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
	}
	for ; i < 60; i++ {
		t := bits.RotateLeft32(a, 5) + (b&c | b&d | c&d) + e + next(&w, i) + 0x8F1BBCDC
		a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
	}
	for ; i < 80; i++ {
		t := bits.RotateLeft32(a, 5) + (b ^ c ^ d) + e + next(&w, i) + 0xCA62C1D6
		a, b, c, d, e = t, a, bits.RotateLeft32(b, 30), c, d
	}
	h[0] += a
	h[1] += b
	h[2] += c
	h[3] += d
	h[4] += e
}

// next computes message word i (16 ≤ i < 80) in the 16-word ring.
func next(w *[16]uint32, i int) uint32 {
	x := w[(i-3)&15] ^ w[(i-8)&15] ^ w[(i-14)&15] ^ w[i&15]
	x = bits.RotateLeft32(x, 1)
	w[i&15] = x
	return x
}
