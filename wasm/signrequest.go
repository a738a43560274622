package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/internal/jsonlite"
)

// signRequest is what sign() receives: {ticket, nonceStr, timestamp, url}.
// Timestamp is kept as given; signJSON decides whether it is integer seconds.
type signRequest struct {
	Ticket    string
	NonceStr  string
	Timestamp jssdk.Timestamp
	URL       string
}

var signRequestKeys = [...]string{"ticket", "nonceStr", "timestamp", "url"}

// parseSignRequest reads {ticket, nonceStr, timestamp, url} with the rules
// encoding/json applies with DisallowUnknownFields: keys match exactly, then
// case-insensitively; any other key is an error; null leaves a field as it
// is (and clears the timestamp). The errors name the problem (unknown key,
// wrong type, bad JSON); it never panics. It uses jsonlite rather than
// encoding/json to keep reflect out of the module.
func parseSignRequest(in []byte) (signRequest, error) {
	var req signRequest
	v, err := jsonlite.Parse(in)
	if err != nil {
		return req, errors.New("jssdk: sign request is not valid JSON: " + err.Error())
	}
	switch v.Kind {
	case jsonlite.Null:
		return req, nil
	case jsonlite.Object:
	default:
		return req, errors.New("jssdk: sign request is a JSON " + v.Kind.Name() + ", not an object")
	}
	var typeErr error
	for _, m := range v.Members {
		k := -1
		for i, name := range signRequestKeys {
			if name == m.Key {
				k = i
				break
			}
		}
		if k < 0 {
			for i, name := range signRequestKeys {
				if strings.EqualFold(name, m.Key) {
					k = i
					break
				}
			}
		}
		if k < 0 {
			return signRequest{}, errors.New("jssdk: sign request has an unknown field " + strconv.Quote(m.Key) + ": send only ticket, nonceStr, timestamp and url")
		}
		val := m.Value
		if k == 2 {
			if err := setTimestamp(&req.Timestamp, val); err != nil {
				return signRequest{}, err
			}
			continue
		}
		dst := [...]*string{&req.Ticket, &req.NonceStr, nil, &req.URL}[k]
		switch val.Kind {
		case jsonlite.Null:
		case jsonlite.String:
			*dst = val.Text
		default:
			if typeErr == nil {
				typeErr = errors.New("jssdk: sign request field " + strconv.Quote(signRequestKeys[k]) + " must be a string, got a JSON " + val.Kind.Name())
			}
		}
	}
	if typeErr != nil {
		return signRequest{}, typeErr
	}
	return req, nil
}

// setTimestamp sets t from a parsed JSON value as jssdk.Timestamp's
// UnmarshalJSON would: a number keeps its literal (rendered as JavaScript's
// String(n) in Text), a string is taken as is, null clears it.
func setTimestamp(t *jssdk.Timestamp, v jsonlite.Value) error {
	switch v.Kind {
	case jsonlite.Null:
		*t = jssdk.Timestamp{}
	case jsonlite.String:
		*t = jssdk.Timestamp{Text: v.Text, Raw: v.Text, IsString: true, Set: true}
	case jsonlite.Number:
		return t.UnmarshalJSON([]byte(v.Text))
	default:
		*t = jssdk.Timestamp{}
		return errors.New("jssdk: timestamp must be a number or a string")
	}
	return nil
}
