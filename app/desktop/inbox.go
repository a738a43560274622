package desktop

import (
	"context"
	"fmt"
	"strings"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/message"
)

// InboxService is the callback inbox (回调收件箱): the callbacks the dev
// server accepted, newest first, with filters and the raw XML.
type InboxService struct{ app *App }

// InboxFilter selects entries. Profile narrows in the database; MsgType,
// Event and From are matched on the page of entries read.
type InboxFilter struct {
	Profile string `json:"profile"` // "" = all profiles
	MsgType string `json:"msgType"` // text, event, …; "" = all
	Event   string `json:"event"`   // event name, case-insensitive; "" = all
	From    string `json:"from"`    // sender userid/openid, substring; "" = all
	Before  int64  `json:"before"`  // only entries with id < before (paging); 0 = newest
	Limit   int    `json:"limit"`   // 1..1000; 100 when 0
}

// EntryDTO is one inbox entry in the list (no XML).
type EntryDTO struct {
	ID         int64  `json:"id"`
	Profile    string `json:"profile"`
	Platform   string `json:"platform"`
	ReceivedAt string `json:"receivedAt"` // RFC 3339
	MsgType    string `json:"msgType"`
	Event      string `json:"event,omitempty"`
	EventKey   string `json:"eventKey,omitempty"`
	From       string `json:"from"`
	Summary    string `json:"summary"` // text content or event key, shortened
	HasReply   bool   `json:"hasReply"`
	Deliveries int    `json:"deliveries"`
}

// EntryDetailDTO is one entry with its raw XML, passive reply and typed body.
type EntryDetailDTO struct {
	EntryDTO
	XML        string `json:"xml"`
	Reply      string `json:"reply,omitempty"`
	BodyType   string `json:"bodyType,omitempty"` // Go type of the typed body, e.g. message.Text
	Body       any    `json:"body,omitempty"`
	ParseError string `json:"parseError,omitempty"`
}

// scanLimit bounds how many rows one filtered List reads.
const scanLimit = 1000

// List returns entries matching f, newest first.
func (s *InboxService) List(f InboxFilter) ([]EntryDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	srv, err := s.app.server()
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > scanLimit {
		return nil, fmt.Errorf("desktop: inbox limit %d is out of range; use 1 to %d", limit, scanLimit)
	}
	filtered := f.MsgType != "" || f.Event != "" || f.From != ""
	out := make([]EntryDTO, 0, limit)
	before, scanned := f.Before, 0
	for len(out) < limit && scanned < scanLimit {
		n := limit
		if filtered {
			n = scanLimit - scanned
		}
		recs, err := srv.Inbox().List(ctx, inbox.Query{Profile: f.Profile, Before: before, Limit: n})
		if err != nil {
			return nil, fmt.Errorf("desktop: reading the inbox: %w", err)
		}
		for _, r := range recs {
			if matches(r, f) && len(out) < limit {
				out = append(out, entry(r, nil))
			}
		}
		scanned += len(recs)
		if len(recs) < n {
			break
		}
		before = recs[len(recs)-1].ID
		if !filtered {
			break
		}
	}
	return out, nil
}

// Detail returns the entry with the given id.
func (s *InboxService) Detail(id int64) (EntryDetailDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	srv, err := s.app.server()
	if err != nil {
		return EntryDetailDTO{}, err
	}
	recs, err := srv.Inbox().List(ctx, inbox.Query{Before: id + 1, Limit: 1})
	if err != nil {
		return EntryDetailDTO{}, fmt.Errorf("desktop: reading the inbox: %w", err)
	}
	if len(recs) == 0 || recs[0].ID != id {
		return EntryDetailDTO{}, fmt.Errorf("desktop: no inbox entry %d; list the inbox for current ids", id)
	}
	return detail(recs[0]), nil
}

// Count returns the number of stored callbacks.
func (s *InboxService) Count() (int64, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	srv, err := s.app.server()
	if err != nil {
		return 0, err
	}
	return srv.Inbox().Count(ctx)
}

// WatchInbox calls emit with every callback the dev server stores from now
// on, until ctx ends or the server stops. It is on App, not InboxService,
// because a func parameter cannot be bound to the window; the desktop build
// forwards the entries as window events.
func (a *App) WatchInbox(ctx context.Context, emit func(EntryDTO)) error {
	srv, err := a.server()
	if err != nil {
		return err
	}
	ch, cancel := srv.Subscribe()
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case r, ok := <-ch:
			if !ok {
				return nil
			}
			emit(entry(r, nil))
		}
	}
}

func matches(r inbox.Record, f InboxFilter) bool {
	if f.MsgType != "" && !strings.EqualFold(r.MsgType, f.MsgType) {
		return false
	}
	if f.Event != "" && !strings.EqualFold(r.Event, f.Event) {
		return false
	}
	if f.From != "" && !strings.Contains(strings.ToLower(r.From), strings.ToLower(f.From)) {
		return false
	}
	return true
}

func entry(r inbox.Record, m *message.Message) EntryDTO {
	if m == nil {
		m, _ = message.Parse([]byte(r.XML))
	}
	e := EntryDTO{ID: r.ID, Profile: r.Profile, Platform: r.Platform, ReceivedAt: r.ReceivedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		MsgType: r.MsgType, Event: r.Event, From: r.From, HasReply: r.Reply != "", Deliveries: r.Deliveries}
	if m != nil {
		e.EventKey = m.EventKey
		if t, ok := m.Body.(*message.Text); ok {
			e.Summary = shorten(t.Content, 80)
		} else if m.EventKey != "" {
			e.Summary = shorten(m.EventKey, 80)
		}
	}
	return e
}

func detail(r inbox.Record) EntryDetailDTO {
	m, err := message.Parse([]byte(r.XML))
	d := EntryDetailDTO{EntryDTO: entry(r, m), XML: r.XML, Reply: r.Reply}
	if err != nil {
		d.ParseError = err.Error()
		return d
	}
	if m.Body != nil {
		d.BodyType = strings.TrimPrefix(fmt.Sprintf("%T", m.Body), "*")
		d.Body = m.Body
	}
	return d
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
