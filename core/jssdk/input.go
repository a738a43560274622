package jssdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Input is what a page used for wx.config / wx.agentConfig, plus what the
// checker may know besides (the URL the server signed, the tickets). Its
// JSON form is read by the CLI (wwkit jssdk check) and the WASM module.
type Input struct {
	Platform       string    `json:"platform,omitempty"` // "wecom" or "mp"; guessed from kind, appId and userAgent when empty
	AppID          string    `json:"appId"`              // appId / corpid passed to the page
	AgentID        FlexText  `json:"agentId,omitempty"`  // agentid (wx.agentConfig)
	Kind           string    `json:"kind,omitempty"`     // "config" (default) or "agentConfig"
	Timestamp      Timestamp `json:"timestamp"`          // number or string, as the page passed it
	NonceStr       string    `json:"nonceStr"`
	Signature      string    `json:"signature"`
	JSAPIList      []string  `json:"jsApiList,omitempty"`
	Beta           bool      `json:"beta,omitempty"`
	URL            string    `json:"url"`                  // location.href when wx.config ran
	LandingURL     string    `json:"landingUrl,omitempty"` // location.href when the page first loaded (SPA)
	SignedURL      string    `json:"signedUrl,omitempty"`  // the URL the server actually signed, when known
	UserAgent      string    `json:"userAgent,omitempty"`
	Ticket         string    `json:"ticket,omitempty"`      // corp (WeCom) or MP jsapi_ticket
	AgentTicket    string    `json:"agentTicket,omitempty"` // WeCom agent_config ticket
	PreviousTicket string    `json:"previousTicket,omitempty"`
	Now            int64     `json:"now,omitempty"` // unix seconds; 0 means the checker's clock
}

// UnmarshalJSON accepts the field names of wx.agentConfig too (corpid,
// agentid), so a page's parameters can be pasted as they are.
func (in *Input) UnmarshalJSON(b []byte) error {
	type plain Input
	var aux struct {
		plain
		CorpID   *string   `json:"corpid"`
		AgentID2 *FlexText `json:"agentid"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*in = Input(aux.plain)
	if in.AppID == "" && aux.CorpID != nil {
		in.AppID = *aux.CorpID
	}
	if in.AgentID == "" && aux.AgentID2 != nil {
		in.AgentID = *aux.AgentID2
	}
	return nil
}

// FlexText is a JSON string or number kept as text (pages pass agentid both
// ways).
type FlexText string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexText(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = FlexText(b)
	default:
		return errors.New("jssdk: agentId must be a number or a string")
	}
	return nil
}

// Timestamp is the timestamp a page passed, as a JSON number or string.
// Text is what the client signs: String(timestamp) in JavaScript.
type Timestamp struct {
	Text     string // String(timestamp) as the JS client would render it
	Raw      string // the JSON literal or string content as given
	IsString bool   // given as a JSON string
	Set      bool   // present and not null
}

// TimestampOf returns a Timestamp for integer seconds.
func TimestampOf(sec int64) Timestamp {
	s := strconv.FormatInt(sec, 10)
	return Timestamp{Text: s, Raw: s, Set: true}
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = Timestamp{}
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Timestamp{Text: s, Raw: s, IsString: true, Set: true}
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		raw := string(b)
		*t = Timestamp{Text: jsNumberText(raw), Raw: raw, Set: true}
	default:
		return errors.New("jssdk: timestamp must be a number or a string")
	}
	return nil
}

// MarshalJSON writes the timestamp back in the form it was given.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if !t.Set {
		return []byte("null"), nil
	}
	if !t.IsString && json.Valid([]byte(t.Raw)) {
		return []byte(t.Raw), nil
	}
	return json.Marshal(t.Raw)
}

// jsNumberText renders a JSON number literal the way JavaScript's
// String(n) would (1.7e9 → "1700000000"), since the client signs that.
func jsNumberText(lit string) string {
	if isDigits(lit) {
		return lit
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return lit
	}
	if f == 0 {
		return "0"
	}
	a := f
	if a < 0 {
		a = -a
	}
	if a >= 1e-7 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseInput decodes the JSON form of Input. Syntax errors name the line and
// column; type errors name the field.
func ParseInput(data []byte) (Input, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Input{}, errors.New("jssdk: input is empty: give a JSON object like {\"appId\":…,\"timestamp\":…,\"nonceStr\":…,\"signature\":…,\"url\":…}")
	}
	var in Input
	err := json.Unmarshal(data, &in)
	if err == nil {
		return in, nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		return Input{}, fmt.Errorf("jssdk: input is not valid JSON at line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset)
		return Input{}, fmt.Errorf("jssdk: input field %q at line %d, column %d: expected %v, got a JSON %s", strings.TrimPrefix(te.Field, "plain."), line, col, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "jssdk:"):
		return Input{}, err
	}
	return Input{}, fmt.Errorf("jssdk: input is not a valid config object: %v", err)
}

func lineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	line, col = 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
