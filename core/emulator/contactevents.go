package emulator

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Contact-change callbacks (通讯录变更事件): when the directory changes
// through the API, the emulator pushes change_contact (FromUserName "sys")
// to the callback URL of every app whose visible range covers the member or
// department, like WeCom does for apps that receive contact events. Pushes
// run after the API call has answered, in order, one at a time; a push
// that fails is logged and dropped (Tencent retries; see docs/emulator.md).

// contactPusher queues change_contact pushes. The zero value is ready.
type contactPusher struct {
	mu      sync.Mutex
	queue   []CallbackRequest
	running bool
	stopped bool          // StopPushes ran: queue nothing more
	stop    chan struct{} // closed by StopPushes; made on first use
	wg      sync.WaitGroup
}

// maxQueuedContactEvents bounds the queue when no callback server answers
// (each failed push may take its 5 s timeout).
const maxQueuedContactEvents = 1000

// contactEvent queues change_contact of changeType for every app that can
// see it; fields are the event's elements after ChangeType, in order.
// visible says whether an app's range covers the change. Callers hold e.mu.
func (e *Emulator) contactEvent(changeType string, visible func(q *request) bool, fields ...[2]string) {
	// Every change of the directory is announced here, so this is also
	// where it is marked for saving.
	e.directoryChanged()
	var b strings.Builder
	for _, f := range fields {
		fmt.Fprintf(&b, "<%s>%s</%s>", f[0], cdata(f[1]), f[0])
	}
	for i := range e.fx.WeCom.Apps {
		app := &e.fx.WeCom.Apps[i]
		if app.CallbackURL == "" || !visible(&request{e: e, agentID: app.AgentID}) {
			continue
		}
		xml := fmt.Sprintf("<xml><ToUserName>%s</ToUserName><FromUserName>%s</FromUserName><CreateTime>%d</CreateTime>"+
			"<MsgType>%s</MsgType><Event>%s</Event><ChangeType>%s</ChangeType>%s<AgentID>%d</AgentID></xml>",
			cdata(e.fx.WeCom.CorpID), cdata("sys"), e.now().Unix(), cdata("event"), cdata("change_contact"),
			cdata(changeType), b.String(), app.AgentID)
		e.queueContactPush(CallbackRequest{Platform: "wecom", AgentID: app.AgentID, From: "sys", MsgType: "event",
			Event: "change_contact", XML: xml})
	}
}

func (e *Emulator) queueContactPush(req CallbackRequest) {
	p := &e.contactPush
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if p.stop == nil {
		p.stop = make(chan struct{})
	}
	if len(p.queue) >= maxQueuedContactEvents {
		e.log.Warn("emulator: change_contact queue full; dropping the oldest push", "queued", len(p.queue))
		p.queue = p.queue[1:]
	}
	p.queue = append(p.queue, req)
	if !p.running {
		p.running = true
		p.wg.Add(1)
		go e.drainContactPushes(p.stop)
	}
}

// StopPushes drops the change_contact pushes still queued, cancels the one
// in flight and waits for it, so a server that embeds the emulator can
// shut down without a push arriving during its shutdown (an HTTP server's
// Shutdown waits up to five seconds for a connection that opened but has
// not sent its request yet). Changes after it push nothing.
func (e *Emulator) StopPushes() {
	p := &e.contactPush
	p.mu.Lock()
	if !p.stopped {
		p.stopped = true
		p.queue = nil
		if p.stop != nil {
			close(p.stop)
		}
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (e *Emulator) drainContactPushes(stop <-chan struct{}) {
	p := &e.contactPush
	defer p.wg.Done()
	for {
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		req := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		go func() {
			select {
			case <-stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		res, err := e.PushCallback(ctx, req)
		cancel()
		select {
		case <-stop:
			return // StopPushes emptied the queue; the result is moot
		default:
		}
		switch {
		case err != nil:
			e.log.Warn("emulator: change_contact push failed", "agentid", req.AgentID, "err", err)
		case res.Error != "" || res.Status != 200:
			e.log.Warn("emulator: change_contact push not accepted", "agentid", req.AgentID, "url", res.URL, "status", res.Status, "error", res.Error)
		}
	}
}

// userEventFields are the elements of create_user and update_user.
func userEventFields(u *User) [][2]string {
	status := u.Status
	if status == 0 {
		status = 1
	}
	main := ""
	if len(u.Department) > 0 {
		main = strconv.FormatInt(u.Department[0], 10)
	}
	return [][2]string{{"UserID", u.UserID}, {"Name", u.Name}, {"Department", joinInt64(u.Department)},
		{"MainDepartment", main}, {"Position", u.Position}, {"Mobile", u.Mobile}, {"Gender", orDefault(u.Gender, "0")},
		{"Email", u.Email}, {"BizMail", u.BizMail}, {"Status", strconv.Itoa(status)}, {"Alias", u.Alias},
		{"Telephone", u.Telephone}, {"Address", u.Address}}
}

func partyEventFields(d *Department) [][2]string {
	return [][2]string{{"Id", strconv.FormatInt(d.ID, 10)}, {"Name", d.Name},
		{"ParentId", strconv.FormatInt(d.ParentID, 10)}, {"Order", strconv.FormatInt(d.Order, 10)}}
}

func joinInt64(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// userEvent queues create_user / update_user / delete_user for u, to the
// apps that see u (for delete_user: saw it before the delete).
func (e *Emulator) userEvent(changeType string, u *User) {
	snapshot := *u
	fields := [][2]string{{"UserID", u.UserID}}
	if changeType != "delete_user" {
		fields = userEventFields(u)
		// IsLeaderInDept is listed for create_user and update_user, one
		// flag per department like user/get's is_leader_in_dept.
		flags := make([]string, 0, len(u.Department))
		for _, f := range e.leaderFlags(u) {
			flags = append(flags, strconv.Itoa(f))
		}
		fields = append(fields, [2]string{"IsLeaderInDept", strings.Join(flags, ",")})
	}
	e.contactEvent(changeType, func(q *request) bool { return q.userVisible(&snapshot) }, fields...)
}

// partyEvent queues create_party / update_party / delete_party for d, to
// the apps that see d (call it before a delete takes d away).
func (e *Emulator) partyEvent(changeType string, d *Department) {
	fields := [][2]string{{"Id", strconv.FormatInt(d.ID, 10)}}
	if changeType != "delete_party" {
		fields = partyEventFields(d)
	}
	id := d.ID
	e.contactEvent(changeType, func(q *request) bool { return q.partyVisible(id) }, fields...)
}
