package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// Fixture is the emulated world: one WeCom (企业微信) corp with its apps,
// departments and members, and one Official Account (公众号) with followers
// and tags. It is plain JSON so users can write their own (see LoadFixture).
type Fixture struct {
	WeCom WeComFixture `json:"wecom"`
	MP    MPFixture    `json:"mp"`
	// Suites are the third-party apps (第三方应用) of the emulated service
	// provider (服务商). The fixture corp is the one test corp that can
	// install them.
	Suites []Suite `json:"suites,omitempty"`
}

// Suite is a third-party app on the emulated provider platform.
type Suite struct {
	SuiteID        string `json:"suiteId"`
	Name           string `json:"name"`
	Secret         string `json:"secret"`
	Token          string `json:"token"`          // instruction callback Token
	EncodingAESKey string `json:"encodingAESKey"` // instruction callback EncodingAESKey
	// CallbackURL is the instruction callback URL (指令回调URL): suite_ticket,
	// create_auth, change_auth and cancel_auth are pushed to it encrypted
	// with receiveid = SuiteID.
	CallbackURL string `json:"callbackURL"`
	// AgentID is the AgentID the suite's app gets in the corp that
	// installs it; it must not be one of wecom.apps.
	AgentID        int64    `json:"agentId"`
	TrustedDomains []string `json:"trustedDomains,omitempty"`
}

// WeComFixture describes the emulated corp.
type WeComFixture struct {
	CorpID      string       `json:"corpId"`
	Apps        []App        `json:"apps"`
	Departments []Department `json:"departments"`
	Users       []User       `json:"users"`
	Tags        []WeComTag   `json:"tags,omitempty"`
	// ExternalContacts are the corp's customers (客户联系), GroupChats its
	// customer groups (客户群).
	ExternalContacts []ExternalContact `json:"externalContacts,omitempty"`
	GroupChats       []GroupChat       `json:"groupChats,omitempty"`
	// Robots are group robots (群机器人) and the internal group each posts to.
	Robots []Robot `json:"robots,omitempty"`
}

// Robot is a group robot (群机器人): its webhook Key (a secret: whoever holds
// it can post to the group), a display Name, and the group's name and
// members, who receive what it posts.
type Robot struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	ChatName string   `json:"chatName"`
	Members  []string `json:"members"`
}

// ExternalContact is a customer (外部联系人): a WeChat user (type 1) or a
// member of another WeCom corp (type 2) whom members of the corp added.
type ExternalContact struct {
	ExternalUserID string `json:"externalUserId"`
	Name           string `json:"name"`
	Type           int    `json:"type"`             // 1 WeChat user, 2 WeCom user of another corp
	Gender         int    `json:"gender,omitempty"` // 0 unknown, 1 male, 2 female
	Avatar         string `json:"avatar,omitempty"`
	UnionID        string `json:"unionid,omitempty"`
	Position       string `json:"position,omitempty"`     // type 2 only
	CorpName       string `json:"corpName,omitempty"`     // type 2 only
	CorpFullName   string `json:"corpFullName,omitempty"` // type 2 only
	// OpenID is the per-corp openid auth/getuserinfo answers when this
	// person opens one of the corp's pages as a non-member (非企业成员);
	// empty when the fixture does not model it.
	OpenID      string       `json:"openid,omitempty"`
	FollowUsers []FollowUser `json:"followUsers"`
}

// FollowUser is a member who added the customer (跟进人), with that member's
// remark and tags for them.
type FollowUser struct {
	UserID         string        `json:"userid"`
	Remark         string        `json:"remark,omitempty"`
	Description    string        `json:"description,omitempty"`
	CreateTime     int64         `json:"createTime"`
	RemarkCorpName string        `json:"remarkCorpName,omitempty"`
	RemarkMobiles  []string      `json:"remarkMobiles,omitempty"`
	AddWay         int           `json:"addWay,omitempty"` // 1 QR code, 2 mobile search, … (Tencent's add_way values)
	State          string        `json:"state,omitempty"`  // the state of the 联系我 QR code used
	Tags           []CustomerTag `json:"tags,omitempty"`
}

// CustomerTag is a customer tag (企业客户标签) a member put on a customer.
type CustomerTag struct {
	GroupName string `json:"groupName"`
	TagName   string `json:"tagName"`
	TagID     string `json:"tagId,omitempty"`
	Type      int    `json:"type"` // 1 corp tag, 2 personal tag, 3 rule-group tag
}

// GroupChat is a customer group (客户群) owned by a member.
type GroupChat struct {
	ChatID     string        `json:"chatId"`
	Name       string        `json:"name"`
	Owner      string        `json:"owner"`
	CreateTime int64         `json:"createTime"`
	Notice     string        `json:"notice,omitempty"`
	Members    []GroupMember `json:"members"`
	Admins     []string      `json:"admins,omitempty"`
}

// GroupMember is one member of a customer group: a member of the corp
// (type 1, UserID is a userid) or a customer (type 2, UserID is an
// external_userid).
type GroupMember struct {
	UserID        string `json:"userid"`
	Type          int    `json:"type"`
	UnionID       string `json:"unionid,omitempty"`
	JoinTime      int64  `json:"joinTime"`
	JoinScene     int    `json:"joinScene"` // 1 invited directly, 2 invited by link, 3 scanned the group QR code
	Invitor       string `json:"invitor,omitempty"`
	GroupNickname string `json:"groupNickname,omitempty"`
	Name          string `json:"name"`
}

// App is a self-built WeCom app (自建应用): its secret gets an access_token of
// its own, and Token/EncodingAESKey configure its callback (回调) URL.
type App struct {
	AgentID        int64  `json:"agentId"`
	Name           string `json:"name"`
	Secret         string `json:"secret"`
	Token          string `json:"token"`
	EncodingAESKey string `json:"encodingAESKey"`
	CallbackURL    string `json:"callbackURL"`
	// TrustedDomains is the app's 可信域名 list (host names, optionally with
	// a port). Empty means every domain is accepted (an emulator
	// convenience; the real console always has at least one).
	TrustedDomains []string `json:"trustedDomains,omitempty"`
	// TrustedIPs is the app's 企业可信IP list. When non-empty, API calls
	// with this app's token from other addresses get 60020.
	TrustedIPs []string `json:"trustedIPs,omitempty"`
	// VisibleParties and VisibleUsers are the app's visible range (可见范围):
	// the departments (with their sub-departments) and members the app may
	// read and change through the contact APIs. Both empty means the whole
	// corp.
	VisibleParties []int64  `json:"visibleParties,omitempty"`
	VisibleUsers   []string `json:"visibleUsers,omitempty"`
}

// Department is a WeCom department (部门).
type Department struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	NameEn   string   `json:"nameEn,omitempty"`
	ParentID int64    `json:"parentId"`
	Order    int64    `json:"order,omitempty"`   // larger sorts first among siblings
	Leaders  []string `json:"leaders,omitempty"` // department_leader userids
}

// User is a WeCom member (成员).
type User struct {
	UserID     string  `json:"userid"`
	Name       string  `json:"name"`
	Department []int64 `json:"department"`
	Position   string  `json:"position,omitempty"`
	Mobile     string  `json:"mobile,omitempty"`
	Gender     string  `json:"gender,omitempty"` // "0" unknown, "1" male, "2" female
	Email      string  `json:"email,omitempty"`
	Avatar     string  `json:"avatar,omitempty"`
	Status     int     `json:"status,omitempty"` // 1 active (default), 2 disabled, 4 not activated, 5 exited
	Alias      string  `json:"alias,omitempty"`
	Telephone  string  `json:"telephone,omitempty"`
	Address    string  `json:"address,omitempty"`
	BizMail    string  `json:"bizMail,omitempty"`
}

// WeComTag is a WeCom tag (标签) used by message/send totag.
type WeComTag struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	UserIDs  []string `json:"userids"`
	PartyIDs []int64  `json:"partyIds,omitempty"` // departments tagged as a whole
}

// MPFixture describes the emulated Official Account.
type MPFixture struct {
	AppID          string `json:"appId"`
	AppSecret      string `json:"appSecret"`
	OriginalID     string `json:"originalId"` // gh_…, the ToUserName of callbacks
	Token          string `json:"token"`
	EncodingAESKey string `json:"encodingAESKey"`
	CallbackURL    string `json:"callbackURL"`
	// EncryptMode is the callback 消息加解密方式: "safe" (安全模式, the
	// default), "compat" (兼容模式) or "plain" (明文模式).
	EncryptMode string `json:"encryptMode,omitempty"`
	// JSDomains is the JS接口安全域名 list; empty accepts every domain.
	JSDomains []string `json:"jsDomains,omitempty"`
	// IPWhitelist, when non-empty, makes cgi-bin/token answer 40164 to
	// callers outside it.
	IPWhitelist []string   `json:"ipWhitelist,omitempty"`
	Followers   []Follower `json:"followers"`
	Tags        []MPTag    `json:"tags"`
	Templates   []Template `json:"templates,omitempty"`
	PageSize    int        `json:"pageSize,omitempty"` // user/get page size, 10000 when 0
	// WeChatID is the account's WeChat ID (公众号微信号), the suffix of every
	// kf_account; the OriginalID when empty.
	WeChatID string `json:"wechatId,omitempty"`
	// KFAccounts are the customer-service accounts (客服账号) that
	// customservice/kfaccount/* change.
	KFAccounts []KFAccount `json:"kfAccounts,omitempty"`
	// KFDisabled makes the kfaccount APIs answer 65400, as for an account
	// that has not enabled the new customer service (新版客服).
	KFDisabled bool `json:"kfDisabled,omitempty"`
	// MiniPrograms are the mini programs linked to the account (关联小程序);
	// template messages and customer-service text links may open only
	// these. Empty accepts any well-formed appid.
	MiniPrograms []MiniProgram `json:"miniPrograms,omitempty"`
}

// KFAccount is a customer-service account (客服账号).
type KFAccount struct {
	Account    string `json:"account"` // kf_account: prefix@微信号
	Nickname   string `json:"nickname"`
	ID         int64  `json:"id"` // kf_id
	HeadImgURL string `json:"headImgUrl,omitempty"`
	WX         string `json:"wx,omitempty"` // the bound agent's WeChat ID
}

// MiniProgram is a mini program linked to the Official Account.
type MiniProgram struct {
	AppID string `json:"appId"`
	// Pages, when set, are its page paths (without query); other pagepaths
	// answer 40165.
	Pages []string `json:"pages,omitempty"`
}

// Follower is an Official Account user, identified by OpenID.
type Follower struct {
	OpenID     string  `json:"openid"`
	Nickname   string  `json:"nickname"`
	Sex        int     `json:"sex,omitempty"`
	City       string  `json:"city,omitempty"`
	Province   string  `json:"province,omitempty"`
	Country    string  `json:"country,omitempty"`
	HeadImgURL string  `json:"headimgurl,omitempty"`
	UnionID    string  `json:"unionid,omitempty"`
	Subscribed bool    `json:"subscribed"`
	Remark     string  `json:"remark,omitempty"`
	TagIDs     []int64 `json:"tagIds,omitempty"`
	// ClientPlatform is the phone OS personalised menus match
	// (client_platform_type): 1 iOS, 2 Android, 3 others; 0 unknown.
	ClientPlatform int `json:"clientPlatform,omitempty"`
	// WeChatID is the user's WeChat ID (微信号), which menu/trymatch takes
	// as well as the openid.
	WeChatID string `json:"wechatId,omitempty"`
	// SnapshotUser marks the virtual user of the snapshot page (快照页模式):
	// its web-authorization token answer carries is_snapshotuser: 1.
	SnapshotUser bool `json:"snapshotUser,omitempty"`
}

// MPTag is an Official Account user tag (用户标签).
type MPTag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Template is a message template (模板消息) the account has added.
type Template struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// The derivations live in package fixture, which holds the identities.
var (
	derive       = fixture.Derive
	deriveHex    = fixture.DeriveHex
	deriveAESKey = fixture.DeriveAESKey
)

const alnum = fixture.Alnum

// DefaultAgentID is the AgentID of the default fixture's app.
const DefaultAgentID = fixture.AgentID

// DefaultFixture returns the built-in fixture. It is deterministic: the same
// corp id, secrets, tokens and keys on every start, so scripts and the CLI's
// default profile work against a separately started emulator.
func DefaultFixture() *Fixture {
	fx := &Fixture{
		WeCom: WeComFixture{
			CorpID: fixture.CorpID,
			Apps: []App{{
				AgentID:        DefaultAgentID,
				Name:           "wwkit 演示应用",
				Secret:         fixture.Secret,
				Token:          fixture.Token,
				EncodingAESKey: fixture.EncodingAESKey,
				CallbackURL:    "http://127.0.0.1:8080/callback/wecom",
			}},
			Departments: []Department{
				{ID: 1, Name: "示例科技", ParentID: 0},
				{ID: 2, Name: "研发部", ParentID: 1},
				{ID: 3, Name: "市场部", ParentID: 1},
			},
			Users: []User{
				{UserID: "zhangsan", Name: "张三", Department: []int64{1, 2}, Position: "工程师", Mobile: "13800000001", Gender: "1", Email: "zhangsan@example.com"},
				{UserID: "lisi", Name: "李四", Department: []int64{2}, Position: "产品经理", Mobile: "13800000002", Gender: "2", Email: "lisi@example.com"},
				{UserID: "wangwu", Name: "王五", Department: []int64{3}, Position: "市场专员", Mobile: "13800000003", Gender: "1"},
				{UserID: "zhaoliu", Name: "赵六", Department: []int64{3}, Position: "销售", Mobile: "13800000004", Gender: "2"},
				{UserID: "sunqi", Name: "孙七", Department: []int64{1}, Position: "行政", Mobile: "13800000005", Gender: "1", Status: 4},
			},
			Tags: []WeComTag{{ID: 1, Name: "值班", UserIDs: []string{"zhangsan", "lisi"}}},
		},
		MP: MPFixture{
			AppID:          fixture.MPAppID,
			AppSecret:      fixture.MPSecret,
			OriginalID:     fixture.MPOriginalID,
			Token:          fixture.MPToken,
			EncodingAESKey: fixture.MPEncodingAESKey,
			CallbackURL:    "http://127.0.0.1:8080/callback/mp",
			EncryptMode:    "safe",
			Tags: []MPTag{
				{ID: 2, Name: "星标组"},
				{ID: 100, Name: "VIP客户"},
				{ID: 101, Name: "测试组"},
			},
			Templates: []Template{
				{ID: derive("template-order", 43, alnum+"-_"), Title: "订单状态提醒"},
				{ID: derive("template-visit", 43, alnum+"-_"), Title: "预约成功通知"},
			},
			KFAccounts: []KFAccount{{Account: "kf2001@" + fixture.MPOriginalID, Nickname: "客服小王", ID: 1001}},
		},
	}
	names := []struct {
		nick, city string
		sex        int
		sub        bool
		tags       []int64
	}{
		{"小明", "深圳", 1, true, []int64{100}},
		{"小红", "广州", 2, true, []int64{100, 101}},
		{"阿强", "北京", 1, true, nil},
		{"丽丽", "上海", 2, true, []int64{2}},
		{"大伟", "杭州", 1, false, nil},
	}
	for i, n := range names {
		fx.MP.Followers = append(fx.MP.Followers, Follower{
			OpenID:     "o" + derive(fmt.Sprintf("openid-%d", i), 27, alnum+"-_"),
			Nickname:   n.nick,
			Sex:        n.sex,
			City:       n.city,
			Province:   "",
			Country:    "中国",
			UnionID:    "o" + derive(fmt.Sprintf("unionid-%d", i), 27, alnum+"-_"),
			Subscribed: n.sub,
			// Alternately iOS and Android, for personalised menus.
			ClientPlatform: i%2 + 1,
			TagIDs:         n.tags,
		})
	}
	fx.WeCom.ExternalContacts, fx.WeCom.GroupChats = defaultCustomers()
	fx.WeCom.Robots = []Robot{{Key: fixture.RobotKey, Name: "值班机器人", ChatName: "研发值班群", Members: []string{"zhangsan", "lisi"}}}
	fx.Suites = []Suite{{
		SuiteID: fixture.SuiteID, Name: "wwkit 演示第三方应用", Secret: fixture.SuiteSecret,
		Token: fixture.SuiteToken, EncodingAESKey: fixture.SuiteEncodingAESKey,
		CallbackURL: "http://127.0.0.1:8080/callback/suite", AgentID: fixture.SuiteAgentID,
	}}
	return fx
}

// defaultCustomers are the default fixture's customers (客户) and customer
// group (客户群): two WeChat users and a buyer from another corp, followed by
// the sales members, all in one group chat.
func defaultCustomers() ([]ExternalContact, []GroupChat) {
	// 2025-11-03 10:00 and later, Beijing time: fixed, like every fixture value.
	const t0 = 1762135200
	ext := func(label string) string { return "wm" + derive("external-"+label, 30, alnum+"-_") }
	chen, liu, huang := ext("chen"), ext("liu"), ext("huang")
	contacts := []ExternalContact{
		{ExternalUserID: chen, Name: "陈晓燕", Type: 1, Gender: 2, UnionID: "o" + derive("unionid-chen", 27, alnum+"-_"),
			OpenID: "o" + derive("wecom-openid-chen", 27, alnum+"-_"),
			FollowUsers: []FollowUser{{UserID: "zhaoliu", Remark: "陈姐-华南采购", Description: "华南区采购负责人，关注交期", CreateTime: t0,
				RemarkMobiles: []string{"13900000011"}, AddWay: 1, State: "展会二维码",
				Tags: []CustomerTag{{GroupName: "客户等级", TagName: "重点客户", TagID: "et" + derive("tag-key", 30, alnum+"-_"), Type: 1}}}}},
		{ExternalUserID: liu, Name: "刘建国", Type: 2, Gender: 1, Position: "采购经理", CorpName: "星河贸易", CorpFullName: "深圳市星河贸易有限公司",
			FollowUsers: []FollowUser{
				{UserID: "zhaoliu", Remark: "刘经理", Description: "年度框架协议对接人", CreateTime: t0 + 3600, RemarkCorpName: "星河贸易", AddWay: 2},
				{UserID: "zhangsan", Remark: "刘建国（星河）", Description: "技术对接", CreateTime: t0 + 86400, AddWay: 3},
			}},
		{ExternalUserID: huang, Name: "黄丽娟", Type: 1, Gender: 2,
			FollowUsers: []FollowUser{{UserID: "wangwu", Remark: "黄老师", CreateTime: t0 + 2*86400, AddWay: 1, State: "官网咨询"}}},
	}
	groups := []GroupChat{{
		ChatID: "wr" + derive("groupchat-xinghe", 30, alnum+"-_"), Name: "星河贸易采购对接群", Owner: "zhaoliu", CreateTime: t0 + 7200,
		Notice: "工作日 9:00-18:00 在线，紧急事项请直接电话联系赵六。",
		Members: []GroupMember{
			{UserID: "zhaoliu", Type: 1, JoinTime: t0 + 7200, JoinScene: 1, Name: "赵六"},
			{UserID: "zhangsan", Type: 1, JoinTime: t0 + 7300, JoinScene: 1, Invitor: "zhaoliu", Name: "张三"},
			{UserID: liu, Type: 2, JoinTime: t0 + 7400, JoinScene: 1, Invitor: "zhaoliu", GroupNickname: "星河-刘建国", Name: "刘建国"},
			{UserID: chen, Type: 2, UnionID: "o" + derive("unionid-chen", 27, alnum+"-_"), JoinTime: t0 + 9000, JoinScene: 3, Name: "陈晓燕"},
		},
		Admins: []string{"zhangsan"},
	}}
	return contacts, groups
}

// LoadFixture reads a fixture file (JSON, the shape of Fixture) and checks
// it. Fields left out are not filled from the default fixture: a fixture file
// describes a whole world.
func LoadFixture(path string) (*Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("emulator: reading fixture: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var fx Fixture
	if err := dec.Decode(&fx); err != nil {
		return nil, fmt.Errorf("emulator: fixture %s is not valid JSON of the fixture shape: %w", path, err)
	}
	if err := fx.Validate(); err != nil {
		return nil, err
	}
	return &fx, nil
}

// Validate checks the fixture for the mistakes that would make the emulator
// misbehave: missing ids, duplicate ids and bad EncodingAESKeys.
func (fx *Fixture) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("emulator: fixture: "+format, args...))
	}
	if fx.WeCom.CorpID == "" {
		add("wecom.corpId is empty; set it to the corp id (ww…)")
	}
	seen := map[int64]bool{}
	for i, a := range fx.WeCom.Apps {
		if a.AgentID == 0 {
			add("wecom.apps[%d].agentId is missing", i)
		}
		if seen[a.AgentID] {
			add("wecom.apps[%d].agentId %d is used twice", i, a.AgentID)
		}
		seen[a.AgentID] = true
		if a.Secret == "" {
			add("wecom.apps[%d].secret is empty", i)
		}
		if a.EncodingAESKey != "" && !validAESKey(a.EncodingAESKey) {
			add("wecom.apps[%d].encodingAESKey must be 43 base64 characters", i)
		}
	}
	users := map[string]bool{}
	for i, u := range fx.WeCom.Users {
		if u.UserID == "" {
			add("wecom.users[%d].userid is empty", i)
		}
		if users[strings.ToLower(u.UserID)] {
			add("wecom.users[%d].userid %q is used twice", i, u.UserID)
		}
		users[strings.ToLower(u.UserID)] = true
	}
	if fx.MP.AppID != "" {
		if fx.MP.AppSecret == "" {
			add("mp.appSecret is empty")
		}
		if fx.MP.EncodingAESKey != "" && !validAESKey(fx.MP.EncodingAESKey) {
			add("mp.encodingAESKey must be 43 base64 characters")
		}
		switch fx.MP.EncryptMode {
		case "", "safe", "compat", "plain":
		default:
			add("mp.encryptMode %q is not one of safe, compat, plain", fx.MP.EncryptMode)
		}
	}
	exts := map[string]bool{}
	for i, c := range fx.WeCom.ExternalContacts {
		if c.ExternalUserID == "" || exts[c.ExternalUserID] {
			add("wecom.externalContacts[%d].externalUserId is empty or used twice", i)
		}
		exts[c.ExternalUserID] = true
		if c.Type != 1 && c.Type != 2 {
			add("wecom.externalContacts[%d].type must be 1 (WeChat user) or 2 (WeCom user)", i)
		}
		for j, f := range c.FollowUsers {
			if !users[strings.ToLower(f.UserID)] {
				add("wecom.externalContacts[%d].followUsers[%d].userid %q is not a member of wecom.users", i, j, f.UserID)
			}
		}
	}
	chats := map[string]bool{}
	for i, g := range fx.WeCom.GroupChats {
		if g.ChatID == "" || chats[g.ChatID] {
			add("wecom.groupChats[%d].chatId is empty or used twice", i)
		}
		chats[g.ChatID] = true
		if !users[strings.ToLower(g.Owner)] {
			add("wecom.groupChats[%d].owner %q is not a member of wecom.users", i, g.Owner)
		}
	}
	robots := map[string]bool{}
	for i, r := range fx.WeCom.Robots {
		if r.Key == "" || robots[r.Key] {
			add("wecom.robots[%d].key is empty or used twice", i)
		}
		robots[r.Key] = true
		for j, m := range r.Members {
			if !users[strings.ToLower(m)] {
				add("wecom.robots[%d].members[%d] %q is not a member of wecom.users", i, j, m)
			}
		}
	}
	suites := map[string]bool{}
	for i, su := range fx.Suites {
		if su.SuiteID == "" || suites[su.SuiteID] {
			add("suites[%d].suiteId is empty or used twice", i)
		}
		suites[su.SuiteID] = true
		if su.Secret == "" {
			add("suites[%d].secret is empty", i)
		}
		if !validAESKey(su.EncodingAESKey) || su.Token == "" {
			add("suites[%d] needs a token and a 43-character base64 encodingAESKey (the suite_ticket push is encrypted)", i)
		}
		if su.AgentID == 0 || seen[su.AgentID] {
			add("suites[%d].agentId %d is missing or already an app (or suite) of the corp", i, su.AgentID)
		}
		seen[su.AgentID] = true
	}
	openids := map[string]bool{}
	for i, f := range fx.MP.Followers {
		if f.OpenID == "" || openids[f.OpenID] {
			add("mp.followers[%d].openid is empty or used twice", i)
		}
		openids[f.OpenID] = true
	}
	return errors.Join(errs...)
}

func validAESKey(k string) bool {
	if len(k) != 43 {
		return false
	}
	b, err := base64.StdEncoding.DecodeString(k + "=")
	return err == nil && len(b) == 32
}

// clone returns a deep copy, so the emulator can mutate its world (tags,
// followers) without touching the caller's fixture.
func (fx *Fixture) clone() *Fixture {
	b, err := json.Marshal(fx)
	if err != nil {
		return DefaultFixture()
	}
	var c Fixture
	if err := json.Unmarshal(b, &c); err != nil {
		return DefaultFixture()
	}
	return &c
}
