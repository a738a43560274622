package jssdk

import (
	"strconv"
	"strings"
)

// signBufSize is the stack buffer used to build the string to sign (签名串).
// Typical strings are 150–400 bytes; longer ones fall back to one more heap
// allocation inside append.
const signBufSize = 512

// StringToSign returns the JS-SDK string to sign (待签名字符串):
//
//	jsapi_ticket=<ticket>&noncestr=<nonceStr>&timestamp=<timestamp>&url=<url>
//
// The keys are fixed, lowercase and in this order. Values are used raw: no
// URL encoding, decoding or trimming. The only change made to url is that the
// fragment ("#" and everything after it) is dropped, as both official SDKs do
// with location.href.split('#')[0].
func StringToSign(ticket, nonceStr string, timestamp int64, url string) string {
	var buf [signBufSize]byte
	return string(appendStringToSign(buf[:0], ticket, nonceStr, timestamp, url))
}

// Sign returns the JS-SDK signature (签名): the lowercase hex SHA-1 of
// StringToSign(ticket, nonceStr, timestamp, url). The same algorithm serves
// wx.config (corp jsapi_ticket in WeCom, jsapi_ticket in an Official
// Account) and wx.agentConfig (the application's agent_config ticket); only
// the ticket differs.
func Sign(ticket, nonceStr string, timestamp int64, url string) string {
	var buf [signBufSize]byte
	b := appendStringToSign(buf[:0], ticket, nonceStr, timestamp, url)
	return hexSHA1(b)
}

func appendStringToSign(b []byte, ticket, nonceStr string, timestamp int64, url string) []byte {
	b = append(b, "jsapi_ticket="...)
	b = append(b, ticket...)
	b = append(b, "&noncestr="...)
	b = append(b, nonceStr...)
	b = append(b, "&timestamp="...)
	b = strconv.AppendInt(b, timestamp, 10)
	b = append(b, "&url="...)
	b = append(b, dropFragment(url)...)
	return b
}

// signText signs with the timestamp given as text, exactly as a page passed
// it (the client signs String(timestamp)). It is what Check uses, because a
// page's timestamp is not always a valid integer.
func signText(ticket, nonceStr, timestamp, url string) string {
	var buf [signBufSize]byte
	b := append(buf[:0], "jsapi_ticket="...)
	b = append(b, ticket...)
	b = append(b, "&noncestr="...)
	b = append(b, nonceStr...)
	b = append(b, "&timestamp="...)
	b = append(b, timestamp...)
	b = append(b, "&url="...)
	b = append(b, url...)
	return hexSHA1(b)
}

func stringToSignText(ticket, nonceStr, timestamp, url string) string {
	return "jsapi_ticket=" + ticket + "&noncestr=" + nonceStr + "&timestamp=" + timestamp + "&url=" + url
}

// hexSHA1 hashes b and returns the lowercase hex digest; the string is the
// only allocation.
func hexSHA1(b []byte) string {
	sum := sha1Sum(b)
	var out [2 * len(sum)]byte
	for i := 0; i < len(sum); i += 4 {
		// By hand, not encoding/binary: that imports reflect, which the
		// WASM bundle should not carry.
		w := hex8(uint32(sum[i])<<24 | uint32(sum[i+1])<<16 | uint32(sum[i+2])<<8 | uint32(sum[i+3]))
		o := out[2*i : 2*i+8]
		o[0], o[1], o[2], o[3] = byte(w>>56), byte(w>>48), byte(w>>40), byte(w>>32)
		o[4], o[5], o[6], o[7] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	}
	return string(out[:])
}

// hex8 turns 4 bytes into 8 lowercase hex digits packed big-endian in a
// uint64, without a table or branches (SWAR).
func hex8(x uint32) uint64 {
	v := uint64(x)
	v = (v | v<<16) & 0x0000ffff0000ffff
	v = (v | v<<8) & 0x00ff00ff00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f0f0f0f0f
	// Each byte holds one nibble; letters (>= 10) need 'a'-'0'-10 = 39 more.
	letters := ((v + 0x0606060606060606) >> 4) & 0x0101010101010101
	return v + 0x3030303030303030 + letters*39
}

// sha1Hex hashes a string already built (used by the forensics, which build
// many candidate strings).
func sha1Hex(s string) string {
	var buf [signBufSize]byte
	return hexSHA1(append(buf[:0], s...))
}

// dropFragment cuts "#" and everything after it, and changes nothing else.
func dropFragment(url string) string {
	if i := strings.IndexByte(url, '#'); i >= 0 {
		return url[:i]
	}
	return url
}

// Config is what the page passes to wx.config / wx.agentConfig next to its
// appId (corpid) and jsApiList. Field names match the JS side: nonceStr is
// camelCase there, while the string to sign uses the key "noncestr".
type Config struct {
	AppID     string `json:"appId"`
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// AgentConfig is what the page passes to wx.agentConfig (WeCom): the same
// triple as Config, signed with the application's agent_config ticket, plus
// the CorpID and the AgentID under the field names wx.agentConfig uses.
type AgentConfig struct {
	CorpID    string `json:"corpid"`
	AgentID   string `json:"agentid"`
	Timestamp int64  `json:"timestamp"`
	NonceStr  string `json:"nonceStr"`
	Signature string `json:"signature"`
}

// itoa formats an integer in decimal (fmt is kept out of the package to keep
// the WASM bundle small).
func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }
