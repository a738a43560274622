package server_test

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"github.com/wwkit/wwkit/app/server"
)

// TestShutdownWithSilentConnection: a client that opened a connection and
// never sent a request (Go's Transport keeps such a connection when a dial
// finishes after its request was cancelled or served by another one) must
// not hold Run past its shutdown deadline. net/http counts a new connection
// as busy for its first 5 seconds, as long as the deadline Run gives
// Shutdown, so Run failed with "context deadline exceeded".
func TestShutdownWithSilentConnection(t *testing.T) {
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Emulator: true,
		AdminToken: "admin-token-for-tests", ClientToken: testClientToken, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	if code := getJSON(t, nil, srv.URL()+"/healthz", nil); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	conn, err := net.Dial("tcp", srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run with a connection that sent nothing: %v", err)
	}
}
