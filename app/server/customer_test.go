package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/server"
)

func postWith(t *testing.T, c *http.Client, u string, body any, hdr map[string]string) (int, map[string]any, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(raw, &v)
	return resp.StatusCode, v, string(raw)
}

// TestSidebarCustomer checks the sidebar endpoints: a signed-in member sees
// the customers they follow (with their own remark, not a colleague's, and
// no remark mobiles) and the groups they are in, nothing else.
func TestSidebarCustomer(t *testing.T) {
	e := start(t, nil)
	fx := e.emu.Emulator().Fixture()
	var chen, huang string
	for _, c := range fx.WeCom.ExternalContacts {
		switch c.Name {
		case "陈晓燕":
			chen = c.ExternalUserID
		case "黄丽娟":
			huang = c.ExternalUserID
		}
	}
	chat := fx.WeCom.GroupChats[0].ChatID
	u := e.srv.URL() + "/api/customer"

	if st, _, raw := postWith(t, http.DefaultClient, u, map[string]string{"externalUserId": chen}, nil); st != 401 || !strings.Contains(raw, "sign in") {
		t.Fatalf("signed out: %d %s", st, raw)
	}
	_, _, zhaoliu := signIn(t, e, "wecom", "", "zhaoliu")
	st, v, raw := postWith(t, zhaoliu, u, map[string]string{"externalUserId": chen}, nil)
	cust, _ := v["customer"].(map[string]any)
	fu, _ := v["followUser"].(map[string]any)
	if st != 200 || cust["name"] != "陈晓燕" || fu["remark"] != "陈姐-华南采购" {
		t.Fatalf("zhaoliu's customer: %d %s", st, raw)
	}
	if strings.Contains(raw, "13900000011") || strings.Contains(raw, "unionid") {
		t.Fatalf("the answer carries more than the sidebar needs: %s", raw)
	}
	if st, _, raw := postWith(t, zhaoliu, u, map[string]string{"externalUserId": huang}, nil); st != 403 {
		t.Fatalf("a colleague's customer: %d %s", st, raw)
	}
	if st, v, raw := postWith(t, zhaoliu, u, map[string]string{"externalUserId": "wmNOSUCHCUSTOMER"}, nil); st != 502 || v["errcode"] != float64(40096) {
		t.Fatalf("unknown customer: %d %s", st, raw)
	}
	if st, _, raw := postWith(t, zhaoliu, u, map[string]string{"externalUserId": "../../etc"}, nil); st != 400 {
		t.Fatalf("malformed id: %d %s", st, raw)
	}
	if st, _, raw := postWith(t, zhaoliu, u, map[string]string{"externalUserId": chen}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); st != 403 {
		t.Fatalf("cross-site: %d %s", st, raw)
	}
	st, v, raw = postWith(t, zhaoliu, u+"/group", map[string]string{"chatId": chat}, nil)
	if g, _ := v["group"].(map[string]any); st != 200 || g["name"] != "星河贸易采购对接群" || len(g["members"].([]any)) != 4 {
		t.Fatalf("group: %d %s", st, raw)
	}
	_, _, lisi := signIn(t, e, "wecom", "", "lisi")
	if st, _, raw := postWith(t, lisi, u+"/group", map[string]string{"chatId": chat}, nil); st != 403 {
		t.Fatalf("a group the member is not in: %d %s", st, raw)
	}

	// The simulator's sidebar context is the signed-in member's customer.
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL()+"/api/sim/sidebar", nil)
	req.Header.Set(server.ClientTokenHeader, testClientToken)
	resp, err := zhaoliu.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var sb map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&sb)
	resp.Body.Close()
	if sb["externalUserId"] != chen || sb["chatId"] != chat {
		t.Fatalf("sim sidebar: %v", sb)
	}
}
