package jssdk

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// Realistic fixtures. The tickets are the public example tickets of the
// spec; IDs follow the ww/wx + 16 hex convention.
const (
	corpID      = "ww7a3c9e1f5b2d8064"
	mpAppID     = "wx5e1c9a7b3f2d6048"
	corpTicket  = "kgt8ON7yVITDhtdwci0qeZo2c5oOMRp1CxbsmA8Xo2YJ2tBgXpKdVz0wMcuRGc8ZSuhbJvqfPb1MX6ROyTAs-Q"
	agentTicket = "E0o2-at6NcC2OsJiQTlwlJbYgbDcJ6VG0mGu4gHwT4eYmOvSv2uoeJXKtsoyrA9pk3CmfO8iTw0CqxIpu09dGQ"
	oldTicket   = "bxLdikRXVbTPdHSM05e5u5sUoXNKd8-41ZO3MhKoyN5OfkWITDGgnr2fwJ0m9E8NYzWKVZvdVtaUgWvsdshFKA"
	nonce       = "Wm3WZYTPz0wzccnW"
	ts          = int64(1700000000)
	pageHref    = "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0#/orders/9"
	pageURL     = "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"

	uaWeComIOS      = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.16 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
	uaWeComAndroid  = "Mozilla/5.0 (Linux; Android 12; V2055A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/97.0.4692.98 Mobile Safari/537.36 wxwork/%s MicroMessenger/7.0.1 NetType/WIFI Language/zh Lang/zh"
	uaWeChatIOS     = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2d) NetType/WIFI Language/zh_CN"
	uaWeChatAndroid = "Mozilla/5.0 (Linux; Android 13; M2102K1C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
	uaChrome        = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)

// buggySign is how a backend computes a signature from the string it built,
// right or wrong; independent of the package's own code.
func buggySign(stringToSign string) string {
	sum := sha1.Sum([]byte(stringToSign))
	return hex.EncodeToString(sum[:])
}

func sts(ticket, nonce, ts, url string) string {
	return "jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + ts + "&url=" + url
}

func tsText(t int64) string { return strconv.FormatInt(t, 10) }

// goodWeCom is a correct WeCom wx.config seen in WeCom on iOS.
func goodWeCom() Input {
	return Input{
		AppID: corpID, Timestamp: TimestampOf(ts), NonceStr: nonce,
		Signature: buggySign(sts(corpTicket, nonce, tsText(ts), pageURL)),
		JSAPIList: []string{"chooseImage", "previewImage", "openDefaultBrowser"}, Beta: true,
		URL: pageHref, UserAgent: uaWeComIOS, Ticket: corpTicket, Now: ts + 5,
	}
}

// goodAgent is a correct wx.agentConfig.
func goodAgent() Input {
	in := goodWeCom()
	in.Kind, in.AgentID = "agentConfig", "1000002"
	in.JSAPIList = []string{"selectExternalContact", "getCurExternalContact"}
	in.Beta = false
	in.AgentTicket = agentTicket
	in.Signature = buggySign(sts(agentTicket, nonce, tsText(ts), pageURL))
	return in
}

// goodMP is a correct Official Account wx.config in WeChat on Android.
func goodMP() Input {
	return Input{
		Platform: "mp", AppID: mpAppID, Timestamp: TimestampOf(ts), NonceStr: nonce,
		Signature: buggySign(sts(corpTicket, nonce, tsText(ts), pageURL)),
		JSAPIList: []string{"updateAppMessageShareData", "chooseImage"},
		URL:       pageHref, UserAgent: uaWeChatAndroid, Ticket: corpTicket, Now: ts,
	}
}

func with(in Input, f func(*Input)) Input { f(&in); return in }

func resign(in *Input, stringToSign string) { in.Signature = buggySign(stringToSign) }

// codeCases triggers every diagnostic code with a realistic input. They are
// also the examples of docs/diagnostics.md.
var codeCases = []struct {
	code string
	in   Input
}{
	{CodeAppIDFormat, with(goodWeCom(), func(in *Input) { in.AppID = "ww7a3c9e1f5b2d806" })},
	{CodeAppIDMismatch, with(goodMP(), func(in *Input) { in.AppID = corpID })},
	{CodeAgentIDFormat, with(goodAgent(), func(in *Input) { in.AgentID = "app-7" })},
	{CodeInputUnknownValue, with(goodWeCom(), func(in *Input) { in.Kind = "register" })},
	{CodeTimestampNotInteger, with(goodWeCom(), func(in *Input) {
		in.Timestamp = Timestamp{Text: "1.7e9", Raw: "1.7e9", IsString: true, Set: true}
	})},
	{CodeTimestampMilliseconds, with(goodWeCom(), func(in *Input) {
		in.Timestamp = TimestampOf(ts*1000 + 123)
		resign(in, sts(corpTicket, nonce, tsText(ts*1000+123), pageURL))
	})},
	{CodeTimestampSkew, with(goodWeCom(), func(in *Input) { in.Now = ts + 3*3600 })},
	{CodeNonceInvalid, with(goodWeCom(), func(in *Input) {
		in.NonceStr = "Wm3WZYTP z0wzccnW"
		resign(in, sts(corpTicket, in.NonceStr, tsText(ts), pageURL))
	})},
	{CodeSignatureFormat, with(goodWeCom(), func(in *Input) { in.Signature = strings.ToUpper(in.Signature) })},
	{CodeJSAPIUnknown, with(goodWeCom(), func(in *Input) { in.JSAPIList = []string{"chooseimage", "scanQrCode2"} })},
	{CodeJSAPIWrongPlatform, with(goodWeCom(), func(in *Input) { in.JSAPIList = []string{"updateAppMessageShareData"} })},
	{CodeJSAPINeedsAgentConfig, with(goodWeCom(), func(in *Input) { in.JSAPIList = []string{"chooseImage", "selectExternalContact"} })},
	{CodeJSAPIListEmpty, with(goodWeCom(), func(in *Input) { in.JSAPIList = []string{} })},
	{CodeJSAPIClientTooOld, with(goodAgent(), func(in *Input) {
		in.UserAgent = strings.Replace(uaWeComAndroid, "%s", "3.1.0", 1)
		in.JSAPIList = []string{"wedocSelectDoc"}
	})},
	{CodeConfigBetaMissing, with(goodWeCom(), func(in *Input) { in.Beta = false })},
	{CodeEnvClient, goodWeCom()},
	{CodeEnvNotWeCom, with(goodAgent(), func(in *Input) { in.UserAgent = uaWeChatIOS })},
	{CodeEnvNotWeChat, with(goodMP(), func(in *Input) { in.UserAgent = uaChrome })},
	{CodeEnvClientTooOld, with(goodAgent(), func(in *Input) {
		in.UserAgent = strings.Replace(uaWeComAndroid, "%s", "2.4.16", 1)
		in.JSAPIList = []string{"selectExternalContact"}
	})},
	{CodeEnvAgentConfigOrder, with(goodAgent(), func(in *Input) { in.UserAgent = strings.Replace(uaWeComAndroid, "%s", "3.0.12", 1) })},
	{CodeEnvInsecureOrigin, with(goodWeCom(), func(in *Input) {
		in.URL = "http://app.example.com/h5/index.html"
		resign(in, sts(corpTicket, nonce, tsText(ts), in.URL))
	})},
	{CodeEnvPortNotAllowed, with(goodMP(), func(in *Input) {
		in.URL = "https://h5.example.com:8443/p/index.html"
		resign(in, sts(corpTicket, nonce, tsText(ts), in.URL))
	})},
	{CodeEnvSPAURLChanged, with(goodMP(), func(in *Input) {
		in.Ticket = ""
		in.LandingURL = "https://app.example.com/h5/index.html"
		in.URL = "https://app.example.com/h5/orders/9"
	})},
	{CodeURLInvalid, with(goodWeCom(), func(in *Input) { in.URL = "/h5/index.html?from=singlemessage" })},
	{CodeURLHasFragment, with(goodWeCom(), func(in *Input) { resign(in, sts(corpTicket, nonce, tsText(ts), pageHref)) })},
	{CodeURLHTMLEscaped, with(goodWeCom(), func(in *Input) {
		resign(in, sts(corpTicket, nonce, tsText(ts), strings.ReplaceAll(pageURL, "&", "&amp;")))
	})},
	{CodeURLSchemeMismatch, with(goodWeCom(), func(in *Input) {
		resign(in, sts(corpTicket, nonce, tsText(ts), "http://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0"))
	})},
	{CodeURLPortExplicit, with(goodWeCom(), func(in *Input) {
		resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com:443/h5/index.html?from=singlemessage&isappinstalled=0"))
	})},
	{CodeURLTrailingSlash, with(goodWeCom(), func(in *Input) {
		in.URL = "https://app.example.com/h5/?from=singlemessage"
		resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5?from=singlemessage"))
	})},
	{CodeURLPercentMismatch, with(goodWeCom(), func(in *Input) {
		in.URL = "https://a.example.cn/p?q=%E4%B8%AD%E6%96%87&x=1"
		resign(in, sts(corpTicket, nonce, tsText(ts), "https://a.example.cn/p?q=中文&x=1"))
	})},
	{CodeURLSPALanding, with(goodMP(), func(in *Input) {
		in.UserAgent = uaWeChatIOS
		in.LandingURL = "https://app.example.com/h5/index.html?from=singlemessage"
		in.URL = "https://app.example.com/h5/orders/9"
		resign(in, sts(corpTicket, nonce, tsText(ts), in.URL))
	})},
	{CodeURLEscapedInSign, with(goodWeCom(), func(in *Input) {
		resign(in, sts(corpTicket, nonce, tsText(ts), "https%3A%2F%2Fapp.example.com%2Fh5%2Findex.html%3Ffrom%3Dsinglemessage%26isappinstalled%3D0"))
	})},
	{CodeURLTruncated, with(goodWeCom(), func(in *Input) {
		resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5/index.html?from=singlemessage"))
	})},
	{CodeURLMismatch, with(goodWeCom(), func(in *Input) {
		in.Ticket = ""
		in.SignedURL = "https://api.example.com/jssdk/sign?url=x"
	})},
	{CodeSignatureOK, goodWeCom()},
	{CodeSignatureUnverified, with(goodWeCom(), func(in *Input) { in.Ticket = "" })},
	{CodeSignatureMismatch, with(goodWeCom(), func(in *Input) { resign(in, sts(corpTicket, "anotherNonce", tsText(ts), pageURL)) })},
	{CodeTimestampMismatch, with(goodWeCom(), func(in *Input) { resign(in, sts(corpTicket, nonce, tsText(ts*1000+417), pageURL)) })},
	{CodeNonceCaseMismatch, with(goodWeCom(), func(in *Input) { resign(in, sts(corpTicket, strings.ToLower(nonce), tsText(ts), pageURL)) })},
	{CodeTicketWrongKind, with(goodWeCom(), func(in *Input) {
		in.AgentTicket = agentTicket
		resign(in, sts(agentTicket, nonce, tsText(ts), pageURL))
	})},
	{CodeTicketStale, with(goodWeCom(), func(in *Input) {
		in.PreviousTicket = oldTicket
		resign(in, sts(oldTicket, nonce, tsText(ts), pageURL))
	})},
	{CodeSignStringKeys, with(goodWeCom(), func(in *Input) {
		resign(in, "jsapi_ticket="+corpTicket+"&nonceStr="+nonce+"&timestamp="+tsText(ts)+"&url="+pageURL)
	})},
}

func TestCheckEveryCode(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range codeCases {
		t.Run(tc.code, func(t *testing.T) {
			res := Check(tc.in)
			f, ok := findCode(res, tc.code)
			if !ok {
				t.Fatalf("%s not reported; findings: %s", tc.code, dump(res))
			}
			covered[tc.code] = true
			def, _ := LookupCode(tc.code)
			if f.Severity != def.Severity || f.Fix == "" || f.Message == "" || f.MessageZh == "" {
				t.Errorf("finding %+v incomplete or severity != %s", f, def.Severity)
			}
			if res.OK != (res.Errors() == 0) {
				t.Errorf("ok=%v with %d errors", res.OK, res.Errors())
			}
			if def.Severity == SeverityError && res.OK {
				t.Errorf("error finding but ok")
			}
		})
	}
	for _, c := range Codes() {
		if !covered[c.Code] {
			t.Errorf("code %s has no test case", c.Code)
		}
	}
}

func findCode(r Result, code string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func dump(r Result) string {
	b, _ := json.MarshalIndent(r, "", "  ")
	return string(b)
}

func TestCheckCorrectConfigs(t *testing.T) {
	tests := []struct {
		name string
		in   Input
	}{
		{"wecom config", goodWeCom()},
		{"wecom agentConfig", goodAgent()},
		{"mp config", goodMP()},
		{"mp timestamp as string", with(goodMP(), func(in *Input) {
			in.Timestamp = Timestamp{Text: "1700000000", Raw: "1700000000", IsString: true, Set: true}
		})},
		{"mp iOS SPA signed with landing URL", with(goodMP(), func(in *Input) {
			in.UserAgent = uaWeChatIOS
			in.LandingURL = "https://app.example.com/h5/index.html?from=singlemessage"
			in.URL = "https://app.example.com/h5/orders/9"
			resign(in, sts(corpTicket, nonce, tsText(ts), in.LandingURL))
		})},
		{"wecom SPA signed with current URL", with(goodWeCom(), func(in *Input) {
			in.LandingURL = "https://app.example.com/h5/index.html"
		})},
		{"percent-encoded URL kept", with(goodWeCom(), func(in *Input) {
			in.URL = "https://a.example.cn/p?q=%E4%B8%AD%E6%96%87&x=1#top"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://a.example.cn/p?q=%E4%B8%AD%E6%96%87&x=1"))
		})},
		{"no ticket, no user agent", with(goodWeCom(), func(in *Input) { in.Ticket, in.UserAgent = "", "" })},
		{"signedUrl equals page URL", with(goodWeCom(), func(in *Input) { in.SignedURL = pageURL })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(tc.in)
			if !res.OK || res.Errors() != 0 {
				t.Fatalf("correct config reported errors: %s", dump(res))
			}
			for _, f := range res.Findings {
				if f.Severity == SeverityWarning {
					t.Errorf("unexpected warning %s: %s", f.Code, f.Message)
				}
			}
			if tc.in.Ticket != "" && !res.Has(CodeSignatureOK) {
				t.Errorf("no SIGNATURE_OK: %s", dump(res))
			}
		})
	}
}

// Forensics: a buggy backend builds the signature one wrong way; Check must
// name exactly that mistake, and not fall back to SIGNATURE_MISMATCH.
func TestForensics(t *testing.T) {
	const href = "https://app.example.com/h5/index.html?from=singlemessage&isappinstalled=0#/orders/9"
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"fragment kept", with(goodWeCom(), func(in *Input) { resign(in, sts(corpTicket, nonce, tsText(ts), href)) }), CodeURLHasFragment},
		{"&amp;", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5/index.html?from=singlemessage&amp;isappinstalled=0"))
		}), CodeURLHTMLEscaped},
		{"https signed for http page", with(goodWeCom(), func(in *Input) {
			in.URL = "http://app.example.com/h5/"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5/"))
		}), CodeURLSchemeMismatch},
		{":80 added", with(goodWeCom(), func(in *Input) {
			in.URL = "http://app.example.com/h5/?a=1"
			resign(in, sts(corpTicket, nonce, tsText(ts), "http://app.example.com:80/h5/?a=1"))
		}), CodeURLPortExplicit},
		{"slash added to bare host", with(goodWeCom(), func(in *Input) {
			in.URL = "https://app.example.com?a=1"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/?a=1"))
		}), CodeURLTrailingSlash},
		{"slash dropped", with(goodWeCom(), func(in *Input) {
			in.URL = "https://app.example.com/h5/"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5"))
		}), CodeURLTrailingSlash},
		{"double encoded", with(goodWeCom(), func(in *Input) {
			in.URL = "https://a.example.cn/p?q=%E4%B8%AD"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://a.example.cn/p?q=%25E4%25B8%25AD"))
		}), CodeURLPercentMismatch},
		{"lowercase escapes", with(goodWeCom(), func(in *Input) {
			in.URL = "https://a.example.cn/p?q=%E4%B8%AD"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://a.example.cn/p?q=%e4%b8%ad"))
		}), CodeURLPercentMismatch},
		{"plus for space", with(goodWeCom(), func(in *Input) {
			in.URL = "https://a.example.cn/s?q=a%20b"
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://a.example.cn/s?q=a+b"))
		}), CodeURLPercentMismatch},
		{"QueryEscape in sign", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts), "https%3A%2F%2Fapp.example.com%2Fh5%2Findex.html%3Ffrom%3Dsinglemessage%26isappinstalled%3D0"))
		}), CodeURLEscapedInSign},
		{"SPA: iOS WeChat, current URL signed", with(goodMP(), func(in *Input) {
			in.UserAgent = uaWeChatIOS
			in.LandingURL = "https://app.example.com/h5/index.html#/"
			in.URL = "https://app.example.com/h5/orders/9"
			resign(in, sts(corpTicket, nonce, tsText(ts), in.URL))
		}), CodeURLSPALanding},
		{"SPA: WeCom, landing URL signed", with(goodWeCom(), func(in *Input) {
			in.LandingURL = "https://app.example.com/h5/index.html"
			in.URL = "https://app.example.com/h5/orders/9"
			resign(in, sts(corpTicket, nonce, tsText(ts), in.LandingURL))
		}), CodeURLSPALanding},
		{"SPA: landing URL without query wins over truncation", with(goodWeCom(), func(in *Input) {
			in.LandingURL = "https://app.example.com/h5/index.html"
			resign(in, sts(corpTicket, nonce, tsText(ts), in.LandingURL))
		}), CodeURLSPALanding},
		{"proxy rewrote host (signedUrl given)", with(goodWeCom(), func(in *Input) {
			in.SignedURL = "http://10.0.0.7:8080/h5/index.html?from=singlemessage&isappinstalled=0"
			resign(in, sts(corpTicket, nonce, tsText(ts), in.SignedURL))
		}), CodeURLMismatch},
		{"query lost", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts), "https://app.example.com/h5/index.html"))
		}), CodeURLTruncated},
		{"milliseconds signed, seconds passed", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts*1000+999), pageURL))
		}), CodeTimestampMismatch},
		{"seconds signed, milliseconds passed", with(goodWeCom(), func(in *Input) {
			in.Timestamp = TimestampOf(ts*1000 + 731)
			resign(in, sts(corpTicket, nonce, tsText(ts+1), pageURL))
		}), CodeTimestampMismatch},
		{"timestamp regenerated", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts+2), pageURL))
		}), CodeTimestampMismatch},
		{"float literal signed", with(goodWeCom(), func(in *Input) {
			in.Timestamp = Timestamp{Text: "1700000000", Raw: "1700000000.0", Set: true}
			resign(in, sts(corpTicket, nonce, "1700000000.0", pageURL))
		}), CodeTimestampMismatch},
		{"agent ticket for config", with(goodWeCom(), func(in *Input) {
			in.AgentTicket = agentTicket
			resign(in, sts(agentTicket, nonce, tsText(ts), pageURL))
		}), CodeTicketWrongKind},
		{"corp ticket for agentConfig", with(goodAgent(), func(in *Input) {
			in.Ticket = corpTicket
			resign(in, sts(corpTicket, nonce, tsText(ts), pageURL))
		}), CodeTicketWrongKind},
		{"agentConfig signed with the value given as the corp ticket", with(goodAgent(), func(in *Input) { in.Ticket, in.AgentTicket = agentTicket, "" }), CodeTicketWrongKind},
		{"only agent ticket known, config signed with it", with(goodWeCom(), func(in *Input) {
			in.Ticket, in.AgentTicket = "", agentTicket
			resign(in, sts(agentTicket, nonce, tsText(ts), pageURL))
		}), CodeTicketWrongKind},
		{"previous ticket", with(goodWeCom(), func(in *Input) {
			in.PreviousTicket = oldTicket
			resign(in, sts(oldTicket, nonce, tsText(ts), pageURL))
		}), CodeTicketStale},
		{"nonceStr= key", with(goodWeCom(), func(in *Input) {
			resign(in, "jsapi_ticket="+corpTicket+"&nonceStr="+nonce+"&timestamp="+tsText(ts)+"&url="+pageURL)
		}), CodeSignStringKeys},
		{"keys sorted wrongly", with(goodWeCom(), func(in *Input) {
			resign(in, "noncestr="+nonce+"&jsapi_ticket="+corpTicket+"&timestamp="+tsText(ts)+"&url="+pageURL)
		}), CodeSignStringKeys},
		{"timeStamp key", with(goodWeCom(), func(in *Input) {
			resign(in, "jsapi_ticket="+corpTicket+"&noncestr="+nonce+"&timeStamp="+tsText(ts)+"&url="+pageURL)
		}), CodeSignStringKeys},
		{"trailing &", with(goodWeCom(), func(in *Input) {
			resign(in, sts(corpTicket, nonce, tsText(ts), pageURL)+"&")
		}), CodeSignStringKeys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(tc.in)
			if !res.Has(tc.want) {
				t.Fatalf("want %s; got %s", tc.want, dump(res))
			}
			if res.Has(CodeSignatureMismatch) || res.Has(CodeSignatureOK) || res.OK {
				t.Errorf("forensics must replace SIGNATURE_MISMATCH: %s", dump(res))
			}
			n := 0
			for _, f := range res.Findings {
				if f.Code == tc.want {
					n++
				}
				if strings.Contains(f.Message, corpTicket) || strings.Contains(f.Message, agentTicket) {
					t.Errorf("message shows a whole ticket: %s", f.Message)
				}
			}
			if n != 1 {
				t.Errorf("%s reported %d times", tc.want, n)
			}
		})
	}
}

func TestCheckJSONForms(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string // codes that must be present
		ok         bool
	}{
		{"number timestamp", `{"appId":"` + mpAppID + `","timestamp":1414587457,"nonceStr":"Wm3WZYTPz0wzccnW","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"http://mp.weixin.qq.com?params=value","ticket":"sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg","now":1414587460}`, []string{CodeSignatureOK}, true},
		{"string timestamp", `{"appId":"` + mpAppID + `","timestamp":"1414587457","nonceStr":"Wm3WZYTPz0wzccnW","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"http://mp.weixin.qq.com?params=value","ticket":"sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg","now":1414587460}`, []string{CodeSignatureOK}, true},
		{"exponent number is an integer in JS", `{"appId":"` + mpAppID + `","timestamp":1.414587457e9,"nonceStr":"Wm3WZYTPz0wzccnW","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"http://mp.weixin.qq.com?params=value","ticket":"sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg","now":1414587460}`, []string{CodeSignatureOK}, true},
		{"exponent string", `{"appId":"` + mpAppID + `","timestamp":"1.5e9","nonceStr":"n","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"https://a.cn/"}`, []string{CodeTimestampNotInteger}, false},
		{"text", `{"appId":"` + mpAppID + `","timestamp":"abc","nonceStr":"n","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"https://a.cn/"}`, []string{CodeTimestampNotInteger}, false},
		{"float", `{"appId":"` + mpAppID + `","timestamp":1700000000.5,"nonceStr":"n","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"https://a.cn/","now":1700000000}`, []string{CodeTimestampNotInteger}, false},
		{"missing timestamp", `{"appId":"` + mpAppID + `","nonceStr":"n","signature":"0f9de62fce790f9a083d5c99e95740ceb90c27ed","url":"https://a.cn/"}`, []string{CodeTimestampNotInteger}, false},
		{"agentConfig field names", `{"kind":"agentConfig","corpid":"` + corpID + `","agentid":1000002,"timestamp":1700000456,"nonceStr":"wwnonce","signature":"60ab33f06c4acd77ae75d5a2fa832510dc1940ba","url":"https://oa.example.com/approve?id=7","agentTicket":"E0o2-at6NcC2OsJiQTlwlJbYgbDcJ6VG0mGu4gHwT4eYmOvSv2uoeJXKtsoyrA9pk3CmfO8iTw0CqxIpu09dGQ","now":1700000456}`, []string{CodeSignatureOK}, true},
		{"empty object", `{}`, []string{CodeAppIDFormat, CodeTimestampNotInteger, CodeNonceInvalid, CodeSignatureFormat, CodeURLInvalid}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := ParseInput([]byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			res := Check(in)
			for _, c := range tc.want {
				if !res.Has(c) {
					t.Errorf("missing %s: %s", c, dump(res))
				}
			}
			if res.OK != tc.ok {
				t.Errorf("ok = %v, want %v: %s", res.OK, tc.ok, dump(res))
			}
		})
	}
}

func TestParseInputErrors(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"empty", "  ", "input is empty"},
		{"syntax", "{\n  \"appId\": \"wx\",\n  \"timestamp\": 17,\n}", "line 4, column 2"},
		{"type", `{"appId": 12}`, `field "appId"`},
		{"timestamp object", `{"timestamp": {}}`, "timestamp must be a number or a string"},
		{"not an object", `[1,2]`, "jssdk: input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseInput([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "jssdk: ") {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	res := Check(Input{})
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["ok"] != false || back["findings"] == nil {
		t.Errorf("result JSON %s", b)
	}
	// Round trip of Input keeps the timestamp form.
	for _, raw := range []string{`{"timestamp":1700000000}`, `{"timestamp":"1700000000"}`, `{"timestamp":"1.5e9"}`} {
		in, err := ParseInput([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(in)
		if !strings.Contains(string(out), raw[1:len(raw)-1]) {
			t.Errorf("round trip of %s gave %s", raw, out)
		}
	}
}

func TestForensicsSignedURLWithFragment(t *testing.T) {
	in := goodWeCom()
	in.URL = pageURL // the page reported no fragment
	in.SignedURL = pageURL + "#/orders/9"
	resign(&in, sts(corpTicket, nonce, tsText(ts), in.SignedURL))
	res := Check(in)
	if !res.Has(CodeURLHasFragment) || res.Has(CodeSignatureMismatch) || res.OK {
		t.Fatalf("want URL_HAS_FRAGMENT: %s", dump(res))
	}
}

func TestCheckHugeInput(t *testing.T) {
	in := goodWeCom()
	in.URL = "https://a.example.cn/?" + strings.Repeat("q=%E4%B8%AD&", 4000)
	in.Signature = strings.Repeat("ab", 20)
	res := Check(in)
	if res.OK || !res.Has(CodeSignatureMismatch) {
		t.Fatalf("huge url: %v", res.Findings)
	}
}

func BenchmarkCheckMismatch(b *testing.B) {
	in := goodWeCom()
	resign(&in, sts(corpTicket, "otherNonce", tsText(ts), pageURL))
	b.ReportAllocs()
	for b.Loop() {
		_ = Check(in)
	}
}
