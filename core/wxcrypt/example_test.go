package wxcrypt_test

import (
	"fmt"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// The official WeCom sample: answer the URL verification GET with the
// decrypted echostr.
func ExampleCrypt_VerifyURL() {
	c, err := wxcrypt.New("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
	if err != nil {
		fmt.Println(err)
		return
	}
	echo, err := c.VerifyURL("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780",
		"P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==")
	fmt.Printf("%s %v\n", echo, err)
	// Output: 1616140317555161061 <nil>
}

func ExampleSignature() {
	fmt.Println(wxcrypt.Signature("QDG6eK", "1409659589", "263014780",
		"P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="))
	// Output: 5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3
}

// A callback server decrypts the POST, then answers with an encrypted
// passive reply; here the reply is read back as WeCom would.
func ExampleCrypt_EncryptReply() {
	c, _ := wxcrypt.New("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww5a1b2c3d4e5f6a7b")
	reply, err := c.EncryptReply([]byte("<xml>…</xml>"), "1700000740", "1372623149")
	if err != nil {
		fmt.Println(err)
		return
	}
	plain, err := c.DecryptReply(reply)
	fmt.Printf("%s %v\n", plain, err)
	// Output: <xml>…</xml> <nil>
}

func ExampleDiagnose() {
	r := wxcrypt.Diagnose(wxcrypt.Request{
		MsgSignature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
		Timestamp:    "1409659589",
		Nonce:        "263014780",
		EchoStr:      "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
	}, wxcrypt.Config{Token: "wrong", EncodingAESKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", ReceiveID: "wx5823bf96d3bd56c7"})
	for _, s := range r.Steps {
		if s.Name != "timestamp" {
			fmt.Println(s.Name, s.Status)
		}
	}
	// Output:
	// config ok
	// envelope ok
	// signature fail
	// base64 ok
	// aes ok
	// length ok
	// receiveid ok
}
