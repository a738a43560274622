// Package callback is an http.Handler for the callback URL (回调URL) of a
// WeCom (企业微信) app or an Official Account (公众号): URL verification
// (验证URL有效性) on GET, and on POST a bounded, shape-checked body, a
// timestamp window, the signature checked before anything is decrypted,
// strict decryption, a typed message (package message), de-duplication of
// Tencent's retries by MsgId (or the event's identity) through a pluggable
// Store, and the passive reply (被动回复) your function returns, encrypted
// or plain as the mode asks.
//
//	crypt, _ := wxcrypt.New(token, encodingAESKey, corpID)
//	h := callback.NewWeCom(crypt, func(ctx context.Context, m *message.Message) ([]byte, error) {
//		if t, ok := m.Body.(*message.Text); ok {
//			return message.NewTextReply(m.FromUserName, m.ToUserName, time.Now().Unix(), "收到："+t.Content), nil
//		}
//		return nil, nil // no passive reply
//	})
//	http.Handle("/callback", h)
//
// Official Accounts use NewMP, which accepts all three 消息加解密方式:
// plaintext (明文模式: signature only), compatible (兼容模式) and safe
// (安全模式) — with encrypt_type=aes the message is decrypted and the reply
// encrypted. A WeCom callback is always encrypted.
//
// A handler error answers HTTP 500 and records nothing, so Tencent retries
// the callback; an answer of nil means no passive reply (an empty HTTP 200).
package callback
