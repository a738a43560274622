package server

import (
	"sync"

	"github.com/wwkit/wwkit/app/inbox"
)

// hub fans stored callbacks out to live views (server-sent events). A slow
// subscriber misses records rather than slowing the callback path.
type hub struct {
	mu     sync.Mutex
	subs   map[chan inbox.Record]struct{}
	closed bool
}

func newHub() *hub { return &hub{subs: map[chan inbox.Record]struct{}{}} }

func (h *hub) subscribe() (chan inbox.Record, func()) {
	ch := make(chan inbox.Record, 64)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		close(ch)
		return ch, func() {}
	}
	h.subs[ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
	}
}

func (h *hub) publish(r inbox.Record) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- r:
		default:
		}
	}
}

// publishAll publishes records in order (the inbox journal's OnWrite).
func (h *hub) publishAll(rs []inbox.Record) {
	for _, r := range rs {
		h.publish(r)
	}
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.subs {
		delete(h.subs, ch)
		close(ch)
	}
}
