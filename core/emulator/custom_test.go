package emulator

import (
	"encoding/json"
	"testing"
)

// TestCustomPayloadChecks checks the fields the emulator requires of each
// customer-service message type (api-reference.md B7).
func TestCustomPayloadChecks(t *testing.T) {
	for _, tc := range []struct {
		msgType, payload string
		code             int
	}{
		{"text", `{"content":"hi"}`, 0},
		{"text", `{"content":""}`, 44004},
		{"image", `{"media_id":"M"}`, 0},
		{"voice", `{}`, 40058},
		{"video", `{"media_id":"M"}`, 40058},
		{"video", `{"media_id":"M","thumb_media_id":"T"}`, 0},
		{"music", `{"musicurl":"https://m.example.com/a.mp3","thumb_media_id":"T"}`, 0},
		{"music", `{"thumb_media_id":"T"}`, 40058},
		{"news", `{"articles":[{"title":"a"}]}`, 0},
		{"news", `{"articles":[{"title":"a"},{"title":"b"}]}`, 40058},
		{"news", `{"articles":[{"url":"https://x"}]}`, 41016},
		{"mpnews", `{"media_id":"M"}`, 0},
		{"mpnewsarticle", `{"article_id":""}`, 40058},
		{"msgmenu", `{"list":[{"id":"1","content":"好"}]}`, 0},
		{"msgmenu", `{"list":[]}`, 40058},
		{"msgmenu", `{"list":[{"id":"1"}]}`, 40058},
		{"wxcard", `{"card_id":"C"}`, 0},
		{"miniprogrampage", `{"title":"t","appid":"wx","pagepath":"p","thumb_media_id":"T"}`, 0},
		{"miniprogrampage", `{"title":"t","appid":"wx"}`, 40058},
		{"image", `"not an object"`, 47001},
	} {
		code, msg := checkCustomPayload(tc.msgType, json.RawMessage(tc.payload))
		if code != tc.code {
			t.Errorf("%s %s: %d %q, want %d", tc.msgType, tc.payload, code, msg, tc.code)
		}
	}
}
