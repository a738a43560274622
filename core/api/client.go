package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/core/token"
)

// Default base URLs of the real servers.
const (
	WeComBaseURL = "https://qyapi.weixin.qq.com"
	MPBaseURL    = "https://api.weixin.qq.com"
)

// Body size limits: JSON answers are small; media downloads are at most
// 20 MB per request (larger files need Range requests, errcode 830002).
const (
	maxJSONBody  = 4 << 20
	maxMediaBody = 21 << 20
	maxUpload    = 21 << 20
)

// Option configures a client.
type Option func(*options)

type options struct {
	baseURL  string
	hc       *http.Client
	timeout  time.Duration
	logger   *slog.Logger
	store    token.Store
	provider token.Provider
	retries  int
	backoff  time.Duration
	maxWait  time.Duration
	early    time.Duration
	now      func() time.Time
	observe  func(Call)
}

// WithBaseURL points the client at another host (the emulator's
// http://127.0.0.1:8787/wecom, a proxy). The default is the real host.
func WithBaseURL(u string) Option {
	return func(o *options) { o.baseURL = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the HTTP client (default: a client with the timeout).
func WithHTTPClient(hc *http.Client) Option { return func(o *options) { o.hc = hc } }

// WithTimeout bounds every HTTP request (default 10 s).
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// WithLogger sets the logger. Tokens and secrets never appear in its records
// (values are masked or fingerprinted, URLs are logged without their query).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithStore sets where tokens and tickets are cached (default: memory). Use a
// redistoken.Store (core/token/redistoken) or token.FileStore to share them between processes.
func WithStore(s token.Store) Option { return func(o *options) { o.store = s } }

// WithTokenProvider replaces the access_token source with p, e.g. a client of
// a central token service. Tickets are still cached by wwkit, fetched with
// p's token.
func WithTokenProvider(p token.Provider) Option { return func(o *options) { o.provider = p } }

// WithRetry sets how many times busy answers (-1, 45009, 45033) and
// transport failures of idempotent calls are retried (default 3) and the
// base of the exponential backoff (default 200 ms, each wait capped at 5 s,
// with full jitter).
func WithRetry(retries int, backoff time.Duration) Option {
	return func(o *options) { o.retries, o.backoff = retries, backoff }
}

// WithEarlyRefresh sets how long before expiry tokens and tickets are
// refreshed (default 5 minutes).
func WithEarlyRefresh(d time.Duration) Option { return func(o *options) { o.early = d } }

// WithClock sets the clock used for token expiry (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// client is what WeCom and MP share: transport, retry policy and the token.
type client struct {
	opt      options
	base     string
	hc       *http.Client
	log      *slog.Logger
	tokens   token.Provider
	platform string
	// kind is the Go client type (WeCom, MP, Suite) and tokenParam the
	// query parameter its token travels in.
	kind       string
	tokenParam string
	appID      string // CorpID or AppID
	secret     string
	agentID    int64
}

func newClient(platform, defBase string, opts []Option) (*client, error) {
	o := options{baseURL: defBase, timeout: 10 * time.Second, retries: 3, backoff: 200 * time.Millisecond, maxWait: 5 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	if o.hc == nil {
		o.hc = &http.Client{Timeout: o.timeout}
	}
	if o.observe != nil {
		hc := *o.hc
		hc.Transport = &CallRecorder{Next: hc.Transport, Observe: o.observe, Now: o.now, Platform: platform}
		o.hc = &hc
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if o.store == nil {
		o.store = token.NewMemory()
	}
	if o.retries < 0 {
		o.retries = 0
	}
	if u, err := url.Parse(o.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return nil, fmt.Errorf("api: base URL %q must be http(s)://host[:port][/path] without credentials or query, e.g. http://127.0.0.1:8787/wecom", Redact(o.baseURL))
	}
	kind := map[string]string{"wecom": "WeCom", "mp": "MP"}[platform]
	return &client{opt: o, base: o.baseURL, hc: o.hc, log: o.logger, platform: platform, kind: kind, tokenParam: "access_token"}, nil
}

// usedTokenKey carries a *string through a context to learn which
// access_token a call succeeded with (a ticket records it).
type usedTokenKey struct{}

// resendable is implemented by requests that make a non-idempotent call safe
// to resend (message/send with enable_duplicate_check=1).
type resendable interface{ resendable() bool }

// attempt is one HTTP exchange.
type exchange struct {
	status int
	header http.Header
	body   []byte
}

// do calls a JSON endpoint with the retry policy:
//
//   - 40014, 42001, 40001 (from an API that took a token) and 41001 (empty
//     token): drop the token only if it is still the one that failed, refresh
//     once, retry once. The server answered, so it did not accept the call:
//     resending is safe even for sends.
//   - -1, 45009, 45033: back off with full jitter and retry, at most
//     WithRetry times, without refreshing the token.
//   - transport failures and HTTP 5xx: retried (with backoff) only when the
//     endpoint is idempotent, the request opted into server-side
//     de-duplication, or the request provably never reached the server
//     (the connection could not be made). A send that may have been accepted
//     is never sent twice.
func (c *client) do(ctx context.Context, ep *Endpoint, q url.Values, req any, out any) error {
	var body []byte
	switch r := req.(type) {
	case nil:
	case []byte:
		body = r
	case json.RawMessage:
		body = r
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(req); err != nil {
			return fmt.Errorf("api: %s: encoding the request: %w", ep.Path, err)
		}
		body = buf.Bytes()
	}
	idem := ep.Idempotent
	if r, ok := req.(resendable); ok && r.resendable() {
		idem = true
	}
	x, tok, err := c.exchange(ctx, ep, q, idem, func() (io.Reader, string) {
		if body == nil {
			return nil, ""
		}
		return bytes.NewReader(body), "application/json; charset=utf-8"
	}, maxJSONBody)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(x.body, out); err != nil {
		return fmt.Errorf("api: %s %s: decoding the answer: %w", ep.Method, ep.Path, err)
	}
	if p, ok := ctx.Value(usedTokenKey{}).(*string); ok && ep.NeedsToken {
		*p = tok
	}
	return nil
}

// exchange runs the request with the retry policy and returns a successful
// answer (errcode 0 or a non-JSON body for downloads) and the token used.
func (c *client) exchange(ctx context.Context, ep *Endpoint, q url.Values, idem bool, body func() (io.Reader, string), limit int64) (exchange, string, error) {
	refreshed := false
	retries := 0
	for {
		tok := ""
		if ep.NeedsToken {
			var err error
			tok, err = c.tokens.Token(ctx)
			if err != nil {
				return exchange{}, "", fmt.Errorf("api: %s %s: getting the access_token: %w", ep.Method, ep.Path, err)
			}
			q.Set(c.tokenParam, tok)
		}
		x, err := c.roundTrip(ctx, ep, q, body, limit)
		if err != nil {
			var se *StatusError
			statusRetry := errors.As(err, &se) && se.Status >= 500 && idem
			if (statusRetry || (!errors.As(err, &se) && (idem || notSent(err)))) && retries < c.opt.retries && ctx.Err() == nil {
				retries++
				c.log.LogAttrs(ctx, slog.LevelWarn, "api transport failure; retrying", slog.String("path", ep.Path), slog.Int("retry", retries), slog.String("error", err.Error()))
				if werr := c.sleep(ctx, retries); werr != nil {
					return exchange{}, "", err
				}
				continue
			}
			return exchange{}, "", err
		}
		code, msg, isJSON := errcodeOf(x, ep.Kind == "download")
		if !isJSON || code == 0 {
			return x, tok, nil
		}
		apiErr := &APIError{Code: code, Msg: msg, Method: ep.Method, Path: ep.Path, Platform: ep.Platform}
		c.log.LogAttrs(ctx, slog.LevelInfo, "api errcode", slog.String("path", ep.Path), slog.Int("errcode", code), slog.String("token_fp", token.Fingerprint(tok)))
		switch {
		case tokenInvalid(code, ep, tok) && !refreshed:
			refreshed = true
			if err := c.tokens.Invalidate(ctx, tok); err != nil {
				return exchange{}, "", fmt.Errorf("api: %s %s: dropping the rejected access_token: %w (after %w)", ep.Method, ep.Path, err, apiErr)
			}
			continue
		case busy(code) && retries < c.opt.retries:
			retries++
			if err := c.sleep(ctx, retries); err != nil {
				return exchange{}, "", apiErr
			}
			continue
		}
		return exchange{}, "", apiErr
	}
}

// sleep waits a full-jitter exponential backoff for the n-th retry.
func (c *client) sleep(ctx context.Context, n int) error {
	d := c.opt.backoff << (n - 1)
	if d > c.opt.maxWait || d <= 0 {
		d = c.opt.maxWait
	}
	if d > 0 {
		d = time.Duration(rand.Int64N(int64(d)) + 1)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// notSent reports whether err proves the request never reached the server:
// the TCP connection could not be established.
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return false
}

// roundTrip sends one request. Transport errors are wrapped without the URL
// (its query holds the token or secret).
func (c *client) roundTrip(ctx context.Context, ep *Endpoint, q url.Values, body func() (io.Reader, string), limit int64) (exchange, error) {
	u := c.base + ep.Path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	r, ctype := body()
	req, err := http.NewRequestWithContext(ctx, ep.Method, u, r)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return exchange{}, fmt.Errorf("api: %s %s: building the request: %w", ep.Method, ep.Path, err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if rg, ok := ctx.Value(rangeKey{}).(string); ok {
		req.Header.Set("Range", rg)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return exchange{}, fmt.Errorf("api: %s %s: %w", ep.Method, ep.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return exchange{}, fmt.Errorf("api: %s %s: reading the answer: %w", ep.Method, ep.Path, err)
	}
	if int64(len(b)) > limit {
		return exchange{}, fmt.Errorf("api: %s %s: the answer is larger than %d bytes; for media use Range downloads", ep.Method, ep.Path, limit)
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "api call", slog.String("method", ep.Method), slog.String("path", ep.Path), slog.Int("status", resp.StatusCode), slog.Duration("took", time.Since(start)))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusPartialContent {
		return exchange{}, &StatusError{Status: resp.StatusCode, Method: ep.Method, Path: ep.Path}
	}
	return exchange{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// errcodeOf reads errcode/errmsg from a JSON answer (a missing errcode is
// 0). For downloads, only a JSON-typed body or one starting with '{' that
// mentions errcode is an answer; anything else is the file.
func errcodeOf(x exchange, download bool) (code int, msg string, isJSON bool) {
	if download {
		ct := x.header.Get("Content-Type")
		jsonish := strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/plain")
		if !jsonish && !(bytes.HasPrefix(bytes.TrimSpace(x.body), []byte("{")) && bytes.Contains(x.body, []byte(`"errcode"`))) {
			return 0, "", false
		}
	}
	var v struct {
		Errcode *int            `json:"errcode"`
		Errmsg  json.RawMessage `json:"errmsg"`
	}
	if err := json.Unmarshal(x.body, &v); err != nil {
		if download {
			return 0, "", false
		}
		return -2, "the answer is not JSON", true
	}
	// errmsg is informative only: a non-string one is kept as raw JSON.
	if err := json.Unmarshal(v.Errmsg, &msg); err != nil {
		msg = string(v.Errmsg)
	}
	if v.Errcode == nil {
		return 0, msg, true
	}
	return *v.Errcode, msg, true
}

// upload sends a multipart/form-data body with the file in field "media".
func (c *client) upload(ctx context.Context, ep *Endpoint, q url.Values, filename string, r io.Reader, out any) error {
	return c.uploadForm(ctx, ep, q, nil, filename, r, out)
}

// uploadForm is upload with more form fields before the file (the
// description of a permanent video); empty values are left out.
func (c *client) uploadForm(ctx context.Context, ep *Endpoint, q url.Values, fields map[string]string, filename string, r io.Reader, out any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxUpload+1))
	if err != nil {
		return fmt.Errorf("api: %s: reading the file: %w", ep.Path, err)
	}
	if len(data) > maxUpload {
		return fmt.Errorf("api: %s: the file is larger than %d bytes (limits: image/video 10 MB, voice 2 MB, file 20 MB)", ep.Path, maxUpload)
	}
	if len(data) <= 5 {
		return fmt.Errorf("api: %s: the file has %d bytes; media must be larger than 5 bytes", ep.Path, len(data))
	}
	if filename == "" {
		filename = "media"
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if fields[k] == "" {
			continue
		}
		if err := mw.WriteField(k, fields[k]); err != nil {
			return fmt.Errorf("api: %s: building the upload: %w", ep.Path, err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename=%q; filelength=%d`, filename, len(data)))
	ct := mime.TypeByExtension(extOf(filename))
	if ct == "" {
		ct = http.DetectContentType(data)
	}
	h.Set("Content-Type", ct)
	pw, err := mw.CreatePart(h)
	if err == nil {
		_, err = pw.Write(data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return fmt.Errorf("api: %s: building the upload: %w", ep.Path, err)
	}
	payload := buf.Bytes()
	x, _, err := c.exchange(ctx, ep, q, ep.Idempotent, func() (io.Reader, string) {
		return bytes.NewReader(payload), mw.FormDataContentType()
	}, maxJSONBody)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(x.body, out); err != nil {
		return fmt.Errorf("api: %s %s: decoding the answer: %w", ep.Method, ep.Path, err)
	}
	return nil
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// downloadJSON fetches a permanent material (material/get_material): the
// media id goes in a JSON body, and the answer is the file's bytes or, for a
// video, a JSON description with its download URL.
func (c *client) downloadJSON(ctx context.Context, ep *Endpoint, q url.Values, req any, m *MaterialFile) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("api: %s: encoding the request: %w", ep.Path, err)
	}
	x, _, err := c.exchange(ctx, ep, q, ep.Idempotent, func() (io.Reader, string) {
		return bytes.NewReader(body), "application/json; charset=utf-8"
	}, maxMediaBody)
	if err != nil {
		return err
	}
	ct := x.header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/plain") {
		if err := json.Unmarshal(x.body, m); err == nil && (m.DownURL != "" || len(m.NewsItem) > 0) {
			m.ContentType = ct
			return nil
		}
	}
	return fillMedia(&m.Media, x)
}

// download fetches raw media; a JSON errcode body becomes an *APIError.
func (c *client) download(ctx context.Context, ep *Endpoint, q url.Values, m *Media) error {
	x, _, err := c.exchange(ctx, ep, q, ep.Idempotent, func() (io.Reader, string) { return nil, "" }, maxMediaBody)
	if err != nil {
		return err
	}
	ct := x.header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") || strings.HasPrefix(ct, "text/plain") {
		var v struct {
			VideoURL string `json:"video_url"`
		}
		if json.Unmarshal(x.body, &v) == nil && v.VideoURL != "" {
			m.VideoURL = v.VideoURL
			m.ContentType = ct
			return nil
		}
	}
	return fillMedia(m, x)
}

// fillMedia takes a downloaded file's bytes, type, name and size from x.
func fillMedia(m *Media, x exchange) error {
	m.ContentType = x.header.Get("Content-Type")
	m.Body = x.body
	m.Total = int64(len(x.body))
	if x.status == http.StatusPartialContent {
		m.Total = -1
		// Content-Range: bytes FIRST-LAST/TOTAL
		if cr := x.header.Get("Content-Range"); cr != "" {
			if i := strings.LastIndexByte(cr, '/'); i >= 0 {
				if n, err := strconv.ParseInt(cr[i+1:], 10, 64); err == nil {
					m.Total = n
				}
			}
		}
	}
	if _, params, err := mime.ParseMediaType(x.header.Get("Content-Disposition")); err == nil {
		m.Filename = params["filename"]
	}
	return nil
}
