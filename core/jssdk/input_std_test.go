package jssdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// This file keeps the encoding/json implementation of ParseInput that
// jsonlite replaced (the WASM bundle cannot afford encoding/json), as
// the oracle of a differential test and fuzz target.

type stdFlexText string

func (f *stdFlexText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = stdFlexText(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = stdFlexText(b)
	default:
		return errors.New("jssdk: agentId must be a number or a string")
	}
	return nil
}

type stdTimestamp Timestamp

func (t *stdTimestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = stdTimestamp{}
	switch {
	case len(b) == 0 || string(b) == "null":
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = stdTimestamp{Text: s, Raw: s, IsString: true, Set: true}
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		raw := string(b)
		*t = stdTimestamp{Text: jsNumberText(raw), Raw: raw, Set: true}
	default:
		return errors.New("jssdk: timestamp must be a number or a string")
	}
	return nil
}

type stdInput struct {
	Platform       string       `json:"platform,omitempty"`
	AppID          string       `json:"appId"`
	AgentID        stdFlexText  `json:"agentId,omitempty"`
	Kind           string       `json:"kind,omitempty"`
	Timestamp      stdTimestamp `json:"timestamp"`
	NonceStr       string       `json:"nonceStr"`
	Signature      string       `json:"signature"`
	JSAPIList      []string     `json:"jsApiList,omitempty"`
	Beta           bool         `json:"beta,omitempty"`
	URL            string       `json:"url"`
	LandingURL     string       `json:"landingUrl,omitempty"`
	SignedURL      string       `json:"signedUrl,omitempty"`
	UserAgent      string       `json:"userAgent,omitempty"`
	Ticket         string       `json:"ticket,omitempty"`
	AgentTicket    string       `json:"agentTicket,omitempty"`
	PreviousTicket string       `json:"previousTicket,omitempty"`
	Now            int64        `json:"now,omitempty"`
}

type stdAux struct {
	stdInput
	CorpID   *string      `json:"corpid"`
	AgentID2 *stdFlexText `json:"agentid"`
}

// stdParseInput is the former ParseInput on encoding/json. It returns the
// error message, and whether the error was a type error of the top level
// (which ParseInput now words differently).
func stdParseInput(data []byte) (in Input, msg string, topLevel bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Input{}, "jssdk: input is empty", false
	}
	var aux stdAux
	err := json.Unmarshal(data, &aux)
	if err == nil {
		p := aux.stdInput
		in = Input{Platform: p.Platform, AppID: p.AppID, AgentID: FlexText(p.AgentID), Kind: p.Kind, Timestamp: Timestamp(p.Timestamp),
			NonceStr: p.NonceStr, Signature: p.Signature, JSAPIList: p.JSAPIList, Beta: p.Beta, URL: p.URL, LandingURL: p.LandingURL,
			SignedURL: p.SignedURL, UserAgent: p.UserAgent, Ticket: p.Ticket, AgentTicket: p.AgentTicket, PreviousTicket: p.PreviousTicket, Now: p.Now}
		if in.AppID == "" && aux.CorpID != nil {
			in.AppID = *aux.CorpID
		}
		if in.AgentID == "" && aux.AgentID2 != nil {
			in.AgentID = FlexText(*aux.AgentID2)
		}
		return in, "", false
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset)
		return Input{}, fmt.Sprintf("jssdk: input is not valid JSON at line %d, column %d: %v", line, col, se), false
	case errors.As(err, &te):
		if te.Field == "" {
			return Input{}, "", true
		}
		field := te.Field
		if i := strings.LastIndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		line, col := lineCol(data, te.Offset)
		return Input{}, fmt.Sprintf("jssdk: input field %q at line %d, column %d: expected %v, got a JSON %s", field, line, col, te.Type, te.Value), false
	}
	return Input{}, err.Error(), false
}

func checkParseInputStd(t *testing.T, data []byte) {
	t.Helper()
	want, wantMsg, top := stdParseInput(data)
	got, err := ParseInput(data)
	switch {
	case top:
		if err == nil || !strings.HasPrefix(err.Error(), "jssdk: input is a JSON ") {
			t.Fatalf("%q: err = %v, want the not-an-object error", data, err)
		}
	case wantMsg != "":
		if err == nil || (err.Error() != wantMsg && !strings.HasPrefix(err.Error(), wantMsg+":")) {
			t.Fatalf("%q:\n got err %v\nwant err %s", data, err, wantMsg)
		}
	case err != nil:
		t.Fatalf("%q: err %v, encoding/json accepted it as %+v", data, err, want)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%q:\n got %#v\nwant %#v", data, got, want)
	}
	if err != nil && !reflect.DeepEqual(got, Input{}) {
		t.Fatalf("%q: on error the input must be zero: %+v", data, got)
	}
}

var parseInputSeeds = []string{
	`{}`, `null`, ` {"appId":"wx1"} `, `{"APPID":"a","AppId":"b"}`, `{"appid":"x","corpid":"y"}`, `{"corpid":"y"}`, `{"CORPID":"y"}`, `{"corpid":null}`,
	`{"agentid":5}`, `{"agentId":"7","agentid":5}`, `{"AGENTID":9}`, `{"agentid":null}`, `{"agentid":true}`, `{"agentId":{}}`, `{"agentId":null}`,
	`{"timestamp":1.5e9}`, `{"timestamp":"17"}`, `{"timestamp":null}`, `{"timestamp":[]}`, `{"timestamp":true}`, `{"timestamp":-0.0}`,
	`{"jsApiList":[]}`, `{"jsApiList":null}`, `{"jsApiList":["a",null,"b"]}`, `{"jsApiList":["a","b"],"jsApiList":[null]}`, `{"jsApiList":"a"}`, `{"jsApiList":[1]}`,
	`{"beta":true}`, `{"beta":"true"}`, `{"beta":null}`, `{"now":1700000000}`, `{"now":1.5}`, `{"now":1e3}`, `{"now":99999999999999999999}`, `{"now":"1"}`,
	`{"appId": 12}`, `{"appId": {}}`, `{"appId": []}`, `{"appId": true}`, `{"appId":1,"timestamp":{}}`, `{"appId":1,"beta":"x"}`,
	"{\n  \"appId\": \"wx\",\n  \"timestamp\": 17,\n}", `[1,2]`, `"str"`, `12`, `true`, "\n\n {\"appId\": 12}", `{"ſignature":"s","K":1}`, `{"url":"a\u2028\ud800"}`,
	`{"appId":"x"} x`, `{"appId":"x",}`, `{"a":`,
}

func TestParseInputMatchesEncodingJSON(t *testing.T) {
	for _, s := range parseInputSeeds {
		checkParseInputStd(t, []byte(s))
	}
}

// FuzzParseInputStd: ParseInput accepts, decodes and rejects (with the same
// message, line and column) exactly as the encoding/json implementation did.
func FuzzParseInputStd(f *testing.F) {
	for _, s := range parseInputSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkParseInputStd)
}
