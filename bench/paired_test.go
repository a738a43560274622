package bench

import (
	"crypto/sha1"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// paired times fns in alternating chunks of calls (rotating which goes
// first) and reports, for each, the median chunk time per call and its ratio
// to fns[0], the floor. On a shared machine, load that comes and goes then
// hits every function alike, and the median drops the chunks in which the
// scheduler took the CPU away, so the ratio holds where separate
// benchmarks, run seconds apart, drift. Each b.N iteration is one call of
// every function.
func paired(b *testing.B, names []string, fns []func()) {
	const chunk = 128
	per := make([][]time.Duration, len(fns))
	for round, calls := 0, 0; calls < b.N; round++ {
		for k := range fns {
			i := (k + round) % len(fns)
			f := fns[i]
			t0 := time.Now()
			for j := 0; j < chunk; j++ {
				f()
			}
			per[i] = append(per[i], time.Since(t0))
		}
		calls += chunk
	}
	med := make([]float64, len(fns))
	for i := range per {
		slices.Sort(per[i])
		med[i] = float64(per[i][len(per[i])/2].Nanoseconds()) / chunk
	}
	for i, n := range names {
		b.ReportMetric(med[i], n+"-ns/call")
		if i > 0 {
			b.ReportMetric(med[i]/med[0], n+"/"+names[0])
		}
	}
}

var (
	pairedSum [sha1.Size]byte
	pairedStr string
	pairedBuf = make([]byte, 0, 64)
)

// BenchmarkPaired/msg_signature: wxcrypt.Signature, AppendSignature and
// VerifySignature against sha1.Sum of the same sorted and joined bytes, over
// the Encrypt value of the 300-byte message (as BenchmarkSignature).
// BenchmarkPaired/callback_decrypt: the whole 300-byte callback decrypt
// (BenchmarkCallbackDecrypt/300B/wwkit) against its floor, the primitives
// of BenchmarkCallbackPrimitives run in a row, and each primitive alone.
// BenchmarkPaired/jssdk_sign: jssdk.Sign against sha1.Sum of the same string
// to sign (as core/jssdk's BenchmarkSign and BenchmarkSHA1Reference).
func BenchmarkPaired(b *testing.B) {
	f := newFixture(b, 300)
	env, err := wxcrypt.ParseEnvelope(f.body)
	if err != nil {
		b.Fatal(err)
	}
	enc := env.Encrypt
	parts := []string{token, ts, nonce, enc}
	sort.Strings(parts)
	joined := []byte(strings.Join(parts, ""))
	c, err := wxcrypt.New(token, aesKey, appID)
	if err != nil {
		b.Fatal(err)
	}
	sig := wxcrypt.Signature(token, ts, nonce, enc)
	b.Run("msg_signature", func(b *testing.B) {
		paired(b, []string{"bare_sha1", "wwkit", "wwkit_append", "wwkit_verify"}, []func(){
			func() { pairedSum = sha1.Sum(joined) },
			func() { pairedStr = wxcrypt.Signature(token, ts, nonce, enc) },
			func() { pairedBuf = wxcrypt.AppendSignature(pairedBuf[:0], token, ts, nonce, enc) },
			func() {
				if c.VerifySignature(sig, ts, nonce, enc) != nil {
					b.Fatal("signature does not verify")
				}
			},
		})
	})
	p := newPrimitives(b, f)
	decrypt := wwkitDecrypt(c)
	b.Run("callback_decrypt", func(b *testing.B) {
		paired(b, []string{"primitives", "wwkit", "sha1", "base64", "aescbc"}, []func(){
			p.all,
			func() {
				if _, err := decrypt(f); err != nil {
					b.Fatal(err)
				}
			},
			func() { pairedSum = p.sha1() },
			func() {
				if _, err := p.base64(); err != nil {
					b.Fatal(err)
				}
			},
			p.aescbc,
		})
	})
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	const url = "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"
	str := []byte(jssdk.StringToSign(ticket, "abc123xyz", 1700000000, url))
	b.Run("jssdk_sign", func(b *testing.B) {
		paired(b, []string{"bare_sha1", "wwkit"}, []func(){
			func() { pairedSum = sha1.Sum(str) },
			func() { pairedStr = jssdk.Sign(ticket, "abc123xyz", 1700000000, url) },
		})
	})
}

// TestPairedFunctionsAgree checks that the paired functions compute what
// they stand for before they are timed.
func TestPairedFunctionsAgree(t *testing.T) {
	f := newFixture(t, 300)
	env, err := wxcrypt.ParseEnvelope(f.body)
	if err != nil {
		t.Fatal(err)
	}
	want := RefSignature(token, ts, nonce, env.Encrypt)
	if got := wxcrypt.Signature(token, ts, nonce, env.Encrypt); got != want {
		t.Fatalf("Signature %s, reference %s", got, want)
	}
	if got := string(wxcrypt.AppendSignature(nil, token, ts, nonce, env.Encrypt)); got != want {
		t.Fatalf("AppendSignature %s, reference %s", got, want)
	}
	if want != f.sig {
		t.Fatalf("fixture signature %s, reference %s", f.sig, want)
	}
}
