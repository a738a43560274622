package api

import "encoding/json"

// ExternalContactDetail answers externalcontact/get (获取客户详情).
type ExternalContactDetail struct {
	ExternalContact ExternalContact `json:"external_contact"`
	FollowUser      []FollowUser    `json:"follow_user"`
	// NextCursor is set when follow_user has more pages (500 per page).
	NextCursor string `json:"next_cursor,omitempty"`
}

// ExternalContact is a customer (外部联系人): a WeChat user (Type 1) or a
// member of another WeCom corp (Type 2).
type ExternalContact struct {
	ExternalUserID  string          `json:"external_userid"`
	Name            string          `json:"name"`
	Type            int             `json:"type"`   // 1 WeChat user, 2 WeCom user
	Gender          int             `json:"gender"` // 0 unknown, 1 male, 2 female
	Avatar          string          `json:"avatar,omitempty"`
	UnionID         string          `json:"unionid,omitempty"` // only when the corp has a bound Official Account or mini program
	Position        string          `json:"position,omitempty"`
	CorpName        string          `json:"corp_name,omitempty"`
	CorpFullName    string          `json:"corp_full_name,omitempty"`
	ExternalProfile json.RawMessage `json:"external_profile,omitempty"`
}

// FollowUser is a member who added the customer (跟进人) and what they
// recorded about them.
type FollowUser struct {
	UserID         string          `json:"userid"`
	Remark         string          `json:"remark"`
	Description    string          `json:"description"`
	CreateTime     int64           `json:"createtime"`
	Tags           []FollowUserTag `json:"tags,omitempty"`
	RemarkCorpName string          `json:"remark_corp_name,omitempty"`
	RemarkMobiles  []string        `json:"remark_mobiles,omitempty"`
	OperUserID     string          `json:"oper_userid,omitempty"`
	AddWay         int             `json:"add_way"` // how the customer was added (1 QR code, 2 mobile search, …)
	State          string          `json:"state,omitempty"`
}

// FollowUserTag is a customer tag (客户标签) set by a member.
type FollowUserTag struct {
	GroupName string `json:"group_name"`
	TagName   string `json:"tag_name"`
	TagID     string `json:"tag_id,omitempty"`
	Type      int    `json:"type"` // 1 corp tag, 2 personal tag, 3 rule-group tag
}

// ExternalContactList answers externalcontact/list (获取客户列表).
type ExternalContactList struct {
	ExternalUserIDs []string `json:"external_userid"`
}

// GroupChatRequest is the body of externalcontact/groupchat/get.
type GroupChatRequest struct {
	ChatID   string `json:"chat_id"`
	NeedName int    `json:"need_name,omitempty"` // 1 to get every member's name
}

// GroupChatDetail answers externalcontact/groupchat/get (获取客户群详情).
type GroupChatDetail struct {
	GroupChat GroupChat `json:"group_chat"`
}

// GroupChat is a customer group (客户群).
type GroupChat struct {
	ChatID        string            `json:"chat_id"`
	Name          string            `json:"name"`
	Owner         string            `json:"owner"`
	CreateTime    int64             `json:"create_time"`
	Notice        string            `json:"notice,omitempty"`
	MemberList    []GroupChatMember `json:"member_list"`
	AdminList     []GroupChatAdmin  `json:"admin_list,omitempty"`
	MemberVersion string            `json:"member_version,omitempty"`
}

// GroupChatMember is one member of a customer group: a member of the corp
// (Type 1, UserID a userid) or a customer (Type 2, UserID an external_userid).
type GroupChatMember struct {
	UserID        string          `json:"userid"`
	Type          int             `json:"type"`
	UnionID       string          `json:"unionid,omitempty"`
	JoinTime      int64           `json:"join_time"`
	JoinScene     int             `json:"join_scene"` // 1 invited directly, 2 by link, 3 scanned the group QR code
	Invitor       *GroupChatAdmin `json:"invitor,omitempty"`
	GroupNickname string          `json:"group_nickname,omitempty"`
	Name          string          `json:"name,omitempty"` // only with need_name=1
}

// GroupChatAdmin names a group admin or the member who invited someone.
type GroupChatAdmin struct {
	UserID string `json:"userid"`
}

// ImageURL answers media/uploadimg: the permanent URL of the image.
type ImageURL struct {
	URL string `json:"url"`
}
