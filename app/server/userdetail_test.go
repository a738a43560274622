package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/api"
)

// A page signed in with snsapi_privateinfo reads the member's private
// fields through the server (auth/getuserdetail); the user_ticket stays in
// the server's memory and never reaches the browser, not even inside the
// signed session cookie.
func TestUserDetailThroughServer(t *testing.T) {
	e := start(t, nil)
	u := e.srv.URL() + "/api/oauth/userdetail"

	if st, _, raw := postWith(t, http.DefaultClient, u, map[string]string{}, nil); st != 401 || !strings.Contains(raw, "snsapi_privateinfo") {
		t.Fatalf("signed out: %d %s", st, raw)
	}
	_, _, base := signIn(t, e, "wecom", "snsapi_base", "lisi")
	if st, _, raw := postWith(t, base, u, map[string]string{}, nil); st != 401 || !strings.Contains(raw, "user_ticket") {
		t.Fatalf("snsapi_base session has no ticket: %d %s", st, raw)
	}

	_, _, c := signIn(t, e, "wecom", "snsapi_privateinfo", "lisi")
	st, v, raw := postWith(t, c, u, map[string]string{}, nil)
	if st != 200 || v["userid"] != "lisi" || v["mobile"] != "13800000002" || v["email"] != "lisi@example.com" || v["gender"] != "2" {
		t.Fatalf("userdetail: %d %s", st, raw)
	}
	if strings.Contains(raw, "ticket") || strings.Contains(raw, "access_token") {
		t.Fatalf("a credential reached the page: %s", raw)
	}

	// The cookie the browser holds carries a handle, not the ticket.
	base0, _ := url.Parse(e.srv.URL())
	var payload map[string]any
	for _, ck := range c.Jar.Cookies(base0) {
		if ck.Name != "wwkit_session" {
			continue
		}
		b, err := base64.RawURLEncoding.DecodeString(strings.SplitN(ck.Value, ".", 2)[0])
		if err != nil || json.Unmarshal(b, &payload) != nil {
			t.Fatalf("session cookie: %v %s", err, b)
		}
	}
	var keys []string
	for k := range payload {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ref, _ := payload["tr"].(string)
	if strings.Join(keys, ",") != "e,k,p,sc,sub,tr,ut" || len(ref) != 32 {
		t.Fatalf("session cookie payload %v: want only the handle (32 hex) beside the identity", payload)
	}

	// An Official Account profile has no such API.
	if st, _, raw := postWith(t, c, e.srv.URL()+"/api/oauth/userdetail?profile=mp", map[string]string{}, nil); st != 400 || !strings.Contains(raw, "WeCom") {
		t.Fatalf("mp profile: %d %s", st, raw)
	}
}

// A directory change made through the in-process emulator's API arrives at
// wwkit serve as a change_contact callback and lands in the inbox, parsed.
func TestContactChangeReachesInbox(t *testing.T) {
	e := start(t, nil)
	fx := e.emu.Emulator().Fixture()
	app := fx.WeCom.Apps[0]
	c, err := api.NewWeCom(api.WeComApp{CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret}, api.WithBaseURL(e.emu.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateUser(context.Background(), &api.User{UserID: "zhouba", Name: "周八", Mobile: "13800000008", Department: []int64{2}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var in inboxAnswer
		if code := getJSON(t, nil, e.srv.URL()+"/api/inbox", &in); code != 200 {
			t.Fatalf("inbox: %d", code)
		}
		for _, en := range in.Entries {
			if en.Message != nil && en.Message.BodyType == "*message.ChangeContact" && en.Message.FromUserName == "sys" {
				if !strings.Contains(string(en.Message.Body), "create_user") || !strings.Contains(string(en.Message.Body), "zhouba") {
					t.Fatalf("change_contact body: %s", en.Message.Body)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no change_contact in the inbox after 10 s: %+v", in.Entries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
