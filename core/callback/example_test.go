package callback_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/wwkit/wwkit/core/callback"
	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// ExampleNewWeCom serves a WeCom callback URL that answers text messages
// with a passive reply; the emulator plays WeCom and pushes a message.
func ExampleNewWeCom() {
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	crypt, err := wxcrypt.New(app.Token, app.EncodingAESKey, fx.WeCom.CorpID)
	if err != nil {
		fmt.Println(err)
		return
	}
	h := callback.NewWeCom(crypt, func(ctx context.Context, m *message.Message) ([]byte, error) {
		if t, ok := m.Body.(*message.Text); ok {
			return message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "收到："+t.Content), nil
		}
		return nil, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	fx.WeCom.Apps[0].CallbackURL = srv.URL
	emu, err := emulator.Start("127.0.0.1:0", emulator.WithFixture(fx))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer emu.Close()
	res, err := emu.Emulator().PushCallback(context.Background(), emulator.CallbackRequest{From: "zhangsan", Content: "你好"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.ReplyType, res.Content)
	// Output: 200 text 收到：你好
}
