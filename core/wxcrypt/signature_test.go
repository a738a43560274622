package wxcrypt

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"testing"
)

// naiveSignature is the textbook msg_signature: sort.Strings, join, SHA-1, hex.
func naiveSignature(parts ...string) string {
	p := append([]string(nil), parts...)
	sort.Strings(p)
	s := sha1.Sum([]byte(strings.Join(p, "")))
	return hex.EncodeToString(s[:])
}

// TestSignatureMatchesNaive covers every buffer size class, the streaming
// path, empty parts, equal first bytes (the runtime comparison) and every
// byte value in the digest (hex table).
func TestSignatureMatchesNaive(t *testing.T) {
	parts := [][4]string{
		{"", "", "", ""},
		{"a", "a", "a", "a"},
		{"ab", "aa", "a", ""},
		{"\xff", "\x00", "1700000000", "QDG6eK"},
		{fzToken, "1700000296", "1320562132", strings.Repeat("QUJD", 118)},
	}
	for _, n := range []int{100, 400, 900, 2000, 5000} {
		parts = append(parts, [4]string{"t" + fzToken, "1700000296", "1320562132", strings.Repeat("x", n)})
	}
	for i := 0; i < 300; i++ {
		parts = append(parts, [4]string{fzToken, "17000" + strings.Repeat("9", i%7), string(rune('0' + i%10)), strings.Repeat("ab", i)})
	}
	c := mustNew(t)
	for _, p := range parts {
		want := naiveSignature(p[:]...)
		if got := Signature(p[0], p[1], p[2], p[3]); got != want {
			t.Fatalf("Signature(%q…) = %s, want %s", p[0], got, want)
		}
		if got := string(AppendSignature([]byte("x="), p[0], p[1], p[2], p[3])); got != "x="+want {
			t.Fatalf("AppendSignature = %s, want x=%s", got, want)
		}
		if p[0] != fzToken {
			continue
		}
		if err := c.VerifySignature(want, p[1], p[2], p[3]); err != nil {
			t.Fatalf("VerifySignature(good): %v", err)
		}
		if err := c.VerifySignature(strings.ToUpper(want), p[1], p[2], p[3]); err != nil {
			t.Fatalf("VerifySignature(upper case): %v", err)
		}
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	c := mustNew(t)
	good := Signature(fzToken, "1", "2", "enc")
	// \x10|0x20 is '0' and 'G'|0x20 is 'g': a decoder that only folds case
	// would be lenient here.
	for _, bad := range []string{"", good[:39], good + "0", "\x10" + good[1:], "G" + good[1:], "g" + good[1:], " " + good[1:], good[:39] + "\xff"} {
		if err := c.VerifySignature(bad, "1", "2", "enc"); !errors.Is(err, ErrValidateSignature) {
			t.Errorf("VerifySignature(%q) = %v, want ErrValidateSignature", bad, err)
		}
	}
	if err := c.VerifySignature(good, "1", "2", "enc2"); !errors.Is(err, ErrValidateSignature) {
		t.Errorf("other Encrypt accepted: %v", err)
	}
}

func TestSignatureAllocations(t *testing.T) {
	enc := strings.Repeat("QUJD", 118)
	c := mustNew(t)
	sig := Signature(fzToken, "1700000296", "1320562132", enc)
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { _ = Signature(fzToken, "1700000296", "1320562132", enc) }); n > 1 {
		t.Errorf("Signature allocates %v times, want 1 (the result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { buf = AppendSignature(buf[:0], fzToken, "1700000296", "1320562132", enc) }); n != 0 {
		t.Errorf("AppendSignature allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.VerifySignature(sig, "1700000296", "1320562132", enc) }); n != 0 {
		t.Errorf("VerifySignature allocates %v times, want 0", n)
	}
}

// The msg_signature benchmarks over the Encrypt value of a 300-byte message
// (~470 base64 characters), with the floor: a bare sha1.Sum over the same,
// already sorted and joined, bytes.
var (
	benchEnc = strings.Repeat("QUJD", 118)
	benchStr string
	benchSum [sha1.Size]byte
	benchBuf = make([]byte, 0, 64)
)

func BenchmarkSignatureFloorSHA1(b *testing.B) {
	p := []string{fzToken, "1700000296", "1320562132", benchEnc}
	sort.Strings(p)
	joined := []byte(strings.Join(p, ""))
	b.ReportAllocs()
	for b.Loop() {
		benchSum = sha1.Sum(joined)
	}
}

func BenchmarkSignatureString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchStr = Signature(fzToken, "1700000296", "1320562132", benchEnc)
	}
}

func BenchmarkSignatureAppend(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchBuf = AppendSignature(benchBuf[:0], fzToken, "1700000296", "1320562132", benchEnc)
	}
}

func BenchmarkSignatureVerify(b *testing.B) {
	c, _ := New(fzToken, fzKey, fzID)
	sig := Signature(fzToken, "1700000296", "1320562132", benchEnc)
	b.ReportAllocs()
	for b.Loop() {
		if c.VerifySignature(sig, "1700000296", "1320562132", benchEnc) != nil {
			b.Fatal("no match")
		}
	}
}

// TestHexEqualEveryByte changes each of the 40 digits to every byte value:
// only the digit itself, or the upper-case form of a letter, may pass.
func TestHexEqualEveryByte(t *testing.T) {
	want := sha1.Sum([]byte("wwkit"))
	good := hex.EncodeToString(want[:])
	if !hexEqual(good, &want) || !hexEqual(strings.ToUpper(good), &want) {
		t.Fatal("the signature itself is rejected")
	}
	for i := 0; i < len(good); i++ {
		for v := 0; v < 256; v++ {
			s := good[:i] + string([]byte{byte(v)}) + good[i+1:]
			accept := byte(v) == good[i] || ('a' <= good[i] && good[i] <= 'f' && byte(v) == good[i]-'a'+'A')
			if hexEqual(s, &want) != accept {
				t.Fatalf("digit %d set to %#x: hexEqual = %v, want %v", i, v, !accept, accept)
			}
		}
	}
}
