package api

import (
	"errors"
	"fmt"
)

// APIError is an errcode (错误码) other than 0 returned by WeCom or the
// Official Account server. Its message explains the code from the catalogue
// (what it means and what to check).
type APIError struct {
	Code     int    // errcode
	Msg      string // errmsg as sent by the server
	Method   string // HTTP method
	Path     string // API path, e.g. /cgi-bin/message/send (never the query, which holds the token)
	Platform string // PlatformWeCom or PlatformMP: which server answered, for the code's meaning
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("api: %s %s: errcode %d", e.Method, e.Path, e.Code)
	if info, ok := LookupErrcode(e.Platform, e.Code); ok {
		s += " (" + info.Meaning + "; " + info.Check + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Info returns the catalogue entry for the code as the answering platform
// means it (zero when unknown).
func (e *APIError) Info() ErrcodeInfo {
	info, _ := LookupErrcode(e.Platform, e.Code)
	return info
}

// Platforms, as Endpoint.Platform and APIError.Platform name them.
const (
	PlatformWeCom = "wecom" // 企业微信
	PlatformMP    = "mp"    // 公众号
)

// LookupErrcode explains code as platform (PlatformWeCom, PlatformMP or ""
// for either) means it: the same number can mean different things on the
// two servers (40003 is an invalid userid for WeCom, an invalid openid for an
// Official Account). A platform-specific entry wins over the shared one.
func LookupErrcode(platform string, code int) (ErrcodeInfo, bool) {
	if info, ok := PlatformErrcodes[platform][code]; ok {
		return info, true
	}
	info, ok := Errcodes[code]
	return info, ok
}

// ErrcodeInfo explains one errcode in English and Chinese.
type ErrcodeInfo struct {
	Meaning   string // what it means
	Check     string // what to check or do
	MeaningZH string // 含义
	CheckZH   string // 排查建议
}

// Errcodes is the errcode catalogue (api-reference.md §C): what a code means
// on either platform. Where WeCom and the Official Account differ, the entry
// here names both and PlatformErrcodes holds each platform's own text; use
// LookupErrcode.
var Errcodes = map[int]ErrcodeInfo{
	-1:    {"system busy", "retry later with backoff (wwkit retries up to 3 times)", "系统繁忙", "稍后重试"},
	40001: {"invalid secret or invalid/superseded access_token", "from gettoken/token: check the secret (each WeCom app has its own) and the MP AppSecret; from other APIs the token was replaced and wwkit refreshes it once", "不合法的secret参数或access_token已失效", "检查应用secret；业务接口返回时为token被替换，wwkit会刷新一次"},
	40002: {"invalid grant_type", "use grant_type=client_credential", "不合法的凭证类型", "检查grant_type"},
	40003: {"invalid userid (WeCom) or openid (Official Account)", "check the member's userid, or the follower's openid of this AppID", "无效的UserID（企业微信）或OpenID（公众号）", "检查成员UserID，或属于当前公众号的粉丝openid"},
	40004: {"invalid media type", "use image, voice, video or file", "不合法的媒体文件类型", "检查type参数"},
	40005: {"invalid type parameter", "use a supported media type for this API", "不合法的type参数", "检查type参数"},
	40006: {"invalid file size", "files must be more than 5 bytes and within the type's limit", "不合法的文件大小", "检查文件大小"},
	40007: {"invalid media_id", "media ids expire after 3 days; upload again", "不合法的media_id", "临时素材3天后失效，请重新上传"},
	40013: {"invalid corpid/appid", "check the CorpID (企业ID) or AppID in the profile", "不合法的CorpID或AppID", "检查企业ID/AppID"},
	40014: {"invalid access_token", "wwkit drops the token and refreshes it once; if it persists check that nothing else overwrites the token", "不合法的access_token", "wwkit会刷新一次；持续出现时检查是否有其他程序覆盖token"},
	40016: {"invalid number of top-level buttons", "a menu has 1 to 3 top-level buttons", "不合法的按钮个数", "一级菜单1~3个"},
	40018: {"invalid button name length", "button names are at most 16 bytes", "不合法的按钮名字长度", "菜单名不超过16字节"},
	40019: {"invalid button key length", "button keys are at most 128 bytes", "不合法的按钮KEY长度", "KEY不超过128字节"},
	40020: {"invalid button url length", "button urls are at most 1024 bytes", "不合法的按钮URL长度", "URL不超过1024字节"},
	40022: {"invalid menu level", "menus have at most 2 levels", "不合法的子菜单级数", "最多两级菜单"},
	40023: {"invalid number of sub-buttons", "a button has 1 to 5 sub-buttons", "不合法的子菜单按钮个数", "子菜单1~5个"},
	40029: {"invalid oauth code", "a code is single use and expires after 5 minutes; get a new one", "不合法的oauth_code", "code只能用一次，5分钟过期"},
	40033: {"invalid characters in the request", "send UTF-8 JSON without \\uXXXX escapes", "不合法的字符", "请求不能包含\\uxxxx格式的字符"},
	40056: {"invalid agentid", "check the AgentID of the app", "不合法的agentid", "检查应用AgentID"},
	40058: {"invalid parameter", "check the request fields", "不合法的参数", "检查请求参数"},
	40082: {"invalid suite_access_token", "wwkit drops the suite_access_token and fetches a new one once; if it persists check that the token belongs to this suite_id", "不合法的suite_access_token", "wwkit会重新获取一次第三方应用凭证；持续出现时检查token是否属于该suite_id"},
	// Third-party (suite) codes. 40082, 40083 and 40085 were seen in
	// Tencent's developer community answers; the others follow the global
	// errcode table as recalled, [unconfirmed] this session (docs/emulator.md).
	40083:  {"invalid suite_id", "check the SuiteID in the profile (服务商后台 → 应用管理 → 第三方应用) and that get_suite_token is called with POST", "不合法的suite_id", "检查SuiteID，且get_suite_token须用POST请求"},
	40084:  {"invalid permanent_code", "the corp cancelled the authorization (cancel_auth) or the code was reset; have the corp install the suite again", "不合法的永久授权码", "企业已取消授权或授权码已重置，请让企业重新授权安装"},
	40085:  {"invalid suite_ticket", "use the newest suite_ticket pushed to this suite's callback URL (valid 30 minutes; the ticket must belong to this suite_id)", "不合法的suite_ticket", "使用推送到该应用指令回调URL的最新suite_ticket（30分钟有效，且须属于该suite_id）"},
	40077:  {"invalid pre_auth_code", "get a new one with get_pre_auth_code", "不合法的预授权码", "用get_pre_auth_code重新获取"},
	40078:  {"invalid auth_code (used or expired)", "an auth_code works once and for 10 minutes: exchange it with get_permanent_code once, right after create_auth, and store the permanent_code", "不合法的临时授权码", "临时授权码只能使用一次且10分钟内有效：收到create_auth后立即换取一次并保存永久授权码"},
	42007:  {"pre_auth_code expired", "a pre_auth_code lives 1200 s: get a new one for each install link", "预授权码失效", "预授权码有效期1200秒，每次生成授权链接时重新获取"},
	42009:  {"suite_access_token expired", "wwkit drops the suite_access_token and fetches a new one once", "suite_access_token已过期", "wwkit会重新获取一次第三方应用凭证"},
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
	50001:  {"redirect domain not the app's trusted domain (WeCom), or the user did not authorise this API (Official Account)", "WeCom: set the trusted domain (可信域名) and check the app's visible range; Official Account: sign the user in with the scope the API needs", "redirect_url未登记可信域名（企业微信）或用户未授权该接口（公众号）", "企业微信检查可信域名与可见范围；公众号以接口所需的scope重新授权"},
	60020:  {"caller IP not in the app's trusted IP list", "add this server's IP to 企业可信IP in the app settings", "不安全的访问IP", "在应用设置中配置企业可信IP"},
	60111:  {"userid not found", "check the member exists", "UserID不存在", "检查成员是否存在"},
	46004:  {"member not found for this mobile or email", "check the mobile/email belongs to a member in the app's visible range (可见范围)", "不存在的成员", "检查手机号/邮箱属于应用可见范围内的成员"},
	40068:  {"invalid tag id", "list the tags with tag/list (wwkit tag list) and use an existing tagid", "不合法的标签ID", "用tag/list查询已有标签ID"},
	40070:  {"every member and department of the tag request is invalid", "check the userids and department ids exist and are in the app's visible range", "指定的标签范围结点全部无效", "检查成员与部门ID存在且在应用可见范围内"},
	60001:  {"invalid department name length", "department names are 1 to 32 characters", "部门长度不符合限制", "部门名称1~32个字符"},
	60004:  {"parent department not found", "check parentid: list the departments with department/list", "父部门不存在", "检查parentid，可用department/list查询"},
	60005:  {"department still has members", "move or delete its members before deleting the department", "不允许删除有成员的部门", "先移出或删除部门下的成员"},
	60006:  {"department still has sub-departments", "delete its sub-departments first", "不允许删除有子部门的部门", "先删除子部门"},
	60008:  {"department already exists", "the id is taken or a sibling has the same name; pick another", "部门已存在", "部门id已被占用或同级部门重名"},
	60009:  {"department name has invalid characters", "department names may not contain \\:*?\"<>|", "部门名称含有非法字符", "部门名称不能含有 \\:*?\"<>|"},
	60102:  {"userid already exists", "pick another userid, or update the existing member", "UserID已存在", "换一个UserID或改为更新成员"},
	60103:  {"invalid mobile", "give a mobile such as 13800000000 or +852-12345678", "手机号码不合法", "检查手机号格式"},
	60104:  {"mobile already used by another member", "each member needs a mobile of their own", "手机号码已存在", "手机号已被其他成员使用"},
	60105:  {"invalid email", "give a valid email address", "邮箱不合法", "检查邮箱格式"},
	60106:  {"email already used by another member", "each member needs an email of their own", "邮箱已存在", "邮箱已被其他成员使用"},
	60112:  {"invalid member name", "names are 1 to 64 bytes", "成员name参数不合法", "成员名称1~64字节"},
	60123:  {"invalid department id", "check the id exists: list the departments with department/list", "无效的部门id", "检查部门id是否存在"},
	60129:  {"mobile and email both empty", "a new member needs a mobile or an email", "成员手机和邮箱都为空", "创建成员需填写手机或邮箱"},
	80001:  {"trusted domain not filed or incorrect", "use an ICP-filed domain that matches the corp", "可信域名不正确或未备案", "检查可信域名"},
	81013:  {"all recipients invalid", "check touser/toparty/totag and the app's visible range", "UserID、部门ID、标签ID全部非法或无权限", "检查接收人与可见范围"},
	830002: {"media too large for one download", "download it in Range chunks of at most 20 MB", "文件过大", "使用Range分块下载"},
	40008:  {"invalid message type", "use a msgtype the API documents for this endpoint (text, image, news, …)", "不合法的消息类型", "检查msgtype是否为该接口支持的类型"},
	40017:  {"invalid button type", "use a documented menu button type (click, view, miniprogram, …)", "不合法的按钮类型", "检查菜单按钮的type取值"},
	40030:  {"invalid refresh_token", "the refresh_token is wrong or belongs to another app; sign the user in again", "不合法的refresh_token", "refresh_token错误或不属于该公众号，请让用户重新授权"},
	40032:  {"invalid openid list size", "send between 2 and 10000 openids per call", "不合法的openid列表长度", "每次传入的openid数量需在允许范围内"},
	40037:  {"invalid template_id", "copy the template_id from the Official Account's template library; it must belong to this AppID", "不合法的模板id", "从公众号模板库复制template_id，且须属于当前AppID"},
	40097:  {"invalid arguments", "check the request body against the API reference (field names and types)", "参数错误", "对照接口文档检查请求字段名与类型"},
	40163:  {"code already used", "an OAuth code works once: do not exchange it twice (page reloads, retries)", "code已被使用", "OAuth code只能使用一次，避免页面刷新或重试时重复换取"},
	41002:  {"corpid missing", "pass corpid to gettoken", "缺少corpid参数", "gettoken需传corpid"},
	41004:  {"corpsecret missing", "pass the app's secret to gettoken", "缺少secret参数", "gettoken需传应用secret"},
	41005:  {"media data missing", "upload the file as multipart form field \"media\"", "缺少多媒体文件数据", "以multipart表单字段media上传文件"},
	41008:  {"code missing", "pass the code from the OAuth redirect", "缺少oauth code", "传入OAuth回调中的code"},
	41009:  {"openid missing", "pass the follower's openid", "缺少openid", "传入粉丝的openid"},
	41011:  {"agentid missing", "pass the app's AgentID", "缺少agentid参数", "传入应用AgentID"},
	41016:  {"title missing", "textcard and news messages need a title", "缺少title参数", "textcard与图文消息需填写title"},
	42002:  {"refresh_token expired", "refresh_tokens live 30 days: sign the user in again", "refresh_token超时", "refresh_token有效期30天，请让用户重新授权"},
	42003:  {"code expired", "an OAuth code lives 5 minutes: exchange it right after the redirect", "oauth code超时", "code有效期5分钟，回调后立即换取"},
	43004:  {"the user does not follow the Official Account", "customer-service and template messages only reach followers; ask the user to follow first", "需要接收者关注", "客服消息和模板消息只能发给已关注的用户"},
	44002:  {"empty POST body", "send the JSON body", "POST的数据包为空", "检查请求体是否为空"},
	44004:  {"empty content", "give the text content", "文本消息内容为空", "填写文本内容"},
	45002:  {"content too long", "shorten the message (text up to 2048 bytes)", "消息内容超过限制", "缩短消息内容"},
	45008:  {"too many articles", "a news message has at most 8 articles", "图文消息的文章数量超过限制", "图文消息最多8篇文章"},
	45015:  {"reply window passed", "customer-service messages need the user to have messaged within 48 hours", "回复时间超过限制", "客服消息需在用户48小时内互动后发送"},
	45056:  {"too many tags", "an Official Account has at most 100 tags; delete unused ones", "创建的标签数过多", "公众号最多100个标签，删除不用的标签"},
	45058:  {"system tag cannot be modified", "tags 0, 1 and 2 are reserved", "不能修改系统默认保留的标签", "0/1/2为系统保留标签"},
	45059:  {"too many tags on the user", "a follower has at most 20 tags", "粉丝身上的标签数已经超过限制", "每个粉丝最多20个标签"},
	45157:  {"tag name already used", "choose another tag name", "标签名非法或与其他标签重名", "换一个标签名"},
	45158:  {"tag name too long", "tag names are at most 30 bytes", "标签名长度超过限制", "标签名不超过30字节"},
	45159:  {"invalid tag id", "list the tags with tags/get and use an existing id", "非法的标签id", "先用tags/get查询已有标签id"},
	46003:  {"no menu", "create the menu first (wwkit menu create)", "不存在的菜单数据", "先创建菜单"},
	47001:  {"data format error", "the body is not valid JSON or a field has the wrong type", "解析JSON/XML内容错误", "检查请求体JSON格式与字段类型"},
	60011:  {"no privilege for this contact, department or app", "add the member/department to the app's visible range (可见范围) in the admin console", "指定的成员/部门/标签参数无权限", "在管理后台将成员或部门加入应用可见范围"},
	40050:  {"chat id not found", "check the chat_id of the customer group (客户群) and that the app has customer-contact rights", "chatid不存在", "检查客户群chat_id及应用的客户联系权限"},
	40066:  {"invalid url (MP) / invalid department list (WeCom)", "an unknown API path answers this: compare the path with the API reference", "不合法的url/不合法的部门列表", "检查接口路径是否与文档一致"},
	40096:  {"invalid external_userid", "check the customer's external_userid (外部联系人userid) belongs to this corp", "不合法的外部联系人userid", "检查external_userid是否属于本企业"},
	84061:  {"no customer relationship", "the member has not added this customer, or has no customers yet", "不存在外部联系人的关系", "确认成员已添加该客户"},
	86001:  {"invalid chatid or parameter (group chat: the chatid is malformed or no chat has it; customer contact: invalid member or customer)", "for appchat: use the chatid appchat/create answered, made by this app; for customer contact: check the userid/external_userid belongs to this corp and the app has customer-contact rights", "参数chatid不合法或参数不合法", "群聊会话：使用本应用appchat/create返回的chatid；客户联系：检查userid/external_userid属于本企业且应用有客户联系权限"},
	// Group chats (appchat, 群聊会话) and group robots (群机器人).
	86004:  {"invalid chat name", "check the name is text; a name longer than 50 characters is not refused but cut to 50", "参数群名不合法", "检查群名；超过50个字不会报错而是被截断"},
	86005:  {"invalid chat owner", "the owner must be one of the chat's members", "参数群主不合法", "群主须在群成员列表中"},
	86006:  {"too many or too few chat members", "a group chat has 2 to 2000 members", "群成员数过多或过少", "群成员需在2到2000人之间"},
	86007:  {"invalid chat member", "every member must be an active member of the corp (check the userids)", "不合法的群成员", "检查群成员userid是否为企业在职成员"},
	86008:  {"not a chat this app created", "an app can read, change and post to only the chats it created", "非法操作非自己创建的群", "应用只能操作自己创建的群聊"},
	86215:  {"chatid already exists", "pick another chatid or leave it empty to get a generated one", "会话ID已经存在", "换一个chatid或留空由系统生成"},
	93000:  {"invalid webhook URL: no robot has this key", "copy the webhook URL again from the group's robot settings; a robot removed from its group loses its key", "机器人webhook地址不合法或机器人已被移出群", "在群机器人设置中重新复制Webhook地址"},
	40009:  {"invalid image size or format", "a robot image is a JPG or PNG of at most 2 MB (before base64)", "图片大小或格式不合法", "机器人图片须为2MB以内的JPG或PNG"},
	301019: {"media md5 mismatch", "send the md5 of the image bytes before base64 encoding (32 hex digits)", "文件MD5不匹配", "md5须为图片原始字节（base64编码前）的MD5"},
	301002: {"no permission for this member's information", "the app cannot read this member: add it to the app's visible range or use the contact-sync secret", "无权限操作指定的应用或成员", "将成员加入应用可见范围或使用通讯录同步secret"},
}

// PlatformErrcodes holds the meanings one platform gives a code differently
// from the other (api-reference.md §C, "WeCom meaning" and "MP meaning").
var PlatformErrcodes = map[string]map[int]ErrcodeInfo{
	PlatformWeCom: {
		40001: {"invalid secret or invalid/superseded access_token", "from gettoken: check the secret (each WeCom app has its own); from other APIs the token was replaced and wwkit refreshes it once", "不合法的secret参数或access_token已失效", "gettoken返回时检查应用secret（每个应用各有secret）；业务接口返回时token已被替换，wwkit会刷新一次"},
		40003: {"invalid userid", "check the member exists and the userid spelling (userids are case-sensitive)", "无效的UserID", "检查成员是否存在及UserID拼写（区分大小写）"},
		40013: {"invalid corpid", "check the CorpID (企业ID) in the profile: My Company → Company Info in the admin console", "不合法的CorpID", "检查企业ID：管理后台“我的企业—企业信息”"},
		41002: {"corpid missing", "pass corpid to gettoken", "缺少corpid参数", "gettoken需传corpid"},
		41004: {"corpsecret missing", "pass the app's secret to gettoken", "缺少secret参数", "gettoken需传应用secret"},
		45009: {"API call frequency exceeded", "back off; do not refresh the token (gettoken has its own limit)", "接口调用超过频率限制", "降低调用频率，不要刷新token"},
		40066: {"invalid department list, or an unknown API path", "check the department ids; wwkit's emulator also answers 40066 for a path it does not serve, so compare the path with the API reference", "不合法的部门列表或接口路径", "检查部门ID；模拟器对不存在的接口路径也返回40066，请核对路径"},
		48001: {"API not authorised for this app", "grant the interface permission to the app in the admin console", "api未授权", "在管理后台为应用开通该接口权限"},
		50001: {"redirect domain not the app's trusted domain, or user not authorised", "set the trusted domain (可信域名) and check the app's visible range", "redirect_url未登记可信域名", "检查可信域名与可见范围"},
	},
	PlatformMP: {
		40001: {"invalid credential: AppSecret wrong or access_token invalid/not latest", "from cgi-bin/token check the AppSecret; from other APIs another process fetched a newer token (each fetch supersedes the last): share one token cache (--store) or use stable_token; wwkit refreshes once", "AppSecret错误或access_token无效/不是最新", "cgi-bin/token返回时检查AppSecret；业务接口返回时别处又获取了新token（新token使旧的失效），请共用token缓存或使用stable_token；wwkit会刷新一次"},
		40003: {"invalid openid", "the openid is wrong or belongs to another Official Account (each AppID has its own openids); take it from this account's callbacks, OAuth or user/get", "不合法的OpenID", "openid错误或属于其他公众号（不同AppID下openid不同），请从本公众号的回调、网页授权或用户列表获取"},
		40013: {"invalid AppID", "check the AppID (开发者ID) in the profile: 设置与开发 → 基本配置 in the MP console", "不合法的AppID", "检查公众号AppID：公众平台“设置与开发—基本配置”"},
		40029: {"invalid or expired code", "a web-authorization code is single use and lives 5 minutes; start the authorization again", "不合法或已过期的code", "网页授权code只能用一次，5分钟过期，请重新授权"},
		40066: {"invalid url", "the API path is not one the server knows: compare it with the API reference", "不合法的url", "检查接口路径是否与文档一致"},
		41002: {"appid missing", "pass the AppID", "缺少appid参数", "传入公众号AppID"},
		41004: {"appsecret missing", "pass the AppSecret", "缺少secret参数", "传入公众号AppSecret"},
		45009: {"daily API quota exceeded", "wait for the daily reset (or clear the quota once in the MP console); do not refresh the token, which costs quota too", "接口调用超过每日限额", "等待次日重置（或在公众平台清零一次），不要刷新token（同样消耗次数）"},
		48001: {"api unauthorized", "the account lacks this interface (unverified account or type), or the user did not grant snsapi_userinfo for sns/userinfo", "api功能未授权", "确认公众号已获得该接口权限（认证/账号类型）；sns/userinfo需用户以snsapi_userinfo授权"},
		50001: {"user has not authorised this API", "sign the user in again with the scope this API needs (snsapi_userinfo for sns/userinfo)", "用户未授权该api", "以该接口所需的scope（sns/userinfo需snsapi_userinfo）重新授权"},
		// Customer-service accounts, personalised menus, permanent material,
		// batch follower reads, mini program links.
		40004: {"invalid media type", "temporary media and permanent material take image, voice, video or thumb (batchget_material: image, voice, video or news)", "不合法的媒体文件类型", "type取image、voice、video或thumb（素材列表取image、voice、video或news）"},
		40005: {"invalid file type", "the file's format does not fit the type: image bmp/png/jpeg/jpg/gif, voice mp3/wma/wav/amr (amr/mp3 for temporary media), video mp4, thumb jpg", "不合法的文件类型", "文件格式与type不符：图片bmp/png/jpeg/jpg/gif，语音mp3/wma/wav/amr（临时素材amr/mp3），视频mp4，缩略图jpg"},
		40007: {"invalid media_id", "a temporary media id lives 3 days (upload again); a permanent material id must come from add_material or batchget_material and not be deleted", "不合法的media_id", "临时素材3天后失效需重新上传；永久素材id须来自add_material或素材列表且未被删除"},
		40032: {"invalid openid list size", "user/info/batchget takes 1 to 100 openids, tag batches 1 to 50: split the list", "不合法的openid列表长度", "批量获取用户信息每次1~100个openid，批量打标签每次1~50个，请分批"},
		40165: {"invalid mini program page path", "use a page path from the mini program's app.json (e.g. pages/index/index), published in its live version", "不合法的小程序页面路径", "pagepath须为小程序app.json中已发布的页面路径"},
		40166: {"invalid mini program appid", "use the AppID of a mini program linked to this Official Account (关联小程序 in the MP console)", "不合法的小程序appid", "使用已关联到本公众号的小程序AppID"},
		65301: {"personalised menu not found", "list the menuids with menu/get (conditionalmenu), e.g. wwkit menu get --mp", "不存在此menuid对应的个性化菜单", "用menu/get查询个性化菜单的menuid"},
		65302: {"no such user", "menu/trymatch takes a follower's openid or WeChat ID (微信号)", "没有相应的用户", "user_id须为粉丝的openid或微信号"},
		65303: {"no default menu", "create the default menu with menu/create (wwkit menu create --mp) before a personalised menu", "没有默认菜单，不能创建个性化菜单", "先用menu/create创建默认菜单"},
		65304: {"match rule empty", "set matchrule.tag_id (or client_platform_type)", "MatchRule信息为空", "填写matchrule.tag_id或client_platform_type"},
		65320: {"match rule uses private data", "personalised menus no longer match by sex, country, province, city or language: tag those followers and match by tag_id", "个性化菜单不再支持性别、地区、语言等隐私信息筛选", "为这些粉丝打标签后按tag_id匹配"},
		65400: {"new customer service not enabled", "enable the new customer service (新版客服) in the MP console (and set the account's WeChat ID), then wait a moment", "API不可用，未开通新版客服功能", "在公众平台开通新版客服功能（并设置公众号微信号）后稍候再试"},
		65401: {"invalid customer-service account", "no account with this kf_account: list them with getkflist (wwkit mp kf list)", "无效客服账号", "用getkflist查询已有客服账号"},
		65403: {"illegal customer-service nickname", "nickname is 1 to 16 characters", "客服昵称不合法", "昵称1~16个字"},
		65404: {"illegal customer-service account", "kf_account is prefix@公众号微信号: the prefix 1 to 10 letters, digits or _, the suffix the account's WeChat ID", "客服账号不合法", "格式为 前缀@公众号微信号，前缀最多10个字符（英文、数字、下划线）"},
		65405: {"too many customer-service accounts", "an account has at most 100; delete unused ones", "客服账号数目已达到上限", "每个公众号最多100个客服账号，删除不用的账号"},
		65406: {"customer-service account exists", "pick another prefix, or change the existing one with kfaccount/update", "已经存在的客服账号", "换一个账号前缀或用kfaccount/update修改"},
	},
}

// tokenInvalid reports whether code means the access_token used was rejected,
// so the client drops it (if still cached), refreshes once and retries once.
// 40082 and 42009 are the suite_access_token's own codes.
// 40001 counts only from an API that took a token (from gettoken it means a
// wrong secret), and 41001 only when the token sent was empty.
func tokenInvalid(code int, ep *Endpoint, sent string) bool {
	if !ep.NeedsToken {
		return false
	}
	switch code {
	case 40014, 42001, 40001:
		return true
	case 40082, 42009: // suite_access_token invalid / expired
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
