package emulator

import "strconv"

// wecomAgentGet serves GET /cgi-bin/agent/get?agentid= (获取应用): the app's
// name, logo, visible range and settings. Visible ranges are not modelled,
// so every app sees the whole corp (the root department).
func (e *Emulator) wecomAgentGet(q *request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !q.auth("wecom") {
		return
	}
	raw := q.query("agentid")
	if raw == "" {
		q.fail(41011)
		return
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	app := e.appByAgent(id)
	switch {
	case err != nil || app == nil:
		q.fail(40056)
		return
	case id != q.agentID:
		// A self-built app's token reads only its own app [unconfirmed code].
		q.fail(60011)
		return
	}
	domain := ""
	if len(app.TrustedDomains) > 0 {
		domain = app.TrustedDomains[0]
	}
	root := int64(1)
	for _, d := range e.fx.WeCom.Departments {
		if d.ParentID == 0 {
			root = d.ID
			break
		}
	}
	q.ok(map[string]any{
		"agentid":                   app.AgentID,
		"name":                      app.Name,
		"square_logo_url":           "https://wework.qpic.cn/wwpic/" + deriveHex("agent-logo-"+raw, 16) + "/0",
		"description":               "",
		"allow_userinfos":           map[string]any{"user": []map[string]string{}},
		"allow_partys":              map[string]any{"partyid": []int64{root}},
		"allow_tags":                map[string]any{"tagid": []int64{}},
		"close":                     0,
		"redirect_domain":           domain,
		"report_location_flag":      0,
		"isreportenter":             0,
		"home_url":                  "",
		"customized_publish_status": 1,
	})
}
