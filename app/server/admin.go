package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/token"
)

// InboxEntry is a stored callback with its typed message, as GET /api/inbox
// and the event stream show it.
type InboxEntry struct {
	inbox.Record
	Message *TypedMessage `json:"message,omitempty"`
}

// TypedMessage is message.Message without the raw bytes, with the body type
// named.
type TypedMessage struct {
	ToUserName   string       `json:"toUserName"`
	FromUserName string       `json:"fromUserName"`
	CreateTime   int64        `json:"createTime"`
	MsgType      string       `json:"msgType"`
	MsgID        string       `json:"msgId,omitempty"` // exactly as sent
	AgentID      int64        `json:"agentId,omitempty"`
	Event        string       `json:"event,omitempty"`
	EventKey     string       `json:"eventKey,omitempty"`
	BodyType     string       `json:"bodyType"`
	Body         message.Body `json:"body"`
}

func entryOf(r inbox.Record) InboxEntry {
	e := InboxEntry{Record: r}
	if m, err := message.Parse([]byte(r.XML)); err == nil {
		e.Message = &TypedMessage{ToUserName: m.ToUserName, FromUserName: m.FromUserName, CreateTime: m.CreateTime, MsgType: m.MsgType,
			MsgID: m.MsgIDText, AgentID: m.AgentID, Event: m.Event, EventKey: m.EventKey, BodyType: fmt.Sprintf("%T", m.Body), Body: m.Body}
	}
	return e
}

// handleInbox lists received callbacks, newest first (?limit, ?before,
// ?profile), or with ?view=rejected the callbacks the server refused (the
// last 50 per callback path, newest first) and the counts.
func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("view") {
	case "", "stored":
	case "rejected":
		list, counts := s.Rejected(q.Get("profile"))
		if list == nil {
			list = []Rejection{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "view": "rejected", "rejected": list, "counts": counts, "keptPerPath": rejectRing})
		return
	default:
		fail(w, http.StatusBadRequest, "server: unknown inbox view "+strconv.Quote(q.Get("view"))+"; use view=stored (default) or view=rejected")
		return
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	recs, err := s.inbox.List(r.Context(), inbox.Query{Profile: q.Get("profile"), Before: before, Limit: limit})
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := make([]InboxEntry, len(recs))
	for i, rec := range recs {
		out[i] = entryOf(rec)
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "entries": out})
}

// handleInboxStream sends every newly stored callback as a server-sent event
// ("event: callback"), with a comment every 15 s to keep proxies open.
// handleInboxFlush imports every acknowledged callback into inbox.db and
// answers once it is there, for a process that reads the file itself.
func (s *Server) handleInboxFlush(w http.ResponseWriter, r *http.Request) {
	if err := s.inbox.Flush(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ok": false, "error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) handleInboxStream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		fail(w, http.StatusInternalServerError, "server: streaming unsupported by this connection")
		return
	}
	// The server's ReadTimeout would end the stream: lift it for this one.
	_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	ch, cancel := s.hub.subscribe()
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(w, ": wwkit inbox stream\n\n")
	fl.Flush()
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case rec, ok := <-ch:
			if !ok {
				return
			}
			b, err := json.Marshal(entryOf(rec))
			if err != nil {
				continue
			}
			if _, err := fmt.Fprintf(w, "id: %d\nevent: callback\ndata: %s\n\n", rec.ID, b); err != nil {
				return
			}
			fl.Flush()
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

type maskedToken struct {
	Name        string `json:"name"`
	Masked      string `json:"masked,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	ExpiresAt   int64  `json:"expiresAt,omitempty"`
	Origin      string `json:"origin,omitempty"`
	Error       string `json:"error,omitempty"`
}

// handleTokens shows each profile's access_token and tickets masked.
func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) {
	type entry struct {
		Profile  string        `json:"profile"`
		Platform string        `json:"platform"`
		Tokens   []maskedToken `json:"tokens"`
	}
	ctx := r.Context()
	show := func(name string, t token.Result, err error) maskedToken {
		if err != nil {
			return maskedToken{Name: name, Error: err.Error()}
		}
		return maskedToken{Name: name, Masked: token.Mask(t.Value), Fingerprint: token.Fingerprint(t.Value), ExpiresAt: t.Expires.Unix(), Origin: string(t.Origin)}
	}
	var out []entry
	for _, p := range s.order {
		e := entry{Profile: p.Name, Platform: p.Platform}
		if p.wecom != nil {
			t, err := p.wecom.AccessToken(ctx)
			e.Tokens = append(e.Tokens, show("access_token", t, err))
			t, err = p.wecom.JSAPITicket(ctx)
			e.Tokens = append(e.Tokens, show("jsapi_ticket", t, err))
			t, err = p.wecom.AgentTicket(ctx)
			e.Tokens = append(e.Tokens, show("agent_config_ticket", t, err))
		} else {
			t, err := p.mp.AccessToken(ctx)
			e.Tokens = append(e.Tokens, show("access_token", t, err))
			t, err = p.mp.JSAPITicket(ctx)
			e.Tokens = append(e.Tokens, show("jsapi_ticket", t, err))
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "profiles": out})
}

// handleSend sends a test text message: message/send (WeCom) or
// message/custom/send (Official Account). Body {"to":"zhangsan","content":"hi"}.
func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return
	}
	var req struct {
		To      string `json:"to"`
		Content string `json:"content"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil || req.To == "" || req.Content == "" {
		fail(w, http.StatusBadRequest, `server: the body must be JSON {"to":"userid or openid","content":"text"}`)
		return
	}
	if p.wecom != nil {
		res, err := p.wecom.Send(r.Context(), &api.Message{ToUser: req.To, MsgType: "text", AgentID: p.AgentID, Text: &api.Content{Content: req.Content}})
		if err != nil {
			s.sendFailed(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": res})
		return
	}
	if _, err := p.mp.SendCustom(r.Context(), &api.CustomMessage{ToUser: req.To, MsgType: "text", Text: &api.Content{Content: req.Content}}); err != nil {
		s.sendFailed(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) sendFailed(w http.ResponseWriter, err error) {
	ans := map[string]any{"ok": false, "error": err.Error()}
	if ae, ok := err.(*api.APIError); ok {
		ans["errcode"] = ae.Code
	}
	writeJSON(w, http.StatusBadGateway, ans)
}

// handleProfiles lists the profiles without secrets.
func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	type view struct {
		Name           string   `json:"name"`
		Platform       string   `json:"platform"`
		AppID          string   `json:"appId"`
		AgentID        int64    `json:"agentId,omitempty"`
		CallbackURL    string   `json:"callbackURL"`
		TrustedDomains []string `json:"trustedDomains"`
		Emulated       bool     `json:"emulated"`
		Debug          bool     `json:"debug"`
		Reply          string   `json:"reply"`
	}
	out := make([]view, len(s.order))
	for i, p := range s.order {
		out[i] = view{Name: p.Name, Platform: p.Platform, AppID: p.appID(), AgentID: p.AgentID, CallbackURL: s.cfg.PublicURL + "/callback/" + p.Name,
			TrustedDomains: p.TrustedDomains, Emulated: p.Emulated, Debug: p.Debug, Reply: p.Reply}
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "profiles": out})
}

func (s *Server) handleCalls(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "calls": s.calls.Recent(0)})
}
