// Command sdk shows wwkit used as a Go SDK against the in-process emulator:
// a callback URL served by core/callback with a passive reply, an endpoint
// wwkit does not list called with Do, and the 40163 a reused Official
// Account OAuth code answers.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "sdk example:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	// 1. Our callback URL, served by the core handler on loopback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fx := emulator.DefaultFixture()
	app := &fx.WeCom.Apps[0]
	app.CallbackURL = "http://" + ln.Addr().String() + "/callback"
	crypt, err := wxcrypt.New(app.Token, app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/callback", callback.NewWeCom(crypt, func(ctx context.Context, m *message.Message) ([]byte, error) {
		if t, ok := m.Body.(*message.Text); ok {
			return message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "已收到："+t.Content), nil
		}
		return nil, nil
	}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	// The emulator plays WeCom and the Official Account.
	emu, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx))
	if err != nil {
		return err
	}
	defer emu.Close()
	if v, err := emu.Emulator().VerifyCallbackURL(ctx, "wecom", 0, ""); err != nil || !v.OK {
		return fmt.Errorf("callback URL check: %+v %v", v, err)
	}
	res, err := emu.Emulator().PushCallback(ctx, emulator.CallbackRequest{From: "zhangsan", Content: "周报已提交"})
	if err != nil {
		return err
	}
	if res.Status != http.StatusOK || res.Content != "已收到：周报已提交" {
		return fmt.Errorf("passive reply: HTTP %d, %q (%s)", res.Status, res.Content, res.ReplyError)
	}
	fmt.Printf("callback: WeCom pushed a text message; passive reply %q\n", res.Content)

	// 2. An endpoint wwkit does not list, through Do.
	wc, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret},
		api.WithBaseURL(emu.WeComBaseURL()))
	if err != nil {
		return err
	}
	var agent struct {
		AgentID int64  `json:"agentid"`
		Name    string `json:"name"`
	}
	if err := wc.Do(ctx, "GET", "/cgi-bin/agent/get", url.Values{"agentid": {fmt.Sprint(app.AgentID)}}, nil, &agent); err != nil {
		return err
	}
	if agent.AgentID != app.AgentID || agent.Name == "" {
		return fmt.Errorf("agent/get: %+v", agent)
	}
	fmt.Printf("Do: agent/get → %d %s\n", agent.AgentID, agent.Name)

	// 3. A reused Official Account OAuth code (a page reload does this).
	mp, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(emu.MPBaseURL()))
	if err != nil {
		return err
	}
	code, err := emu.Emulator().IssueCode("mp", fx.MP.Followers[0].OpenID, "snsapi_base", 0)
	if err != nil {
		return err
	}
	tok, err := mp.OAuthAccessToken(ctx, code)
	if err != nil {
		return err
	}
	_, err = mp.OAuthAccessToken(ctx, code)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Code != 40163 {
		return fmt.Errorf("a reused code answered %v, want errcode 40163", err)
	}
	fmt.Printf("OAuth: first exchange → openid %s; the same code again → errcode %d (%s)\n", tok.OpenID, ae.Code, ae.Info().MeaningZH)
	return nil
}
