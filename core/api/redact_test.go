package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// A token shaped like WeCom's (opaque, URL-safe, long) and a corp secret.
const (
	hostileToken  = "kT9xQ2vLm8Rz-Wp4_Yb7Nc1Hd6Fg3Js5Ke0Ua2Ib9Oc4Pd7Qe1Rf8Sg3Th6Ui"
	hostileSecret = "S3cr3t+Corp/Secret=Value-q7Zr8Xp5Kd2Lm7Nv4Bt9"
	// A group robot's webhook key (a UUID).
	hostileRobotKey = "693a91f6-7c1e-4bc4-97a0-0ec2b1fa5aaa"
)

// TestRedactHostile feeds Redact the places a credential ends up in a call
// record or an error: the path, the query, a JSON body, an error text,
// URL-encoded once or twice, escaped inside JSON, cut short, and in user
// info. Each row must lose every run of 8 characters of the secret and keep
// the text around it.
func TestRedactHostile(t *testing.T) {
	jsonTok, _ := json.Marshal(map[string]string{"access_token": hostileToken})
	for _, tc := range []struct {
		name    string
		in      string
		secrets []string // known by value; none: only the parameter rules apply
		keep    []string // must survive
	}{
		{"query, by name", "/cgi-bin/user/get?access_token=" + hostileToken + "&userid=zhangsan", nil, []string{"/cgi-bin/user/get?access_token=", "&userid=zhangsan"}},
		{"query, upper-case name", "GET /x?ACCESS_TOKEN=" + hostileToken, nil, []string{"GET /x?ACCESS_TOKEN="}},
		{"corpsecret", "/cgi-bin/gettoken?corpid=ww1&corpsecret=" + hostileSecret, nil, []string{"corpid=ww1&corpsecret="}},
		{"token in the path", "/proxy/" + hostileToken + "/cgi-bin/message/send", []string{hostileToken}, []string{"/proxy/", "/cgi-bin/message/send"}},
		{"JSON body", `{"errcode":0,"access_token":"` + hostileToken + `","expires_in":7200}`, nil, []string{`"expires_in":7200`}},
		{"JSON body, spaced", `{"errcode": 0, "access_token" : "` + hostileToken + `"}`, nil, []string{`"errcode": 0`}},
		{"JSON escaped in a string", `{"body":` + strconvQuote(string(jsonTok)) + `}`, nil, []string{`{"body":`}},
		{"JSON with an escaped quote in the value", `{"secret":"ab\"` + hostileSecret + `"}`, nil, []string{`{"secret":"`}},
		{"error text of net/http", `Get "http://127.0.0.1:1/cgi-bin/gettoken?corpid=ww1&corpsecret=` + hostileSecret + `": dial tcp 127.0.0.1:1: connect: connection refused`, nil, []string{"dial tcp 127.0.0.1:1: connect: connection refused"}},
		{"errmsg echoing the token", "invalid access_token " + hostileToken + ", hint: [abc]", []string{hostileToken}, []string{"invalid access_token ", ", hint: [abc]"}},
		{"URL-encoded in a redirect", "/connect?redirect_uri=" + url.QueryEscape("https://h5.example.com/cb?x=1&access_token="+hostileToken+"&y=2"), nil, []string{"redirect_uri=https%3A%2F%2Fh5.example.com%2Fcb%3Fx%3D1%26access_token%3D", "%26y%3D2"}},
		{"URL-encoded twice", "u=" + url.QueryEscape(url.QueryEscape("https://h/?key="+hostileToken+"&z=1")), nil, []string{"%2526z%253D1"}},
		{"URL-encoded value, known", "state=" + url.QueryEscape(hostileSecret), []string{hostileSecret}, []string{"state="}},
		{"path-escaped value, known", "/files/" + url.PathEscape(hostileSecret), []string{hostileSecret}, []string{"/files/"}},
		{"cut short", "error: answer truncated: ...access_token is " + hostileToken[:20], []string{hostileToken}, []string{"error: answer truncated: ...access_token is "}},
		{"cut at the front", "..." + hostileToken[30:] + " is not valid", []string{hostileToken}, []string{" is not valid"}},
		{"user info", (&url.URL{Scheme: "http", User: url.UserPassword("admin", hostileToken), Host: "127.0.0.1:8787", Path: "/wecom"}).String(), nil, []string{"http://", "@127.0.0.1:8787/wecom"}},
		{"webhook key", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + hostileToken, nil, []string{"/cgi-bin/webhook/send?key="}},
		{"suite token request", `{"suite_id":"ww1","suite_secret":"` + hostileSecret + `","suite_ticket":"` + hostileToken + `"}`, nil, []string{`{"suite_id":"ww1","suite_secret":"`}},
		{"suite_access_token query", "/cgi-bin/service/get_pre_auth_code?suite_access_token=" + hostileToken, nil, []string{"/cgi-bin/service/get_pre_auth_code?suite_access_token="}},
		{"permanent code", `{"auth_corpid":"ww2","permanent_code":"` + hostileToken + `"}`, nil, []string{`{"auth_corpid":"ww2","permanent_code":"`}},
		{"pre_auth_code in an install link", "https://open.work.weixin.qq.com/3rdapp/install?suite_id=ww1&pre_auth_code=" + hostileToken + "&state=s1", nil, []string{"suite_id=ww1&pre_auth_code=", "&state=s1"}},
		{"OAuth code", "/cgi-bin/auth/getuserinfo?code=" + hostileToken + "&x=1", nil, []string{"&x=1"}},
		{"form body", "grant_type=client_credential&appid=wx1&secret=" + hostileSecret, nil, []string{"grant_type=client_credential&appid=wx1&secret="}},
		{"EncodingAESKey in TOML-ish text", `encoding_aes_key = "` + hostileToken[:43] + `"`, nil, []string{"encoding_aes_key = "}},
		{"the same token twice", hostileToken + " and " + hostileToken, []string{hostileToken}, []string{" and "}},
		{"robot webhook URL", "POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + hostileRobotKey + "&debug=1", nil, []string{"/cgi-bin/webhook/send?key=", "&debug=1"}},
		{"robot webhook URL in JSON", `{"webhook":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=` + hostileRobotKey + `","msgtype":"text"}`, nil, []string{`"msgtype":"text"`}},
		{"robot webhook URL, URL-encoded", "next=" + url.QueryEscape("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+hostileRobotKey), nil, []string{"next=https%3A%2F%2Fqyapi.weixin.qq.com%2Fcgi-bin%2Fwebhook%2Fsend%3Fkey%3D"}},
		{"robot key under its own name", `{"webhook_key": "` + hostileRobotKey + `", "name":"值班"}`, nil, []string{`"name":"值班"`}},
		{"robot key in an environment line", "WWKIT_ROBOT_KEY=" + hostileRobotKey + "\nPATH=/bin", nil, []string{"WWKIT_ROBOT_KEY=", "PATH=/bin"}},
		{"robot key as a flag", "wwkit robot send --key=" + hostileRobotKey + " --text hi", nil, []string{"wwkit robot send --key=", " --text hi"}},
		{"robot key echoed, known", "errmsg: invalid webhook url " + hostileRobotKey[4:30], []string{hostileRobotKey}, []string{"errmsg: invalid webhook url "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := api.Redact(tc.in, tc.secrets...)
			if !strings.Contains(out, api.Redacted) {
				t.Errorf("nothing redacted: %s", out)
			}
			for _, sec := range []string{hostileToken, hostileSecret, hostileRobotKey} {
				for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec), url.QueryEscape(url.QueryEscape(sec))} {
					for i := 0; i+8 <= len(form); i++ {
						if strings.Contains(out, form[i:i+8]) {
							t.Fatalf("%q of a secret survived: %s", form[i:i+8], out)
						}
					}
				}
			}
			for _, k := range tc.keep {
				if !strings.Contains(out, k) {
					t.Errorf("lost %q: %s", k, out)
				}
			}
		})
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestRedactKeepsOrdinaryText checks that what is not a credential stays:
// errcode, errmsg, hints, paths, ids, non-secret parameters and short words
// that happen to be in a known secret.
func TestRedactKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		`{"errcode":40014,"errmsg":"invalid access_token, hint: [1700000000_1], from ip: 1.2.3.4, more info at https://open.work.weixin.qq.com/devtool/query?e=40014"}`,
		"/cgi-bin/user/get?userid=zhangsan&media_id=3a8asd892asd8asd",
		"errcode=40001 errmsg=invalid credential",
		"dial tcp 127.0.0.1:1: connect: connection refused",
		"http://127.0.0.1:8787/wecom/cgi-bin/gettoken",
		`{"touser":"zhangsan","msgtype":"text","agentid":1000002}`,
		"企业微信 access_token 已过期",
	} {
		if out := api.Redact(s, "wwkit", "abcdef"); out != s {
			t.Errorf("Redact(%q) = %q", s, out)
		}
	}
}

// FuzzRedact: whatever surrounds a credential-shaped secret and whichever
// way it is written, no run of 8 of its characters survives Redact, and text
// with no separator and no secret comes back unchanged.
func FuzzRedact(f *testing.F) {
	f.Add("before ", hostileToken, " after", uint8(0))
	f.Add(`{"x":"`, "abcdef-ghijkl_mnop", `"}`, uint8(1))
	f.Add("/p/", "0123456789", "/q", uint8(2))
	f.Add("e: ", "redacted-redacted", "", uint8(3))
	f.Fuzz(func(t *testing.T, before, secret, after string, form uint8) {
		if len(secret) < 6 || strings.Trim(secret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			return // real tokens, secrets and keys are of this alphabet
		}
		written := secret
		switch form % 4 {
		case 1:
			written = url.QueryEscape(secret)
		case 2:
			written = secret[:len(secret)*2/3+1] // cut short
		case 3:
			b, _ := json.Marshal(secret)
			written = string(b)
		}
		out := api.Redact(before+written+after, secret)
		plain := strings.ReplaceAll(out, api.Redacted, "\x00")
		n := min(8, len(secret))
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(plain, secret[i:i+n]) {
				t.Fatalf("Redact(%q, %q) = %q keeps %q", before+written+after, secret, out, secret[i:i+n])
			}
		}
		if !strings.ContainsAny(before+after, "=:%@") && !strings.Contains(before+after, secret) {
			if api.Redact(before+after, secret) != before+after && !overlapsRun(before+after, secret) {
				t.Fatalf("Redact changed %q", before+after)
			}
		}
	})
}

// overlapsRun reports whether s holds a run of 8 characters of secret (then
// Redact rightly changes it).
func overlapsRun(s, secret string) bool {
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return true
		}
	}
	return false
}

func ExampleRedact() {
	fmt.Println(api.Redact(`Get "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=s3cr3t": i/o timeout`))
	fmt.Println(api.Redact("token 0123456789abcdef expired", "0123456789abcdef"))
	// Output:
	// Get "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=[redacted]": i/o timeout
	// token [redacted] expired
}
