package suite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStoreLifecycle(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, "wwsuite1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "suites")); !os.IsNotExist(err) {
		t.Fatalf("Open created the suites directory before any write: %v", err)
	}
	t0 := time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)
	if _, _, err := s.Ticket(t0); !errors.Is(err, ErrNoTicket) || !strings.Contains(err.Error(), "pushes one every 10 minutes") {
		t.Fatalf("no ticket: %v", err)
	}
	if err := s.SetTicket("T2", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	// A late retry of an older push keeps the newer ticket.
	if err := s.SetTicket("T1", t0); err != nil {
		t.Fatal(err)
	}
	// Another process (a second Open of the same directory) sees it.
	s2, _ := Open(dir, "wwsuite1")
	if v, at, err := s2.Ticket(t0.Add(15 * time.Minute)); err != nil || v != "T2" || !at.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("ticket = %q %v %v", v, at, err)
	}
	if _, _, err := s2.Ticket(t0.Add(41 * time.Minute)); err == nil || !strings.Contains(err.Error(), "31m0s old") {
		t.Fatalf("stale ticket: %v", err)
	}

	if err := s.PutCorp(Corp{CorpID: "wwcorpA", CorpName: "测试企业", AgentID: 1000005, PermanentCode: "PCODE-A"}, t0, "fp-code-1"); err != nil {
		t.Fatal(err)
	}
	if !s2.UsedAuthCode("fp-code-1") || s2.UsedAuthCode("fp-code-2") {
		t.Fatal("UsedAuthCode does not remember the exchanged code")
	}
	c, err := s2.Corp("wwcorpA")
	if err != nil || c.PermanentCode != "PCODE-A" || c.AgentID != 1000005 || c.State != StateActive {
		t.Fatalf("corp = %+v %v", c, err)
	}
	if c.Public().PermanentCode != "" {
		t.Fatal("Public keeps the permanent code")
	}
	if err := s.ChangeCorp("wwcorpA", t0.Add(time.Minute), func(c *Corp) { c.AgentID = 1000006 }); err != nil {
		t.Fatal(err)
	}
	if err := s.ChangeCorp("wwnope", t0, func(*Corp) {}); err == nil || !strings.Contains(err.Error(), "wwnope never authorised") {
		t.Fatalf("change unknown: %v", err)
	}
	if err := s.CancelCorp("wwcorpA", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err = s2.Corp("wwcorpA")
	var ce *CancelledError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "corp wwcorpA cancelled the authorisation") {
		t.Fatalf("cancelled corp: %v", err)
	}
	st, _ := s2.Load()
	if st.Corps["wwcorpA"].PermanentCode != "" || st.Corps["wwcorpA"].AgentID != 1000006 {
		t.Fatalf("after cancel: %+v", st.Corps["wwcorpA"])
	}
	if _, err := s2.Corp("wwother"); err == nil || !strings.Contains(err.Error(), "authorised here: wwcorpA") {
		t.Fatalf("unknown corp: %v", err)
	}
	// A re-install makes it active again.
	if err := s.PutCorp(Corp{CorpID: "wwcorpA", AgentID: 1000007, PermanentCode: "PCODE-A2"}, t0.Add(3*time.Minute), ""); err != nil {
		t.Fatal(err)
	}
	if c, err := s2.Corp("wwcorpA"); err != nil || c.PermanentCode != "PCODE-A2" || !c.InstalledAt.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("re-install: %+v %v", c, err)
	}
	fi, err := os.Stat(s.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode: %v %v", fi.Mode(), err)
	}
}

func TestStoreBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, "../x"); err == nil || !strings.Contains(err.Error(), "is not a SuiteID") {
		t.Fatalf("bad id: %v", err)
	}
	s, _ := Open(dir, "wws")
	if err := os.MkdirAll(filepath.Dir(s.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("damaged: %v", err)
	}
	// A failed update writes nothing: the damaged file is still there.
	if err := s.SetTicket("x", time.Now()); err == nil {
		t.Fatal("SetTicket over a damaged file succeeded")
	}
	if b, _ := os.ReadFile(s.Path()); string(b) != "{not json" {
		t.Fatalf("file changed: %q", b)
	}
	if err := s.SetTicket("", time.Now()); err == nil {
		t.Fatal("empty ticket accepted")
	}
}

func TestTicketWarning(t *testing.T) {
	if w := TicketWarning(9 * time.Minute); w != "" {
		t.Fatalf("fresh ticket warns: %q", w)
	}
	if w := TicketWarning(21 * time.Minute); !strings.Contains(w, "21m0s old") || !strings.Contains(w, "pushes one every 10 minutes") {
		t.Fatalf("21 min: %q", w)
	}
	if w := TicketWarning(31 * time.Minute); !strings.Contains(w, "expired") {
		t.Fatalf("31 min: %q", w)
	}
}
