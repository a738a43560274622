package emulator

import "regexp"

// reasonsZh gives every Reason of VerifyJSSDK in Chinese, matched on the
// English text (whose variable parts are the submatches), so the H5 page
// can show the emulator's explanation in the user's language.
var reasonsZh = []struct {
	en *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^api must be config or agentConfig$`), "api 只能是 config 或 agentConfig"},
	{regexp.MustCompile(`^corpid (".*") is not the emulated corp \((.*)\)$`), "corpid $1 不是模拟器中的企业（$2）"},
	{regexp.MustCompile(`^appId (".*") is neither the emulated corp id nor the Official Account appid$`), "appId $1 既不是模拟器中的企业ID，也不是公众号 AppID"},
	{regexp.MustCompile(`^url must be the absolute location\.href of the page$`), "url 必须是页面完整的 location.href"},
	{regexp.MustCompile(`^agentid must be the AgentID of an app of the emulated corp$`), "agentid 必须是模拟器企业中某个应用的 AgentID"},
	{regexp.MustCompile(`^(.*) is not in the Official Account's JS接口安全域名 list$`), "$1 不在公众号的 JS 接口安全域名列表中"},
	{regexp.MustCompile(`^(.*) is not a trusted domain \(可信域名\) of the app$`), "$1 不是该应用的可信域名"},
	{regexp.MustCompile(`^timestamp \(seconds\), nonceStr and signature are all required$`), "timestamp（秒）、nonceStr 和 signature 都必须填写"},
	{regexp.MustCompile(`^signed with the corp jsapi_ticket; wx\.agentConfig needs the app ticket from ticket/get\?type=agent_config$`), "用了企业 jsapi_ticket 签名；wx.agentConfig 需要 ticket/get?type=agent_config 返回的应用 ticket"},
	{regexp.MustCompile(`^signed with the app \(agent_config\) ticket; wx\.config needs the corp ticket from get_jsapi_ticket$`), "用了应用（agent_config）ticket 签名；wx.config 需要 get_jsapi_ticket 返回的企业 ticket"},
	{regexp.MustCompile(`^no valid (.*) ticket: fetch one from the emulator .*$`), "没有有效的 $1 ticket：请从模拟器获取（ticket 7200 秒后过期，模拟器时钟也可能被调快了）"},
	{regexp.MustCompile(`^the URL was signed with its #fragment; .*$`), "签名的 URL 带了 # 及其后内容；请对 location.href.split('#')[0] 签名"},
	{regexp.MustCompile(`^the URL was signed URL-encoded; .*$`), "签名的 URL 被 URL 编码过；请只解码一次传输编码，对原始 URL 签名"},
	{regexp.MustCompile(`^the signature must be lowercase hex$`), "signature 必须是小写十六进制"},
	{regexp.MustCompile(`^the signature does not match any valid (.*) ticket for this URL, .*$`), "签名与此 URL、nonceStr、timestamp 下任何有效的 $1 ticket 都不一致；请检查 URL（协议、域名、端口、路径、查询参数）、nonceStr/timestamp 是否与签名时一致，以及 ticket 是否为当前有效的"},
}

// reasonZh is reason in Chinese; "" when reasonsZh has no entry (a test
// keeps every reason covered).
func reasonZh(reason string) string {
	for _, r := range reasonsZh {
		if r.en.MatchString(reason) {
			return r.en.ReplaceAllString(reason, r.zh)
		}
	}
	return ""
}
