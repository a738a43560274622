// Package jssdk signs and diagnoses JS-SDK configs (JS-SDK 签名与诊断) for
// H5 pages in WeCom (企业微信) and WeChat Official Accounts (公众号).
//
// # Signing
//
// A page calls wx.config (and, in WeCom, wx.agentConfig) with a timestamp,
// a nonce and a signature (签名) computed by the server:
//
//	signature = hex(sha1("jsapi_ticket=" + ticket + "&noncestr=" + nonceStr +
//	                     "&timestamp=" + timestamp + "&url=" + url))
//
// The ticket is the corp jsapi_ticket for wx.config in WeCom, the
// application's agent_config ticket for wx.agentConfig, and the Official
// Account jsapi_ticket for wx.config in WeChat. The url is the page's
// location.href with the #fragment cut off and nothing else changed: no
// escaping, no unescaping, no normalisation. Sign and StringToSign do
// exactly that; a Signer adds a random nonce and the current time in
// seconds, both injectable for tests:
//
//	s := jssdk.NewSigner()
//	cfg, stringToSign, err := s.Config(corpID, ticket, pageURL)
//
// # Diagnostics
//
// Check takes what a page used (Input, also readable from JSON with
// ParseInput) and returns findings with stable codes, severities (error,
// warning, info), English and Chinese messages and a fix. With the ticket it
// verifies the signature and, when it does not match, rebuilds it the ways
// buggy backends do — fragment kept, &amp;, http/https swapped, explicit
// port, trailing slash, percent-encoding changed, the URL escaped inside the
// string to sign, SPA landing vs current URL, milliseconds, the wrong kind
// of ticket, a stale ticket, misspelled keys — and names the one that
// reproduces it. Every code is listed by Codes and documented in
// docs/diagnostics.md.
//
// # Catalogue
//
// KnownJSAPIs returns the known JS-API names (JS接口) of WeCom and WeChat,
// marking those that need wx.agentConfig and those that legacy pages call
// through wx.invoke, which needs beta: true in wx.config.
//
// The package has no net/http or encoding/xml dependency and builds with
// GOOS=js GOARCH=wasm; the WASM module, the CLI (wwkit sign, wwkit jssdk
// check) and the desktop app all use it.
package jssdk
