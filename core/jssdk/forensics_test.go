package jssdk

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestForensicsEveryKeyVariant signs with each of the 1,151 wrong key
// spellings and orders (and the trailing &) and expects the depth-first,
// prefix-sharing search to name exactly that string.
func TestForensicsEveryKeyVariant(t *testing.T) {
	if testing.Short() {
		t.Skip("1,152 checks with full forensics")
	}
	vals := [4]string{corpTicket, nonce, tsText(ts), pageURL}
	var strs []string
	for _, ord := range signOrders {
		for k0 := range signKeys[0] {
			for k1 := range signKeys[1] {
				for k2 := range signKeys[2] {
					for k3 := range signKeys[3] {
						keys := [4]int{k0, k1, k2, k3}
						if ord == [4]int{0, 1, 2, 3} && keys == [4]int{} {
							continue
						}
						parts := make([]string, 4)
						for i, f := range ord {
							parts[i] = signKeys[f][keys[f]] + "=" + vals[f]
						}
						strs = append(strs, strings.Join(parts, "&"))
					}
				}
			}
		}
	}
	strs = append(strs, sts(corpTicket, nonce, tsText(ts), pageURL)+"&")
	if len(strs) != 24*48 {
		t.Fatalf("%d candidate strings, want %d", len(strs), 24*48)
	}
	step := 1
	if runtime.GOOS == "js" {
		step = 7 // under Node (make test), a sample: the native run covers all
	}
	for i := 0; i < len(strs); i += step {
		s := strs[i]
		r := Check(with(goodWeCom(), func(in *Input) { resign(in, s) }))
		f, ok := findCode(r, CodeSignStringKeys)
		if !ok || !strings.HasSuffix(f.Message, redactTicket(s, corpTicket)) {
			t.Fatalf("signed %q: findings %s", s, dump(r))
		}
	}
}

// TestForensicsMilliseconds: every millisecond of the second is tried,
// including for a zero timestamp (whose candidates are 0…999, not 0000…0999).
func TestForensicsMilliseconds(t *testing.T) {
	for _, tc := range []struct{ page, signed int64 }{{ts, ts * 1000}, {ts, ts*1000 + 1}, {ts, ts*1000 + 999}, {0, 417}, {0, 0}, {7, 7005}} {
		in := with(goodWeCom(), func(in *Input) {
			in.Timestamp = TimestampOf(tc.page)
			resign(in, sts(corpTicket, nonce, tsText(tc.signed), pageURL))
		})
		r := Check(in)
		f, ok := findCode(r, CodeTimestampMismatch)
		if tc.page == tc.signed {
			if !r.Has(CodeSignatureOK) {
				t.Errorf("page %d signed %d: %s", tc.page, tc.signed, dump(r))
			}
			continue
		}
		if !ok || !strings.Contains(f.Message, "timestamp="+strconv.FormatInt(tc.signed, 10)+",") {
			t.Errorf("page %d signed %d: %s", tc.page, tc.signed, dump(r))
		}
	}
}

func TestDecodeSignature(t *testing.T) {
	sum, ok := decodeSignature("0f9de62fce790f9a083d5c99e95740ceb90c27ed")
	if !ok || hexSHA1([]byte("jsapi_ticket=sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg&noncestr=Wm3WZYTPz0wzccnW&timestamp=1414587457&url=http://mp.weixin.qq.com?params=value")) != "0f9de62fce790f9a083d5c99e95740ceb90c27ed" || sum[0] != 0x0f || sum[19] != 0xed {
		t.Fatalf("decodeSignature = %x, %v", sum, ok)
	}
	for _, bad := range []string{"", "0f9d", "0f9de62fce790f9a083d5c99e95740ceb90c27eg", "0f9de62fce790f9a083d5c99e95740ceb90c27ed0"} {
		if _, ok := decodeSignature(bad); ok {
			t.Errorf("decodeSignature(%q) accepted", bad)
		}
	}
}
