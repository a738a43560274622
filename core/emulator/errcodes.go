package emulator

// errmsgs is the emulator's errcode catalogue: the errmsg text each code is
// answered with. The texts follow what Tencent's servers send (the part
// before ", hint: […]"); where the spec could not confirm a text it is a
// short English description of the documented meaning.
var errmsgs = map[int]string{
	-1:    "system busy",
	0:     "ok",
	40001: "invalid credential, access_token is invalid or not latest",
	40002: "invalid grant_type",
	40003: "invalid openid",
	40004: "invalid media type",
	40005: "invalid file type",
	40006: "invalid file size",
	40007: "invalid media_id",
	40008: "invalid message type",
	40013: "invalid corpid",
	40014: "invalid access_token",
	40016: "invalid button size",
	40017: "invalid button type",
	40018: "invalid button name size",
	40019: "invalid button key size",
	40020: "invalid button url size",
	40022: "invalid sub button level",
	40023: "invalid sub button size",
	40029: "invalid code",
	40030: "invalid refresh_token",
	40032: "invalid openid list size",
	40037: "invalid template_id",
	40056: "invalid agentid",
	40050: "chatid not found",
	40058: "invalid parameter",
	40066: "invalid url",
	40096: "invalid external userid",
	40163: "code been used",
	40097: "invalid args",
	40125: "invalid appsecret",
	40164: "invalid ip, not in whitelist",
	41001: "access_token missing",
	41002: "corpid missing",
	41004: "corpsecret missing",
	41005: "media data missing",
	41008: "missing code",
	41009: "missing openid",
	41011: "missing agentid",
	41016: "missing title",
	42001: "access_token expired",
	42002: "refresh_token expired",
	42003: "code expired",
	43001: "require GET method",
	43002: "require POST method",
	44002: "empty post data",
	44004: "empty content",
	45002: "content size out of limit",
	45008: "article size out of limit",
	45009: "api freq out of limit",
	45015: "response out of time limit",
	45047: "out of response count limit",
	45056: "too many tags now, no need to add new",
	45058: "can't modify sys tag",
	45059: "too many tag on user",
	45157: "invalid tag name",
	45158: "tag name too long",
	45159: "invalid tag id",
	46003: "menu no exist",
	47001: "data format error",
	48001: "api unauthorized",
	50001: "user unauthorized",
	60011: "no privilege to access/modify contact/party/agent",
	60020: "not allow to access from your ip",
	60111: "userid not found",
	81013: "user & party & tag all invalid",
	84061: "not external contact",
}

// errmsgFor returns the catalogue text of code.
func errmsgFor(code int) string {
	if m, ok := errmsgs[code]; ok {
		return m
	}
	return "error"
}
