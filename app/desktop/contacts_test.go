package desktop

import (
	"errors"
	"testing"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

func TestContactsOnTheEmulator(t *testing.T) {
	a := startApp(t, Config{})
	deps, err := a.Contacts.Departments("")
	if err != nil || deps.Error != nil {
		t.Fatalf("Departments = %+v, %v", deps, err)
	}
	fx := emulator.DefaultFixture()
	if len(deps.Departments) != len(fx.WeCom.Departments) {
		t.Fatalf("departments = %+v, want the fixture's %d", deps.Departments, len(fx.WeCom.Departments))
	}
	// Parents come before their children.
	pos := map[int64]int{}
	for i, d := range deps.Departments {
		pos[d.ID] = i
	}
	for _, d := range deps.Departments {
		if p, ok := pos[d.ParentID]; ok && p > pos[d.ID] {
			t.Errorf("department %d listed before its parent %d", d.ID, d.ParentID)
		}
	}

	simple, err := a.Contacts.Members(MembersRequest{DepartmentID: 2})
	if err != nil || simple.Error != nil || len(simple.Members) == 0 {
		t.Fatalf("Members(2) = %+v, %v", simple, err)
	}
	names := map[string]string{}
	for _, m := range simple.Members {
		names[m.UserID] = m.Name
		if m.Status != 0 || m.Position != "" {
			t.Errorf("simplelist carries only userid, name, departments: %+v", m)
		}
	}
	if names["lisi"] != "李四" {
		t.Errorf("研发部 members = %v, want lisi 李四", names)
	}
	all, err := a.Contacts.Members(MembersRequest{DepartmentID: 1, Recursive: true, Detail: true})
	if err != nil || all.Error != nil || len(all.Members) < len(simple.Members) {
		t.Fatalf("Members(1, recursive, detail) = %+v, %v", all, err)
	}
	var detailed bool
	for _, m := range all.Members {
		detailed = detailed || (m.UserID == "zhangsan" && m.Position != "" && m.Status == 1)
	}
	if !detailed {
		t.Errorf("user/list members lack their details: %+v", all.Members)
	}

	m, err := a.Contacts.Member("", "zhangsan")
	if err != nil || m.Error != nil || m.Member == nil || m.Member.Name != "张三" {
		t.Fatalf("Member(zhangsan) = %+v, %v", m, err)
	}
	gone, err := a.Contacts.Member("", "nobody")
	if err != nil || gone.Error == nil || gone.Error.Errcode != 60111 || gone.Error.MeaningZH == "" {
		t.Errorf("Member(nobody) = %+v, %v; want errcode 60111 as data, explained", gone, err)
	}

	tags, err := a.Contacts.Tags("")
	if err != nil || tags.Error != nil || len(tags.Tags) == 0 {
		t.Fatalf("Tags = %+v, %v", tags, err)
	}
	tm, err := a.Contacts.TagMembers("", tags.Tags[0].ID)
	if err != nil || tm.Error != nil || len(tm.Members) == 0 || tm.Name == "" {
		t.Fatalf("TagMembers(%d) = %+v, %v", tags.Tags[0].ID, tm, err)
	}
	unknown, err := a.Contacts.TagMembers("", 999)
	if err != nil || unknown.Error == nil || unknown.Error.Errcode != 40068 {
		t.Errorf("TagMembers(999) = %+v, %v; want errcode 40068 as data", unknown, err)
	}

	// Tool errors are coded problems.
	for name, call := range map[string]func() error{
		"contacts.wecomOnly":  func() error { _, err := a.Contacts.Departments("mp"); return err },
		"contacts.department": func() error { _, err := a.Contacts.Members(MembersRequest{DepartmentID: 0}); return err },
		"contacts.userID":     func() error { _, err := a.Contacts.Member("", "  "); return err },
		"contacts.tag":        func() error { _, err := a.Contacts.TagMembers("", -1); return err },
		"profile.unknown":     func() error { _, err := a.Contacts.Tags("nope"); return err },
	} {
		var p *Problem
		if err := call(); !errors.As(err, &p) || p.Code != name {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

// TestContactsByConfiguration: a profile pointing at a corp (here an
// emulator on its own address, as a real corp would be at qyapi) with a
// narrow visible range: the app sees its part of the directory and gets
// 60011 as data outside it.
func TestContactsByConfiguration(t *testing.T) {
	fx := emulator.DefaultFixture()
	fx.WeCom.Apps[0].VisibleParties = []int64{3}
	emu, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx))
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	app := fx.WeCom.Apps[0]
	a := startApp(t, Config{Profiles: []server.Profile{{
		Name: "corp", Platform: server.PlatformWeCom, CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret,
		Token: app.Token, EncodingAESKey: app.EncodingAESKey, APIBaseURL: emu.WeComBaseURL(), TrustedDomains: []string{"127.0.0.1"},
	}}})
	deps, err := a.Contacts.Departments("corp")
	if err != nil || deps.Error != nil || len(deps.Departments) != 1 || deps.Departments[0].ID != 3 {
		t.Fatalf("Departments in a range of {3} = %+v, %v", deps, err)
	}
	in, err := a.Contacts.Members(MembersRequest{Profile: "corp", DepartmentID: 3})
	if err != nil || in.Error != nil || len(in.Members) == 0 {
		t.Fatalf("Members(3) = %+v, %v", in, err)
	}
	out, err := a.Contacts.Members(MembersRequest{Profile: "corp", DepartmentID: 2})
	if err != nil || out.Error == nil || out.Error.Errcode != 60011 || out.Error.MeaningZH == "" {
		t.Fatalf("Members(2) outside the range = %+v, %v; want 60011 as data", out, err)
	}
	if n := emu.Emulator().Stats()["/wecom/cgi-bin/user/simplelist"]; n != 2 {
		t.Errorf("the configured corp got %d user/simplelist calls, want 2", n)
	}
}
