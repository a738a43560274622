// Package wxcrypt implements WXBizMsgCrypt, the callback message encryption
// (消息加解密) of WeCom (企业微信) apps and WeChat Official Accounts (公众号) in
// safe mode (安全模式).
//
// A Crypt holds one configuration: Token, the 43-character EncodingAESKey
// and the receiveid (CorpID for WeCom self-built apps, SuiteID for
// third-party instruction callbacks, AppID for Official Accounts). It
// verifies the 消息签名 msg_signature = sha1(sort(token, timestamp, nonce,
// Encrypt)) in constant time, decrypts AES-256-CBC with PKCS#7 padding to 32
// bytes, and builds encrypted passive replies with fresh random bytes.
//
// The decoder is strict and checks in this order, each failure carrying the
// official code in an *Error (match with errors.Is against the Err…
// sentinels, or errors.As for the code):
//
//	key validity -40004 → signature -40001 → base64 -40010 →
//	block length / AES -40007 → padding -40007 → length fields -40008 →
//	receiveid -40005
//
// Official SDKs are lenient about padding; wxcrypt rejects any invalid
// PKCS#7 padding with -40007. Inputs are bounded (MaxEncryptLen,
// MaxBodyLen, ErrTooLarge) and no input makes it panic. Envelopes are
// scanned by hand — the package imports neither encoding/xml nor net/http
// and builds for GOOS=js GOARCH=wasm.
//
// Official Accounts in plaintext mode sign only (token, timestamp, nonce):
// check that with VerifyPlainSignature. JSON callbacks (WeCom smart robots)
// use DecryptJSONBody and EncryptJSONReply; the crypto is the same.
//
// Diagnose replays a captured request against a configuration and reports
// which step fails and the likely cause (wrong Token, wrong EncodingAESKey,
// SuiteID vs CorpID, '+' turned into a space in echostr, clock skew, a
// signature over the wrong field).
package wxcrypt
