package emulator

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestStopPushesWaits: StopPushes cancels a change_contact push in flight
// and waits for it, and nothing is pushed after it.
func TestStopPushesWaits(t *testing.T) {
	hits := make(chan struct{}, 10)
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits <- struct{}{}
		select { // a callback server that does not answer
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	fx := DefaultFixture()
	for i := range fx.WeCom.Apps {
		fx.WeCom.Apps[i].CallbackURL = hang.URL + "/callback"
	}
	e, err := New(WithFixture(fx))
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.contactEvent("create_user", func(*request) bool { return true }, [2]string{"UserID", "a"})
	e.contactEvent("create_user", func(*request) bool { return true }, [2]string{"UserID", "b"})
	e.mu.Unlock()
	select {
	case <-hits:
	case <-time.After(5 * time.Second):
		t.Fatal("no push reached the callback server")
	}
	done := make(chan struct{})
	go func() { e.StopPushes(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("StopPushes did not cancel the push in flight")
	}
	e.mu.Lock()
	e.contactEvent("create_user", func(*request) bool { return true }, [2]string{"UserID", "c"})
	e.mu.Unlock()
	select {
	case <-hits:
		t.Fatal("a push after StopPushes")
	case <-time.After(300 * time.Millisecond):
	}
}
