package api

// The contact directory (通讯录): members (成员) and departments (部门).
// Since 2022 an app reads only the members and departments in its visible
// range (可见范围), and many member fields (mobile, email, avatar, …) come
// back empty unless the app has the right permissions, so every field is
// optional.

// UserSimple is a member as user/simplelist lists it.
type UserSimple struct {
	UserID     string  `json:"userid"`
	Name       string  `json:"name"`
	Department []int64 `json:"department"`
	OpenUserID string  `json:"open_userid,omitempty"`
}

// UserSimpleList answers user/simplelist (获取部门成员).
type UserSimpleList struct {
	UserList []UserSimple `json:"userlist"`
}

// UserList answers user/list (获取部门成员详情).
type UserList struct {
	UserList []User `json:"userlist"`
}

// MobileBody is the body of user/getuserid.
type MobileBody struct {
	Mobile string `json:"mobile"`
}

// EmailBody is the body of user/get_userid_by_email.
type EmailBody struct {
	Email     string `json:"email"`
	EmailType int    `json:"email_type,omitempty"` // 1 corp mailbox (default), 2 personal email
}

// UserIDResult answers user/getuserid and user/get_userid_by_email.
type UserIDResult struct {
	UserID string `json:"userid"`
}

// Department is a department (部门) as department/list and department/get
// answer it, and the body of department/create and department/update (ID
// is optional on create: the server picks one).
type Department struct {
	ID               int64    `json:"id,omitempty"`
	Name             string   `json:"name,omitempty"`
	NameEn           string   `json:"name_en,omitempty"`
	DepartmentLeader []string `json:"department_leader,omitempty"`
	ParentID         int64    `json:"parentid,omitempty"` // 0 only for the root department
	Order            int64    `json:"order,omitempty"`    // larger sorts first among siblings
}

// DepartmentList answers department/list (获取部门列表).
type DepartmentList struct {
	Department []Department `json:"department"`
}

// DepartmentDetail answers department/get (获取单个部门详情).
type DepartmentDetail struct {
	Department Department `json:"department"`
}

// DepartmentCreated answers department/create with the new department's id.
type DepartmentCreated struct {
	ID int64 `json:"id"`
}

// UserTicketBody is the body of auth/getuserdetail.
type UserTicketBody struct {
	UserTicket string `json:"user_ticket"`
}

// UserDetail answers auth/getuserdetail (获取访问用户敏感信息): the private
// fields a member agreed to share on the snsapi_privateinfo consent page.
type UserDetail struct {
	UserID  string `json:"userid"`
	Gender  string `json:"gender,omitempty"` // "0" unknown, "1" male, "2" female
	Avatar  string `json:"avatar,omitempty"`
	QRCode  string `json:"qr_code,omitempty"`
	Mobile  string `json:"mobile,omitempty"`
	Email   string `json:"email,omitempty"`
	BizMail string `json:"biz_mail,omitempty"`
	Address string `json:"address,omitempty"`
}

// ContactTag is a contact tag (标签) in tag/list.
type ContactTag struct {
	TagID   int64  `json:"tagid"`
	TagName string `json:"tagname"`
}

// ContactTagList answers tag/list (获取标签列表).
type ContactTagList struct {
	TagList []ContactTag `json:"taglist"`
}

// ContactTagDetail answers tag/get (获取标签成员).
type ContactTagDetail struct {
	TagName   string       `json:"tagname"`
	UserList  []UserSimple `json:"userlist"`
	PartyList []int64      `json:"partylist"`
}

// ContactTagUsers is the body of tag/addtagusers and tag/deltagusers: at
// most 1000 userids and 100 department ids.
type ContactTagUsers struct {
	TagID     int64    `json:"tagid"`
	UserList  []string `json:"userlist,omitempty"`
	PartyList []int64  `json:"partylist,omitempty"`
}

// ContactTagUsersResult lists the ids the server refused ("a|b" and
// department ids); both empty when all were applied.
type ContactTagUsersResult struct {
	InvalidList  string  `json:"invalidlist,omitempty"`
	InvalidParty []int64 `json:"invalidparty,omitempty"`
}
