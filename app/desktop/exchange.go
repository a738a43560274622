package desktop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/emulator"
)

// ExchangeDTO is one API request a send made and the raw answer, as the
// WeCom API debug tool (接口调试工具) shows them. The query (which carries
// access_token) is never kept; token and ticket fetches are left out, and
// any access_token or ticket field in a body is masked.
type ExchangeDTO struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	Status   int    `json:"status"`
	Request  string `json:"request"`  // the JSON body sent; for an upload, a description of the form
	Response string `json:"response"` // the body as received
}

// exchanges collects the ExchangeDTOs of one service call; the call
// logger fills it when the request context carries one.
type exchanges struct {
	mu   sync.Mutex
	list []ExchangeDTO
}

type exchangesKey struct{}

// withExchanges returns ctx recording into a new exchanges.
func withExchanges(ctx context.Context) (context.Context, *exchanges) {
	x := &exchanges{}
	return context.WithValue(ctx, exchangesKey{}, x), x
}

func (x *exchanges) all() []ExchangeDTO {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]ExchangeDTO(nil), x.list...)
}

// maxShown bounds a request or response body kept for display.
const maxShown = 64 << 10

// tokenFields matches JSON string fields that carry a token or ticket.
var tokenFields = regexp.MustCompile(`("(?:access_token|ticket|jsapi_ticket|suite_access_token|provider_access_token|refresh_token)"\s*:\s*")[^"]*(")`)

func maskSecrets(s string) string { return tokenFields.ReplaceAllString(s, "${1}***${2}") }

// tokenPath reports whether path fetches a token or ticket (not shown).
func tokenPath(path string) bool {
	return strings.HasSuffix(path, "/gettoken") || strings.HasSuffix(path, "/cgi-bin/token") ||
		strings.Contains(path, "ticket")
}

// exchangeRecorder keeps, for a service call whose context carries
// exchanges, each request's body and the raw answer (the answer is passed
// on intact).
type exchangeRecorder struct{ next http.RoundTripper }

func (r *exchangeRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	x, _ := req.Context().Value(exchangesKey{}).(*exchanges)
	if x == nil || tokenPath(req.URL.Path) {
		return r.next.RoundTrip(req)
	}
	shown := ExchangeDTO{Method: req.Method, Path: req.URL.Path, Request: recordRequest(req)}
	defer func() {
		x.mu.Lock()
		x.list = append(x.list, shown)
		x.mu.Unlock()
	}()
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		shown.Response = api.Redact(err.Error(), req.URL.RawQuery)
		return nil, err
	}
	shown.Status = resp.StatusCode
	ct := resp.Header.Get("Content-Type")
	if !strings.Contains(ct, "json") && ct != "" && !strings.HasPrefix(ct, "text/plain") {
		shown.Response = ct
		return resp, nil
	}
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, maxShown))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
	shown.Response = maskSecrets(indentJSON(peek))
	return resp, nil
}

// recordRequest reads the body of req for display (and puts it back).
func recordRequest(req *http.Request) string {
	ct := req.Header.Get("Content-Type")
	if req.Body == nil || req.GetBody == nil && req.ContentLength == 0 {
		return ""
	}
	if !strings.Contains(ct, "json") {
		return ct + ", " + strconv.FormatInt(req.ContentLength, 10) + " bytes"
	}
	if req.GetBody == nil {
		return ""
	}
	body, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer body.Close()
	b, _ := io.ReadAll(io.LimitReader(body, maxShown))
	return maskSecrets(indentJSON(b))
}

func indentJSON(b []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") == nil {
		return out.String()
	}
	return string(b)
}

// ChoicesDTO are values a form can offer: the emulator's members,
// departments, followers and templates (empty for a real account, whose
// lists wwkit does not fetch).
type ChoicesDTO struct {
	Users       []ChoiceDTO `json:"users"`
	Departments []ChoiceDTO `json:"departments"`
	OpenIDs     []ChoiceDTO `json:"openids"`
	Templates   []ChoiceDTO `json:"templates"`
}

// ChoiceDTO is one value with a label to show.
type ChoiceDTO struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Choices returns what the Messages forms offer for the profile ("" =
// active): for an emulator profile its members and departments (WeCom) or
// followers and templates (Official Account); nothing otherwise.
func (s *MessageService) Choices(profile string) (ChoicesDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	e, _, err := s.app.entry(profile)
	if err != nil {
		return ChoicesDTO{}, err
	}
	d := ChoicesDTO{Users: []ChoiceDTO{}, Departments: []ChoiceDTO{}, OpenIDs: []ChoiceDTO{}, Templates: []ChoiceDTO{}}
	l, err := s.app.current()
	if err != nil || !e.Emulated || l.emulatorURL == "" {
		return d, nil
	}
	var st emulator.State
	if err := s.app.getJSON(ctx, l.emulatorURL+"/__emulator/state", &st); err != nil {
		// The choices are a convenience: the forms still take typed values.
		return d, nil
	}
	for _, u := range st.WeCom.Users {
		d.Users = append(d.Users, ChoiceDTO{Value: u.UserID, Label: u.Name})
	}
	for _, dep := range st.WeCom.Departments {
		d.Departments = append(d.Departments, ChoiceDTO{Value: strconv.FormatInt(dep.ID, 10), Label: dep.Name})
	}
	for _, f := range st.MP.Followers {
		d.OpenIDs = append(d.OpenIDs, ChoiceDTO{Value: f.OpenID, Label: f.Nickname})
	}
	for _, t := range st.MP.Templates {
		d.Templates = append(d.Templates, ChoiceDTO{Value: t.ID, Label: t.Title})
	}
	return d, nil
}
