package api_test

import (
	"context"
	"fmt"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// Example reads a member through the emulator; against the real server drop
// WithBaseURL and use your CorpID, AgentID and app Secret.
func Example() {
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
	u, err := c.GetUser(context.Background(), "zhangsan")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.UserID, u.Name, u.Position)
	// Output: zhangsan 张三 工程师
}

// ExampleAuthorizeURL builds the in-app OAuth link of a WeCom app.
func ExampleAuthorizeURL() {
	u, _ := api.AuthorizeURL("ww0123456789abcdef", "https://h5.example.com/login", "snsapi_base", "s1", 1000002)
	fmt.Println(u)
	// Output: https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww0123456789abcdef&redirect_uri=https%3A%2F%2Fh5.example.com%2Flogin&response_type=code&scope=snsapi_base&state=s1&agentid=1000002#wechat_redirect
}
