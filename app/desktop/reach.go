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
	link     *link
	at       time.Time
	warnings []server.QRWarning
}

// qrWarnings says why a phone may not open the dev server's public URL
// (server.CheckQR): for the server in this process, or the attached one
// (its listener and nonce come from GET /api/server). Empty when phones
// can open it; never nil.
func (a *App) qrWarnings() []server.QRWarning {
	l, err := a.current()
	if err != nil {
		return []server.QRWarning{}
	}
	a.reach.mu.Lock()
	if a.reach.link == l && time.Since(a.reach.at) < reachRecheck {
		w := a.reach.warnings
		a.reach.mu.Unlock()
		return w
	}
	a.reach.mu.Unlock()
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
	a.reach.mu.Lock()
	a.reach.link, a.reach.at, a.reach.warnings = l, time.Now(), w
	a.reach.mu.Unlock()
	return w
}
