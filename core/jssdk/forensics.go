package jssdk

import (
	"strconv"
	"strings"
)

// maxForensicsLen bounds the size of the string to sign for which the
// forensics run (about 2,300 candidate hashes).
const maxForensicsLen = 8 << 10

// urlVariant is the page URL as a buggy backend would have signed it.
type urlVariant struct {
	code  string
	url   string
	how   string // English description of the change
	howZh string
}

// urlVariants lists the usual ways a backend turns the page URL u (fragment
// already dropped) into something else. raw and rawLanding are the URLs as
// the page reported them (possibly with #…); other is the SPA counterpart of
// u (landing URL vs current URL), or "".
func urlVariants(u, raw, rawLanding, other string) []urlVariant {
	var out []urlVariant
	seen := map[string]bool{u: true}
	add := func(code, v, how, howZh string) {
		if v == "" || seen[v] {
			return
		}
		seen[v] = true
		out = append(out, urlVariant{code, v, how, howZh})
	}
	// SPA landing vs current first: it is given explicitly, so it wins over
	// a transformation that happens to produce the same string.
	add(CodeURLSPALanding, other, "is the other URL of the SPA session (landing vs current)", "用成了单页应用会话中的另一个 URL（首次进入 vs 当前）")
	// Fragment kept.
	for _, r := range []string{raw, rawLanding} {
		if strings.Contains(r, "#") {
			add(CodeURLHasFragment, r, "kept the #fragment", "保留了 # 片段")
		}
	}
	// HTML-escaped ampersands.
	if strings.Contains(u, "&") {
		add(CodeURLHTMLEscaped, strings.ReplaceAll(u, "&", "&amp;"), "had & escaped as &amp;", "& 被转义为 &amp;")
	}
	pu, ok := parseURL(u)
	if ok {
		// Scheme swapped.
		i := strings.Index(u, "://")
		if pu.scheme == "https" {
			add(CodeURLSchemeMismatch, "http"+u[i:], "used http instead of https", "把 https 写成了 http")
		} else {
			add(CodeURLSchemeMismatch, "https"+u[i:], "used https instead of http", "把 http 写成了 https")
		}
		// Explicit default port.
		if pu.port == "" {
			host := u[:i+3] + pu.host
			rest := u[len(host):]
			add(CodeURLPortExplicit, host+":443"+rest, "added an explicit :443", "加上了显式端口 :443")
			add(CodeURLPortExplicit, host+":80"+rest, "added an explicit :80", "加上了显式端口 :80")
		}
		// Trailing slash toggled on the path.
		pre, q, hasQ := strings.Cut(u, "?")
		var t string
		if strings.HasSuffix(pre, "/") && len(pre) > i+3 {
			t = strings.TrimSuffix(pre, "/")
		} else {
			t = pre + "/"
		}
		if hasQ {
			t += "?" + q
		}
		if strings.HasSuffix(pre, "/") {
			add(CodeURLTrailingSlash, t, "dropped the trailing slash of the path", "去掉了路径末尾的斜杠")
		} else {
			add(CodeURLTrailingSlash, t, "added a trailing slash to the path", "在路径末尾加了斜杠")
		}
	}
	// Percent-encoding changed.
	add(CodeURLPercentMismatch, percentDecode(u), "had its percent-escapes decoded", "百分号编码被解码")
	add(CodeURLPercentMismatch, escapeNonASCII(u), "had non-ASCII characters or spaces percent-encoded", "非 ASCII 字符或空格被百分号编码")
	add(CodeURLPercentMismatch, mapEscapes(u, strings.ToLower), "had percent-escapes lower-cased", "百分号编码改为小写")
	add(CodeURLPercentMismatch, mapEscapes(u, strings.ToUpper), "had percent-escapes upper-cased", "百分号编码改为大写")
	add(CodeURLPercentMismatch, strings.ReplaceAll(u, "%", "%25"), "had its percent-escapes encoded a second time", "百分号编码被重复编码")
	if pre, q, ok := strings.Cut(u, "?"); ok {
		add(CodeURLPercentMismatch, pre+"?"+strings.ReplaceAll(q, "%20", "+"), "had %20 written as + in the query", "查询串中的 %20 被写成 +")
		add(CodeURLPercentMismatch, pre+"?"+strings.ReplaceAll(q, "+", "%20"), "had + written as %20 in the query", "查询串中的 + 被写成 %20")
	}
	// The whole URL escaped inside the string to sign.
	add(CodeURLEscapedInSign, encodeURIComponent(u), "was signed percent-escaped (encodeURIComponent output not decoded)", "以百分号编码形式参与签名（encodeURIComponent 结果未解码）")
	add(CodeURLEscapedInSign, queryEscape(u), "was signed percent-escaped (QueryEscape/urlencode output not decoded)", "以百分号编码形式参与签名（QueryEscape/urlencode 结果未解码）")
	// Cut at a & (or before the query) by an unencoded transport.
	if pre, q, ok := strings.Cut(u, "?"); ok {
		for i := 0; i < len(q); i++ {
			if q[i] == '&' {
				add(CodeURLTruncated, pre+"?"+q[:i], "was cut at the &", "在 & 处被截断")
			}
		}
		add(CodeURLTruncated, pre, "lost its query string", "丢失了查询串")
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentDecode decodes every valid %XX escape and leaves the rest as is.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, h<<4|l)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// mapEscapes applies f to the two hex digits of every %XX escape.
func mapEscapes(s string, f func(string) string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			_, ok1 := unhex(s[i+1])
			_, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b.WriteByte('%')
				b.WriteString(f(s[i+1 : i+3]))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

func escapeNonASCII(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == ' ' {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// encodeURIComponent is JavaScript's: it keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string { return escapeExcept(s, "-_.!~*'()", false) }

// queryEscape is Go's url.QueryEscape / PHP's urlencode: it keeps
// A-Z a-z 0-9 - _ . ~ and writes space as +.
func queryEscape(s string) string { return escapeExcept(s, "-_.~", true) }

func escapeExcept(s, keep string, spacePlus bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		case c == ' ' && spacePlus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// signKeys are misspellings of the four keys seen in buggy backends.
var signKeys = [4][]string{
	{"jsapi_ticket", "jsapiTicket", "ticket"},
	{"noncestr", "nonceStr", "nonce_str", "nonce"},
	{"timestamp", "timeStamp"},
	{"url", "URL"},
}

// signKeyEq[f][k] is signKeys[f][k] followed by "=", without ([0]) and with
// ([1]) the "&" before it: one digest write per key instead of three.
var signKeyEq = func() (out [4][][2]string) {
	for f, keys := range signKeys {
		for _, k := range keys {
			out[f] = append(out[f], [2]string{k + "=", "&" + k + "="})
		}
	}
	return out
}()

// permutations of the four fields, the canonical order first.
var signOrders = func() [][4]int {
	var out [][4]int
	for a := 0; a < 4; a++ {
		for b := 0; b < 4; b++ {
			for c := 0; c < 4; c++ {
				for d := 0; d < 4; d++ {
					if a != b && a != c && a != d && b != c && b != d && c != d {
						out = append(out, [4]int{a, b, c, d})
					}
				}
			}
		}
	}
	return out
}()

// keyVariantMatch looks for a string to sign with misspelled or misordered
// keys (or a trailing &) that reproduces want, and returns it. It walks the
// orders and spellings depth first, hashing each shared prefix once (a
// forked digest), and builds a string only for the match.
func keyVariantMatch(want [5]uint32, vals [4]string) (string, bool) {
	var path [4]struct{ field, key int }
	var used [4]bool
	// d[pos] is the digest of the first pos fields; canonical: so far the
	// fields are in the canonical order with the canonical keys.
	var d [5]digest
	d[0] = newDigest()
	var walk func(pos int, canonical bool) bool
	walk = func(pos int, canonical bool) bool {
		if pos == 4 {
			// The canonical string was checked before the forensics.
			w := d[4].finish()
			return w[0] == want[0] && w == want && !canonical
		}
		for f := range vals {
			if used[f] {
				continue
			}
			used[f] = true
			for k := range signKeys[f] {
				path[pos].field, path[pos].key = f, k
				d[pos].forkInto(&d[pos+1])
				d[pos+1].writeString(signKeyEq[f][k][min(pos, 1)])
				d[pos+1].writeString(vals[f])
				if walk(pos+1, canonical && f == pos && k == 0) {
					return true
				}
			}
			used[f] = false
		}
		return false
	}
	if walk(0, true) {
		var b strings.Builder
		for i, p := range path {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(signKeys[p.field][p.key])
			b.WriteByte('=')
			b.WriteString(vals[p.field])
		}
		return b.String(), true
	}
	s := "jsapi_ticket=" + vals[0] + "&noncestr=" + vals[1] + "&timestamp=" + vals[2] + "&url=" + vals[3] + "&"
	if sum := sha1Sum([]byte(s)); sumWords(sum[:]) == want {
		return s, true
	}
	return "", false
}

// msDigits is "000001002…999": the three digits of every millisecond.
var msDigits = func() string {
	b := make([]byte, 0, 3000)
	for k := 0; k < 1000; k++ {
		b = append(b, byte('0'+k/100), byte('0'+k/10%10), byte('0'+k%10))
	}
	return string(b)
}()

// timestampVariants calls try with the timestamps a backend may have
// signed instead of ts — another unit, the literal before JavaScript's
// String(), or a value regenerated a few seconds apart — until try reports a
// match. The thousand millisecond candidates of a seconds timestamp n > 0 are
// n's digits and three more: millis(prefix) tries them all (the caller hashes
// the prefix once) and returns the three digits that matched, which try then
// reports.
func timestampVariants(ts Timestamp, try func(prefix, suffix, how, howZh string) bool, millis func(prefix string) string) bool {
	if ts.Raw != ts.Text {
		if try("", ts.Raw, "signed the literal "+strconv.Quote(ts.Raw), "签名使用了原始字面量 "+strconv.Quote(ts.Raw)) {
			return true
		}
	}
	if i := strings.IndexByte(ts.Text, '.'); i > 0 && isDigits(ts.Text[:i]) {
		if try("", ts.Text[:i], "signed the integer part "+ts.Text[:i], "签名使用了整数部分 "+ts.Text[:i]) {
			return true
		}
	}
	if !isDigits(ts.Text) {
		return false
	}
	n, err := strconv.ParseInt(ts.Text, 10, 64)
	if err != nil {
		return false
	}
	if len(ts.Text) >= 12 {
		if try("", strconv.FormatInt(n/1000, 10), "signed seconds while the page got milliseconds", "签名用秒，页面传的是毫秒") ||
			try("", strconv.FormatInt((n+500)/1000, 10), "signed (rounded) seconds while the page got milliseconds", "签名用（四舍五入的）秒，页面传的是毫秒") {
			return true
		}
	} else if n < 1<<40 {
		const how, howZh = "signed milliseconds while the page got seconds", "签名用毫秒，页面传的是秒"
		if n == 0 {
			for k := 0; k < 1000; k++ { // 0*1000+k is k itself
				if try("", strconv.Itoa(k), how, howZh) {
					return true
				}
			}
		} else {
			prefix := strconv.FormatInt(n, 10)
			if suffix := millis(prefix); suffix != "" && try(prefix, suffix, how, howZh) {
				return true
			}
		}
	}
	for d := int64(1); d <= 5; d++ {
		if try("", strconv.FormatInt(n+d, 10), "signed a timestamp "+itoa(d)+"s later (regenerated)", "签名用的 timestamp 晚 "+itoa(d)+" 秒（重新生成）") ||
			try("", strconv.FormatInt(n-d, 10), "signed a timestamp "+itoa(d)+"s earlier (regenerated)", "签名用的 timestamp 早 "+itoa(d)+" 秒（重新生成）") {
			return true
		}
	}
	return false
}

// checkSignature verifies the signature against the ticket(s) given and,
// when it does not match, tries the usual mistakes.
func (c *checker) checkSignature() {
	in := c.in
	cur := dropFragment(in.URL)
	landing := dropFragment(in.LandingURL)
	if _, ok := parseURL(cur); !ok {
		if in.URL == "" {
			c.add(CodeURLInvalid, "url (the page's location.href) is missing", "url（页面的 location.href）缺失")
		} else {
			c.add(CodeURLInvalid, "url "+strconv.Quote(in.URL)+" is not an absolute http(s) URL", "url "+strconv.Quote(in.URL)+" 不是完整的 http(s) 地址")
		}
		if cur == "" {
			cur = dropFragment(in.SignedURL)
		}
	}
	// Which URL the client verifies against. WeChat on iOS keeps the landing
	// URL of an SPA session; @wecom/jssdk signs the landing URL on all mobile
	// WeChat, so on Android WeChat both are accepted here ([unconfirmed]
	// which one the Android client really uses).
	expected, other := cur, ""
	accepted := []string{cur}
	spaChanged := landing != "" && landing != cur
	if spaChanged {
		other = landing
		switch {
		case c.cl.wechat && c.cl.ios:
			expected, other = landing, cur
			accepted = []string{landing}
		case c.cl.mobileWeChat():
			accepted = append(accepted, landing)
		}
	}
	variants := urlVariants(expected, in.URL, in.LandingURL, other)
	if len(accepted) > 1 {
		// On Android WeChat the other URL is accepted, not a mistake.
		variants = filterVariants(variants, accepted)
	}

	prim, otherTicket := in.Ticket, in.AgentTicket
	primName, otherName := "corp/MP ticket (ticket)", "agent_config ticket (agentTicket)"
	if c.kind == "agentConfig" {
		// Strictly by the input schema: ticket is the corp ticket even here,
		// so an agentConfig that verifies only with it is TICKET_WRONG_KIND
		// (the message says to pass an agent ticket as agentTicket).
		prim, otherTicket = in.AgentTicket, in.Ticket
		primName, otherName = otherName, primName
	}
	sig := strings.ToLower(strings.TrimSpace(in.Signature))
	shapeOK := len(sig) == 40
	if shapeOK {
		if p, _ := signatureShape(sig); p != "" {
			shapeOK = false
		}
	}
	ts, nonce := in.Timestamp.Text, in.NonceStr

	if prim != "" {
		c.stringToSign = stringToSignText(prim, nonce, ts, expected)
	}
	if prim == "" && otherTicket == "" && in.PreviousTicket == "" {
		c.add(CodeSignatureUnverified, "no ticket given: the signature was not verified", "未提供 ticket：签名未校验")
		c.classifySignedURL(expected, variants)
		if spaChanged && c.cl.mobileWeChat() {
			c.spaWarning(landing, cur)
		}
		return
	}
	if !shapeOK {
		if prim != "" {
			want := sha1Hex(c.stringToSign)
			c.add(CodeSignatureUnverified, "the signature is malformed; with the given ticket it should be "+want, "签名格式错误；按所给 ticket 应为 "+want)
		}
		return
	}
	if prim != "" {
		for _, u := range accepted {
			if sha1Hex(stringToSignText(prim, nonce, ts, u)) == sig {
				c.sigVerified = true
				msg, msgZh := "the signature matches "+u, "签名与 "+u+" 一致"
				if u != expected {
					c.stringToSign = stringToSignText(prim, nonce, ts, u)
				}
				c.add(CodeSignatureOK, msg, msgZh)
				if spaChanged && len(accepted) > 1 {
					c.spaWarning(landing, cur)
				}
				return
			}
		}
		if c.forensics(prim, sig, expected, variants) {
			return
		}
	}
	for _, u := range accepted {
		if otherTicket != "" && sha1Hex(stringToSignText(otherTicket, nonce, ts, u)) == sig {
			c.add(CodeTicketWrongKind, "the signature was made with the "+otherName+", but wx."+c.kind+" needs the "+primName+" (if that value is in fact the right kind, pass it in the other field)", "签名使用了 "+otherName+"，但 wx."+c.kind+" 需要 "+primName+"（若该值其实是正确类型的 ticket，请放到另一字段）")
			return
		}
		if in.PreviousTicket != "" && sha1Hex(stringToSignText(in.PreviousTicket, nonce, ts, u)) == sig {
			c.add(CodeTicketStale, "the signature was made with the previous ticket (previousTicket)", "签名使用了旧的 ticket（previousTicket）")
			return
		}
	}
	if prim == "" {
		c.add(CodeSignatureUnverified, "no "+primName+" given: the signature was not verified", "未提供 "+primName+"：签名未校验")
		c.classifySignedURL(expected, variants)
		return
	}
	want := sha1Hex(c.stringToSign)
	c.add(CodeSignatureMismatch, "signature "+sig+" does not match; for url "+expected+" the signature is "+want+" (string to sign in stringToSign)", "签名 "+sig+" 不一致；按 url "+expected+" 计算应为 "+want+"（签名串见 stringToSign）")
	c.classifySignedURL(expected, variants)
}

func (c *checker) spaWarning(landing, cur string) {
	c.add(CodeEnvSPAURLChanged, "the URL changed since landing ("+landing+" → "+cur+"); WeChat on mobile verifies the landing URL", "页面 URL 自进入后已变化（"+landing+" → "+cur+"）；移动端微信按首次进入的 URL 校验")
}

func filterVariants(vs []urlVariant, accepted []string) []urlVariant {
	out := vs[:0:0]
	for _, v := range vs {
		keep := true
		for _, a := range accepted {
			if v.url == a {
				keep = false
			}
		}
		if keep {
			out = append(out, v)
		}
	}
	return out
}

// forensics tries the usual backend mistakes with the right ticket and
// reports the first one that reproduces sig.
func (c *checker) forensics(ticket, sig, expected string, variants []urlVariant) bool {
	in := c.in
	if len(ticket)+len(in.NonceStr)+len(in.Timestamp.Text)+len(expected) > maxForensicsLen {
		// Thousands of candidate hashes over a huge string would stall a
		// page; no real page URL is this long.
		return false
	}
	wantBytes, ok := decodeSignature(sig)
	if !ok {
		return false
	}
	want := sumWords(wantBytes[:])
	ts, nonce := in.Timestamp.Text, in.NonceStr
	// Every candidate but the key spellings starts with head; the URL ones
	// also with the timestamp. Forks of these digests hash that part once.
	head := newDigest()
	head.writeString("jsapi_ticket=")
	head.writeString(ticket)
	head.writeString("&noncestr=")
	head.writeString(nonce)
	head.writeString("&timestamp=")
	withTS := head.fork()
	withTS.writeString(ts)
	withTS.writeString("&url=")
	for _, v := range variants {
		d := withTS.fork()
		d.writeString(v.url)
		if d.finish() == want {
			c.add(v.code, "the signature reproduces when the URL "+v.how+": signed "+strconv.Quote(v.url)+", the client verifies "+strconv.Quote(expected), "该签名可由此错误复现：URL "+v.howZh+"；签名用 "+strconv.Quote(v.url)+"，客户端校验 "+strconv.Quote(expected))
			return true
		}
	}
	if su := in.SignedURL; su != "" && su != expected {
		if sha1Hex(stringToSignText(ticket, nonce, ts, su)) == sig {
			c.classifySignedURL(expected, variants)
			return true
		}
	}
	urlTail := "&url=" + expected
	millis := func(prefix string) string {
		base := head.fork()
		base.writeString(prefix)
		tail := []byte("000" + urlTail)
		for k := 0; k < 1000; k++ {
			copy(tail, msDigits[3*k:3*k+3])
			var d digest
			base.forkInto(&d)
			d.write(tail)
			if w := d.finish(); w[0] == want[0] && w == want {
				return msDigits[3*k : 3*k+3]
			}
		}
		return ""
	}
	found := timestampVariants(in.Timestamp, func(prefix, suffix, how, howZh string) bool {
		if prefix == "" && suffix == "" {
			return false
		}
		d := head.fork()
		d.writeString(prefix)
		d.writeString(suffix)
		d.writeString(urlTail)
		if d.finish() != want {
			return false
		}
		c.add(CodeTimestampMismatch, "the backend "+how+": it signed timestamp="+prefix+suffix+", the page passed "+in.Timestamp.Text, "后端"+howZh+"：签名 timestamp="+prefix+suffix+"，页面传入 "+in.Timestamp.Text)
		return true
	}, millis)
	if found {
		return true
	}
	for _, n := range []string{strings.ToLower(nonce), strings.ToUpper(nonce)} {
		if n != nonce && sha1Hex(stringToSignText(ticket, n, ts, expected)) == sig {
			c.add(CodeNonceCaseMismatch, "the backend signed noncestr="+n+", the page passed nonceStr="+nonce+": only the letter case differs", "后端签名 noncestr="+n+"，页面传入 nonceStr="+nonce+"：仅大小写不同")
			return true
		}
	}
	if s, ok := keyVariantMatch(want, [4]string{ticket, nonce, ts, expected}); ok {
		c.add(CodeSignStringKeys, "the signature reproduces with this key spelling/order: "+redactTicket(s, ticket), "使用以下键名/顺序可复现该签名："+redactTicket(s, ticket))
		return true
	}
	return false
}

// sumWords reads a 20-byte SHA-1 digest as five big-endian words, the form
// the forensics compare.
func sumWords(b []byte) (w [5]uint32) {
	for i := range w {
		w[i] = uint32(b[4*i])<<24 | uint32(b[4*i+1])<<16 | uint32(b[4*i+2])<<8 | uint32(b[4*i+3])
	}
	return w
}

// decodeSignature reads a 40-digit lowercase hex signature.
func decodeSignature(sig string) (out [20]byte, ok bool) {
	if len(sig) != 40 {
		return out, false
	}
	for i := range out {
		h, ok1 := unhex(sig[2*i])
		l, ok2 := unhex(sig[2*i+1])
		if !ok1 || !ok2 {
			return out, false
		}
		out[i] = h<<4 | l
	}
	return out, true
}

// redactTicket shortens the ticket in a string to sign shown in a message.
func redactTicket(s, ticket string) string {
	if len(ticket) <= 8 {
		return s
	}
	return strings.ReplaceAll(s, ticket, ticket[:6]+"…")
}

// classifySignedURL compares the URL the server signed (when known) with the
// URL the client verifies, without a ticket.
func (c *checker) classifySignedURL(expected string, variants []urlVariant) {
	su := c.in.SignedURL
	if su == "" || su == expected || expected == "" {
		return
	}
	for _, v := range variants {
		if v.url == su {
			c.add(v.code, "the signed URL "+v.how+": signed "+strconv.Quote(su)+", the client verifies "+strconv.Quote(expected), "签名 URL "+v.howZh+"：签名用 "+strconv.Quote(su)+"，客户端校验 "+strconv.Quote(expected))
			return
		}
	}
	if dropFragment(su) == expected {
		c.add(CodeURLHasFragment, "the signed URL kept the #fragment: signed "+strconv.Quote(su)+", the client verifies "+strconv.Quote(expected), "签名 URL 保留了 # 片段：签名用 "+strconv.Quote(su)+"，客户端校验 "+strconv.Quote(expected))
		return
	}
	c.add(CodeURLMismatch, "the signed URL "+strconv.Quote(su)+" differs from the URL the client verifies "+strconv.Quote(expected), "签名 URL "+strconv.Quote(su)+" 与客户端校验的 URL "+strconv.Quote(expected)+" 不同")
}
