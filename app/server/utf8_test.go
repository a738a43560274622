package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestInvalidUTF8Rejected posts an authenticated message (signed and
// encrypted with the profile's keys) whose Content holds bytes that are not
// UTF-8: it is refused with 400, recorded as a refused callback whose
// detail names the problem and the offset, and the inbox stays empty; the
// same message in valid UTF-8 is stored.
func TestInvalidUTF8Rejected(t *testing.T) {
	e := start(t, nil)
	now := time.Now().Unix()
	msg := func(content string, id int) string {
		return fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId><AgentID>1000002</AgentID></xml>",
			e.st.WeCom.CorpID, now, content, id)
	}
	for _, bad := range []string{"ok \xff\xfe bad", "GBK \xc4\xe3\xba\xc3 text", "cut \xe4\xbd"} {
		body, query := signedPost(t, e, msg(bad, 41), now)
		st, answer := do(t, "POST", e.srv.URL()+"/callback/wecom?"+query, "", string(body), map[string]string{"Content-Type": "text/xml"})
		if st != 400 {
			t.Errorf("%q: answered %d %q; want 400", bad, st, answer)
			continue
		}
		var ans rejectedAnswer
		if code := getJSON(t, nil, e.srv.URL()+"/api/inbox?view=rejected", &ans); code != 200 || len(ans.Rejected) == 0 {
			t.Fatalf("%q: view=rejected answered %d %+v", bad, code, ans)
		}
		if d := ans.Rejected[0].Detail; !strings.Contains(d, "not valid UTF-8") || !strings.Contains(d, "offset") {
			t.Errorf("%q: refused with detail %q; want it to name invalid UTF-8 and where", bad, d)
		}
	}
	body, query := signedPost(t, e, msg("你好, valid", 42), now)
	if st, answer := do(t, "POST", e.srv.URL()+"/callback/wecom?"+query, "", string(body), map[string]string{"Content-Type": "text/xml"}); st != 200 {
		t.Fatalf("valid UTF-8: %d %q", st, answer)
	}
	var in inboxAnswer
	if code := getJSON(t, nil, e.srv.URL()+"/api/inbox", &in); code != 200 {
		t.Fatalf("inbox: %d", code)
	}
	if len(in.Entries) != 1 || !strings.Contains(in.Entries[0].XML, "你好, valid") {
		t.Fatalf("inbox: %d entries, want only the valid message: %+v", len(in.Entries), in.Entries)
	}
}
