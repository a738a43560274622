package desktop

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/api"
)

// ContactService browses the WeCom directory (通讯录) of a profile: the
// department tree, the members of a department, one member, the contact
// tags and their members. It reads only; it works the same against the
// emulator's directory and a real corp, through the profile's API client.
// What the app may see is what its visible range (可见范围) allows: a
// department or member outside it answers errcode 60011, shown as data.
type ContactService struct{ app *App }

// DepartmentDTO is one department (部门).
type DepartmentDTO struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	NameEn   string   `json:"nameEn,omitempty"`
	ParentID int64    `json:"parentId"`
	Order    int64    `json:"order"`
	Leaders  []string `json:"leaders"`
}

// DepartmentsDTO answers Departments: every department the app sees,
// parents before children and siblings by order (larger first, as WeCom
// sorts them), or the errcode.
type DepartmentsDTO struct {
	Departments []DepartmentDTO `json:"departments"`
	Error       *ErrcodeDTO     `json:"error,omitempty"`
}

// MembersRequest asks for the members of a department.
type MembersRequest struct {
	Profile      string `json:"profile"` // "" = active
	DepartmentID int64  `json:"departmentId"`
	Recursive    bool   `json:"recursive"` // fetch_child=1: sub-departments too
	// Detail uses user/list (the fields of user/get) instead of
	// user/simplelist (userid, name, departments).
	Detail bool `json:"detail"`
}

// MemberDTO is a member (成员) with the fields the API returned; since
// 2022 WeCom leaves mobile, email, avatar, gender and address out for most
// apps, so each may be empty.
type MemberDTO struct {
	UserID         string  `json:"userId"`
	Name           string  `json:"name"`
	Departments    []int64 `json:"departments"`
	MainDepartment int64   `json:"mainDepartment,omitempty"`
	Position       string  `json:"position,omitempty"`
	Mobile         string  `json:"mobile,omitempty"`
	Email          string  `json:"email,omitempty"`
	BizMail        string  `json:"bizMail,omitempty"`
	Gender         string  `json:"gender,omitempty"`
	Telephone      string  `json:"telephone,omitempty"`
	Alias          string  `json:"alias,omitempty"`
	Address        string  `json:"address,omitempty"`
	Avatar         string  `json:"avatar,omitempty"`
	OpenUserID     string  `json:"openUserId,omitempty"`
	// Status: 1 active, 2 disabled, 4 not activated, 5 exited; 0 when the
	// answer (simplelist) does not carry it.
	Status int `json:"status"`
}

// MembersDTO answers Members.
type MembersDTO struct {
	Members []MemberDTO `json:"members"`
	Error   *ErrcodeDTO `json:"error,omitempty"`
}

// MemberDetailDTO answers Member.
type MemberDetailDTO struct {
	Member *MemberDTO  `json:"member,omitempty"`
	Error  *ErrcodeDTO `json:"error,omitempty"`
}

// TagDTO is a contact tag (标签).
type TagDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TagsDTO answers Tags.
type TagsDTO struct {
	Tags  []TagDTO    `json:"tags"`
	Error *ErrcodeDTO `json:"error,omitempty"`
}

// TagMembersDTO answers TagMembers: the tagged members and departments.
type TagMembersDTO struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	Members     []MemberDTO `json:"members"`
	Departments []int64     `json:"departments"`
	Error       *ErrcodeDTO `json:"error,omitempty"`
}

// wecom returns the WeCom client of profile ("" = active), or a Problem
// for an Official Account profile (it has no directory).
func (s *ContactService) wecom(profile string) (*api.WeCom, error) {
	p, c, err := s.app.profile(profile)
	if err != nil {
		return nil, err
	}
	if c.wecom == nil {
		return nil, fail("contacts.wecomOnly", "name", p.Name)
	}
	return c.wecom, nil
}

// call runs one directory read: an errcode is data (returned as ec), any
// other failure is the tool's (a Problem naming the API).
func (s *ContactService) call(profile, path string, f func(ctx context.Context, c *api.WeCom) error) (ec *ErrcodeDTO, err error) {
	c, err := s.wecom(profile)
	if err != nil {
		return nil, err
	}
	ctx, cancel := s.app.callCtx()
	defer cancel()
	if err := f(ctx, c); err != nil {
		if d, ok := asErrcode(err); ok {
			return &d, nil
		}
		return nil, failWrap("contacts.failed", err, "api", path)
	}
	return nil, nil
}

// Departments lists the departments the app sees (department/list).
func (s *ContactService) Departments(profile string) (DepartmentsDTO, error) {
	out := DepartmentsDTO{Departments: []DepartmentDTO{}}
	ec, err := s.call(profile, "department/list", func(ctx context.Context, c *api.WeCom) error {
		l, err := c.ListDepartments(ctx, "")
		if err != nil {
			return err
		}
		for _, d := range l.Department {
			out.Departments = append(out.Departments, DepartmentDTO{ID: d.ID, Name: d.Name, NameEn: d.NameEn,
				ParentID: d.ParentID, Order: d.Order, Leaders: orEmpty(d.DepartmentLeader)})
		}
		return nil
	})
	out.Error = ec
	out.Departments = treeOrder(out.Departments)
	return out, err
}

// treeOrder puts parents before their children and siblings by order
// (larger first), then id; a department whose parent is not visible is a
// root of its own.
func treeOrder(ds []DepartmentDTO) []DepartmentDTO {
	byID := map[int64]bool{}
	for _, d := range ds {
		byID[d.ID] = true
	}
	children := map[int64][]DepartmentDTO{}
	var roots []DepartmentDTO
	for _, d := range ds {
		if d.ParentID != 0 && byID[d.ParentID] && d.ParentID != d.ID {
			children[d.ParentID] = append(children[d.ParentID], d)
		} else {
			roots = append(roots, d)
		}
	}
	sortSiblings := func(l []DepartmentDTO) {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].Order != l[j].Order {
				return l[i].Order > l[j].Order
			}
			return l[i].ID < l[j].ID
		})
	}
	out := make([]DepartmentDTO, 0, len(ds))
	seen := map[int64]bool{}
	var walk func(l []DepartmentDTO)
	walk = func(l []DepartmentDTO) {
		sortSiblings(l)
		for _, d := range l {
			if seen[d.ID] {
				continue // a cycle in a corrupt answer: show each once
			}
			seen[d.ID] = true
			out = append(out, d)
			walk(children[d.ID])
		}
	}
	walk(roots)
	return out
}

// Members lists the members of a department (user/simplelist, or user/list
// with Detail).
func (s *ContactService) Members(req MembersRequest) (MembersDTO, error) {
	if req.DepartmentID <= 0 {
		return MembersDTO{}, fail("contacts.department", "id", strconv.FormatInt(req.DepartmentID, 10))
	}
	out := MembersDTO{Members: []MemberDTO{}}
	id, child := strconv.FormatInt(req.DepartmentID, 10), "0"
	if req.Recursive {
		child = "1"
	}
	path := "user/simplelist"
	if req.Detail {
		path = "user/list"
	}
	ec, err := s.call(req.Profile, path, func(ctx context.Context, c *api.WeCom) error {
		if req.Detail {
			l, err := c.ListUsers(ctx, id, child)
			if err != nil {
				return err
			}
			for i := range l.UserList {
				out.Members = append(out.Members, memberDTO(&l.UserList[i]))
			}
			return nil
		}
		l, err := c.ListUsersSimple(ctx, id, child)
		if err != nil {
			return err
		}
		for _, u := range l.UserList {
			out.Members = append(out.Members, MemberDTO{UserID: u.UserID, Name: u.Name, Departments: orEmptyIDs(u.Department), OpenUserID: u.OpenUserID})
		}
		return nil
	})
	out.Error = ec
	return out, err
}

// Member reads one member (user/get).
func (s *ContactService) Member(profile, userID string) (MemberDetailDTO, error) {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return MemberDetailDTO{}, fail("contacts.userID")
	}
	var out MemberDetailDTO
	ec, err := s.call(profile, "user/get", func(ctx context.Context, c *api.WeCom) error {
		u, err := c.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		m := memberDTO(u)
		out.Member = &m
		return nil
	})
	out.Error = ec
	return out, err
}

// Tags lists the contact tags (tag/list).
func (s *ContactService) Tags(profile string) (TagsDTO, error) {
	out := TagsDTO{Tags: []TagDTO{}}
	ec, err := s.call(profile, "tag/list", func(ctx context.Context, c *api.WeCom) error {
		l, err := c.ListContactTags(ctx)
		if err != nil {
			return err
		}
		for _, t := range l.TagList {
			out.Tags = append(out.Tags, TagDTO{ID: t.TagID, Name: t.TagName})
		}
		return nil
	})
	out.Error = ec
	return out, err
}

// TagMembers lists the members and departments of a tag (tag/get).
func (s *ContactService) TagMembers(profile string, tagID int64) (TagMembersDTO, error) {
	if tagID <= 0 {
		return TagMembersDTO{}, fail("contacts.tag", "id", strconv.FormatInt(tagID, 10))
	}
	out := TagMembersDTO{ID: tagID, Members: []MemberDTO{}, Departments: []int64{}}
	ec, err := s.call(profile, "tag/get", func(ctx context.Context, c *api.WeCom) error {
		t, err := c.GetContactTag(ctx, strconv.FormatInt(tagID, 10))
		if err != nil {
			return err
		}
		out.Name = t.TagName
		for _, u := range t.UserList {
			out.Members = append(out.Members, MemberDTO{UserID: u.UserID, Name: u.Name, Departments: orEmptyIDs(u.Department)})
		}
		out.Departments = append(out.Departments, t.PartyList...)
		return nil
	})
	out.Error = ec
	return out, err
}

func memberDTO(u *api.User) MemberDTO {
	return MemberDTO{UserID: u.UserID, Name: u.Name, Departments: orEmptyIDs(u.Department), MainDepartment: u.MainDepartment,
		Position: u.Position, Mobile: u.Mobile, Email: u.Email, BizMail: u.BizMail, Gender: u.Gender, Telephone: u.Telephone,
		Alias: u.Alias, Address: u.Address, Avatar: u.Avatar, OpenUserID: u.OpenUserID, Status: u.Status}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orEmptyIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}
