package jssdk_test

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	"github.com/wwkit/wwkit/core/jssdk"
)

func ExampleSign() {
	// The example of the WeCom documentation (JS-SDK 签名算法).
	sig := jssdk.Sign(
		"sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
		"Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value#/ignored")
	fmt.Println(sig)
	// Output: 0f9de62fce790f9a083d5c99e95740ceb90c27ed
}

func ExampleCheck() {
	in, err := jssdk.ParseInput([]byte(`{
	  "appId": "ww7a3c9e1f5b2d8064",
	  "timestamp": 1700000000,
	  "nonceStr": "abc123xyz",
	  "url": "https://app.example.com/h5/#/orders/9",
	  "ticket": "TICKET",
	  "now": 1700000003
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// A correct signature.
	in.Signature = jssdk.Sign("TICKET", "abc123xyz", 1700000000, in.URL)
	fmt.Println(jssdk.Check(in).OK)

	// A backend that forgot to cut the #fragment before hashing.
	sum := sha1.Sum([]byte("jsapi_ticket=TICKET&noncestr=abc123xyz&timestamp=1700000000&url=https://app.example.com/h5/#/orders/9"))
	in.Signature = hex.EncodeToString(sum[:])
	res := jssdk.Check(in)
	fmt.Println(res.OK)
	for _, f := range res.Findings {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// true
	// false
	// error URL_HAS_FRAGMENT
}
