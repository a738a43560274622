package jssdk

import (
	"crypto/sha1"
	"testing"

	"github.com/wwkit/wwkit/internal/sha1lite"
)

// TestSHA1ImplementationsAgree: the digest Sign uses in the js build
// (sha1lite) equals crypto/sha1's on the strings the signer builds.
func TestSHA1ImplementationsAgree(t *testing.T) {
	for _, s := range []string{"", StringToSign(corpTicket, nonce, ts, pageURL), StringToSign("t", "n", 1, "https://a.cn/?"+string(make([]byte, 600)))} {
		if sha1lite.Sum([]byte(s)) != sha1.Sum([]byte(s)) || sha1Sum([]byte(s)) != sha1.Sum([]byte(s)) {
			t.Fatalf("digests differ for %.40q", s)
		}
	}
}
