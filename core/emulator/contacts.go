package emulator

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The contact directory (通讯录): members and departments that user/*
// and department/* read and change. The directory lives in the fixture, so
// changes last as long as the emulator runs; --data does not persist them
// (docs/emulator.md).
//
// Errcodes follow Tencent's global errcode table (全局错误码) as far as the
// spec confirms it; the ones marked [unconfirmed] are the emulator's best
// reading and are listed in docs/emulator.md.

// contactRoutes adds the contact endpoints to the router.
func (e *Emulator) contactRoutes() {
	get, post := http.MethodGet, http.MethodPost
	for path, rt := range map[string]route{
		"/wecom/cgi-bin/user/simplelist":          {get, func(q *request) { e.wecomUserList(q, true) }},
		"/wecom/cgi-bin/user/list":                {get, func(q *request) { e.wecomUserList(q, false) }},
		"/wecom/cgi-bin/user/create":              {post, e.wecomUserCreate},
		"/wecom/cgi-bin/user/update":              {post, e.wecomUserUpdate},
		"/wecom/cgi-bin/user/delete":              {get, e.wecomUserDelete},
		"/wecom/cgi-bin/user/getuserid":           {post, e.wecomGetUserIDByMobile},
		"/wecom/cgi-bin/user/get_userid_by_email": {post, e.wecomGetUserIDByEmail},
		"/wecom/cgi-bin/department/list":          {get, e.wecomDepartmentList},
		"/wecom/cgi-bin/department/get":           {get, e.wecomDepartmentGet},
		"/wecom/cgi-bin/department/create":        {post, e.wecomDepartmentCreate},
		"/wecom/cgi-bin/department/update":        {post, e.wecomDepartmentUpdate},
		"/wecom/cgi-bin/department/delete":        {get, e.wecomDepartmentDelete},
		"/wecom/cgi-bin/auth/getuserdetail":       {post, e.wecomGetUserDetail},
		"/wecom/cgi-bin/tag/list":                 {get, e.wecomTagList},
		"/wecom/cgi-bin/tag/get":                  {get, e.wecomTagGet},
		"/wecom/cgi-bin/tag/addtagusers":          {post, func(q *request) { e.wecomTagUsers(q, true) }},
		"/wecom/cgi-bin/tag/deltagusers":          {post, func(q *request) { e.wecomTagUsers(q, false) }},
	} {
		e.mux[path] = rt
	}
}

// visibleRange returns the calling app's visible range; all is true when
// the app sees the whole corp. Callers hold e.mu.
func (q *request) visibleRange() (parties []int64, users []string, all bool) {
	app := q.e.appByAgent(q.agentID)
	if app == nil || (len(app.VisibleParties) == 0 && len(app.VisibleUsers) == 0) {
		return nil, nil, true
	}
	return app.VisibleParties, app.VisibleUsers, false
}

// partyVisible reports whether the app may see department id: it is one of
// the visible departments or below one.
func (q *request) partyVisible(id int64) bool {
	parties, _, all := q.visibleRange()
	if all {
		return true
	}
	for _, p := range parties {
		if inDept(q.e.fx.WeCom.Departments, []int64{id}, p) {
			return true
		}
	}
	return false
}

// userVisible reports whether the app may see member u: named in the
// visible range or in a visible department.
func (q *request) userVisible(u *User) bool {
	parties, users, all := q.visibleRange()
	if all {
		return true
	}
	for _, id := range users {
		if strings.EqualFold(id, u.UserID) {
			return true
		}
	}
	for _, p := range parties {
		if inDept(q.e.fx.WeCom.Departments, u.Department, p) {
			return true
		}
	}
	return false
}

func (e *Emulator) department(id int64) *Department {
	for i := range e.fx.WeCom.Departments {
		if e.fx.WeCom.Departments[i].ID == id {
			return &e.fx.WeCom.Departments[i]
		}
	}
	return nil
}

// partyID reads a department id parameter; ok is false (and the error
// answered) when it is missing, malformed, unknown or outside the range.
func (q *request) partyID(raw string) (*Department, bool) {
	if raw == "" {
		q.failMsg(60123, "invalid party id (missing department id)")
		return nil, false
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	d := q.e.department(id)
	if err != nil || d == nil {
		q.fail(60123)
		return nil, false
	}
	if !q.partyVisible(id) {
		q.fail(60011)
		return nil, false
	}
	return d, true
}

// leaderFlags is is_leader_in_dept: 1 where u leads the department at the
// same index of u.Department, else 0. Callers hold e.mu.
func (e *Emulator) leaderFlags(u *User) []int {
	leader := make([]int, len(u.Department))
	for i, d := range u.Department {
		if dep := e.department(d); dep != nil && containsFold(dep.Leaders, u.UserID) {
			leader[i] = 1
		}
	}
	return leader
}

// userJSON is a member as user/get and user/list answer it.
func (e *Emulator) userJSON(u *User) map[string]any {
	status := u.Status
	if status == 0 {
		status = 1
	}
	main := int64(0)
	if len(u.Department) > 0 {
		main = u.Department[0]
	}
	order := make([]int, len(u.Department))
	leader := e.leaderFlags(u)
	return map[string]any{
		"userid": u.UserID, "name": u.Name, "department": orEmptyIDs(u.Department), "order": order,
		"position": u.Position, "mobile": u.Mobile, "gender": orDefault(u.Gender, "0"), "email": u.Email,
		"biz_mail": u.BizMail, "is_leader_in_dept": leader, "direct_leader": []string{}, "avatar": u.Avatar,
		"thumb_avatar": u.Avatar, "telephone": u.Telephone, "alias": u.Alias, "address": u.Address,
		"open_userid": openUserID(u.UserID), "main_department": main, "status": status,
		"extattr": map[string]any{"attrs": []any{}},
	}
}

func openUserID(userid string) string { return "wo" + deriveHex("open-userid/"+userid, 30) }

func orEmptyIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// wecomUserList serves user/simplelist (获取部门成员) and user/list
// (获取部门成员详情): the members of department_id, and of its
// sub-departments when fetch_child=1.
func (e *Emulator) wecomUserList(q *request, simple bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	d, ok := q.partyID(q.query("department_id"))
	if !ok {
		return
	}
	child := q.query("fetch_child") == "1"
	list := []map[string]any{}
	for i := range e.fx.WeCom.Users {
		u := &e.fx.WeCom.Users[i]
		in := false
		for _, ud := range u.Department {
			if ud == d.ID || (child && inDept(e.fx.WeCom.Departments, []int64{ud}, d.ID)) {
				in = true
			}
		}
		if !in || !q.userVisible(u) {
			continue
		}
		if simple {
			list = append(list, map[string]any{"userid": u.UserID, "name": u.Name,
				"department": orEmptyIDs(u.Department), "open_userid": openUserID(u.UserID)})
		} else {
			list = append(list, e.userJSON(u))
		}
	}
	q.ok(map[string]any{"userlist": list})
}

// userBody is the body of user/create and user/update. Pointers tell a
// field left out (unchanged on update) from one set to empty.
type userBody struct {
	UserID     string   `json:"userid"`
	Name       *string  `json:"name"`
	Alias      *string  `json:"alias"`
	Mobile     *string  `json:"mobile"`
	Department *[]int64 `json:"department"`
	Position   *string  `json:"position"`
	Gender     *string  `json:"gender"`
	Email      *string  `json:"email"`
	BizMail    *string  `json:"biz_mail"`
	Telephone  *string  `json:"telephone"`
	Address    *string  `json:"address"`
	Enable     *int     `json:"enable"`
}

// userIDShape is the documented userid alphabet: 1-64 bytes of letters,
// digits and _-@. (the real service also accepts a few more characters in
// the middle [unconfirmed]).
var userIDShape = regexp.MustCompile(`^[A-Za-z0-9_\-@.]{1,64}$`)

var mobileShape = regexp.MustCompile(`^(\+\d{1,4}-)?\d{5,20}$`)

// checkUser validates the fields a create or update sets; it answers the
// error itself. self is the member being updated (nil on create), so its
// own mobile and email do not count as taken.
func (q *request) checkUser(b *userBody, self *User) bool {
	e := q.e
	if b.Name != nil && (*b.Name == "" || len(*b.Name) > 64) {
		q.failMsg(60112, "invalid name: 1 to 64 bytes")
		return false
	}
	if b.Mobile != nil && *b.Mobile != "" {
		if !mobileShape.MatchString(*b.Mobile) {
			q.fail(60103)
			return false
		}
		for i := range e.fx.WeCom.Users {
			if u := &e.fx.WeCom.Users[i]; u != self && u.Mobile == *b.Mobile {
				q.fail(60104)
				return false
			}
		}
	}
	if b.Email != nil && *b.Email != "" {
		if !strings.Contains(*b.Email, "@") || len(*b.Email) > 64 {
			q.fail(60105)
			return false
		}
		for i := range e.fx.WeCom.Users {
			if u := &e.fx.WeCom.Users[i]; u != self && strings.EqualFold(u.Email, *b.Email) {
				q.fail(60106)
				return false
			}
		}
	}
	if b.Gender != nil && *b.Gender != "" && *b.Gender != "1" && *b.Gender != "2" {
		q.failMsg(40058, "invalid gender: \"1\" male or \"2\" female")
		return false
	}
	if b.Department != nil {
		if len(*b.Department) > 100 {
			q.failMsg(60123, "invalid party id (a member is in at most 100 departments)")
			return false
		}
		for _, id := range *b.Department {
			if e.department(id) == nil {
				q.fail(60123) // [unconfirmed] code for an unknown department of a member
				return false
			}
			if !q.partyVisible(id) {
				q.fail(60011)
				return false
			}
		}
	}
	return true
}

func (u *User) apply(b *userBody) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.Name, b.Name)
	set(&u.Alias, b.Alias)
	set(&u.Mobile, b.Mobile)
	set(&u.Position, b.Position)
	set(&u.Gender, b.Gender)
	set(&u.Email, b.Email)
	set(&u.BizMail, b.BizMail)
	set(&u.Telephone, b.Telephone)
	set(&u.Address, b.Address)
	if b.Department != nil {
		u.Department = append([]int64(nil), (*b.Department)...)
	}
	if b.Enable != nil {
		switch *b.Enable {
		case 0:
			u.Status = 2
		case 1:
			if u.Status == 2 {
				u.Status = 1
			}
		}
	}
}

// wecomUserCreate serves POST user/create (创建成员).
func (e *Emulator) wecomUserCreate(q *request) {
	var b userBody
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	switch {
	case b.UserID == "":
		q.failMsg(41009, "missing userid")
		return
	case !userIDShape.MatchString(b.UserID):
		q.failMsg(40003, "invalid userid: 1 to 64 bytes of letters, digits and _-@.")
		return
	case e.userByID(b.UserID) != nil:
		q.fail(60102)
		return
	case b.Name == nil || *b.Name == "":
		q.failMsg(60112, "invalid name: name is required")
		return
	case (b.Mobile == nil || *b.Mobile == "") && (b.Email == nil || *b.Email == ""):
		q.fail(60129)
		return
	}
	if b.Department == nil || len(*b.Department) == 0 {
		// A member without departments goes to the root department.
		root := []int64{e.rootDepartment()}
		b.Department = &root
	}
	if !q.checkUser(&b, nil) {
		return
	}
	u := User{UserID: b.UserID, Status: 4} // not activated until they join
	u.apply(&b)
	e.fx.WeCom.Users = append(e.fx.WeCom.Users, u)
	e.userEvent("create_user", &e.fx.WeCom.Users[len(e.fx.WeCom.Users)-1])
	q.json(map[string]any{"errcode": 0, "errmsg": "created"})
}

func (e *Emulator) rootDepartment() int64 {
	for _, d := range e.fx.WeCom.Departments {
		if d.ParentID == 0 {
			return d.ID
		}
	}
	return 1
}

// visibleUser finds member id and checks the app may see it; it answers the
// error itself.
func (q *request) visibleUser(id string) (*User, bool) {
	if id == "" {
		q.failMsg(41009, "missing userid")
		return nil, false
	}
	u := q.e.userByID(id)
	if u == nil {
		q.fail(60111)
		return nil, false
	}
	if !q.userVisible(u) {
		q.fail(60011)
		return nil, false
	}
	return u, true
}

// wecomUserUpdate serves POST user/update (更新成员): only the fields in
// the body change.
func (e *Emulator) wecomUserUpdate(q *request) {
	var b userBody
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	u, ok := q.visibleUser(b.UserID)
	if !ok || !q.checkUser(&b, u) {
		return
	}
	if b.Department != nil && len(*b.Department) == 0 {
		q.failMsg(60123, "invalid party id (a member needs at least one department)")
		return
	}
	u.apply(&b)
	e.userEvent("update_user", u)
	q.json(map[string]any{"errcode": 0, "errmsg": "updated"})
}

// wecomUserDelete serves GET user/delete?userid= (删除成员).
func (e *Emulator) wecomUserDelete(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	u, ok := q.visibleUser(q.query("userid"))
	if !ok {
		return
	}
	e.userEvent("delete_user", u)
	users := make([]User, 0, len(e.fx.WeCom.Users))
	for _, x := range e.fx.WeCom.Users {
		if !strings.EqualFold(x.UserID, u.UserID) {
			users = append(users, x)
		}
	}
	e.fx.WeCom.Users = users
	q.json(map[string]any{"errcode": 0, "errmsg": "deleted"})
}

// wecomGetUserIDByMobile serves POST user/getuserid {"mobile"} (手机号获取
// userid).
func (e *Emulator) wecomGetUserIDByMobile(q *request) {
	var b struct {
		Mobile string `json:"mobile"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	if b.Mobile == "" {
		q.failMsg(60103, "mobile invalid (missing mobile)")
		return
	}
	for i := range e.fx.WeCom.Users {
		if u := &e.fx.WeCom.Users[i]; u.Mobile == b.Mobile && q.userVisible(u) {
			q.ok(map[string]any{"userid": u.UserID})
			return
		}
	}
	// A mobile that is unknown and one outside the visible range answer
	// alike, so an app cannot probe the corp [unconfirmed code].
	q.fail(46004)
}

// wecomGetUserIDByEmail serves POST user/get_userid_by_email {"email",
// "email_type"} (邮箱获取userid): email_type 1 (the default) is the corp
// mailbox (biz_mail), 2 the personal email.
func (e *Emulator) wecomGetUserIDByEmail(q *request) {
	var b struct {
		Email     string `json:"email"`
		EmailType int    `json:"email_type"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	if b.Email == "" {
		q.failMsg(60105, "email invalid (missing email)")
		return
	}
	if b.EmailType != 0 && b.EmailType != 1 && b.EmailType != 2 {
		q.failMsg(40058, "invalid email_type: 1 corp mailbox (biz_mail) or 2 personal email")
		return
	}
	for i := range e.fx.WeCom.Users {
		u := &e.fx.WeCom.Users[i]
		addr := u.BizMail
		if b.EmailType == 2 {
			addr = u.Email
		}
		if addr != "" && strings.EqualFold(addr, b.Email) && q.userVisible(u) {
			q.ok(map[string]any{"userid": u.UserID})
			return
		}
	}
	q.fail(46004) // [unconfirmed code], as for user/getuserid
}

func departmentJSON(d *Department) map[string]any {
	leaders := d.Leaders
	if leaders == nil {
		leaders = []string{}
	}
	return map[string]any{"id": d.ID, "name": d.Name, "name_en": d.NameEn, "department_leader": leaders,
		"parentid": d.ParentID, "order": d.Order}
}

// wecomDepartmentList serves GET department/list?id= (获取部门列表): the
// department and everything below it, or without id every department the
// app can see.
func (e *Emulator) wecomDepartmentList(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	var top *Department
	if raw := q.query("id"); raw != "" {
		d, ok := q.partyID(raw)
		if !ok {
			return
		}
		top = d
	}
	list := []map[string]any{}
	for i := range e.fx.WeCom.Departments {
		d := &e.fx.WeCom.Departments[i]
		if top != nil && !inDept(e.fx.WeCom.Departments, []int64{d.ID}, top.ID) {
			continue
		}
		if q.partyVisible(d.ID) {
			list = append(list, departmentJSON(d))
		}
	}
	q.ok(map[string]any{"department": list})
}

// wecomDepartmentGet serves GET department/get?id= (获取单个部门详情).
func (e *Emulator) wecomDepartmentGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	d, ok := q.partyID(q.query("id"))
	if !ok {
		return
	}
	q.ok(map[string]any{"department": departmentJSON(d)})
}

// departmentBody is the body of department/create and department/update.
type departmentBody struct {
	ID       int64   `json:"id"`
	Name     *string `json:"name"`
	NameEn   *string `json:"name_en"`
	ParentID *int64  `json:"parentid"`
	Order    *int64  `json:"order"`
}

// badPartyName are the characters a department name may not contain
// (部门名称不能包含 \:*?"<>｜).
const badPartyName = `\:*?"<>|`

// checkDepartment validates name and parent for a create or update of
// department self (nil on create); it answers the error itself.
func (q *request) checkDepartment(b *departmentBody, self *Department) bool {
	e := q.e
	if b.Name != nil {
		if n := *b.Name; n == "" || len([]rune(n)) > 32 {
			q.failMsg(60001, "department name length invalid: 1 to 32 characters")
			return false
		}
		if strings.ContainsAny(*b.Name, badPartyName) {
			q.failMsg(60009, `department name contains invalid characters (\:*?"<>|)`)
			return false
		}
	}
	if b.ParentID != nil {
		p := e.department(*b.ParentID)
		if p == nil {
			q.fail(60004)
			return false
		}
		if !q.partyVisible(p.ID) {
			q.fail(60011)
			return false
		}
		if self != nil && inDept(e.fx.WeCom.Departments, []int64{p.ID}, self.ID) {
			q.failMsg(60004, "parent department not found (a department cannot move under itself)")
			return false
		}
	}
	parent, name := int64(0), ""
	if self != nil {
		parent, name = self.ParentID, self.Name
	}
	if b.ParentID != nil {
		parent = *b.ParentID
	}
	if b.Name != nil {
		name = *b.Name
	}
	for i := range e.fx.WeCom.Departments {
		if d := &e.fx.WeCom.Departments[i]; d != self && d.ParentID == parent && d.Name == name {
			q.failMsg(60008, "department existed (a sibling has the name "+name+")")
			return false
		}
	}
	return true
}

func (d *Department) apply(b *departmentBody) {
	if b.Name != nil {
		d.Name = *b.Name
	}
	if b.NameEn != nil {
		d.NameEn = *b.NameEn
	}
	if b.ParentID != nil {
		d.ParentID = *b.ParentID
	}
	if b.Order != nil {
		d.Order = *b.Order
	}
}

// wecomDepartmentCreate serves POST department/create (创建部门); the id is
// the given one or the next free one.
func (e *Emulator) wecomDepartmentCreate(q *request) {
	var b departmentBody
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	switch {
	case b.Name == nil:
		q.failMsg(60001, "department name length invalid (missing name)")
		return
	case b.ParentID == nil:
		q.failMsg(60004, "parent department not found (missing parentid)")
		return
	case b.ID < 0:
		q.fail(60123)
		return
	case b.ID != 0 && e.department(b.ID) != nil:
		q.failMsg(60008, "department existed (id "+strconv.FormatInt(b.ID, 10)+" is taken)")
		return
	}
	if !q.checkDepartment(&b, nil) {
		return
	}
	d := Department{ID: b.ID}
	if d.ID == 0 {
		ids := make([]int64, 0, len(e.fx.WeCom.Departments))
		for _, x := range e.fx.WeCom.Departments {
			ids = append(ids, x.ID)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		d.ID = 1
		if len(ids) > 0 {
			d.ID = ids[len(ids)-1] + 1
		}
	}
	d.apply(&b)
	e.fx.WeCom.Departments = append(e.fx.WeCom.Departments, d)
	e.partyEvent("create_party", &e.fx.WeCom.Departments[len(e.fx.WeCom.Departments)-1])
	q.json(map[string]any{"errcode": 0, "errmsg": "created", "id": d.ID})
}

// wecomDepartmentUpdate serves POST department/update (更新部门).
func (e *Emulator) wecomDepartmentUpdate(q *request) {
	var b departmentBody
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	d, ok := q.partyID(strconv.FormatInt(b.ID, 10))
	if !ok || !q.checkDepartment(&b, d) {
		return
	}
	if b.ParentID != nil && d.ParentID == 0 && *b.ParentID != 0 {
		q.failMsg(60011, "no privilege to access/modify contact/party/agent (the root department cannot move)")
		return
	}
	d.apply(&b)
	e.partyEvent("update_party", d)
	q.json(map[string]any{"errcode": 0, "errmsg": "updated"})
}

// wecomDepartmentDelete serves GET department/delete?id= (删除部门): only an
// empty department (no sub-departments, no members) can go.
func (e *Emulator) wecomDepartmentDelete(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	d, ok := q.partyID(q.query("id"))
	if !ok {
		return
	}
	for _, x := range e.fx.WeCom.Departments {
		if x.ParentID == d.ID {
			q.fail(60006)
			return
		}
	}
	for _, u := range e.fx.WeCom.Users {
		for _, ud := range u.Department {
			if ud == d.ID {
				q.fail(60005)
				return
			}
		}
	}
	e.partyEvent("delete_party", d)
	id := d.ID
	deps := make([]Department, 0, len(e.fx.WeCom.Departments))
	for _, x := range e.fx.WeCom.Departments {
		if x.ID != id {
			deps = append(deps, x)
		}
	}
	e.fx.WeCom.Departments = deps
	q.json(map[string]any{"errcode": 0, "errmsg": "deleted"})
}

// userTicketRec is a user_ticket of snsapi_privateinfo OAuth: it reads the
// member's private fields through auth/getuserdetail, for the app that
// exchanged the code, for 1800 s.
type userTicketRec struct {
	UserID  string    `json:"userid"`
	AgentID int64     `json:"agentId"`
	Expires time.Time `json:"expires"`
}

// issueUserTicket records a new user_ticket. Callers hold e.mu.
func (e *Emulator) issueUserTicket(userID string, agentID int64) string {
	now := e.now()
	for t, rec := range e.st.UserTickets {
		if !now.Before(rec.Expires) {
			delete(e.st.UserTickets, t) // bounded: expired tickets go on every issue
		}
	}
	t := randString(64, alnum)
	e.st.UserTickets[t] = &userTicketRec{UserID: userID, AgentID: agentID, Expires: now.Add(userTicketTTL)}
	e.dirty = true
	return t
}

// wecomGetUserDetail serves POST auth/getuserdetail {"user_ticket"}
// (获取访问用户敏感信息): the member's gender, avatar, qr_code, mobile, email,
// biz_mail and address, for the app the ticket was issued to.
func (e *Emulator) wecomGetUserDetail(q *request) {
	var b struct {
		UserTicket string `json:"user_ticket"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	rec, ok := e.st.UserTickets[b.UserTicket]
	if b.UserTicket == "" || !ok || !e.now().Before(rec.Expires) || rec.AgentID != q.agentID {
		// Tencent's code for an unknown or expired user_ticket is
		// [unconfirmed]; 40058 keeps clients from refreshing their token
		// over it.
		q.failMsg(40058, "invalid user_ticket (unknown, expired after 1800 s, or issued to another app)")
		return
	}
	u := e.userByID(rec.UserID)
	if u == nil {
		q.fail(60111) // deleted since sign-in
		return
	}
	q.ok(map[string]any{"userid": u.UserID, "gender": orDefault(u.Gender, "0"), "avatar": u.Avatar,
		"qr_code": "https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=" + deriveHex("qr/"+u.UserID, 16),
		"mobile":  u.Mobile, "email": u.Email, "biz_mail": u.BizMail, "address": u.Address})
}
