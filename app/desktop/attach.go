package desktop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

// attachTimeout bounds the requests that attach to a running server.
const attachTimeout = 10 * time.Second

// attach connects to the dev server at Config.Attach: it reads the
// server's description (GET /api/server, loopback admin API), takes the
// emulator profiles' credentials from the emulator's admin state (loopback
// only, like the emulator itself) and the other profiles' secrets from this
// machine's profiles (wwkit.toml, the app's store).
func (a *App) attach(ctx context.Context, local []profileEntry) (*session, []profileEntry, error) {
	ctx, cancel := context.WithTimeout(ctx, attachTimeout)
	defer cancel()
	if a.cfg.ClientToken == "" {
		a.cfg.ClientToken = a.cfg.Getenv("WWKIT_CLIENT_TOKEN")
	}
	if a.cfg.ClientToken == "" {
		// The tray starts the inspector with its data directory, where
		// its server keeps the token; without it the requests below
		// answer 403 naming the file.
		a.cfg.ClientToken, _ = server.ReadClientToken(a.cfg.DataDir)
	}
	var info struct {
		OK     bool        `json:"ok"`
		Error  string      `json:"error"`
		Server server.Info `json:"server"`
	}
	if err := a.getJSON(ctx, a.cfg.Attach+"/api/server", &info); err != nil {
		return nil, nil, err // attach.request: names the URL and what to check
	}
	if !info.OK {
		return nil, nil, failWrap("attach.refused", errors.New(info.Error), "url", a.cfg.Attach)
	}
	in := info.Server
	var st *emulator.State
	if in.EmulatorURL != "" {
		var s emulator.State
		if err := a.getJSON(ctx, in.EmulatorURL+"/__emulator/state", &s); err != nil {
			return nil, nil, err
		}
		st = &s
	}
	reserved := map[string]bool{}
	for _, p := range in.Profiles {
		if p.Emulated {
			reserved[p.Name] = true
		}
	}
	local = renameClashes(local, reserved)
	byName := map[string]profileEntry{}
	for _, e := range local {
		byName[e.Name] = e
	}
	l := &session{url: strings.TrimRight(in.URL, "/"), publicURL: strings.TrimRight(in.PublicURL, "/"), emulatorURL: in.EmulatorURL,
		listenAddr: in.ListenAddr, instance: in.Instance,
		inboxPath: in.InboxPath, attached: true}
	var entries []profileEntry
	served := map[string]bool{}
	for _, p := range in.Profiles {
		served[p.Name] = true
		l.served = append(l.served, p.Name)
		sp := server.Profile{Name: p.Name, Platform: p.Platform, CorpID: p.CorpID, AgentID: p.AgentID, AppID: p.AppID,
			APIBaseURL: p.APIBaseURL, AuthorizeURL: p.AuthorizeURL, TrustedDomains: p.TrustedDomains, Emulated: p.Emulated}
		e, ok := byName[p.Name]
		switch {
		case p.Emulated && st != nil:
			e = profileEntry{Source: SourceEmulator, SecretStore: SourceEmulator}
			emulatorSecrets(&sp, st)
		case ok:
			sp.Secret, sp.Token, sp.EncodingAESKey = e.Secret, e.Token, e.EncodingAESKey
		default:
			e = profileEntry{Source: SourceConfig, Problems: []*Problem{fail("profile.attachedOnly", "name", p.Name)}}
		}
		e.Profile = sp
		entries = append(entries, e)
	}
	for _, e := range local {
		if !served[e.Name] {
			entries = append(entries, e)
		}
	}
	return l, entries, nil
}

// emulatorSecrets fills an emulator profile's secrets from the emulator's
// admin state.
func emulatorSecrets(p *server.Profile, st *emulator.State) {
	switch p.Platform {
	case server.PlatformWeCom:
		for _, app := range st.WeCom.Apps {
			if app.AgentID == p.AgentID {
				p.Secret, p.Token, p.EncodingAESKey = app.Secret, app.Token, app.EncodingAESKey
			}
		}
	case server.PlatformMP:
		p.Secret, p.Token, p.EncodingAESKey = st.MP.AppSecret, st.MP.Token, st.MP.EncodingAESKey
	}
}

// getJSON GETs u (bypassing the API call log: admin calls are not API
// calls) and decodes the JSON answer.
func (a *App) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	a.setClientToken(req)
	resp, err := a.adminClient().Do(req)
	if err != nil {
		return failWrap("attach.request", err, "url", strings.SplitN(u, "?", 2)[0])
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return failWrap("attach.request", fmt.Errorf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(b)), "url", strings.SplitN(u, "?", 2)[0])
	}
	if err := json.Unmarshal(b, v); err != nil {
		return failWrap("attach.request", fmt.Errorf("not JSON: %w", err), "url", strings.SplitN(u, "?", 2)[0])
	}
	return nil
}

// postJSON POSTs body as JSON to an admin endpoint and decodes the answer
// whatever its status (admin errors are JSON too).
func (a *App) postJSON(ctx context.Context, u string, body, v any) (int, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	a.setClientToken(req)
	resp, err := a.adminClient().Do(req)
	if err != nil {
		return 0, failWrap("attach.request", err, "url", u)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return resp.StatusCode, failWrap("attach.request", err, "url", u)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return resp.StatusCode, failWrap("attach.request", fmt.Errorf("HTTP %d, not JSON: %.200s", resp.StatusCode, raw), "url", u)
	}
	return resp.StatusCode, nil
}

// setClientToken adds the dev server's client token to a request.
func (a *App) setClientToken(req *http.Request) {
	if a.cfg.ClientToken != "" {
		req.Header.Set(server.ClientTokenHeader, a.cfg.ClientToken)
	}
}

// adminClient is the base HTTP client without the call logger.
func (a *App) adminClient() *http.Client {
	if a.cfg.HTTPClient != nil {
		return a.cfg.HTTPClient
	}
	return &http.Client{Timeout: attachTimeout}
}

// streamInbox follows the attached server's live stream (GET
// /api/inbox/stream, server-sent events) until ctx ends or the stream
// closes.
// opened runs once the stream answered (to catch up on what was stored
// before it).
func (a *App) streamInbox(ctx context.Context, base string, opened func() error, emit func(inbox.Record)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/inbox/stream", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	a.setClientToken(req)
	hc := *a.adminClient()
	hc.Timeout = 0 // a stream lives as long as ctx
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("desktop: following the attached server's inbox: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("desktop: following the attached server's inbox: HTTP %d", resp.StatusCode)
	}
	if err := opened(); err != nil {
		return err
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		case line == "":
			if data.Len() > 0 {
				// The event is a server.InboxEntry: the record's fields
				// plus "message" (whose typed body is an interface, so it
				// is not decoded here; Detail parses the XML).
				var r inbox.Record
				if json.Unmarshal([]byte(data.String()), &r) == nil && r.ID > 0 {
					emit(r)
				}
				data.Reset()
			}
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return sc.Err()
}
