package jssdk

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/internal/jsonlite"
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
// agentid), so a page's parameters can be pasted as they are. It reads the
// same JSON as encoding/json would into the struct (keys matched exactly,
// then case-insensitively; null leaves a field as it is), with ParseInput's
// errors.
func (in *Input) UnmarshalJSON(b []byte) error {
	v, err := ParseInput(b)
	if err != nil {
		return err
	}
	*in = v
	return nil
}

// FlexText is a JSON string or number kept as text (pages pass agentid both
// ways).
type FlexText string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		*f = ""
		return nil
	}
	v, err := jsonlite.Parse(b)
	if err != nil {
		return errors.New("jssdk: agentId is not valid JSON: " + err.Error())
	}
	return f.set(v)
}

var errAgentIDType = errors.New("jssdk: agentId must be a number or a string")

func (f *FlexText) set(v jsonlite.Value) error {
	switch v.Kind {
	case jsonlite.Null:
		*f = ""
	case jsonlite.String, jsonlite.Number:
		*f = FlexText(v.Text)
	default:
		return errAgentIDType
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
	if len(b) == 0 {
		return nil
	}
	v, err := jsonlite.Parse(b)
	if err != nil {
		return errors.New("jssdk: timestamp is not valid JSON: " + err.Error())
	}
	return t.set(v)
}

var errTimestampType = errors.New("jssdk: timestamp must be a number or a string")

func (t *Timestamp) set(v jsonlite.Value) error {
	switch v.Kind {
	case jsonlite.Null:
		*t = Timestamp{}
	case jsonlite.String:
		*t = Timestamp{Text: v.Text, Raw: v.Text, IsString: true, Set: true}
	case jsonlite.Number:
		*t = Timestamp{Text: jsNumberText(v.Text), Raw: v.Text, Set: true}
	default:
		*t = Timestamp{}
		return errTimestampType
	}
	return nil
}

// MarshalJSON writes the timestamp back in the form it was given.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if !t.Set {
		return []byte("null"), nil
	}
	return t.appendJSON(nil), nil
}

func (t Timestamp) appendJSON(b []byte) []byte {
	if !t.Set {
		return append(b, "null"...)
	}
	if !t.IsString && jsonlite.Valid([]byte(t.Raw)) {
		return append(b, t.Raw...)
	}
	return jsonlite.AppendString(b, t.Raw)
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
// column; type errors name the field. It accepts what encoding/json would
// accept into Input (the differential tests and FuzzParseInputStd hold it to
// that) without linking encoding/json, which the WASM bundle cannot afford.
func ParseInput(data []byte) (Input, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Input{}, errors.New("jssdk: input is empty: give a JSON object like {\"appId\":…,\"timestamp\":…,\"nonceStr\":…,\"signature\":…,\"url\":…}")
	}
	in, err := decodeInput(data)
	if err == nil {
		return in, nil
	}
	// A type switch, not errors.As: decodeInput returns these unwrapped, and
	// errors.As links reflection into the WASM bundle.
	switch e := err.(type) {
	case *jsonlite.SyntaxError:
		se := e
		line, col := lineCol(data, se.Offset)
		return Input{}, errors.New("jssdk: input is not valid JSON at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ": " + se.Msg)
	case *typeError:
		te := e
		line, col := lineCol(data, int64(te.offset))
		if te.field == "" {
			return Input{}, errors.New("jssdk: input is a JSON " + te.value + ", not an object (line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + "): give a JSON object like {\"appId\":…,\"timestamp\":…,\"nonceStr\":…,\"signature\":…,\"url\":…}")
		}
		return Input{}, errors.New("jssdk: input field " + strconv.Quote(te.field) + " at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ": expected " + te.typ + ", got a JSON " + te.value)
	}
	return Input{}, err
}

// typeError is a value of the wrong JSON type for a field, with what
// encoding/json's UnmarshalTypeError would say.
type typeError struct {
	field  string // JSON name of the field; "" for the top level
	typ    string // Go type expected: string, []string, bool, int64
	value  string // JSON kind found ("number", "array", "number 1.5" …)
	offset int    // like UnmarshalTypeError.Offset
}

func (e *typeError) Error() string {
	return "jssdk: input field " + strconv.Quote(e.field) + ": expected " + e.typ + ", got a JSON " + e.value
}

func newTypeError(field, typ string, v jsonlite.Value) *typeError {
	off := v.End
	if v.Kind == jsonlite.Array || v.Kind == jsonlite.Object {
		off = v.Start + 1
	}
	return &typeError{field: field, typ: typ, value: v.Kind.Name(), offset: off}
}

// inputKeys are Input's JSON names in field order, then the wx.agentConfig
// aliases. Order matters: a key matching none exactly takes the first that
// matches case-insensitively, as encoding/json does.
var inputKeys = [...]string{"platform", "appId", "agentId", "kind", "timestamp", "nonceStr", "signature", "jsApiList", "beta", "url", "landingUrl", "signedUrl", "userAgent", "ticket", "agentTicket", "previousTicket", "now", "corpid", "agentid"}

func inputKey(k string) int {
	for i, name := range inputKeys {
		if name == k {
			return i
		}
	}
	for i, name := range inputKeys {
		if strings.EqualFold(name, k) {
			return i
		}
	}
	return -1
}

// decodeInput maps a parsed JSON object onto Input with encoding/json's
// rules: unknown keys are ignored, the last duplicate wins, null leaves a
// plain field unchanged (and clears the timestamp, agentId and jsApiList), a
// wrong type is remembered and decoding goes on (the first one is returned),
// while the timestamp and agentId report their own errors at once.
func decodeInput(data []byte) (Input, error) {
	v, err := jsonlite.Parse(data)
	if err != nil {
		return Input{}, err
	}
	switch v.Kind {
	case jsonlite.Null:
		return Input{}, nil
	case jsonlite.Object:
	default:
		return Input{}, newTypeError("", "object", v)
	}
	var (
		in       Input
		saved    *typeError
		corpID   string
		corpSet  bool
		agentID2 FlexText
		agentSet bool
	)
	str := func(dst *string, name string, v jsonlite.Value) {
		switch v.Kind {
		case jsonlite.Null:
		case jsonlite.String:
			*dst = v.Text
		default:
			if saved == nil {
				saved = newTypeError(name, "string", v)
			}
		}
	}
	for _, m := range v.Members {
		k := inputKey(m.Key)
		if k < 0 {
			continue
		}
		name, val := inputKeys[k], m.Value
		switch name {
		case "platform":
			str(&in.Platform, name, val)
		case "appId":
			str(&in.AppID, name, val)
		case "agentId":
			if err := in.AgentID.set(val); err != nil {
				return Input{}, err
			}
		case "kind":
			str(&in.Kind, name, val)
		case "timestamp":
			if err := in.Timestamp.set(val); err != nil {
				return Input{}, err
			}
		case "nonceStr":
			str(&in.NonceStr, name, val)
		case "signature":
			str(&in.Signature, name, val)
		case "jsApiList":
			switch val.Kind {
			case jsonlite.Null:
				in.JSAPIList = nil
			case jsonlite.Array:
				in.JSAPIList = decodeStrings(in.JSAPIList, val, name, &saved)
			default:
				if saved == nil {
					saved = newTypeError(name, "[]string", val)
				}
			}
		case "beta":
			switch val.Kind {
			case jsonlite.Null:
			case jsonlite.Bool:
				in.Beta = val.Text == "true"
			default:
				if saved == nil {
					saved = newTypeError(name, "bool", val)
				}
			}
		case "url":
			str(&in.URL, name, val)
		case "landingUrl":
			str(&in.LandingURL, name, val)
		case "signedUrl":
			str(&in.SignedURL, name, val)
		case "userAgent":
			str(&in.UserAgent, name, val)
		case "ticket":
			str(&in.Ticket, name, val)
		case "agentTicket":
			str(&in.AgentTicket, name, val)
		case "previousTicket":
			str(&in.PreviousTicket, name, val)
		case "now":
			switch val.Kind {
			case jsonlite.Null:
			case jsonlite.Number:
				n, err := strconv.ParseInt(val.Text, 10, 64)
				if err != nil {
					if saved == nil {
						saved = newTypeError(name, "int64", val)
						saved.value = "number " + val.Text
					}
					continue
				}
				in.Now = n
			default:
				if saved == nil {
					saved = newTypeError(name, "int64", val)
				}
			}
		case "corpid":
			switch val.Kind {
			case jsonlite.Null:
				corpID, corpSet = "", false
			case jsonlite.String:
				corpID, corpSet = val.Text, true
			default:
				if saved == nil {
					saved = newTypeError(name, "string", val)
				}
			}
		case "agentid":
			if val.Kind == jsonlite.Null {
				agentID2, agentSet = "", false
				continue
			}
			if err := agentID2.set(val); err != nil {
				return Input{}, err
			}
			agentSet = true
		}
	}
	if saved != nil {
		return Input{}, saved
	}
	if in.AppID == "" && corpSet {
		in.AppID = corpID
	}
	if in.AgentID == "" && agentSet {
		in.AgentID = agentID2
	}
	return in, nil
}

// decodeStrings decodes a JSON array into old's backing array the way
// encoding/json fills a slice: elements are overwritten in place, a null
// element keeps what was there, an empty array gives an empty, non-nil
// slice.
func decodeStrings(old []string, v jsonlite.Value, name string, saved **typeError) []string {
	s := old
	for i, el := range v.Elems {
		if i >= cap(s) {
			s = slices.Grow(s, 1)
		}
		if i >= len(s) {
			s = s[:i+1]
		}
		switch el.Kind {
		case jsonlite.Null:
		case jsonlite.String:
			s[i] = el.Text
		default:
			if *saved == nil {
				*saved = newTypeError(name, "string", el)
			}
		}
	}
	if len(v.Elems) == 0 {
		return []string{}
	}
	return s[:len(v.Elems)]
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
