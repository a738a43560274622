package server_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/server"
)

// via is an HTTP client that dials addr whatever host a URL names: a
// tunnel's public name leading to a listener on this machine.
func via(addr string) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
}

// TestQRWarnings: the QR code's URL is judged as a phone would reach it:
// loopback, a LAN address against a loopback listener, a public URL that
// another server answers or nothing answers, and the good case where the
// probe of <public URL>/healthz comes back with this process's nonce.
func TestQRWarnings(t *testing.T) {
	ctx := context.Background()
	e := start(t, nil) // 127.0.0.1:0, public URL defaulting to it
	addr := e.srv.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	if w := e.srv.QRWarnings(ctx); len(w) != 1 || w[0].Code != server.QRLoopback || !strings.Contains(w[0].Message, "--addr 0.0.0.0:"+port) {
		t.Errorf("loopback public URL: %+v", w)
	}
	if w := server.CheckQR(ctx, nil, addr, "http://localhost:"+port, e.srv.Instance()); len(w) != 1 || w[0].Code != server.QRLoopback {
		t.Errorf("localhost: %+v", w)
	}
	if w := server.CheckQR(ctx, nil, addr, "http://192.168.77.7:"+port, e.srv.Instance()); len(w) != 1 || w[0].Code != server.QRLANExcluded || w[0].Params["addr"] != addr {
		t.Errorf("LAN URL, loopback listener: %+v", w)
	}
	// A tunnel's name that leads to this server: no warning.
	tun := start(t, func(c *server.Config) { c.PublicURL = "http://dev.example.com" })
	if w := server.CheckQR(ctx, via(tun.srv.Addr().String()), "0.0.0.0:"+port, "http://dev.example.com", tun.srv.Instance()); len(w) != 0 {
		t.Errorf("tunnel to this server: %+v", w)
	}
	// The same name leading to another server (its /healthz has no or
	// another nonce).
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"instance":"0123456789abcdef"}`))
	}))
	defer other.Close()
	ou, _ := url.Parse(other.URL)
	if w := server.CheckQR(ctx, via(ou.Host), "0.0.0.0:"+port, "http://dev.example.com", tun.srv.Instance()); len(w) != 1 || w[0].Code != server.QRNotThisServer {
		t.Errorf("tunnel to another server: %+v", w)
	}
	// Nothing answers.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	if w := server.CheckQR(ctx, via(dead), "0.0.0.0:"+port, "http://dev.example.com", tun.srv.Instance()); len(w) != 1 || w[0].Code != server.QRUnreachable || w[0].Params["err"] == "" {
		t.Errorf("tunnel down: %+v", w)
	}
	// The nonce is public in /healthz and the attach description.
	var h map[string]any
	getJSON(t, nil, e.srv.URL()+"/healthz", &h)
	if h["instance"] != e.srv.Instance() || len(e.srv.Instance()) != 16 {
		t.Errorf("healthz instance %v, server %q", h["instance"], e.srv.Instance())
	}
	if in := e.srv.Info(); in.Instance != e.srv.Instance() || in.ListenAddr != addr {
		t.Errorf("info %+v", in)
	}
}

// TestQRWarningsOnAllInterfaces: listening on every interface with the
// default public URL (the LAN address) gives no warning when this machine
// has a LAN address, and the loopback warning when it has none: the probe
// really goes through the public URL to this listener.
func TestQRWarningsOnAllInterfaces(t *testing.T) {
	e := start(t, func(c *server.Config) { c.Addr = "0.0.0.0:0"; c.Emulator = true })
	u, _ := url.Parse(e.srv.PublicURL())
	w := e.srv.QRWarnings(context.Background())
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() {
		if len(w) != 1 || w[0].Code != server.QRLoopback {
			t.Errorf("no LAN address, public URL %s: %+v", e.srv.PublicURL(), w)
		}
		return
	}
	if len(w) != 0 {
		t.Errorf("public URL %s on a 0.0.0.0 listener: %+v", e.srv.PublicURL(), w)
	}
}
