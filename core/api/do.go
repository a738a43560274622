package api

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Do calls a WeCom endpoint by method and path: the escape hatch (直接调用)
// for endpoints the typed methods do not cover, with everything they have.
// The generated methods are built on it.
//
//   - method is GET or POST; path is the API path without host or query,
//     e.g. "/cgi-bin/agent/get".
//   - query holds the parameters; the client adds access_token, fetched
//     and cached like every call. A query that sets access_token itself is
//     sent as given (for APIs that take another token, such as a user's
//     web token) and is not refreshed.
//   - body is nil (no body), []byte or json.RawMessage (sent as is), or
//     any value encoded as UTF-8 JSON without \uXXXX escapes of CJK text.
//   - out receives the JSON answer (nil discards it).
//
// The retry policy is the typed methods': on 40014, 42001, 40001 (and
// 41001 with an empty token) the token is dropped, refreshed once and the
// call retried once; -1, 45009 and 45033 back off and retry; after a
// transport failure a GET is retried, a POST only when the connection was
// never made or, for a listed endpoint, when the endpoint is idempotent. An
// errcode other than 0 is an *APIError; answers are bounded (4 MiB), and
// errors never contain the token or the query.
func (c *WeCom) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return c.client.call(ctx, method, path, query, body, out)
}

// Do calls an Official Account endpoint by method and path, for endpoints
// the typed methods do not cover; see WeCom.Do for the parameters, the
// retry policy and the errors.
func (c *MP) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	return c.client.call(ctx, method, path, query, body, out)
}

// endpointIndex finds a listed endpoint by platform, method and path, so a
// Do of a listed endpoint keeps its token and idempotency flags.
var endpointIndex = func() map[string]*Endpoint {
	m := make(map[string]*Endpoint, len(Endpoints))
	for i := range Endpoints {
		ep := &Endpoints[i]
		if ep.Kind == "json" {
			m[ep.Client+" "+ep.Method+" "+ep.Path] = ep
		}
	}
	return m
}()

// call is Do: it checks the arguments, finds or describes the endpoint and
// runs it through do (the path every JSON call takes).
func (c *client) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	if method != "GET" && method != "POST" {
		return fmt.Errorf("api: Do: method %q is not GET or POST (the server APIs use only these)", method)
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?#") || strings.Contains(path, "..") || strings.Contains(path, "://") {
		return fmt.Errorf("api: Do: path %q must be an API path such as /cgi-bin/agent/get, without host, query or fragment (pass parameters in query)", Redact(path))
	}
	q := url.Values{}
	for k, vs := range query {
		q[k] = append([]string(nil), vs...)
	}
	ownToken := q.Get(c.tokenParam) != ""
	ep, listed := endpointIndex[c.kind+" "+method+" "+path]
	if !listed {
		ep = &Endpoint{Platform: c.platform, Client: c.kind, Method: method, Path: path, Kind: "json", NeedsToken: !ownToken, Idempotent: method == "GET"}
	} else if ep.NeedsToken && ownToken {
		return fmt.Errorf("api: Do: %s %s: do not set %s in query; the client adds its token and refreshes it", method, path, c.tokenParam)
	}
	if out == nil {
		out = new(struct{})
	}
	return c.do(ctx, ep, q, body, out)
}
