package server_test

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// hostileMsgID is the MsgId of message i: numbers beyond int64, 20 digits,
// and texts that are no usable id at all, each kind repeated with
// different content from one user in one second.
func hostileMsgID(i int) (id string, present bool) {
	two63 := new(big.Int).Lsh(big.NewInt(1), 63)
	two64m1 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(1))
	switch i % 10 {
	case 0:
		return new(big.Int).Add(two63, big.NewInt(int64(i))).String(), true // 2^63 + i
	case 1:
		return new(big.Int).Sub(two64m1, big.NewInt(int64(i))).String(), true // 2^64-1 - i
	case 2:
		return fmt.Sprintf("9%019d", i), true // 20 digits, beyond 2^64
	case 3:
		return "", true
	case 4:
		return "0", true
	case 5:
		return "0x7fffffffffffffff", true
	case 6:
		return "-1", true
	case 7:
		return " 4561255354251345929 ", true
	case 8:
		return "00000000000000000000", true
	}
	return "", false // an event-like message with no MsgId at all
}

// TestHostileMsgIDs posts 1000 different messages through the real callback
// endpoint, encrypted and signed as WeCom would, with MsgIds the old integer
// key clamped (2^63 and up) or replaced by a sender+second key (empty, 0,
// hex, negative, padded): every one is its own row. Then 100 of them are
// retried with the same plaintext (freshly encrypted, as Tencent does): each
// is counted as a delivery of its first copy and answered with the same
// passive reply.
func TestHostileMsgIDs(t *testing.T) {
	e := start(t, nil)
	app := e.st.WeCom.Apps[0]
	c, err := wxcrypt.New(app.Token, app.EncodingAESKey, e.st.WeCom.CorpID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	const n, retried = 1000, 100
	plains := make([]string, n)
	for i := range plains {
		id, present := hostileMsgID(i)
		msgID := ""
		if present {
			msgID = "<MsgId>" + id + "</MsgId>"
		}
		plains[i] = fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[attacker]]></FromUserName><CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[message %d]]></Content>%s<AgentID>%d</AgentID></xml>",
			e.st.WeCom.CorpID, now, i, msgID, app.AgentID)
	}
	// post delivers message i and returns the decrypted passive reply.
	post := func(i int, nonce string) (string, error) {
		ts := strconv.FormatInt(now, 10)
		body, sig, err := c.EncryptRequest([]byte(plains[i]), e.st.WeCom.CorpID, strconv.FormatInt(app.AgentID, 10), ts, nonce)
		if err != nil {
			return "", err
		}
		resp, err := http.Post(e.srv.URL()+"/callback/wecom?msg_signature="+sig+"&timestamp="+ts+"&nonce="+nonce, "text/xml", bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("message %d: HTTP %d %s", i, resp.StatusCode, b)
		}
		env, err := wxcrypt.ParseEnvelope(b)
		if err != nil {
			return "", fmt.Errorf("message %d: reply %q: %v", i, b, err)
		}
		reply, _, err := c.Open(env.Encrypt)
		return string(reply), err
	}
	replies := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n+retried)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				r, err := post(i, fmt.Sprintf("first%d", i))
				if err != nil {
					errs <- err
					continue
				}
				replies[i] = r
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// Retries of ten messages of each kind, after the first copies were
	// answered (WeCom retries 5 s after an unanswered delivery).
	for k := 0; k < retried; k++ {
		i := k * 10 % n
		i += k / 10 // kinds 0…9, ten messages each
		r, err := post(i, fmt.Sprintf("retry%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if r != replies[i] {
			t.Errorf("retry of message %d (MsgId %q) answered %q, first answer %q", i, plains[i], r, replies[i])
		}
	}

	var in inboxAnswer
	var all []int
	deliveries := 0
	for before := int64(0); ; {
		u := e.srv.URL() + "/api/inbox?limit=1000"
		if before > 0 {
			u += "&before=" + strconv.FormatInt(before, 10)
		}
		in = inboxAnswer{}
		if code := getJSON(t, nil, u, &in); code != 200 {
			t.Fatalf("inbox: %d", code)
		}
		if len(in.Entries) == 0 {
			break
		}
		for _, en := range in.Entries {
			all = append(all, en.Deliveries)
			deliveries += en.Deliveries
			before = en.ID
		}
	}
	if len(all) != n {
		t.Errorf("the inbox has %d rows for %d different messages: distinct messages were merged", len(all), n)
	}
	if deliveries != n+retried {
		t.Errorf("deliveries add up to %d, want %d (%d messages + %d retries)", deliveries, n+retried, n, retried)
	}
}
