package emulator

import (
	"strconv"
	"strings"
)

// Contact tags (标签): tag/list, tag/get and adding and removing members.
// Tencent lets an app read and change only the tags it created or that are
// in its visible range; the emulator lets every app use every tag
// (docs/emulator.md).

func (e *Emulator) tag(raw string) *WeComTag {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil
	}
	for i := range e.fx.WeCom.Tags {
		if e.fx.WeCom.Tags[i].ID == id {
			return &e.fx.WeCom.Tags[i]
		}
	}
	return nil
}

// wecomTagList serves GET tag/list (获取标签列表).
func (e *Emulator) wecomTagList(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	list := make([]map[string]any, 0, len(e.fx.WeCom.Tags))
	for _, t := range e.fx.WeCom.Tags {
		list = append(list, map[string]any{"tagid": t.ID, "tagname": t.Name})
	}
	q.ok(map[string]any{"taglist": list})
}

// wecomTagGet serves GET tag/get?tagid= (获取标签成员): the tagged members
// and departments the app can see.
func (e *Emulator) wecomTagGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	t := e.tag(q.query("tagid"))
	if t == nil {
		q.fail(40068)
		return
	}
	users := []map[string]any{}
	for _, id := range t.UserIDs {
		if u := e.userByID(id); u != nil && q.userVisible(u) {
			users = append(users, map[string]any{"userid": u.UserID, "name": u.Name})
		}
	}
	parties := []int64{}
	for _, p := range t.PartyIDs {
		if e.department(p) != nil && q.partyVisible(p) {
			parties = append(parties, p)
		}
	}
	q.ok(map[string]any{"tagname": t.Name, "userlist": users, "partylist": parties})
}

// wecomTagUsers serves POST tag/addtagusers (增加标签成员, add true) and
// tag/deltagusers (删除标签成员). Unknown or invisible ids come back in
// invalidlist / invalidparty; when every id is invalid the answer is 40070.
func (e *Emulator) wecomTagUsers(q *request, add bool) {
	var b struct {
		TagID     int64    `json:"tagid"`
		UserList  []string `json:"userlist"`
		PartyList []int64  `json:"partylist"`
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") || !q.decodeJSON(&b) {
		return
	}
	t := e.tag(strconv.FormatInt(b.TagID, 10))
	if t == nil {
		q.fail(40068)
		return
	}
	if len(b.UserList) == 0 && len(b.PartyList) == 0 {
		q.failMsg(40070, "all list invalid (userlist and partylist are both empty)")
		return
	}
	if len(b.UserList) > 1000 || len(b.PartyList) > 100 {
		q.failMsg(40058, "invalid parameter: at most 1000 userids and 100 department ids per call")
		return
	}
	var badUsers []string
	var okUsers []string
	for _, id := range b.UserList {
		u := e.userByID(id)
		if u == nil || !q.userVisible(u) {
			badUsers = append(badUsers, id)
			continue
		}
		okUsers = append(okUsers, u.UserID)
	}
	badParties := []int64{}
	var okParties []int64
	for _, p := range b.PartyList {
		if e.department(p) == nil || !q.partyVisible(p) {
			badParties = append(badParties, p)
			continue
		}
		okParties = append(okParties, p)
	}
	if len(okUsers) == 0 && len(okParties) == 0 {
		q.fail(40070)
		return
	}
	var changedUsers []string
	var changedParties []int64
	for _, id := range okUsers {
		has := containsFold(t.UserIDs, id)
		if add != has {
			changedUsers = append(changedUsers, id)
		}
		switch {
		case add && !has:
			t.UserIDs = append(t.UserIDs, id)
		case !add && has:
			kept := t.UserIDs[:0:0]
			for _, x := range t.UserIDs {
				if !strings.EqualFold(x, id) {
					kept = append(kept, x)
				}
			}
			t.UserIDs = kept
		}
	}
	for _, p := range okParties {
		idx := -1
		for i, x := range t.PartyIDs {
			if x == p {
				idx = i
			}
		}
		if add != (idx >= 0) {
			changedParties = append(changedParties, p)
		}
		switch {
		case add && idx < 0:
			t.PartyIDs = append(t.PartyIDs, p)
		case !add && idx >= 0:
			t.PartyIDs = append(t.PartyIDs[:idx:idx], t.PartyIDs[idx+1:]...)
		}
	}
	if len(changedUsers) > 0 || len(changedParties) > 0 {
		// update_tag (标签成员变更) goes to every app, since every app sees
		// every tag here.
		userKey, partyKey := "AddUserItems", "AddPartyItems"
		if !add {
			userKey, partyKey = "DelUserItems", "DelPartyItems"
		}
		fields := [][2]string{{"TagId", strconv.FormatInt(t.ID, 10)}}
		if len(changedUsers) > 0 {
			fields = append(fields, [2]string{userKey, strings.Join(changedUsers, ",")})
		}
		if len(changedParties) > 0 {
			fields = append(fields, [2]string{partyKey, joinInt64(changedParties)})
		}
		e.contactEvent("update_tag", func(*request) bool { return true }, fields...)
	}
	out := map[string]any{}
	if len(badUsers) > 0 {
		out["invalidlist"] = strings.Join(badUsers, "|")
	}
	if len(badParties) > 0 {
		out["invalidparty"] = badParties
	}
	q.ok(out)
}
