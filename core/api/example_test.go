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

// ExampleInstallURL builds the link an admin opens to install a suite.
func ExampleInstallURL() {
	u, _ := api.InstallURL("ww4asffe99e54c0f01", "PREAUTHCODE", "https://h5.example.com/installed", "s1")
	fmt.Println(u)
	// Output: https://open.work.weixin.qq.com/3rdapp/install?suite_id=ww4asffe99e54c0f01&pre_auth_code=PREAUTHCODE&redirect_uri=https%3A%2F%2Fh5.example.com%2Finstalled&state=s1
}

// ExampleSuite runs the third-party chain against the emulator: the
// suite_ticket (here taken from the push result; a real provider gets it in
// its suite callback handler), the suite_access_token, an install by the
// emulator's corp, the permanent code and a member read with the
// authorised corp's token.
func ExampleSuite() {
	srv, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	ctx := context.Background()
	su := srv.Emulator().Fixture().Suites[0]
	suite, err := api.NewSuite(api.SuiteApp{SuiteID: su.SuiteID, Secret: su.Secret}, api.WithBaseURL(srv.WeComBaseURL()))
	if err != nil {
		fmt.Println(err)
		return
	}
	// No callback server here: the push fails, the ticket is issued anyway.
	push, err := srv.Emulator().PushSuiteTicket(ctx, "", "http://127.0.0.1:1/")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := suite.SetTicket(ctx, push.SuiteTicket); err != nil {
		fmt.Println(err)
		return
	}
	install, err := srv.Emulator().InstallSuite(ctx, emulator.InstallRequest{URL: "http://127.0.0.1:1/"})
	if err != nil {
		fmt.Println(err)
		return
	}
	pc, err := suite.GetPermanentCode(ctx, &api.AuthCodeBody{AuthCode: install.AuthCode})
	if err != nil {
		fmt.Println(err)
		return
	}
	corp, err := suite.Corp(pc.AuthCorpInfo.CorpID, pc.PermanentCode, pc.AuthInfo.Agent[0].AgentID)
	if err != nil {
		fmt.Println(err)
		return
	}
	u, err := corp.GetUser(ctx, "lisi")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pc.AuthInfo.Agent[0].AgentID, u.Name)
	// Output: 1000010 李四
}
