package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

// TestServerInfo checks GET /api/server, what an attaching desktop window
// reads: URLs, the inbox path, the emulator and the profiles (the
// emulator's first, then the configured ones), and no secret.
func TestServerInfo(t *testing.T) {
	dir := t.TempDir()
	fx := emulator.DefaultFixture()
	extra := server.Profile{Name: "corp", Platform: server.PlatformWeCom, CorpID: "ww-extra-corp", AgentID: 7, Secret: "extra-secret-value-0123456789",
		Token: "extra-token", EncodingAESKey: fx.WeCom.Apps[0].EncodingAESKey, TrustedDomains: []string{"h5.example.com"}}
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: dir, Emulator: true, EmulatorProfiles: true, Profiles: []server.Profile{extra}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Run(ctx) }()
	defer func() { cancel(); <-done }()

	req, _ := http.NewRequest("GET", srv.URL()+"/api/server", nil)
	req.Header.Set(server.ClientTokenHeader, srv.ClientToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		OK     bool        `json:"ok"`
		Server server.Info `json:"server"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || !body.OK {
		t.Fatalf("GET /api/server: %v %+v", err, body)
	}
	in := body.Server
	if in.URL != srv.URL() || in.EmulatorURL != srv.Emulator().URL || in.InboxPath != filepath.Join(dir, "inbox.db") {
		t.Errorf("info = %+v", in)
	}
	if _, err := os.Stat(in.InboxPath); err != nil {
		t.Errorf("inbox path: %v", err)
	}
	var names []string
	for _, p := range in.Profiles {
		names = append(names, p.Name)
	}
	if len(names) != 3 || names[0] != "wecom" || names[1] != "mp" || names[2] != "corp" || !in.Profiles[0].Emulated || in.Profiles[2].Emulated {
		t.Errorf("profiles = %+v", in.Profiles)
	}
	b, _ := json.Marshal(in)
	for _, secret := range []string{extra.Secret, extra.EncodingAESKey, fx.WeCom.Apps[0].Secret, fx.MP.AppSecret} {
		if strings.Contains(string(b), secret) {
			t.Errorf("a secret appears in /api/server: %s", secret)
		}
	}
}
