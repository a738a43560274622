// Package api is the client of the WeCom (企业微信) server API
// (qyapi.weixin.qq.com) and the WeChat Official Account (公众号) server API
// (api.weixin.qq.com).
//
// The surface is data: endpoints.json lists every endpoint (name, platform,
// method, path, request, response, whether it needs the access_token and
// whether it is idempotent) and tools/apigen generates one typed method per
// row into zz_generated.go. Every method takes a context.Context first.
//
// Endpoints the table does not list are one call away: WeCom.Do and MP.Do
// take a method, an API path, the query, a body and where to decode the
// answer, and give them the same token handling, retry policy, bounds and
// *APIError as the typed methods (which are built on Do):
//
//	var agent struct{ Name string `json:"name"` }
//	err := wc.Do(ctx, "GET", "/cgi-bin/agent/get", url.Values{"agentid": {"1000002"}}, nil, &agent)
//
// Third-party apps (服务商 / 第三方应用): Suite is the client of the
// service/* APIs with the suite_access_token; the suite_ticket pushed to the
// suite callback URL is stored with Suite.SetTicket in the same store as the
// tokens, and Suite.Corp returns a WeCom client for an authorised corp
// (docs/suite.md).
//
// Tokens and tickets come from package token: cached per app, refreshed
// early, single-flight in the process and under a lock across processes
// (WithStore with a redistoken.Store from core/token/redistoken, or a
// token.FileStore).
//
// The retry policy (see client.do and docs/tokens.md): on 40014, 42001,
// 40001 (from an API that took a token) and 41001 (empty token) the client
// drops the cached token only if it is still the one that failed, refreshes
// once and retries once; on -1, 45009 and 45033 it backs off with jitter and
// retries a bounded number of times; a non-idempotent send is resent after a
// transport failure only when the connection provably was never made or
// enable_duplicate_check=1 lets the server drop the duplicate.
//
// Media: UploadMedia sends multipart field "media"; GetMedia tells a JSON
// errcode body from the file by Content-Type; GetMediaRange and DownloadMedia
// fetch large files in ≤20 MB Range chunks (errcode 830002 otherwise).
//
// Errors are *APIError{Code, Msg, Method, Path, Platform}, explained from the
// errcode catalogue (English and Chinese) as the answering platform means the
// code (LookupErrcode). Tokens and secrets never appear in errors
// or log records.
//
// Calls: WithCallObserver (or a CallRecorder as the HTTP transport) reports
// every exchange as a Call with its errcode and latency, for a call log
// (CallLog). Redact is the one function that takes credentials out of what a
// Call, an error or a log line shows.
//
//go:generate go run -tags apigen ../../tools/apigen -in endpoints.json -out zz_generated.go
package api
