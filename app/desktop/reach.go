package desktop

import (
	"context"
	"sync"
	"time"

	"github.com/wwkit/wwkit/app/server"
)

// reachRecheck is how long a QR reachability verdict is reused: the probe
// costs up to 3 s, and a tunnel that came up is seen within a minute.
const reachRecheck = time.Minute

// reachCache keeps the last QR reachability verdict of one server.
type reachCache struct {
	mu       sync.Mutex
	sess     *session
	at       time.Time
	warnings []server.QRWarning
}

// warnings says why a phone may not open the dev server's public URL
// (server.CheckQR): for the server in this process, or the attached one
// (its listener and nonce come from GET /api/server). Empty when phones
// can open it; never nil.
func (s *QRService) warnings() []server.QRWarning {
	a := s.app
	l, err := a.current()
	if err != nil {
		return []server.QRWarning{}
	}
	s.reach.mu.Lock()
	if s.reach.sess == l && time.Since(s.reach.at) < reachRecheck {
		w := s.reach.warnings
		s.reach.mu.Unlock()
		return w
	}
	s.reach.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var w []server.QRWarning
	if l.srv != nil {
		w = l.srv.QRWarnings(ctx)
	} else {
		w = server.CheckQR(ctx, a.adminClient(), l.listenAddr, l.publicURL, l.instance)
	}
	if w == nil {
		w = []server.QRWarning{}
	}
	s.reach.mu.Lock()
	s.reach.sess, s.reach.at, s.reach.warnings = l, time.Now(), w
	s.reach.mu.Unlock()
	return w
}
