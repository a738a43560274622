package api

import (
	"errors"
	"net/url"
	"strconv"
)

// AuthorizeURL builds the OAuth2 authorize URL (网页授权链接) that opens in the
// WeCom or WeChat client: appid is the CorpID (WeCom) or AppID (MP), scope
// snsapi_base, snsapi_privateinfo (WeCom, needs agentID) or snsapi_userinfo
// (MP). agentID 0 leaves it out (MP). The URL ends with #wechat_redirect.
func AuthorizeURL(appID, redirectURI, scope, state string, agentID int64) (string, error) {
	if appID == "" || redirectURI == "" {
		return "", errors.New("api: the authorize URL needs the appid (CorpID/AppID) and --redirect-uri")
	}
	if scope == "" {
		scope = "snsapi_base"
	}
	if scope == "snsapi_privateinfo" && agentID == 0 {
		return "", errors.New("api: scope snsapi_privateinfo needs the agentid (otherwise WeCom treats it as snsapi_base)")
	}
	if len(state) > 128 {
		return "", errors.New("api: state is at most 128 bytes (a-zA-Z0-9)")
	}
	if u, err := url.Parse(redirectURI); err != nil || u.Scheme == "" || u.Host == "" {
		return "", errors.New("api: --redirect-uri must be an absolute http(s) URL on the app's trusted domain (可信域名)")
	}
	// The order of parameters follows the documentation; url.Values would
	// sort them.
	s := "https://open.weixin.qq.com/connect/oauth2/authorize?appid=" + url.QueryEscape(appID) +
		"&redirect_uri=" + url.QueryEscape(redirectURI) +
		"&response_type=code&scope=" + url.QueryEscape(scope)
	if state != "" {
		s += "&state=" + url.QueryEscape(state)
	}
	if agentID != 0 {
		s += "&agentid=" + strconv.FormatInt(agentID, 10)
	}
	return s + "#wechat_redirect", nil
}
