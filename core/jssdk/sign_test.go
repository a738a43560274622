package jssdk

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

type vectorFile struct {
	Count int `json:"count"`
	Cases []struct {
		Name         string `json:"name"`
		Ticket       string `json:"jsapi_ticket"`
		NonceStr     string `json:"noncestr"`
		Timestamp    string `json:"timestamp"`
		URL          string `json:"url"`
		StringToSign string `json:"stringToSign"`
		Signature    string `json:"signature"`
	} `json:"cases"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) == 0 || len(v.Cases) != v.Count {
		t.Fatalf("vectors: %d cases, count says %d", len(v.Cases), v.Count)
	}
	return v
}

func TestVectors(t *testing.T) {
	for _, tc := range loadVectors(t).Cases {
		t.Run(tc.Name, func(t *testing.T) {
			ts, err := strconv.ParseInt(tc.Timestamp, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			if got := StringToSign(tc.Ticket, tc.NonceStr, ts, tc.URL); got != tc.StringToSign {
				t.Errorf("StringToSign = %q, want %q", got, tc.StringToSign)
			}
			if got := Sign(tc.Ticket, tc.NonceStr, ts, tc.URL); got != tc.Signature {
				t.Errorf("Sign = %s, want %s", got, tc.Signature)
			}
			// The fragment is dropped, nothing else changes.
			if got := Sign(tc.Ticket, tc.NonceStr, ts, tc.URL+"#/orders/9?x=%20"); got != tc.Signature {
				t.Errorf("Sign with fragment = %s, want %s", got, tc.Signature)
			}
			// Check accepts the vector as a correct config.
			res := Check(Input{AppID: "ww0123456789abcdef", Timestamp: TimestampOf(ts), NonceStr: tc.NonceStr, Signature: tc.Signature, URL: tc.URL, Ticket: tc.Ticket, Now: ts})
			if !res.OK || !res.Has(CodeSignatureOK) || res.StringToSign != tc.StringToSign {
				t.Errorf("Check: ok=%v findings=%+v sts=%q", res.OK, res.Findings, res.StringToSign)
			}
		})
	}
}

// The worked examples of the spec (jssdk-signing.md §5).
func TestSpecExamples(t *testing.T) {
	const docTicket = "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
	tests := []struct {
		name, ticket, nonce string
		ts                  int64
		url, want           string
	}{
		{"wecom doc", docTicket, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value", "0f9de62fce790f9a083d5c99e95740ceb90c27ed"},
		{"mp doc variant", docTicket, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com", "f4d90daf4b3bca3078ab155816175ba34c443a7b"},
		{"fragment removed", "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q", "abc123xyz", 1700000000, "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0#/orders/9", "cc6070d26fe4d3801ccab2e8304d1dee64c9cc8f"},
		{"agentConfig", "E0o2-at6NcC2OsJiQTlwlJbYgbDcJ6VG0mGu4gHwT4eYmOvSv2uoeJXKtsoyrA9pk3CmfO8iTw0CqxIpu09dGQ", "wwnonce", 1700000456, "https://oa.example.com/approve?id=7", "60ab33f06c4acd77ae75d5a2fa832510dc1940ba"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sign(tc.ticket, tc.nonce, tc.ts, tc.url); got != tc.want {
				t.Errorf("Sign = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStringToSignRaw(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://a.cn/p?q=%E4%B8%AD&x=1", "jsapi_ticket=T&noncestr=N&timestamp=1&url=https://a.cn/p?q=%E4%B8%AD&x=1"},
		{"https://a.cn/p?q=中文", "jsapi_ticket=T&noncestr=N&timestamp=1&url=https://a.cn/p?q=中文"},
		{"https://a.cn/p?a=1#", "jsapi_ticket=T&noncestr=N&timestamp=1&url=https://a.cn/p?a=1"},
		{"https://a.cn/#/x#y", "jsapi_ticket=T&noncestr=N&timestamp=1&url=https://a.cn/"},
		{" https://a.cn/ ", "jsapi_ticket=T&noncestr=N&timestamp=1&url= https://a.cn/ "},
		{"", "jsapi_ticket=T&noncestr=N&timestamp=1&url="},
	}
	for _, tc := range tests {
		if got := StringToSign("T", "N", 1, tc.url); got != tc.want {
			t.Errorf("StringToSign(%q) = %q, want %q", tc.url, got, tc.want)
		}
		sum := sha1.Sum([]byte(tc.want))
		if got, want := Sign("T", "N", 1, tc.url), hexLower(sum[:]); got != want {
			t.Errorf("Sign(%q) = %s, want %s", tc.url, got, want)
		}
	}
	// Longer than the stack buffer: still correct.
	long := "https://a.cn/?" + strings.Repeat("x", 3*signBufSize)
	sum := sha1.Sum([]byte(StringToSign("T", "N", 1, long)))
	if got := Sign("T", "N", 1, long); got != hexLower(sum[:]) {
		t.Errorf("long url: got %s", got)
	}
}

func hexLower(b []byte) string {
	const d = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, v := range b {
		out = append(out, d[v>>4], d[v&15])
	}
	return string(out)
}

func TestSignAllocs(t *testing.T) {
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	n := testing.AllocsPerRun(100, func() {
		_ = Sign(ticket, "abc123xyz", 1700000000, "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0")
	})
	if n > 1 {
		t.Errorf("Sign allocates %v times, want 1 (the result string)", n)
	}
}

var benchSink string
var benchSum [sha1.Size]byte

func BenchmarkSign(b *testing.B) {
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	url := "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"
	b.ReportAllocs()
	for b.Loop() {
		benchSink = Sign(ticket, "abc123xyz", 1700000000, url)
	}
}

// BenchmarkSHA1Reference is the floor for BenchmarkSign: a bare sha1.Sum over
// the same, already built, string to sign.
func BenchmarkSHA1Reference(b *testing.B) {
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	msg := []byte(StringToSign(ticket, "abc123xyz", 1700000000, "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"))
	b.ReportAllocs()
	for b.Loop() {
		benchSum = sha1.Sum(msg)
	}
}

// BenchmarkSHA1HexReference is the naive correct implementation: sha1.Sum
// over a concatenated string, then hex.EncodeToString.
func BenchmarkSHA1HexReference(b *testing.B) {
	const ticket = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	url := "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"
	b.ReportAllocs()
	for b.Loop() {
		sum := sha1.Sum([]byte("jsapi_ticket=" + ticket + "&noncestr=" + "abc123xyz" + "&timestamp=" + strconv.FormatInt(1700000000, 10) + "&url=" + url))
		benchSink = hex.EncodeToString(sum[:])
	}
}

func TestHex8(t *testing.T) {
	for _, x := range []uint32{0, 0x12345678, 0x9abcdef0, 0xffffffff, 0x0a0b0c0d, 0x90a9fa0f} {
		var got [8]byte
		binary.BigEndian.PutUint64(got[:], hex8(x))
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], x)
		if want := hex.EncodeToString(b[:]); string(got[:]) != want {
			t.Errorf("hex8(%#x) = %s, want %s", x, got, want)
		}
	}
}
