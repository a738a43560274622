// Package suite keeps what a service provider's third-party app (服务商 /
// 第三方应用) learns from its instruction callbacks (指令回调): the latest
// suite_ticket and the corps that authorised (授权) the app, with their
// permanent codes (永久授权码) and whether they cancelled.
//
// `wwkit serve` writes it when the provider platform pushes; the CLI
// (`wwkit suite …`) and the desktop app read it from the same data
// directory, so another process sees what the server stored. The file is
// private to the current user (it holds the permanent codes) and replaced
// atomically, so a reader never sees half a write.
package suite

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wwkit/wwkit/core/fsperm"
)

// TicketMaxAge is how long a suite_ticket is accepted after it was pushed
// (30 minutes); the platform pushes a new one every 10 minutes.
const TicketMaxAge = 30 * time.Minute

// TicketWarnAge is the age after which a ticket means pushes stopped
// arriving: two pushes were missed.
const TicketWarnAge = 20 * time.Minute

// States of an authorised corp.
const (
	StateActive    = "active"
	StateCancelled = "cancelled"
)

// Corp is one corp that installed the suite.
type Corp struct {
	CorpID   string `json:"corpId"`
	CorpName string `json:"corpName,omitempty"`
	// AgentID is the id of the suite's app in that corp (授权方应用id),
	// which wx.agentConfig is signed for.
	AgentID int64 `json:"agentId,omitempty"`
	// PermanentCode is the corp's permanent code (永久授权码). It is a
	// secret: it never goes into a log, a UI payload or an answer of the
	// dev server; Public drops it.
	PermanentCode string    `json:"permanentCode,omitempty"`
	State         string    `json:"state"`
	InstalledAt   time.Time `json:"installedAt"`
	ChangedAt     time.Time `json:"changedAt,omitzero"`
	CancelledAt   time.Time `json:"cancelledAt,omitzero"`
}

// Public returns the corp without its permanent code, for answers and
// views.
func (c Corp) Public() Corp {
	c.PermanentCode = ""
	return c
}

// Cancelled reports whether the corp cancelled the authorisation.
func (c Corp) Cancelled() bool { return c.State == StateCancelled }

// CancelledError is the error for a call for a corp that cancelled the
// authorisation (取消授权).
type CancelledError struct {
	SuiteID, CorpID string
	At              time.Time
}

func (e *CancelledError) Error() string {
	return fmt.Sprintf("suite: corp %s cancelled the authorisation of suite %s at %s (cancel_auth); its permanent code no longer works: the corp must install the app again (a new create_auth)",
		e.CorpID, e.SuiteID, e.At.Format(time.RFC3339))
}

// NotAuthorisedError is the error for a corp with no create_auth stored
// here: it never installed the suite, or installed it before this data
// directory received the platform's pushes.
type NotAuthorisedError struct {
	SuiteID, CorpID string
	Known           []string // the corps stored here, sorted
}

func (e *NotAuthorisedError) Error() string {
	hint := "no corp has installed it yet"
	if len(e.Known) > 0 {
		hint = "authorised here: " + strings.Join(e.Known, ", ")
	}
	return fmt.Sprintf("suite: corp %s has not authorised suite %s (%s); install the app in that corp first", e.CorpID, e.SuiteID, hint)
}

// ErrNoTicket is returned when no suite_ticket was pushed yet.
var ErrNoTicket = errors.New("suite: no suite_ticket yet: the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable")

// State is what one suite's file holds.
type State struct {
	SuiteID string `json:"suiteId"`
	// Ticket is the latest suite_ticket and TicketAt when it was pushed
	// (the receiving clock).
	Ticket   string           `json:"ticket,omitempty"`
	TicketAt time.Time        `json:"ticketAt,omitzero"`
	Corps    map[string]*Corp `json:"corps,omitempty"`
	// UsedAuthCodes are fingerprints of the last auth_codes exchanged: an
	// auth_code is single use, so a redelivered create_auth must not be
	// exchanged again.
	UsedAuthCodes []string `json:"usedAuthCodes,omitempty"`
}

// maxUsedAuthCodes bounds State.UsedAuthCodes; a push is redelivered
// within minutes, not after dozens of installs.
const maxUsedAuthCodes = 64

// CorpList returns the corps sorted by install time.
func (st *State) CorpList() []Corp {
	out := make([]Corp, 0, len(st.Corps))
	for _, c := range st.Corps {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].InstalledAt.Equal(out[j].InstalledAt) {
			return out[i].InstalledAt.Before(out[j].InstalledAt)
		}
		return out[i].CorpID < out[j].CorpID
	})
	return out
}

// Store is the state file of one suite in a data directory.
type Store struct {
	path    string
	suiteID string
	mu      sync.Mutex
}

// Open returns the store of suiteID under dataDir (DIR/suites/ID.json).
// The directory is created, private to the current user, with the first
// write: a server whose suite never got a push leaves nothing behind.
func Open(dataDir, suiteID string) (*Store, error) {
	if suiteID == "" || strings.ContainsAny(suiteID, `/\:. `) {
		return nil, fmt.Errorf("suite: suite id %q is not a SuiteID; copy it from the service provider admin", suiteID)
	}
	return &Store{path: filepath.Join(dataDir, "suites", suiteID+".json"), suiteID: suiteID}, nil
}

// Path is the state file.
func (s *Store) Path() string { return s.path }

// Load reads the state; a missing file is an empty state.
func (s *Store) Load() (*State, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &State{SuiteID: s.suiteID, Corps: map[string]*Corp{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("suite: reading %s: %w", s.path, err)
	}
	st := &State{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("suite: %s is damaged (%v); move it away and let the platform push again (the corps must then be re-read with get_auth_info)", s.path, err)
	}
	if st.Corps == nil {
		st.Corps = map[string]*Corp{}
	}
	if st.SuiteID != s.suiteID {
		return nil, fmt.Errorf("suite: %s belongs to suite %q, not %q", s.path, st.SuiteID, s.suiteID)
	}
	return st, nil
}

// Update changes the state under the store's lock and writes it
// atomically; when fn fails nothing is written.
func (s *Store) Update(fn func(*State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.Load()
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		return err
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := fsperm.Dir(filepath.Dir(s.path)); err != nil {
		return fmt.Errorf("suite: creating %s: %w", filepath.Dir(s.path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".suite-*.tmp")
	if err != nil {
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("suite: writing %s: %w", s.path, err)
	}
	return fsperm.File(s.path)
}

// SetTicket stores a pushed suite_ticket received at at. An older push
// arriving late (a retry) does not replace a newer ticket.
func (s *Store) SetTicket(ticket string, at time.Time) error {
	if ticket == "" {
		return errors.New("suite: the suite_ticket push has an empty SuiteTicket")
	}
	return s.Update(func(st *State) error {
		if at.Before(st.TicketAt) {
			return nil
		}
		st.Ticket, st.TicketAt = ticket, at.UTC()
		return nil
	})
}

// Ticket returns the latest suite_ticket, ErrNoTicket when none came, or
// an error saying how old it is when it is past TicketMaxAge.
func (s *Store) Ticket(now time.Time) (string, time.Time, error) {
	st, err := s.Load()
	if err != nil {
		return "", time.Time{}, err
	}
	if st.Ticket == "" {
		return "", time.Time{}, ErrNoTicket
	}
	if age := now.Sub(st.TicketAt); age > TicketMaxAge {
		return "", st.TicketAt, fmt.Errorf("suite: the latest suite_ticket is %s old (valid 30 minutes): the provider platform pushes one every 10 minutes to the suite callback URL, so pushes stopped arriving; check it is reachable", age.Round(time.Second))
	}
	return st.Ticket, st.TicketAt, nil
}

// UsedAuthCode reports whether the auth_code with fingerprint fp was
// already exchanged (PutCorp with that fingerprint).
func (s *Store) UsedAuthCode(fp string) bool {
	st, err := s.Load()
	if err != nil || fp == "" {
		return false
	}
	for _, u := range st.UsedAuthCodes {
		if u == fp {
			return true
		}
	}
	return false
}

// TicketWarning says what a suite_ticket of this age means for the user;
// "" while pushes arrive on time.
func TicketWarning(age time.Duration) string {
	switch {
	case age > TicketMaxAge:
		return fmt.Sprintf("the last suite_ticket is %s old and expired (valid 30 minutes): the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable", age.Round(time.Second))
	case age > TicketWarnAge:
		return fmt.Sprintf("the last suite_ticket is %s old: the provider platform pushes one every 10 minutes to the suite callback URL, so pushes are missing; check it is reachable", age.Round(time.Second))
	}
	return ""
}

// PutCorp stores an authorised corp (create_auth, or a re-install after a
// cancel_auth), keeping the first install time. authCodeFP, when not
// empty, is the fingerprint of the auth_code exchanged for it
// (UsedAuthCode).
func (s *Store) PutCorp(c Corp, at time.Time, authCodeFP string) error {
	if c.CorpID == "" || c.PermanentCode == "" {
		return errors.New("suite: an authorised corp needs its corp id and permanent code")
	}
	return s.Update(func(st *State) error {
		if authCodeFP != "" {
			st.UsedAuthCodes = append(st.UsedAuthCodes, authCodeFP)
			if n := len(st.UsedAuthCodes); n > maxUsedAuthCodes {
				st.UsedAuthCodes = st.UsedAuthCodes[n-maxUsedAuthCodes:]
			}
		}
		c.State = StateActive
		c.InstalledAt, c.CancelledAt, c.ChangedAt = at.UTC(), time.Time{}, time.Time{}
		if old, ok := st.Corps[c.CorpID]; ok && !old.Cancelled() {
			c.InstalledAt, c.ChangedAt = old.InstalledAt, at.UTC()
		}
		st.Corps[c.CorpID] = &c
		return nil
	})
}

// ChangeCorp applies fn to a known corp (change_auth); an unknown corp is
// an error naming it.
func (s *Store) ChangeCorp(corpID string, at time.Time, fn func(*Corp)) error {
	return s.Update(func(st *State) error {
		c, ok := st.Corps[corpID]
		if !ok {
			return fmt.Errorf("suite: corp %s never authorised suite %s here (no create_auth was stored); get_auth_info needs its permanent code", corpID, s.suiteID)
		}
		fn(c)
		c.ChangedAt = at.UTC()
		return nil
	})
}

// CancelCorp marks a corp cancelled (cancel_auth) and forgets its
// permanent code, which no longer works. An unknown corp is stored as
// cancelled, so a later call names the reason.
func (s *Store) CancelCorp(corpID string, at time.Time) error {
	if corpID == "" {
		return errors.New("suite: the cancel_auth push has no AuthCorpId")
	}
	return s.Update(func(st *State) error {
		c, ok := st.Corps[corpID]
		if !ok {
			c = &Corp{CorpID: corpID}
			st.Corps[corpID] = c
		}
		c.State, c.CancelledAt, c.PermanentCode = StateCancelled, at.UTC(), ""
		return nil
	})
}

// Corp returns an authorised corp with its permanent code: a
// *NotAuthorisedError when it is unknown, a *CancelledError when it
// cancelled.
func (s *Store) Corp(corpID string) (Corp, error) {
	st, err := s.Load()
	if err != nil {
		return Corp{}, err
	}
	c, ok := st.Corps[corpID]
	if !ok {
		known := make([]string, 0, len(st.Corps))
		for id := range st.Corps {
			known = append(known, id)
		}
		sort.Strings(known)
		return Corp{}, &NotAuthorisedError{SuiteID: s.suiteID, CorpID: corpID, Known: known}
	}
	if c.Cancelled() {
		return Corp{}, &CancelledError{SuiteID: s.suiteID, CorpID: corpID, At: c.CancelledAt}
	}
	return *c, nil
}
