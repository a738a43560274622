// Package token caches and refreshes access tokens (access_token, 凭证) and
// JS-SDK tickets (jsapi_ticket, 签名票据) for WeCom (企业微信) and WeChat
// Official Accounts (公众号) safely when many goroutines and many processes
// share one app.
//
// The guarantees, detailed in docs/tokens.md:
//
//   - Cache keys are per app: a WeCom key carries the corp id, the agent id and
//     a fingerprint of the secret, so two apps of one corp never share (and
//     never overwrite) a token (errcode 301002 in the wild).
//   - Inside one process a Source refreshes single-flight: however many
//     goroutines miss at once, one fetch runs and the others wait for it.
//   - Across processes a Store that implements Locker (Redis, file) is used to
//     take a lock before fetching, and every process re-reads the store after
//     taking it, so one refresh runs per expiry window. The Redis lock
//     (core/token/redistoken) is SET NX PX with a random owner id and a fencing counter; a write is
//     accepted only while the writer still owns the lock (checked in Lua), so
//     a writer whose lock expired or whose Redis restarted cannot overwrite a
//     newer value. The lock is a short lease (Config.LockTTL, 1 s) renewed
//     while the refresh runs, so one left by a process that died lasts at
//     most a lease; NoBackgroundRefresh keeps a short-lived program from
//     starting a refresh it would abandon at exit.
//   - Values are refreshed early (before expiry, with jitter); an empty or
//     malformed value is never stored.
//   - A ticket records the fingerprint of the token it was fetched with and is
//     refetched as soon as that token changes.
//   - Invalidate drops a value only if it is still the one that failed
//     (compare-and-delete), so callers holding an already refreshed token do
//     not trigger a second refresh.
//
// Values never appear in errors or logs; use Mask or Fingerprint to show one.
package token
