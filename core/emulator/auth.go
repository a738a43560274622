package emulator

import (
	"net"
)

// auth checks the access_token query parameter of a WeCom ("wecom") or MP
// ("mp") call and answers the error itself when it is not valid. On success
// q.app (and q.agentID for WeCom) name the calling app. Callers hold e.mu.
func (q *request) auth(platform string) bool {
	e := q.e
	tok := q.query("access_token")
	if tok == "" {
		q.fail(41001)
		return false
	}
	rec, ok := e.st.Tokens[tok]
	if ok && (platform == "mp") != isMPApp(rec.App) {
		ok = false // a token of the other platform
	}
	if !ok {
		if platform == "mp" && mpTokenShape.MatchString(tok) {
			q.fail(40001)
		} else {
			q.fail(40014)
		}
		return false
	}
	if !e.now().Before(rec.Expires) {
		if rec.Superseded {
			q.fail(40001) // MP: replaced by a newer token and the overlap is over
		} else {
			q.fail(42001)
		}
		return false
	}
	q.app = rec.App
	if platform == "wecom" {
		app := e.appByKey(rec.App)
		if app == nil {
			q.fail(40014) // the app left the fixture
			return false
		}
		q.agentID = app.AgentID
		if !ipAllowed(q.clientIP(), app.TrustedIPs) {
			q.failMsg(60020, "not allow to access from your ip, from ip: "+q.clientIP())
			return false
		}
	}
	return q.rateOK(q.app)
}

// rateOK counts a call of the request path for key and answers 45009 when
// the path's frequency limit is exceeded.
func (q *request) rateOK(key string) bool { return q.rateOKFor(q.r.URL.Path, key) }

// rateOKFor is rateOK for the limit named path.
func (q *request) rateOKFor(path, key string) bool {
	e := q.e
	lim, ok := e.cfg.limits[path]
	if !ok {
		lim, ok = defaultLimits[path]
	}
	if !ok || lim.N <= 0 {
		return true
	}
	now := e.now()
	k := path + "\x00" + key
	calls := e.calls[k]
	cut := 0
	for cut < len(calls) && !calls[cut].After(now.Add(-lim.Window)) {
		cut++
	}
	calls = calls[cut:]
	if len(calls) >= lim.N {
		e.calls[k] = calls
		q.fail(45009)
		return false
	}
	e.calls[k] = append(calls, now)
	return true
}

func ipAllowed(ip string, list []string) bool {
	if len(list) == 0 {
		return true
	}
	addr := net.ParseIP(ip)
	for _, entry := range list {
		if entry == ip {
			return true
		}
		if _, n, err := net.ParseCIDR(entry); err == nil && addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}

func (e *Emulator) appByKey(key string) *App {
	for i := range e.fx.WeCom.Apps {
		if wecomKey(e.fx.WeCom.Apps[i].AgentID) == key {
			return &e.fx.WeCom.Apps[i]
		}
	}
	// An installed third-party app is an app of the corp too.
	return e.suiteApp(key)
}

func (e *Emulator) appByAgent(id int64) *App { return e.appByKey(wecomKey(id)) }

// Fault is an injected failure for the next Count calls of Path: an errcode
// answer, a bare HTTP status, or a delay before the normal (or faulty) answer.
type Fault struct {
	Path    string `json:"path"`
	Errcode int    `json:"errcode,omitempty"`
	Errmsg  string `json:"errmsg,omitempty"`
	Status  int    `json:"status,omitempty"`
	DelayMs int    `json:"delayMs,omitempty"`
	Count   int    `json:"count"`
}

// InjectFault adds f; its Count defaults to 1.
func (e *Emulator) InjectFault(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	e.mu.Lock()
	e.faults = append(e.faults, &f)
	e.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (e *Emulator) ClearFaults() {
	e.mu.Lock()
	e.faults = nil
	e.mu.Unlock()
}

// takeFault consumes one use of the first fault for path. Callers hold e.mu.
func (e *Emulator) takeFault(path string) *Fault {
	for i, f := range e.faults {
		if f.Path != path {
			continue
		}
		f.Count--
		if f.Count <= 0 {
			e.faults = append(e.faults[:i:i], e.faults[i+1:]...)
		}
		c := *f
		return &c
	}
	return nil
}

// Stats returns the number of calls per request path since start (or the
// last ResetStats).
func (e *Emulator) Stats() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.stats))
	for k, v := range e.stats {
		out[k] = v
	}
	return out
}

// ResetStats zeroes the call counters.
func (e *Emulator) ResetStats() {
	e.mu.Lock()
	e.stats = map[string]int{}
	e.mu.Unlock()
}
