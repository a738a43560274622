package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// ExampleWeCom_Do calls agent/get (获取应用), which wwkit has no typed
// method for: Do adds the access_token and keeps the retry policy.
func ExampleWeCom_Do() {
	srv, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	fx := srv.Emulator().Fixture()
	app := fx.WeCom.Apps[0]
	c, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret},
		api.WithBaseURL(srv.WeComBaseURL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	var agent struct {
		AgentID     int64  `json:"agentid"`
		Name        string `json:"name"`
		AllowPartys struct {
			PartyID []int64 `json:"partyid"`
		} `json:"allow_partys"`
	}
	q := url.Values{"agentid": {fmt.Sprint(app.AgentID)}}
	if err := c.Do(context.Background(), "GET", "/cgi-bin/agent/get", q, nil, &agent); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(agent.AgentID, agent.Name, agent.AllowPartys.PartyID)
	// Output: 1000002 wwkit 演示应用 [1]
}

func TestDoRefreshesARejectedToken(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	q := url.Values{"agentid": {fmt.Sprint(emulator.DefaultAgentID)}}
	var v struct{ Name string }
	if err := c.Do(ctx, "GET", "/cgi-bin/agent/get", q, nil, &v); err != nil || v.Name == "" {
		t.Fatalf("first call: %+v %v", v, err)
	}
	for _, code := range []int{40014, 42001, 40001} {
		s.Emulator().ResetStats()
		s.Emulator().InjectFault(emulator.Fault{Path: "/wecom/cgi-bin/agent/get", Errcode: code, Count: 1})
		if err := c.Do(ctx, "GET", "/cgi-bin/agent/get", q, nil, &v); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if calls(s, pGetToken) != 1 || calls(s, "/wecom/cgi-bin/agent/get") != 2 {
			t.Fatalf("%d: gettoken %d, agent/get %d; want one refresh and one retry", code, calls(s, pGetToken), calls(s, "/wecom/cgi-bin/agent/get"))
		}
	}
	if q.Get("access_token") != "" {
		t.Fatal("Do wrote the token into the caller's query")
	}
}

func TestDoErrcodeIsAPIErrorWithoutSecrets(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	tok, err := c.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/cgi-bin/agent/get", url.Values{"agentid": {"42"}}, nil, nil)
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Code != 40056 || ae.Path != "/cgi-bin/agent/get" || ae.Method != "GET" {
		t.Fatalf("err = %v, want *APIError 40056 on GET /cgi-bin/agent/get", err)
	}
	secret := s.Emulator().Fixture().WeCom.Apps[0].Secret
	if strings.Contains(err.Error(), tok.Value) || strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks the token or secret: %v", err)
	}
	// An unknown path is an errcode too, not a status error.
	if err := c.Do(context.Background(), "GET", "/cgi-bin/no/such/api", nil, nil, nil); !api.IsCode(err, 40066) {
		t.Fatalf("unknown path: %v, want 40066", err)
	}
}

func TestDoBodiesAndIdempotency(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	msg := map[string]any{"touser": "lisi", "msgtype": "text", "agentid": emulator.DefaultAgentID, "text": map[string]string{"content": "你好"}}
	raw, _ := json.Marshal(msg)
	for _, body := range []any{msg, raw, json.RawMessage(raw)} {
		var out api.SendResult
		if err := c.Do(ctx, "POST", "/cgi-bin/message/send", nil, body, &out); err != nil || out.MsgID == "" {
			t.Fatalf("send with %T: %+v %v", body, out, err)
		}
	}
	if ob := s.Emulator().Outbox(); len(ob) != 3 || !strings.Contains(string(ob[0].Body), "你好") {
		t.Fatalf("outbox: %+v", ob)
	}
	// A listed send keeps its flags: a 502 is not resent. An unlisted GET is.
	s.Emulator().ResetStats()
	s.Emulator().InjectFault(emulator.Fault{Path: pSend, Status: 502, Count: 1})
	var se *api.StatusError
	if err := c.Do(ctx, "POST", "/cgi-bin/message/send", nil, msg, nil); !errors.As(err, &se) || calls(s, pSend) != 1 {
		t.Fatalf("send after 502: %v, %d calls; want one call and a *StatusError", err, calls(s, pSend))
	}
	s.Emulator().InjectFault(emulator.Fault{Path: "/wecom/cgi-bin/agent/get", Status: 502, Count: 1})
	if err := c.Do(ctx, "GET", "/cgi-bin/agent/get", url.Values{"agentid": {fmt.Sprint(emulator.DefaultAgentID)}}, nil, nil); err != nil || calls(s, "/wecom/cgi-bin/agent/get") != 2 {
		t.Fatalf("GET after 502: %v, %d calls", err, calls(s, "/wecom/cgi-bin/agent/get"))
	}
	s.Emulator().InjectFault(emulator.Fault{Path: "/wecom/cgi-bin/unlisted/post", Status: 502, Count: 1})
	if err := c.Do(ctx, "POST", "/cgi-bin/unlisted/post", nil, map[string]int{"a": 1}, nil); !errors.As(err, &se) || calls(s, "/wecom/cgi-bin/unlisted/post") != 1 {
		t.Fatalf("unlisted POST after 502: %v, %d calls; a POST is not resent", err, calls(s, "/wecom/cgi-bin/unlisted/post"))
	}
}

func TestDoRejectsBadArguments(t *testing.T) {
	s := startEmulator(t)
	c := newWeCom(t, s)
	ctx := context.Background()
	for _, tc := range []struct {
		method, path string
		q            url.Values
		want         string
	}{
		{"PUT", "/cgi-bin/agent/get", nil, "GET or POST"},
		{"GET", "cgi-bin/agent/get", nil, "API path"},
		{"GET", "/cgi-bin/agent/get?access_token=SECRET", nil, "without host, query"},
		{"GET", "https://qyapi.weixin.qq.com/cgi-bin/agent/get", nil, "API path"},
		{"GET", "/cgi-bin/user/get", url.Values{"access_token": {"SECRET"}}, "do not set access_token"},
	} {
		err := c.Do(ctx, tc.method, tc.path, tc.q, nil, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("Do(%s, %s): %v, want an error with %q and no secret", tc.method, tc.path, err, tc.want)
		}
	}
	if n := len(s.Emulator().Stats()); n != 0 {
		t.Fatalf("bad arguments reached the server: %v", s.Emulator().Stats())
	}
}

func TestDoBoundsTheAnswer(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/token" {
			fmt.Fprint(w, `{"access_token":"TOKEN-VALUE","expires_in":7200}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"errcode":0,"pad":"`+strings.Repeat("x", 5<<20)+`"}`)
	}))
	defer hs.Close()
	c, err := api.NewMP(api.MPApp{AppID: "wx0123456789abcdef", Secret: "SECRET-VALUE"}, api.WithBaseURL(hs.URL), api.WithRetry(0, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Do(context.Background(), "GET", "/cgi-bin/huge", nil, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "larger than") || strings.Contains(err.Error(), "TOKEN-VALUE") || strings.Contains(err.Error(), "SECRET-VALUE") {
		t.Fatalf("huge answer: %v", err)
	}
}

func TestMPDoUsesTheListedTokenFreeFlags(t *testing.T) {
	s := startEmulator(t)
	fx := s.Emulator().Fixture()
	c, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.Emulator().IssueCode("mp", fx.MP.Followers[0].OpenID, "snsapi_userinfo", 0)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.OAuthAccessToken(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	// sns/userinfo takes the user's web token: Do sends it as given and
	// does not fetch the account's token.
	var u api.SNSUser
	q := url.Values{"access_token": {st.AccessToken}, "openid": {st.OpenID}, "lang": {"zh_CN"}}
	if err := c.Do(context.Background(), "GET", "/sns/userinfo", q, nil, &u); err != nil || u.OpenID != st.OpenID {
		t.Fatalf("sns/userinfo: %+v %v", u, err)
	}
	if calls(s, "/mp/cgi-bin/token") != 0 {
		t.Fatal("Do fetched the account token for a web-token API")
	}
}
