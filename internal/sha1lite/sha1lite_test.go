package sha1lite

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"testing"
)

func TestSumVectors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
		{"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		// The JS-SDK documentation example (签名算法).
		{"jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"},
		{strings.Repeat("a", 1000000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
	}
	for _, tc := range tests {
		sum := Sum([]byte(tc.in))
		if got := hex.EncodeToString(sum[:]); got != tc.want {
			t.Errorf("Sum(%.20q…) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSumMatchesCryptoSHA1AtEveryLength(t *testing.T) {
	buf := make([]byte, 300)
	for i := range buf {
		buf[i] = byte(i*7 + 3)
	}
	for n := 0; n <= len(buf); n++ {
		if Sum(buf[:n]) != sha1.Sum(buf[:n]) {
			t.Fatalf("length %d differs from crypto/sha1", n)
		}
	}
}

// FuzzSum: Sum equals crypto/sha1 on any input.
func FuzzSum(f *testing.F) {
	for _, s := range []string{"", "abc", strings.Repeat("x", 55), strings.Repeat("x", 56), strings.Repeat("x", 64), strings.Repeat("x", 119)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if Sum(data) != sha1.Sum(data) {
			t.Fatalf("Sum(%q) differs from crypto/sha1", data)
		}
	})
}

func BenchmarkSum300(b *testing.B) {
	data := make([]byte, 300)
	b.SetBytes(300)
	for b.Loop() {
		Sum(data)
	}
}

func BenchmarkCryptoSHA1Sum300(b *testing.B) {
	data := make([]byte, 300)
	b.SetBytes(300)
	for b.Loop() {
		sha1.Sum(data)
	}
}

// TestDigestForks: a Digest written in pieces, and copies of it finished
// with different suffixes, give crypto/sha1's digest of the whole message.
func TestDigestForks(t *testing.T) {
	msg := make([]byte, 300)
	for i := range msg {
		msg[i] = byte(i*7 + 3)
	}
	for cut := 0; cut <= len(msg); cut++ {
		d := New()
		d.WriteString(string(msg[:cut/2]))
		d.Write(msg[cut/2 : cut])
		fork := d
		for _, end := range []int{cut, (cut + len(msg)) / 2, len(msg)} {
			f := fork
			f.Write(msg[cut:end])
			if f.Sum() != sha1.Sum(msg[:end]) {
				t.Fatalf("prefix %d, end %d: Digest differs from crypto/sha1", cut, end)
			}
			want := sha1.Sum(msg[:end])
			w := f.Finish()
			for i, v := range w {
				if v != uint32(want[4*i])<<24|uint32(want[4*i+1])<<16|uint32(want[4*i+2])<<8|uint32(want[4*i+3]) {
					t.Fatalf("prefix %d, end %d: Finish word %d differs from crypto/sha1", cut, end, i)
				}
			}
		}
		if d.Sum() != sha1.Sum(msg[:cut]) || d.Sum() != Sum(msg[:cut]) {
			t.Fatalf("prefix %d: Sum changed the digest or differs", cut)
		}
	}
}
