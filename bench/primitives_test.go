package bench

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"sort"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// primitives holds the inputs of the work no callback decrypt can skip,
// taken from one fixture: the bytes msg_signature is the SHA-1 of (token,
// timestamp, nonce and Encrypt, sorted and joined), the Encrypt value to
// base64-decode, and its ciphertext to AES-256-CBC-decrypt, with buffers
// allocated once so that only the primitive itself is timed.
type primitives struct {
	signed  []byte
	encrypt []byte
	ct      []byte
	cbc     cipher.BlockMode
	iv      []byte
	dec, pt []byte
}

func newPrimitives(tb testing.TB, f fixture) *primitives {
	env, err := wxcrypt.ParseEnvelope(f.body)
	if err != nil {
		tb.Fatal(err)
	}
	parts := []string{token, ts, nonce, env.Encrypt}
	sort.Strings(parts)
	key, err := base64.StdEncoding.DecodeString(aesKey + "=")
	if err != nil {
		tb.Fatal(err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		tb.Fatal(err)
	}
	ct, err := base64.StdEncoding.DecodeString(env.Encrypt)
	if err != nil {
		tb.Fatal(err)
	}
	return &primitives{
		signed:  []byte(strings.Join(parts, "")),
		encrypt: []byte(env.Encrypt),
		ct:      ct,
		cbc:     cipher.NewCBCDecrypter(block, key[:aes.BlockSize]),
		iv:      key[:aes.BlockSize],
		dec:     make([]byte, base64.StdEncoding.DecodedLen(len(env.Encrypt))),
		pt:      make([]byte, len(ct)),
	}
}

func (p *primitives) sha1() [sha1.Size]byte { return sha1.Sum(p.signed) }

func (p *primitives) base64() (int, error) { return base64.StdEncoding.Decode(p.dec, p.encrypt) }

// aescbc decrypts with a BlockMode built once: SetIV resets the chaining
// value, so the expanded key is not copied for every message and only the
// decryption itself is timed.
func (p *primitives) aescbc() {
	p.cbc.(interface{ SetIV([]byte) }).SetIV(p.iv)
	p.cbc.CryptBlocks(p.pt, p.ct)
}

// all runs the three primitives in a row: the floor of a callback decrypt.
func (p *primitives) all() {
	pairedSum = p.sha1()
	if _, err := p.base64(); err != nil {
		panic(err)
	}
	p.aescbc()
}

// TestPrimitivesAreTheDecrypt checks that the primitives timed as the floor
// of BenchmarkCallbackDecrypt/300B work on that benchmark's bytes: the SHA-1
// is the fixture's msg_signature, base64 gives the ciphertext, and AES-CBC
// gives a plaintext holding the fixture's message.
func TestPrimitivesAreTheDecrypt(t *testing.T) {
	f := newFixture(t, 300)
	p := newPrimitives(t, f)
	sum := p.sha1()
	if hex.EncodeToString(sum[:]) != f.sig {
		t.Fatalf("sha1 of the signed bytes is %x, fixture msg_signature %s", sum, f.sig)
	}
	n, err := p.base64()
	if err != nil || !bytes.Equal(p.dec[:n], p.ct) {
		t.Fatalf("base64 decode: %v, %d bytes", err, n)
	}
	p.aescbc()
	if !bytes.Contains(p.pt, f.msg) {
		t.Fatalf("AES-CBC plaintext does not hold the message:\n%q", p.pt)
	}
}

// BenchmarkCallbackPrimitives times, on the bytes of
// BenchmarkCallbackDecrypt/300B, each primitive a decrypt cannot avoid:
// sha1 (SHA-1 of the signed bytes), base64 (decoding the Encrypt value) and
// aescbc (AES-256-CBC decryption of the ciphertext). Their sum is the floor
// the wwkit decrypt is compared with.
func BenchmarkCallbackPrimitives(b *testing.B) {
	p := newPrimitives(b, newFixture(b, 300))
	b.Run("300B/sha1", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pairedSum = p.sha1()
		}
	})
	b.Run("300B/base64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.base64(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("300B/aescbc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.aescbc()
		}
	})
}
