package api

// SuiteTokenRequest is the body of service/get_suite_token.
type SuiteTokenRequest struct {
	SuiteID     string `json:"suite_id"`
	SuiteSecret string `json:"suite_secret"`
	SuiteTicket string `json:"suite_ticket"`
}

// SuiteToken answers service/get_suite_token.
type SuiteToken struct {
	SuiteAccessToken string `json:"suite_access_token"`
	ExpiresIn        int64  `json:"expires_in"`
}

// PreAuthCode answers service/get_pre_auth_code (预授权码).
type PreAuthCode struct {
	PreAuthCode string `json:"pre_auth_code"`
	ExpiresIn   int64  `json:"expires_in"`
}

// SessionInfoRequest is the body of service/set_session_info.
type SessionInfoRequest struct {
	PreAuthCode string      `json:"pre_auth_code"`
	SessionInfo SessionInfo `json:"session_info"`
}

// SessionInfo limits an install: AppID lists the apps of the suite that may
// be authorised (empty: all), AuthType 0 is a real install and 1 a test
// install (测试授权, for a suite not yet on the market).
type SessionInfo struct {
	AppID    []int64 `json:"appid,omitempty"`
	AuthType int     `json:"auth_type"`
}

// AuthCodeBody is the body of service/get_permanent_code.
type AuthCodeBody struct {
	AuthCode string `json:"auth_code"`
}

// AuthCorpBody names an authorised corp by its corp id and the permanent
// code (永久授权码) the suite got for it.
type AuthCorpBody struct {
	AuthCorpID    string `json:"auth_corpid"`
	PermanentCode string `json:"permanent_code"`
}

// AuthCorpInfo is the authorised corp (授权方企业信息).
type AuthCorpInfo struct {
	CorpID            string `json:"corpid"`
	CorpName          string `json:"corp_name"`
	CorpType          string `json:"corp_type,omitempty"`
	CorpSquareLogoURL string `json:"corp_square_logo_url,omitempty"`
	CorpUserMax       int64  `json:"corp_user_max,omitempty"`
	CorpFullName      string `json:"corp_full_name,omitempty"`
	SubjectType       int    `json:"subject_type,omitempty"`
	VerifiedEndTime   int64  `json:"verified_end_time,omitempty"`
	CorpScale         string `json:"corp_scale,omitempty"`
	CorpIndustry      string `json:"corp_industry,omitempty"`
	CorpSubIndustry   string `json:"corp_sub_industry,omitempty"`
	CorpWxQRCode      string `json:"corp_wxqrcode,omitempty"` // the corp's WeChat QR code image URL
}

// DealerCorpInfo is the reseller (代理服务商) through which the corp
// installed the suite; empty when it installed directly.
type DealerCorpInfo struct {
	CorpID   string `json:"corpid,omitempty"`
	CorpName string `json:"corp_name,omitempty"`
}

// SharedFrom says the app reached the corp shared by another corp (企业互联
// or 上下游) rather than installed by it.
type SharedFrom struct {
	CorpID    string `json:"corpid"`
	ShareType int    `json:"share_type"` // 0 企业互联, 1 上下游
}

// AuthAgent is one app of the suite that the corp authorised, with the
// AgentID it has in that corp (wx.agentConfig and message/send use it).
type AuthAgent struct {
	AgentID       int64  `json:"agentid"`
	Name          string `json:"name"`
	RoundLogoURL  string `json:"round_logo_url,omitempty"`
	SquareLogoURL string `json:"square_logo_url,omitempty"`
	AppID         int64  `json:"appid,omitempty"`
	AuthMode      int    `json:"auth_mode,omitempty"`
	// IsCustomizedApp is true for an app a provider builds for one corp
	// (代开发自建应用); AuthFromThirdApp is true when a member, not an
	// admin, authorised it.
	IsCustomizedApp  bool           `json:"is_customized_app,omitempty"`
	AuthFromThirdApp bool           `json:"auth_from_thirdapp,omitempty"`
	Privilege        AgentPrivilege `json:"privilege"`
	SharedFrom       *SharedFrom    `json:"shared_from,omitempty"`
}

// AgentPrivilege is an authorised app's visible range (可见范围).
type AgentPrivilege struct {
	Level      int      `json:"level,omitempty"`
	AllowParty []int64  `json:"allow_party,omitempty"`
	AllowUser  []string `json:"allow_user,omitempty"`
	AllowTag   []int64  `json:"allow_tag,omitempty"`
	// The extra_* lists are parts of the directory the app may read
	// beyond its visible range (额外通讯录权限).
	ExtraParty []int64  `json:"extra_party,omitempty"`
	ExtraUser  []string `json:"extra_user,omitempty"`
	ExtraTag   []int64  `json:"extra_tag,omitempty"`
}

// AuthUserInfo is the admin who installed the suite.
type AuthUserInfo struct {
	UserID     string `json:"userid,omitempty"`
	OpenUserID string `json:"open_userid,omitempty"`
	Name       string `json:"name,omitempty"`
	Avatar     string `json:"avatar,omitempty"`
}

// AuthInfo answers service/get_auth_info.
type AuthInfo struct {
	DealerCorpInfo DealerCorpInfo `json:"dealer_corp_info,omitempty"`
	AuthCorpInfo   AuthCorpInfo   `json:"auth_corp_info"`
	AuthInfo       struct {
		Agent []AuthAgent `json:"agent"`
	} `json:"auth_info"`
}

// UserInfo3rd answers service/auth/getuserinfo3rd: the corp the page was
// opened in and the member (UserID, OpenUserID: the member's id across the
// provider's apps), or OpenID for a visitor who is not a member.
// UserTicket is set for scope snsapi_privateinfo.
type UserInfo3rd struct {
	CorpID     string `json:"corpid"`
	UserID     string `json:"userid,omitempty"`
	OpenUserID string `json:"open_userid,omitempty"`
	UserTicket string `json:"user_ticket,omitempty"`
	ExpiresIn  int64  `json:"expires_in,omitempty"`
	OpenID     string `json:"openid,omitempty"`
}

// PermanentCode answers service/get_permanent_code. Store PermanentCode
// like a secret: it is the corp's lasting grant, and get_corp_token needs
// it. The answer also carries a first corp access_token.
type PermanentCode struct {
	AccessToken    string         `json:"access_token,omitempty"`
	ExpiresIn      int64          `json:"expires_in,omitempty"`
	PermanentCode  string         `json:"permanent_code"`
	DealerCorpInfo DealerCorpInfo `json:"dealer_corp_info,omitempty"`
	AuthCorpInfo   AuthCorpInfo   `json:"auth_corp_info"`
	AuthInfo       struct {
		Agent []AuthAgent `json:"agent"`
	} `json:"auth_info"`
	AuthUserInfo AuthUserInfo `json:"auth_user_info"`
	State        string       `json:"state,omitempty"`
}
