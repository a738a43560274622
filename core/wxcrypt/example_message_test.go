package wxcrypt_test

import (
	"fmt"
	"time"

	"github.com/wwkit/wwkit/core/message"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

// A callback handler: decrypt the POST body, parse the message, and answer
// with an encrypted passive reply. EncryptRequest plays WeCom's part here.
func ExampleCrypt_DecryptBody() {
	c, _ := wxcrypt.New("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww5a1b2c3d4e5f6a7b")
	in := `<xml><ToUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000037</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>1</MsgId><AgentID>1000002</AgentID></xml>`
	body, msgSignature, _ := c.EncryptRequest([]byte(in), "ww5a1b2c3d4e5f6a7b", "1000002", "1700000037", "1372623149")

	// In the handler: msg_signature, timestamp and nonce come from the query.
	plain, err := c.DecryptBody(msgSignature, "1700000037", "1372623149", body)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := message.Parse(plain)
	if err != nil {
		fmt.Println(err)
		return
	}
	if t, ok := m.Body.(*message.Text); ok {
		reply := message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "you said "+t.Content)
		envelope, _ := c.EncryptReply(reply, "", "")
		back, _ := c.DecryptReply(envelope)
		r, _ := message.Parse(back)
		fmt.Println(r.ToUserName, r.Body.(*message.Text).Content)
	}
	// Output: zhangsan you said hello
}
