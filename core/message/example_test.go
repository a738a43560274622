package message_test

import (
	"fmt"

	"github.com/wwkit/wwkit/core/message"
)

func ExampleParse() {
	m, err := message.Parse([]byte(`<xml><ToUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000037</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>4561255354251345929</MsgId><AgentID>1000002</AgentID></xml>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	switch b := m.Body.(type) {
	case *message.Text:
		fmt.Println(m.FromUserName, "says", b.Content, "to agent", m.AgentID)
	case *message.Click:
		fmt.Println("menu", b.EventKey)
	}
	// Output: zhangsan says hello to agent 1000002
}

func ExampleNewTextReply() {
	fmt.Printf("%s\n", message.NewTextReply("zhangsan", "ww5a1b2c3d4e5f6a7b", 1700000740, "a]]>b"))
	// Output: <xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww5a1b2c3d4e5f6a7b]]></FromUserName><CreateTime>1700000740</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>
}
