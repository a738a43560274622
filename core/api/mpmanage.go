package api

import (
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// KFAccountBody is a customer-service account (客服账号) of an Official
// Account, the body of customservice/kfaccount/add and update.
type KFAccountBody struct {
	// KFAccount is prefix@公众号微信号: a prefix of at most 10 letters,
	// digits or underscores, then the account's WeChat ID (微信号).
	KFAccount string `json:"kf_account"`
	Nickname  string `json:"nickname"` // at most 16 characters
}

// KFList answers cgi-bin/customservice/getkflist.
type KFList struct {
	KFList []KFInfo `json:"kf_list"`
}

// KFInfo is one customer-service account as getkflist lists it.
type KFInfo struct {
	KFAccount        string     `json:"kf_account"`
	KFNick           string     `json:"kf_nick"`
	KFID             FlexString `json:"kf_id"`
	KFHeadImgURL     string     `json:"kf_headimgurl,omitempty"`
	KFWX             string     `json:"kf_wx,omitempty"`     // the bound WeChat ID, once an agent accepted the invitation
	InviteWX         string     `json:"invite_wx,omitempty"` // the invited WeChat ID while not bound
	InviteExpireTime FlexString `json:"invite_expire_time,omitempty"`
	InviteStatus     string     `json:"invite_status,omitempty"` // waiting, rejected or expired
}

var kfAccountShape = regexp.MustCompile(`^[A-Za-z0-9_]{1,10}@[A-Za-z0-9_-]{1,30}$`)

// CheckKFAccount checks the documented shape of a kf_account and of a
// nickname before a call, naming the field and the fix.
func CheckKFAccount(a KFAccountBody) error {
	if !kfAccountShape.MatchString(a.KFAccount) {
		return fmt.Errorf("api: kf_account %q is not prefix@公众号微信号: the prefix is 1 to 10 letters, digits or _, the suffix the account's WeChat ID (微信号, up to 30 characters), e.g. kf01@%s", a.KFAccount, "my_wechat_id")
	}
	if n := utf8.RuneCountInString(a.Nickname); n == 0 || n > 16 {
		return fmt.Errorf("api: nickname must be 1 to 16 characters (has %d)", n)
	}
	return nil
}

// ConditionalMenu is a personalised menu (个性化菜单): buttons shown to the
// followers its MatchRule selects.
type ConditionalMenu struct {
	Button    []Button   `json:"button"`
	MatchRule MatchRule  `json:"matchrule"`
	MenuID    FlexString `json:"menuid,omitempty"` // set in menu/get answers
}

// MatchRule selects the followers a personalised menu is for; at least one
// field must be set. Only TagID and ClientPlatformType may be set in new
// menus: since the privacy change the server refuses sex, region and
// language (65320); they still appear in menu/get for older menus.
type MatchRule struct {
	TagID string `json:"tag_id,omitempty"` // a follower tag id (用户标签)
	// ClientPlatformType is the phone OS: "1" iOS, "2" Android, "3" others.
	ClientPlatformType string `json:"client_platform_type,omitempty"`
	Sex                string `json:"sex,omitempty"`      // refused in new menus: "1" male, "2" female
	Country            string `json:"country,omitempty"`  // refused in new menus
	Province           string `json:"province,omitempty"` // refused in new menus
	City               string `json:"city,omitempty"`     // refused in new menus
	Language           string `json:"language,omitempty"` // refused in new menus: zh_CN, en, …
	GroupID            string `json:"group_id,omitempty"` // the old 分组 id, replaced by tag_id
}

// UnmarshalJSON reads each field as a string or a number: menu/get answers
// group_id, sex and client_platform_type as numbers (the page's example),
// while addconditional takes strings, which is how MatchRule is sent.
func (r *MatchRule) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("api: matchrule is not a JSON object: %w", err)
	}
	*r = MatchRule{}
	for key, dst := range map[string]*string{
		"tag_id": &r.TagID, "client_platform_type": &r.ClientPlatformType, "sex": &r.Sex,
		"country": &r.Country, "province": &r.Province, "city": &r.City,
		"language": &r.Language, "group_id": &r.GroupID,
	} {
		v, ok := raw[key]
		if !ok {
			continue
		}
		var f FlexString
		if err := json.Unmarshal(v, &f); err != nil {
			return fmt.Errorf("api: matchrule.%s is neither a string nor a number: %s", key, v)
		}
		*dst = string(f)
	}
	return nil
}

// SelfMenuInfo answers get_current_selfmenu_info.
type SelfMenuInfo struct {
	IsMenuOpen   int `json:"is_menu_open"` // 1 when the account has a menu
	SelfMenuInfo struct {
		Button []SelfMenuButton `json:"button"`
	} `json:"selfmenu_info"`
}

// SelfMenuButton is a button of get_current_selfmenu_info: the API
// configuration for a menu set through menu/create, or the operator's
// (type text, img, voice, video or news with Value) for one set in the
// MP console.
type SelfMenuButton struct {
	Type      string          `json:"type,omitempty"`
	Name      string          `json:"name"`
	Key       string          `json:"key,omitempty"`
	URL       string          `json:"url,omitempty"`
	Value     string          `json:"value,omitempty"`
	AppID     string          `json:"appid,omitempty"`
	PagePath  string          `json:"pagepath,omitempty"`
	NewsInfo  json.RawMessage `json:"news_info,omitempty"`
	SubButton *struct {
		List []SelfMenuButton `json:"list"`
	} `json:"sub_button,omitempty"`
}

// MenuIDBody carries a personalised menu's menuid (addconditional answer,
// delconditional body).
type MenuIDBody struct {
	MenuID FlexString `json:"menuid"`
}

// TryMatchRequest is the body of menu/trymatch: the follower's openid or
// WeChat ID (微信号).
type TryMatchRequest struct {
	UserID string `json:"user_id"`
}

// FollowerBatchRequest is the body of user/info/batchget (at most 100).
type FollowerBatchRequest struct {
	UserList []FollowerRef `json:"user_list"`
}

// FollowerRef names one follower of a batch read; Lang is zh_CN (the
// default), zh_TW or en.
type FollowerRef struct {
	OpenID string `json:"openid"`
	Lang   string `json:"lang,omitempty"`
}

// FollowerBatch answers user/info/batchget, in the order asked.
type FollowerBatch struct {
	UserInfoList []Follower `json:"user_info_list"`
}

// MaxBatchFollowers is how many openids one user/info/batchget takes.
const MaxBatchFollowers = 100

// BatchFollowerRequest builds a user/info/batchget body for openids in
// lang, refusing more than the server takes so the caller splits them.
func BatchFollowerRequest(openids []string, lang string) (*FollowerBatchRequest, error) {
	if len(openids) == 0 || len(openids) > MaxBatchFollowers {
		return nil, fmt.Errorf("api: user/info/batchget takes 1 to %d openids in user_list (got %d); split the list", MaxBatchFollowers, len(openids))
	}
	req := &FollowerBatchRequest{}
	for _, id := range openids {
		req.UserList = append(req.UserList, FollowerRef{OpenID: id, Lang: lang})
	}
	return req, nil
}

// VideoDescription is the description form field a permanent video needs
// (AddMaterial with type video).
func VideoDescription(title, introduction string) string {
	b, _ := json.Marshal(map[string]string{"title": title, "introduction": introduction})
	return string(b)
}

// MaterialAdded answers material/add_material; URL is set for images only.
type MaterialAdded struct {
	MediaID string `json:"media_id"`
	URL     string `json:"url,omitempty"`
}

// MediaIDRef names a permanent material (get_material, del_material).
type MediaIDRef struct {
	MediaID string `json:"media_id"`
}

// MaterialFile is a downloaded permanent material: the bytes of an image,
// voice or thumb in Media, or for a video its title, description and
// DownURL (and for an old news material its articles, as JSON).
type MaterialFile struct {
	Media
	Title       string          `json:"title,omitempty"`
	Description string          `json:"description,omitempty"`
	DownURL     string          `json:"down_url,omitempty"`
	NewsItem    json.RawMessage `json:"news_item,omitempty"`
}

// MaterialListRequest is the body of material/batchget_material: Type is
// image, voice, video or news; Count 1 to 20.
type MaterialListRequest struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Count  int    `json:"count"`
}

// MaterialList answers material/batchget_material.
type MaterialList struct {
	TotalCount int            `json:"total_count"`
	ItemCount  int            `json:"item_count"`
	Item       []MaterialItem `json:"item"`
}

// MaterialItem is one listed permanent material.
type MaterialItem struct {
	MediaID    string          `json:"media_id"`
	Name       string          `json:"name,omitempty"`
	UpdateTime int64           `json:"update_time"`
	URL        string          `json:"url,omitempty"`
	Content    json.RawMessage `json:"content,omitempty"` // news materials only
}

// MaterialCount answers material/get_materialcount.
type MaterialCount struct {
	VoiceCount int `json:"voice_count"`
	VideoCount int `json:"video_count"`
	ImageCount int `json:"image_count"`
	NewsCount  int `json:"news_count"`
}
