package jssdk

import (
	"strconv"
	"strings"
)

// clientInfo is what the user agent says about the client.
type clientInfo struct {
	known     bool   // a WeChat-family client or a recognisable OS was found
	wecom     bool   // WeCom (UA token wxwork/)
	wechat    bool   // WeChat (MicroMessenger/, not WeCom)
	wecomVer  string // x.y.z from wxwork/
	wechatVer string // x.y.z from MicroMessenger/
	ios       bool
	android   bool
	desktop   bool
}

func parseUA(ua string) clientInfo {
	var cl clientInfo
	if ua == "" {
		return cl
	}
	l := strings.ToLower(ua)
	if v, ok := uaToken(l, "wxwork/"); ok {
		cl.wecom, cl.wecomVer = true, v
	}
	if v, ok := uaToken(l, "micromessenger/"); ok {
		cl.wechatVer = v
		cl.wechat = !cl.wecom
	}
	cl.ios = strings.Contains(l, "iphone") || strings.Contains(l, "ipad") || strings.Contains(l, "ipod")
	cl.android = strings.Contains(l, "android")
	cl.desktop = !cl.ios && !cl.android && (strings.Contains(l, "windows") || strings.Contains(l, "macintosh") || strings.Contains(l, "mac os x") || strings.Contains(l, "linux"))
	cl.known = cl.wecom || cl.wechat || cl.ios || cl.android || cl.desktop
	return cl
}

func uaToken(l, token string) (string, bool) {
	i := strings.Index(l, token)
	if i < 0 {
		return "", false
	}
	rest := l[i+len(token):]
	j := 0
	for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == '.') {
		j++
	}
	return strings.Trim(rest[:j], "."), true
}

func (cl clientInfo) mobileWeChat() bool { return cl.wechat && !cl.desktop }

func (cl clientInfo) describe() string {
	var name string
	switch {
	case cl.wecom:
		name = "WeCom " + cl.wecomVer
	case cl.wechat:
		name = "WeChat " + cl.wechatVer
	default:
		name = "a browser outside WeChat/WeCom"
	}
	switch {
	case cl.ios:
		name += " on iOS"
	case cl.android:
		name += " on Android"
	case cl.desktop:
		name += " on desktop"
	}
	return strings.TrimSpace(strings.ReplaceAll(name, "  ", " "))
}

func (cl clientInfo) describeZh() string {
	var name string
	switch {
	case cl.wecom:
		name = "企业微信 " + cl.wecomVer
	case cl.wechat:
		name = "微信 " + cl.wechatVer
	default:
		name = "微信/企业微信以外的浏览器"
	}
	switch {
	case cl.ios:
		name += "（iOS）"
	case cl.android:
		name += "（Android）"
	case cl.desktop:
		name += "（桌面端）"
	}
	return name
}

// versionLess compares dotted decimal versions ("3.0.9" < "3.0.24").
// Unparsable parts count as 0.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// splitURL is a URL split by hand (net/url is avoided to keep the WASM bundle
// small, and because nothing may be normalised).
type splitURL struct {
	scheme string // lowercase http or https
	host   string // host name without port
	port   string // explicit port or ""
	rest   string // path, query (and fragment) as given, "" when absent
	raw    string
}

func (u splitURL) origin() string {
	s := u.scheme + "://" + u.host
	if u.port != "" {
		s += ":" + u.port
	}
	return s
}

func parseURL(raw string) (splitURL, bool) {
	i := strings.Index(raw, "://")
	if i <= 0 {
		return splitURL{}, false
	}
	scheme := strings.ToLower(raw[:i])
	if scheme != "http" && scheme != "https" {
		return splitURL{}, false
	}
	r := raw[i+3:]
	hostport, rest := r, ""
	if j := strings.IndexAny(r, "/?#"); j >= 0 {
		hostport, rest = r[:j], r[j:]
	}
	host, port := hostport, ""
	if k := strings.LastIndexByte(hostport, ':'); k >= 0 && !strings.Contains(hostport[k:], "]") {
		host, port = hostport[:k], hostport[k+1:]
	}
	if host == "" || strings.ContainsAny(host, " \t\r\n@") || (port != "" && !isDigits(port)) {
		return splitURL{}, false
	}
	for k := 0; k < len(raw); k++ {
		if raw[k] <= ' ' || raw[k] == 0x7f {
			return splitURL{}, false
		}
	}
	return splitURL{scheme: scheme, host: host, port: port, rest: rest, raw: raw}, true
}
