package api_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// The directory (通讯录) endpoints against the emulator's seeded org:
// reads, the writes they see, and the errcodes for unknown ids.
func TestContactDirectory(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()

	deps, err := c.ListDepartments(ctx, "")
	if err != nil || len(deps.Department) != 3 || deps.Department[0].Name != "示例科技" || deps.Department[0].ParentID != 0 {
		t.Fatalf("department/list: %+v %v", deps, err)
	}
	sub, err := c.ListDepartments(ctx, "2")
	if err != nil || len(sub.Department) != 1 || sub.Department[0].Name != "研发部" {
		t.Fatalf("department/list?id=2: %+v %v", sub, err)
	}
	if _, err := c.ListDepartments(ctx, "999"); !api.IsCode(err, 60123) {
		t.Fatalf("unknown department: %v, want 60123", err)
	}

	simple, err := c.ListUsersSimple(ctx, "3", "")
	if err != nil || len(simple.UserList) != 2 || simple.UserList[0].Name != "王五" || simple.UserList[0].OpenUserID == "" {
		t.Fatalf("user/simplelist?department_id=3: %+v %v", simple, err)
	}
	root, err := c.ListUsersSimple(ctx, "1", "")
	if err != nil || len(root.UserList) != 2 { // 张三 (1,2) and 孙七 (1)
		t.Fatalf("root members without fetch_child: %+v %v", root, err)
	}
	all, err := c.ListUsers(ctx, "1", "1")
	if err != nil || len(all.UserList) != 5 || all.UserList[0].Position != "工程师" {
		t.Fatalf("user/list fetch_child=1: %+v %v", all, err)
	}

	// A new department and a member in it.
	created, err := c.CreateDepartment(ctx, &api.Department{Name: "前端组", NameEn: "Frontend", ParentID: 2, Order: 10})
	if err != nil || created.ID != 4 {
		t.Fatalf("department/create: %+v %v", created, err)
	}
	if _, err := c.CreateDepartment(ctx, &api.Department{Name: "前端组", ParentID: 2}); !api.IsCode(err, 60008) {
		t.Fatalf("sibling with the same name: %v, want 60008", err)
	}
	if _, err := c.CreateDepartment(ctx, &api.Department{Name: "测试组", ParentID: 99}); !api.IsCode(err, 60004) {
		t.Fatalf("unknown parent: %v, want 60004", err)
	}
	if _, err := c.UpdateDepartment(ctx, &api.Department{ID: 4, Name: "大前端组"}); err != nil {
		t.Fatal(err)
	}
	d, err := c.GetDepartment(ctx, "4")
	if err != nil || d.Department.Name != "大前端组" || d.Department.NameEn != "Frontend" || d.Department.ParentID != 2 || d.Department.Order != 10 {
		t.Fatalf("department/get after update: %+v %v", d, err)
	}
	if _, err := c.GetDepartment(ctx, "404"); !api.IsCode(err, 60123) {
		t.Fatalf("department/get unknown: %v, want 60123", err)
	}

	nu := &api.User{UserID: "zhouba", Name: "周八", Department: []int64{4}, Mobile: "13800000008", Position: "前端工程师", Email: "zhouba@example.com"}
	if _, err := c.CreateUser(ctx, nu); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateUser(ctx, nu); !api.IsCode(err, 60102) {
		t.Fatalf("same userid twice: %v, want 60102", err)
	}
	if _, err := c.CreateUser(ctx, &api.User{UserID: "wujiu", Name: "吴九", Mobile: "13800000008"}); !api.IsCode(err, 60104) {
		t.Fatalf("mobile of another member: %v, want 60104", err)
	}
	if _, err := c.CreateUser(ctx, &api.User{UserID: "wujiu", Name: "吴九"}); !api.IsCode(err, 60129) {
		t.Fatalf("neither mobile nor email: %v, want 60129", err)
	}
	if _, err := c.CreateUser(ctx, &api.User{UserID: "wujiu", Name: "吴九", Mobile: "13800000009", Department: []int64{77}}); !api.IsCode(err, 60123) {
		t.Fatalf("unknown department: %v, want 60123", err)
	}
	id, err := c.GetUserIDByMobile(ctx, &api.MobileBody{Mobile: "13800000008"})
	if err != nil || id.UserID != "zhouba" {
		t.Fatalf("user/getuserid: %+v %v", id, err)
	}
	if _, err := c.GetUserIDByMobile(ctx, &api.MobileBody{Mobile: "13999999999"}); !api.IsCode(err, 46004) {
		t.Fatalf("unknown mobile: %v, want 46004", err)
	}
	id, err = c.GetUserIDByEmail(ctx, &api.EmailBody{Email: "ZHOUBA@example.com", EmailType: 2})
	if err != nil || id.UserID != "zhouba" {
		t.Fatalf("user/get_userid_by_email: %+v %v", id, err)
	}
	if _, err := c.GetUserIDByEmail(ctx, &api.EmailBody{Email: "zhouba@example.com"}); !api.IsCode(err, 46004) {
		t.Fatalf("email_type 1 looks at the corp mailbox only: %v, want 46004", err)
	}

	if _, err := c.UpdateUser(ctx, &api.User{UserID: "zhouba", Position: "前端负责人"}); err != nil {
		t.Fatal(err)
	}
	u, err := c.GetUser(ctx, "zhouba")
	if err != nil || u.Position != "前端负责人" || u.Name != "周八" || len(u.Department) != 1 || u.Department[0] != 4 || u.Status != 4 {
		t.Fatalf("user/get after update (unchanged fields stay; new members are not activated): %+v %v", u, err)
	}
	if _, err := c.UpdateUser(ctx, &api.User{UserID: "nobody", Name: "无名"}); !api.IsCode(err, 60111) {
		t.Fatalf("update unknown member: %v, want 60111", err)
	}
	if _, err := c.DeleteDepartment(ctx, "4"); !api.IsCode(err, 60005) {
		t.Fatalf("delete a department with members: %v, want 60005", err)
	}
	if _, err := c.DeleteDepartment(ctx, "2"); !api.IsCode(err, 60006) {
		t.Fatalf("delete a department with sub-departments: %v, want 60006", err)
	}
	if _, err := c.DeleteUser(ctx, "zhouba"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUser(ctx, "zhouba"); !api.IsCode(err, 60111) {
		t.Fatalf("delete twice: %v, want 60111", err)
	}
	if _, err := c.GetUser(ctx, "zhouba"); !api.IsCode(err, 60111) {
		t.Fatalf("user/get after delete: %v, want 60111", err)
	}
	if _, err := c.DeleteDepartment(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteDepartment(ctx, "4"); !api.IsCode(err, 60123) {
		t.Fatalf("delete twice: %v, want 60123", err)
	}
	var e *api.APIError
	if _, err := c.GetDepartment(ctx, "4"); !errors.As(err, &e) || e.Path != "/cgi-bin/department/get" {
		t.Fatalf("APIError names the path: %v", err)
	}
}

// An app sees only the members and departments in its visible range (可见
// 范围); the rest answer 60011.
func TestContactVisibleRange(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.WeCom.Apps[0].VisibleParties = []int64{3} // 市场部 only
	fx.WeCom.Apps[0].VisibleUsers = []string{"lisi"}
	s := startEmulator(t, emulator.WithFixture(fx))
	c := newWeCom(t, s)
	ctx := context.Background()

	deps, err := c.ListDepartments(ctx, "")
	if err != nil || len(deps.Department) != 1 || deps.Department[0].ID != 3 {
		t.Fatalf("department/list sees only 市场部: %+v %v", deps, err)
	}
	if _, err := c.GetDepartment(ctx, "2"); !api.IsCode(err, 60011) {
		t.Fatalf("department outside the range: %v, want 60011", err)
	}
	if _, err := c.ListUsersSimple(ctx, "1", "1"); !api.IsCode(err, 60011) {
		t.Fatalf("listing the root: %v, want 60011", err)
	}
	if _, err := c.GetUser(ctx, "lisi"); err != nil {
		t.Fatalf("a member named in the range: %v", err)
	}
	if _, err := c.GetUser(ctx, "wangwu"); err != nil {
		t.Fatalf("a member of a visible department: %v", err)
	}
	if _, err := c.GetUser(ctx, "zhangsan"); !api.IsCode(err, 60011) {
		t.Fatalf("member outside the range: %v, want 60011", err)
	}
	if _, err := c.UpdateUser(ctx, &api.User{UserID: "zhangsan", Position: "架构师"}); !api.IsCode(err, 60011) {
		t.Fatalf("update outside the range: %v, want 60011", err)
	}
	if _, err := c.DeleteUser(ctx, "sunqi"); !api.IsCode(err, 60011) {
		t.Fatalf("delete outside the range: %v, want 60011", err)
	}
	if _, err := c.CreateUser(ctx, &api.User{UserID: "wujiu", Name: "吴九", Mobile: "13800000009", Department: []int64{2}}); !api.IsCode(err, 60011) {
		t.Fatalf("create into an invisible department: %v, want 60011", err)
	}
	// The same answer for an unknown mobile and one outside the range.
	if _, err := c.GetUserIDByMobile(ctx, &api.MobileBody{Mobile: "13800000001"}); !api.IsCode(err, 46004) {
		t.Fatalf("getuserid outside the range: %v, want 46004", err)
	}
	if id, err := c.GetUserIDByMobile(ctx, &api.MobileBody{Mobile: "13800000003"}); err != nil || id.UserID != "wangwu" {
		t.Fatalf("getuserid inside the range: %+v %v", id, err)
	}
}

// auth/getuserdetail reads the member's private fields with the user_ticket
// of snsapi_privateinfo OAuth, and only with it.
func TestGetUserDetail(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	code, err := s.Emulator().IssueCode("wecom", "lisi", "snsapi_privateinfo", emulator.DefaultAgentID)
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.GetUserInfo(ctx, code)
	if err != nil || info.UserTicket == "" {
		t.Fatalf("getuserinfo with snsapi_privateinfo: %+v %v", info, err)
	}
	d, err := c.GetUserDetail(ctx, &api.UserTicketBody{UserTicket: info.UserTicket})
	if err != nil || d.UserID != "lisi" || d.Mobile != "13800000002" || d.Email != "lisi@example.com" || d.Gender != "2" || d.QRCode == "" {
		t.Fatalf("getuserdetail: %+v %v", d, err)
	}
	if _, err := c.GetUserDetail(ctx, &api.UserTicketBody{UserTicket: "forged"}); !api.IsCode(err, 40058) {
		t.Fatalf("forged ticket: %v, want 40058", err)
	}
	base, err := s.Emulator().IssueCode("wecom", "lisi", "snsapi_base", emulator.DefaultAgentID)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := c.GetUserInfo(ctx, base); err != nil || info.UserTicket != "" {
		t.Fatalf("snsapi_base gives no ticket: %+v %v", info, err)
	}
	s.Emulator().Advance(1801 * time.Second)
	if _, err := c.GetUserDetail(ctx, &api.UserTicketBody{UserTicket: info.UserTicket}); !api.IsCode(err, 40058) {
		t.Fatalf("ticket after 1800 s: %v, want 40058", err)
	}
}

// Contact tags (标签): list, members, and adding and removing them.
func TestContactTags(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()

	l, err := c.ListContactTags(ctx)
	if err != nil || len(l.TagList) != 1 || l.TagList[0].TagID != 1 || l.TagList[0].TagName != "值班" {
		t.Fatalf("tag/list: %+v %v", l, err)
	}
	d, err := c.GetContactTag(ctx, "1")
	if err != nil || d.TagName != "值班" || len(d.UserList) != 2 || d.UserList[0].Name != "张三" || len(d.PartyList) != 0 {
		t.Fatalf("tag/get: %+v %v", d, err)
	}
	r, err := c.AddContactTagUsers(ctx, &api.ContactTagUsers{TagID: 1, UserList: []string{"wangwu", "nobody"}, PartyList: []int64{3, 99}})
	if err != nil || r.InvalidList != "nobody" || len(r.InvalidParty) != 1 || r.InvalidParty[0] != 99 {
		t.Fatalf("tag/addtagusers with unknown ids: %+v %v", r, err)
	}
	d, err = c.GetContactTag(ctx, "1")
	if err != nil || len(d.UserList) != 3 || len(d.PartyList) != 1 || d.PartyList[0] != 3 {
		t.Fatalf("tag/get after add: %+v %v", d, err)
	}
	r, err = c.DeleteContactTagUsers(ctx, &api.ContactTagUsers{TagID: 1, UserList: []string{"zhangsan"}, PartyList: []int64{3}})
	if err != nil || r.InvalidList != "" || len(r.InvalidParty) != 0 {
		t.Fatalf("tag/deltagusers: %+v %v", r, err)
	}
	d, err = c.GetContactTag(ctx, "1")
	if err != nil || len(d.UserList) != 2 || d.UserList[0].UserID != "lisi" || len(d.PartyList) != 0 {
		t.Fatalf("tag/get after delete: %+v %v", d, err)
	}
	if _, err := c.AddContactTagUsers(ctx, &api.ContactTagUsers{TagID: 1, UserList: []string{"nobody"}}); !api.IsCode(err, 40070) {
		t.Fatalf("all ids invalid: %v, want 40070", err)
	}
	if _, err := c.GetContactTag(ctx, "42"); !api.IsCode(err, 40068) {
		t.Fatalf("unknown tag: %v, want 40068", err)
	}
	if _, err := c.DeleteContactTagUsers(ctx, &api.ContactTagUsers{TagID: 42, UserList: []string{"lisi"}}); !api.IsCode(err, 40068) {
		t.Fatalf("unknown tag: %v, want 40068", err)
	}
}
