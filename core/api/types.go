package api

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Endpoint is one row of the API table (endpoints.json).
type Endpoint struct {
	Name       string // Go method name
	Platform   string // "wecom" or "mp": the host it is served on
	Client     string // Go client type: WeCom, MP or Suite (第三方应用)
	Method     string // GET or POST
	Path       string // path on the platform host
	Kind       string // json, upload (multipart) or download (raw bytes)
	Request    string // Go type of the JSON body ("" for none)
	Response   string // Go type of the answer
	NeedsToken bool   // the client's token is sent: ?access_token= (Suite: ?suite_access_token=)
	Idempotent bool   // safe to resend after a transport failure
}

// FlexString decodes a JSON string or number as a string (WeCom sends
// media created_at as a string, MP as a number).
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(v)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = FlexString(n.String())
	return nil
}

// Empty is the answer of APIs that return only errcode/errmsg.
type Empty struct{}

// TokenResponse answers gettoken / cgi-bin/token.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// TicketResponse answers the ticket APIs.
type TicketResponse struct {
	Ticket    string `json:"ticket"`
	ExpiresIn int64  `json:"expires_in"`
}

// UserInfo is the identity behind an OAuth code (auth/getuserinfo): UserID for
// members, OpenID (and maybe ExternalUserID) for non-members. The legacy
// spellings UserId/OpenId are accepted too.
type UserInfo struct {
	UserID         string `json:"userid"`
	UserTicket     string `json:"user_ticket,omitempty"`
	ExpiresIn      int64  `json:"expires_in,omitempty"`
	OpenID         string `json:"openid,omitempty"`
	ExternalUserID string `json:"external_userid,omitempty"`
	DeviceID       string `json:"DeviceId,omitempty"`
}

// UnmarshalJSON accepts both userid/UserId and openid/OpenId.
func (u *UserInfo) UnmarshalJSON(b []byte) error {
	type plain UserInfo
	var v struct {
		plain
		LegacyUserID string `json:"UserId"`
		LegacyOpenID string `json:"OpenId"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*u = UserInfo(v.plain)
	if u.UserID == "" {
		u.UserID = v.LegacyUserID
	}
	if u.OpenID == "" {
		u.OpenID = v.LegacyOpenID
	}
	return nil
}

// User is a WeCom member (user/get). Every field is optional: since 2022
// many are no longer returned to apps.
type User struct {
	UserID         string          `json:"userid"`
	Name           string          `json:"name,omitempty"`
	Department     []int64         `json:"department,omitempty"`
	Order          []int64         `json:"order,omitempty"`
	Position       string          `json:"position,omitempty"`
	Mobile         string          `json:"mobile,omitempty"`
	Gender         string          `json:"gender,omitempty"`
	Email          string          `json:"email,omitempty"`
	BizMail        string          `json:"biz_mail,omitempty"`
	IsLeaderInDept []int           `json:"is_leader_in_dept,omitempty"`
	DirectLeader   []string        `json:"direct_leader,omitempty"`
	Avatar         string          `json:"avatar,omitempty"`
	ThumbAvatar    string          `json:"thumb_avatar,omitempty"`
	Telephone      string          `json:"telephone,omitempty"`
	Alias          string          `json:"alias,omitempty"`
	Address        string          `json:"address,omitempty"`
	OpenUserID     string          `json:"open_userid,omitempty"`
	MainDepartment int64           `json:"main_department,omitempty"`
	Status         int             `json:"status,omitempty"`
	QRCode         string          `json:"qr_code,omitempty"`
	ExtAttr        json.RawMessage `json:"extattr,omitempty"`
	// Enable is a body field of user/create and user/update only (启用/禁用
	// 成员): 1 enables, 0 disables the member; nil leaves it as it is.
	// user/get answers the state in Status instead.
	Enable *int `json:"enable,omitempty"`
	// ToInvite is a body field of user/create only (是否邀请该成员使用企业
	// 微信): nil sends nothing, which Tencent takes as true.
	ToInvite *bool `json:"to_invite,omitempty"`
}

// Message is an app message (message/send). Set MsgType and the matching
// payload field; recipients are "a|b" lists or "@all".
type Message struct {
	ToUser                 string          `json:"touser,omitempty"`
	ToParty                string          `json:"toparty,omitempty"`
	ToTag                  string          `json:"totag,omitempty"`
	MsgType                string          `json:"msgtype"`
	AgentID                int64           `json:"agentid"`
	Text                   *Content        `json:"text,omitempty"`
	Markdown               *Content        `json:"markdown,omitempty"`
	Image                  *MediaRef       `json:"image,omitempty"`
	Voice                  *MediaRef       `json:"voice,omitempty"`
	File                   *MediaRef       `json:"file,omitempty"`
	Video                  *Video          `json:"video,omitempty"`
	TextCard               *TextCard       `json:"textcard,omitempty"`
	News                   *News           `json:"news,omitempty"`
	MPNews                 *MPNews         `json:"mpnews,omitempty"`
	MiniprogramNotice      *MiniNotice     `json:"miniprogram_notice,omitempty"`
	TemplateCard           json.RawMessage `json:"template_card,omitempty"`
	Safe                   int             `json:"safe,omitempty"`
	EnableIDTrans          int             `json:"enable_id_trans,omitempty"`
	EnableDuplicateCheck   int             `json:"enable_duplicate_check,omitempty"`
	DuplicateCheckInterval int             `json:"duplicate_check_interval,omitempty"`
}

// resendable reports whether the server de-duplicates the message, which
// makes resending after a transport failure safe.
func (m *Message) resendable() bool { return m != nil && m.EnableDuplicateCheck == 1 }

// Content is a text or markdown payload.
type Content struct {
	Content string `json:"content"`
}

// MediaRef names an uploaded media file.
type MediaRef struct {
	MediaID string `json:"media_id"`
}

// Video is a video payload. ThumbMediaID is for MP customer-service
// videos (WeCom app videos have no thumbnail field).
type Video struct {
	MediaID      string `json:"media_id"`
	ThumbMediaID string `json:"thumb_media_id,omitempty"`
	Title        string `json:"title,omitempty"`
	Description  string `json:"description,omitempty"`
}

// MPNews is a WeCom mpnews payload (图文消息 stored by WeCom, read inside
// the app) with 1–8 articles.
type MPNews struct {
	Articles []MPArticle `json:"articles"`
}

// MPArticle is one mpnews article: its body is HTML in Content, its cover an
// uploaded image (ThumbMediaID).
type MPArticle struct {
	Title            string `json:"title"`
	ThumbMediaID     string `json:"thumb_media_id"`
	Author           string `json:"author,omitempty"`
	ContentSourceURL string `json:"content_source_url,omitempty"`
	Content          string `json:"content"`
	Digest           string `json:"digest,omitempty"`
}

// MiniNotice is a WeCom mini program notice (小程序通知消息): sent by an
// app bound to the mini program AppID, it opens Page when tapped.
type MiniNotice struct {
	AppID             string     `json:"appid"`
	Page              string     `json:"page,omitempty"`
	Title             string     `json:"title"`
	Description       string     `json:"description,omitempty"`
	EmphasisFirstItem bool       `json:"emphasis_first_item,omitempty"`
	ContentItem       []KeyValue `json:"content_item,omitempty"`
}

// KeyValue is one line of a mini program notice.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TextCard is a text card payload.
type TextCard struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	BtnTxt      string `json:"btntxt,omitempty"`
}

// News is a news (图文) payload with 1–8 articles.
type News struct {
	Articles []Article `json:"articles"`
}

// Article is one news article.
type Article struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	PicURL      string `json:"picurl,omitempty"`
	AppID       string `json:"appid,omitempty"`
	PagePath    string `json:"pagepath,omitempty"`
}

// SendResult answers message/send. Partially invalid recipients are listed
// here with errcode 0.
type SendResult struct {
	InvalidUser    string `json:"invaliduser,omitempty"`
	InvalidParty   string `json:"invalidparty,omitempty"`
	InvalidTag     string `json:"invalidtag,omitempty"`
	UnlicensedUser string `json:"unlicenseduser,omitempty"`
	MsgID          string `json:"msgid,omitempty"`
	ResponseCode   string `json:"response_code,omitempty"`
}

// MediaUpload answers media/upload.
type MediaUpload struct {
	Type      string     `json:"type"`
	MediaID   string     `json:"media_id"`
	CreatedAt FlexString `json:"created_at"`
}

// Media is a downloaded media file.
type Media struct {
	ContentType string
	Filename    string
	Body        []byte
	VideoURL    string // MP video media: the download URL instead of bytes
	// Total is the size of the whole file: len(Body) for a plain download,
	// the Content-Range total for a Range download (-1 when not given).
	Total int64
}

// Menu is a WeCom app menu or an MP custom menu.
type Menu struct {
	Button []Button `json:"button"`
	// MenuID is the default menu's id in an MP menu/get answer once
	// personalised menus exist (never sent).
	MenuID FlexString `json:"menuid,omitempty"`
}

// Button is one menu button.
type Button struct {
	Type      string   `json:"type,omitempty"`
	Name      string   `json:"name"`
	Key       string   `json:"key,omitempty"`
	URL       string   `json:"url,omitempty"`
	AppID     string   `json:"appid,omitempty"`
	PagePath  string   `json:"pagepath,omitempty"`
	MediaID   string   `json:"media_id,omitempty"`
	ArticleID string   `json:"article_id,omitempty"`
	SubButton []Button `json:"sub_button,omitempty"`
}

// MPMenu answers MP menu/get.
type MPMenu struct {
	Menu Menu `json:"menu"`
	// ConditionalMenu lists the personalised menus (个性化菜单), oldest first.
	ConditionalMenu []ConditionalMenu `json:"conditionalmenu,omitempty"`
}

// SNSToken answers sns/oauth2/access_token and refresh_token (a user-level
// token, not the account's access_token).
type SNSToken struct {
	AccessToken    string `json:"access_token"`
	ExpiresIn      int64  `json:"expires_in"`
	RefreshToken   string `json:"refresh_token"`
	OpenID         string `json:"openid"`
	Scope          string `json:"scope"`
	UnionID        string `json:"unionid,omitempty"`
	IsSnapshotUser int    `json:"is_snapshotuser,omitempty"`
}

// SNSUser answers sns/userinfo.
type SNSUser struct {
	OpenID     string   `json:"openid"`
	Nickname   string   `json:"nickname"`
	Sex        int      `json:"sex"`
	Province   string   `json:"province"`
	City       string   `json:"city"`
	Country    string   `json:"country"`
	HeadImgURL string   `json:"headimgurl"`
	Privilege  []string `json:"privilege"`
	UnionID    string   `json:"unionid,omitempty"`
}

// QRCodeRequest creates a parametric QR code. ActionName is QR_SCENE,
// QR_STR_SCENE, QR_LIMIT_SCENE or QR_LIMIT_STR_SCENE.
type QRCodeRequest struct {
	ExpireSeconds int64        `json:"expire_seconds,omitempty"`
	ActionName    string       `json:"action_name"`
	ActionInfo    QRActionInfo `json:"action_info"`
}

// QRActionInfo holds the scene of a QR code.
type QRActionInfo struct {
	Scene QRScene `json:"scene"`
}

// QRScene is a numeric or string scene value.
type QRScene struct {
	SceneID  int64  `json:"scene_id,omitempty"`
	SceneStr string `json:"scene_str,omitempty"`
}

// NewQRCodeRequest builds a request for scene: a number gives an int scene,
// anything else a string scene; expire 0 makes a permanent code.
func NewQRCodeRequest(scene string, expireSeconds int64) *QRCodeRequest {
	r := &QRCodeRequest{ExpireSeconds: expireSeconds}
	n, err := strconv.ParseInt(scene, 10, 64)
	isInt := err == nil && n > 0 && !strings.HasPrefix(scene, "0")
	switch {
	case isInt && expireSeconds > 0:
		r.ActionName, r.ActionInfo.Scene.SceneID = "QR_SCENE", n
	case isInt:
		r.ActionName, r.ActionInfo.Scene.SceneID = "QR_LIMIT_SCENE", n
	case expireSeconds > 0:
		r.ActionName, r.ActionInfo.Scene.SceneStr = "QR_STR_SCENE", scene
	default:
		r.ActionName, r.ActionInfo.Scene.SceneStr = "QR_LIMIT_STR_SCENE", scene
	}
	return r
}

// QRCode answers qrcode/create. The image is at ShowQRCodeURL(Ticket).
type QRCode struct {
	Ticket        string `json:"ticket"`
	ExpireSeconds int64  `json:"expire_seconds,omitempty"`
	URL           string `json:"url"`
}

// TemplateMessage is an MP template message.
type TemplateMessage struct {
	ToUser      string                   `json:"touser"`
	TemplateID  string                   `json:"template_id"`
	URL         string                   `json:"url,omitempty"`
	MiniProgram *MiniProgram             `json:"miniprogram,omitempty"`
	ClientMsgID string                   `json:"client_msg_id,omitempty"`
	Data        map[string]TemplateValue `json:"data"`
}

// MiniProgram links a template message to a mini program page.
type MiniProgram struct {
	AppID    string `json:"appid"`
	PagePath string `json:"pagepath,omitempty"`
}

// TemplateValue is one template field.
type TemplateValue struct {
	Value string `json:"value"`
}

// MsgIDResult answers template/send.
type MsgIDResult struct {
	MsgID int64 `json:"msgid"`
}

// CustomMessage is an MP customer-service message (客服消息). Set MsgType
// and the matching payload field.
type CustomMessage struct {
	ToUser          string           `json:"touser"`
	MsgType         string           `json:"msgtype"`
	Text            *Content         `json:"text,omitempty"`
	Image           *MediaRef        `json:"image,omitempty"`
	Voice           *MediaRef        `json:"voice,omitempty"`
	Video           *Video           `json:"video,omitempty"`
	Music           *Music           `json:"music,omitempty"`
	News            *News            `json:"news,omitempty"`
	MPNews          *MediaRef        `json:"mpnews,omitempty"`
	MPNewsArticle   *ArticleRef      `json:"mpnewsarticle,omitempty"`
	MsgMenu         *MsgMenu         `json:"msgmenu,omitempty"`
	WXCard          *CardRef         `json:"wxcard,omitempty"`
	MiniProgramPage *MiniProgramPage `json:"miniprogrampage,omitempty"`
	// CustomService sends as this customer-service account (kf_account).
	CustomService *KFAccount `json:"customservice,omitempty"`
}

// Music is a customer-service music payload.
type Music struct {
	Title        string `json:"title,omitempty"`
	Description  string `json:"description,omitempty"`
	MusicURL     string `json:"musicurl"`
	HQMusicURL   string `json:"hqmusicurl,omitempty"`
	ThumbMediaID string `json:"thumb_media_id"`
}

// ArticleRef names a published article (mpnewsarticle).
type ArticleRef struct {
	ArticleID string `json:"article_id"`
}

// MsgMenu is a customer-service menu message: the user taps one item, which
// comes back as a text message with bizmsgmenuid.
type MsgMenu struct {
	HeadContent string        `json:"head_content,omitempty"`
	List        []MsgMenuItem `json:"list"`
	TailContent string        `json:"tail_content,omitempty"`
}

// MsgMenuItem is one choice of a MsgMenu.
type MsgMenuItem struct {
	ID      string `json:"id"`
	Content string `json:"content"`
}

// CardRef names a WeChat card (卡券).
type CardRef struct {
	CardID string `json:"card_id"`
}

// MiniProgramPage is a mini program card (小程序卡片).
type MiniProgramPage struct {
	Title        string `json:"title"`
	AppID        string `json:"appid"`
	PagePath     string `json:"pagepath"`
	ThumbMediaID string `json:"thumb_media_id"`
}

// KFAccount names a customer-service account (kf_account): the sender of a
// customer-service message, the body of kfaccount/del.
type KFAccount struct {
	KFAccount string `json:"kf_account"`
}

// Follower is an MP follower (user/info).
type Follower struct {
	Subscribe     int     `json:"subscribe"`
	OpenID        string  `json:"openid"`
	Language      string  `json:"language,omitempty"`
	SubscribeTime int64   `json:"subscribe_time,omitempty"`
	UnionID       string  `json:"unionid,omitempty"`
	Remark        string  `json:"remark,omitempty"`
	GroupID       int64   `json:"groupid,omitempty"`
	TagIDList     []int64 `json:"tagid_list,omitempty"`
}

// FollowerList is a page of follower openids.
type FollowerList struct {
	Total int `json:"total,omitempty"`
	Count int `json:"count"`
	Data  struct {
		OpenID []string `json:"openid"`
	} `json:"data"`
	NextOpenID string `json:"next_openid"`
}

// Tag is an MP follower tag.
type Tag struct {
	ID    int64  `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count,omitempty"`
}

// TagBody wraps a tag as the tag APIs expect ({"tag":{…}}).
type TagBody struct {
	Tag Tag `json:"tag"`
}

// TagList answers tags/get.
type TagList struct {
	Tags []Tag `json:"tags"`
}

// TagMembers tags or untags followers.
type TagMembers struct {
	OpenIDList []string `json:"openid_list"`
	TagID      int64    `json:"tagid"`
}

// OpenIDBody names one follower.
type OpenIDBody struct {
	OpenID string `json:"openid"`
}

// TagIDList answers tags/getidlist.
type TagIDList struct {
	TagIDList []int64 `json:"tagid_list"`
}

// TagFollowersRequest pages through the followers with a tag.
type TagFollowersRequest struct {
	TagID      int64  `json:"tagid"`
	NextOpenID string `json:"next_openid,omitempty"`
}

// IPList answers getcallbackip.
type IPList struct {
	IPList []string `json:"ip_list"`
}

// RecallRequest recalls an app message.
type RecallRequest struct {
	MsgID string `json:"msgid"`
}

// StableTokenRequest is the body of MP cgi-bin/stable_token.
type StableTokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh,omitempty"`
}
