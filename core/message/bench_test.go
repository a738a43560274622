package message

import (
	"strings"
	"testing"
)

func BenchmarkParseText300(b *testing.B) {
	head := `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oABCDEFGhijklmnopqrstuvwxyz0]]></FromUserName><CreateTime>1700000296</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[`
	tail := `]]></Content><MsgId>4561255354251345929</MsgId></xml>`
	doc := []byte(head + strings.Repeat("x", 300-len(head)-len(tail)) + tail)
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewTextReply(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = NewTextReply("zhangsan", "ww5a1b2c3d4e5f6a7b", 1700000740, "this is a test")
	}
}
