package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/wwkit/wwkit/core/emulator"
)

// Start an emulator on a free loopback port and fetch a WeCom access_token
// the way a client does, then inject a fault through the admin API.
func ExampleStart() {
	srv, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	fx := srv.Emulator().Fixture()

	get := func(path string, q url.Values) (out struct {
		Errcode     int    `json:"errcode"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}) {
		res, err := http.Get(srv.WeComBaseURL() + path + "?" + q.Encode())
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		json.NewDecoder(res.Body).Decode(&out)
		return out
	}
	q := url.Values{"corpid": {fx.WeCom.CorpID}, "corpsecret": {fx.WeCom.Apps[0].Secret}}
	tok := get("/cgi-bin/gettoken", q)
	fmt.Println("errcode", tok.Errcode, "expires_in", tok.ExpiresIn, "token issued:", tok.AccessToken != "")

	fault := `{"path":"/wecom/cgi-bin/gettoken","errcode":-1,"count":1}`
	res, err := http.Post(srv.URL+"/__emulator/faults", "application/json", strings.NewReader(fault))
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println("with the fault: errcode", get("/cgi-bin/gettoken", q).Errcode)
	fmt.Println("calls:", srv.Emulator().Stats()["/wecom/cgi-bin/gettoken"])
	// Output:
	// errcode 0 expires_in 7200 token issued: true
	// with the fault: errcode -1
	// calls: 2
}
