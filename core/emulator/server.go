package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Server is an Emulator listening on a TCP address.
type Server struct {
	// URL is the base URL, http://HOST:PORT.
	URL string

	emu  *Emulator
	srv  *http.Server
	ln   net.Listener
	done chan error

	once    sync.Once
	stopErr error
}

// Start builds an Emulator with opts, listens on addr ("127.0.0.1:0" picks a
// free port) and serves in the background until Close.
func Start(addr string, opts ...Option) (*Server, error) {
	emu, err := New(opts...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listening on %s: %w (pick another --addr, or 127.0.0.1:0 for any free port)", addr, err)
	}
	s := &Server{
		emu:  emu,
		ln:   ln,
		done: make(chan error, 1),
		srv: &http.Server{
			Handler:           emu,
			ReadHeaderTimeout: 10 * time.Second,
			MaxHeaderBytes:    64 << 10,
		},
	}
	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	s.URL = "http://" + host
	emu.startSuiteTickets(emu.cfg.suiteEvery)
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// WeComBaseURL is the base URL WeCom API clients use (URL + "/wecom").
func (s *Server) WeComBaseURL() string { return s.URL + "/wecom" }

// MPBaseURL is the base URL Official Account API clients use (URL + "/mp").
func (s *Server) MPBaseURL() string { return s.URL + "/mp" }

// Emulator returns the served emulator.
func (s *Server) Emulator() *Emulator { return s.emu }

// Shutdown stops accepting connections and waits for calls in flight until
// ctx ends.
// It is safe to call more than once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(func() {
		s.emu.StopPushes()
		s.emu.stopSuiteTickets()
		err := s.srv.Shutdown(ctx)
		if serr := <-s.done; err == nil {
			err = serr
		}
		s.emu.Flush()
		s.stopErr = err
	})
	return s.stopErr
}

// Close shuts the server down, giving calls in flight five seconds.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(ctx)
}

// Routes lists the emulated API endpoints as "METHOD /platform/path" (the
// method is "*" where any is accepted), sorted; the admin API under
// /__emulator/ is not among them. docs/coverage.md is generated from this
// list, so an endpoint counts as emulated exactly when it is routed.
func (e *Emulator) Routes() []string {
	out := make([]string, 0, len(e.mux))
	for path, rt := range e.mux {
		m := rt.method
		if m == "" {
			m = "*"
		}
		out = append(out, m+" "+path)
	}
	slices.Sort(out)
	return out
}
