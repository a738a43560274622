package api

import (
	"errors"
	"fmt"
)

// APIError is an errcode (错误码) other than 0 returned by WeCom or the
// Official Account server. Its message explains the code from the catalogue
// (what it means and what to check).
type APIError struct {
	Code   int    // errcode
	Msg    string // errmsg as sent by the server
	Method string // HTTP method
	Path   string // API path, e.g. /cgi-bin/message/send (never the query, which holds the token)
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("api: %s %s: errcode %d", e.Method, e.Path, e.Code)
	if info, ok := Errcodes[e.Code]; ok {
		s += " (" + info.Meaning + "; " + info.Check + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Info returns the catalogue entry for the code (zero when unknown).
func (e *APIError) Info() ErrcodeInfo { return Errcodes[e.Code] }

// ErrcodeInfo explains one errcode in English and Chinese.
type ErrcodeInfo struct {
	Meaning   string // what it means
	Check     string // what to check or do
	MeaningZH string // 含义
	CheckZH   string // 排查建议
}

// Errcodes is the errcode catalogue (api-reference.md §C).
var Errcodes = map[int]ErrcodeInfo{
	-1:     {"system busy", "retry later with backoff (wwkit retries up to 3 times)", "系统繁忙", "稍后重试"},
	40001:  {"invalid secret or invalid/superseded access_token", "from gettoken/token: check the secret (each WeCom app has its own) and the MP AppSecret; from other APIs the token was replaced and wwkit refreshes it once", "不合法的secret参数或access_token已失效", "检查应用secret；业务接口返回时为token被替换，wwkit会刷新一次"},
	40002:  {"invalid grant_type", "use grant_type=client_credential", "不合法的凭证类型", "检查grant_type"},
	40003:  {"invalid userid", "check the member exists and the userid spelling", "无效的UserID", "检查成员是否存在"},
	40004:  {"invalid media type", "use image, voice, video or file", "不合法的媒体文件类型", "检查type参数"},
	40005:  {"invalid type parameter", "use a supported media type for this API", "不合法的type参数", "检查type参数"},
	40006:  {"invalid file size", "files must be more than 5 bytes and within the type's limit", "不合法的文件大小", "检查文件大小"},
	40007:  {"invalid media_id", "media ids expire after 3 days; upload again", "不合法的media_id", "临时素材3天后失效，请重新上传"},
	40013:  {"invalid corpid/appid", "check the CorpID (企业ID) or AppID in the profile", "不合法的CorpID或AppID", "检查企业ID/AppID"},
	40014:  {"invalid access_token", "wwkit drops the token and refreshes it once; if it persists check that nothing else overwrites the token", "不合法的access_token", "wwkit会刷新一次；持续出现时检查是否有其他程序覆盖token"},
	40016:  {"invalid number of top-level buttons", "a menu has 1 to 3 top-level buttons", "不合法的按钮个数", "一级菜单1~3个"},
	40018:  {"invalid button name length", "button names are at most 16 bytes", "不合法的按钮名字长度", "菜单名不超过16字节"},
	40019:  {"invalid button key length", "button keys are at most 128 bytes", "不合法的按钮KEY长度", "KEY不超过128字节"},
	40020:  {"invalid button url length", "button urls are at most 1024 bytes", "不合法的按钮URL长度", "URL不超过1024字节"},
	40022:  {"invalid menu level", "menus have at most 2 levels", "不合法的子菜单级数", "最多两级菜单"},
	40023:  {"invalid number of sub-buttons", "a button has 1 to 5 sub-buttons", "不合法的子菜单按钮个数", "子菜单1~5个"},
	40029:  {"invalid oauth code", "a code is single use and expires after 5 minutes; get a new one", "不合法的oauth_code", "code只能用一次，5分钟过期"},
	40033:  {"invalid characters in the request", "send UTF-8 JSON without \\uXXXX escapes", "不合法的字符", "请求不能包含\\uxxxx格式的字符"},
	40056:  {"invalid agentid", "check the AgentID of the app", "不合法的agentid", "检查应用AgentID"},
	40058:  {"invalid parameter", "check the request fields", "不合法的参数", "检查请求参数"},
	40082:  {"invalid suite_token", "refresh the suite token", "不合法的suite_token", "刷新第三方应用凭证"},
	40125:  {"invalid AppSecret", "check the Official Account's AppSecret (reset it in the MP console if lost)", "无效的appsecret", "检查AppSecret"},
	40164:  {"caller IP not in the IP whitelist", "add this server's IP to the Official Account's IP whitelist", "调用接口的IP地址不在白名单中", "在公众平台配置IP白名单"},
	41001:  {"missing access_token", "the cached token was empty; wwkit refreshes once", "缺少access_token参数", "检查token缓存"},
	42001:  {"access_token expired", "wwkit drops the token and refreshes it once", "access_token已过期", "wwkit会刷新一次"},
	43001:  {"GET required", "this API must be called with GET", "需要GET请求", "改用GET"},
	43002:  {"POST required", "this API must be called with POST", "需要POST请求", "改用POST"},
	45009:  {"API call frequency or daily quota exceeded", "back off; do not refresh the token (it costs quota too)", "接口调用超过限制", "降低调用频率，不要刷新token"},
	45033:  {"concurrent call limit exceeded", "retry later with backoff", "接口并发调用超过限制", "稍后重试"},
	45047:  {"customer-service message window exceeded", "only within the window after the user's interaction", "客服接口下行条数超过上限", "等待用户再次互动"},
	48001:  {"API not authorised", "the account lacks this interface permission or the user did not grant the scope", "api功能未授权", "检查接口权限/授权scope"},
	48002:  {"API not authorised for this app", "grant the permission in the admin console", "API禁止调用", "在管理后台授权"},
	50001:  {"redirect domain not the app's trusted domain, or user not authorised", "set the trusted domain (可信域名) and check the app's visible range", "redirect_url未登记可信域名", "检查可信域名与可见范围"},
	60020:  {"caller IP not in the app's trusted IP list", "add this server's IP to 企业可信IP in the app settings", "不安全的访问IP", "在应用设置中配置企业可信IP"},
	60111:  {"userid not found", "check the member exists", "UserID不存在", "检查成员是否存在"},
	80001:  {"trusted domain not filed or incorrect", "use an ICP-filed domain that matches the corp", "可信域名不正确或未备案", "检查可信域名"},
	81013:  {"all recipients invalid", "check touser/toparty/totag and the app's visible range", "UserID、部门ID、标签ID全部非法或无权限", "检查接收人与可见范围"},
	830002: {"media too large for one download", "download it in Range chunks of at most 20 MB", "文件过大", "使用Range分块下载"},
}

// tokenInvalid reports whether code means the access_token used was rejected,
// so the client drops it (if still cached), refreshes once and retries once.
// 40001 counts only from an API that took a token (from gettoken it means a
// wrong secret), and 41001 only when the token sent was empty.
func tokenInvalid(code int, ep *Endpoint, sent string) bool {
	if !ep.NeedsToken {
		return false
	}
	switch code {
	case 40014, 42001, 40001:
		return true
	case 41001:
		return sent == ""
	}
	return false
}

// busy reports whether code asks the caller to back off and retry (without
// refreshing the token).
func busy(code int) bool { return code == -1 || code == 45009 || code == 45033 }

// IsCode reports whether err is (or wraps) an *APIError with the given code.
func IsCode(err error, code int) bool {
	var e *APIError
	return errors.As(err, &e) && e.Code == code
}

// StatusError is a non-200 HTTP status from the server (a gateway error, an
// emulator fault); the body was not an API answer.
type StatusError struct {
	Status int
	Method string
	Path   string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("api: %s %s: HTTP status %d (the server or a proxy failed; retry later or check the base URL)", e.Method, e.Path, e.Status)
}
