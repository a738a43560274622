package hostile

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/wwkit/wwkit/app/server"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// httpCase is one hostile request from testdata/http.json. Strings in Query,
// Body and Header may hold placeholders filled per case:
//
//	$now $old $future  Unix seconds: now, one hour ago, one hour ahead
//	$nonce             a fresh nonce
//	$encrypt           the Encrypt value built by Encrypt (a generator name)
//	$sig               msg_signature over $encrypt with the profile's Token
//	$plainsig          the Official Account signature sha1(sort(Token, ts, nonce))
//	$clienttoken       the dev server's client token (X-Wwkit-Token)
//	$to $agent         the profile's receiveid and AgentID
type httpCase struct {
	Name        string            `json:"name"`
	Method      string            `json:"method"`
	Path        string            `json:"path"`
	Profile     string            `json:"profile"` // whose credentials fill the placeholders: wecom (default) or mp
	Query       map[string]string `json:"query"`
	Encrypt     string            `json:"encrypt"`  // generator of $encrypt, see encryptFor
	Body        string            `json:"body"`     // literal body template
	Generate    string            `json:"generate"` // generated body: deep-100k, big-10MB, wide-1M
	ContentType string            `json:"contentType"`
	Header      map[string]string `json:"header"`
	Remote      bool              `json:"remote"` // send as a forwarded (non-loopback) client

	Status     int    `json:"status"`
	Error      string `json:"error"`      // substring of the answer, the problem named
	Fix        string `json:"fix"`        // substring naming the fix, when there is one
	Stored     int64  `json:"stored"`     // inbox growth expected (0 for every rejected input)
	Repeat     int    `json:"repeat"`     // send the same request this many times (replays)
	Deliveries int    `json:"deliveries"` // expected deliveries of the newest inbox entry after the repeats
	Why        string `json:"why"`
}

func TestHostileHTTP(t *testing.T) {
	var cases []httpCase
	loadJSON(t, "http.json", &cases)
	if len(cases) < 40 {
		t.Fatalf("testdata/http.json has %d cases; the corpus lost its entries", len(cases))
	}
	s := startServe(t)
	seq := 0
	for _, c := range cases {
		seq++
		t.Run(c.Name, func(t *testing.T) {
			if c.Status == 0 || c.Path == "" || c.Method == "" {
				t.Fatalf("case needs method, path and status: %+v", c)
			}
			if c.Status >= 400 && c.Error == "" {
				t.Fatalf("a rejected case must name the expected error text")
			}
			before := s.healthz(t)
			cr := s.WeCom
			if c.Profile == "mp" {
				cr = s.MP
			}
			req := buildRequest(t, s, c, cr, seq)
			n := max(c.Repeat, 1)
			for i := 0; i < n; i++ {
				status, body := send(t, req)
				if status != c.Status {
					t.Fatalf("attempt %d: status %d, want %d; answer %q", i+1, status, c.Status, clip(body))
				}
				if !strings.Contains(body, c.Error) {
					t.Errorf("answer %q does not name the problem (want %q)", clip(body), c.Error)
				}
				if c.Fix != "" && !strings.Contains(body, c.Fix) {
					t.Errorf("answer %q does not name the fix (want %q)", clip(body), c.Fix)
				}
			}
			after := s.healthz(t)
			if got := after - before; got != c.Stored {
				t.Errorf("inbox grew by %d, want %d", got, c.Stored)
			}
			if c.Deliveries > 0 {
				if got := newestDeliveries(t, s); got != c.Deliveries {
					t.Errorf("newest inbox entry has %d deliveries, want %d", got, c.Deliveries)
				}
			}
		})
	}
	s.checkNoPanic(t)
}

// request is a built case, replayable byte for byte.
type request struct {
	method, url, contentType string
	header                   map[string]string
	body                     []byte
}

func buildRequest(t *testing.T, s *served, c httpCase, cr cred, seq int) request {
	t.Helper()
	now := time.Now().Unix()
	nonce := fmt.Sprintf("n%d%d", seq, time.Now().UnixNano()%1e6)
	ts := strconv.FormatInt(now, 10)
	if v, ok := c.Query["timestamp"]; ok {
		ts = strings.NewReplacer("$now", strconv.FormatInt(now, 10), "$old", strconv.FormatInt(now-3600, 10),
			"$future", strconv.FormatInt(now+3600, 10)).Replace(v)
	}
	if v, ok := c.Query["nonce"]; ok && v != "$nonce" {
		nonce = v
	}
	enc := ""
	if c.Encrypt != "" {
		enc = encryptFor(t, c.Encrypt, cr, seq)
	}
	clientToken, _ := server.ReadClientToken(s.Data)
	r := strings.NewReplacer("$clienttoken", clientToken, "$now", strconv.FormatInt(now, 10), "$old", strconv.FormatInt(now-3600, 10),
		"$future", strconv.FormatInt(now+3600, 10), "$nonce", nonce, "$encrypt", enc,
		"$sig", wxcrypt.Signature(cr.Token, ts, nonce, enc), "$plainsig", plainSignature(cr.Token, ts, nonce),
		"$to", cr.ReceiveID, "$agent", strconv.FormatInt(cr.AgentID, 10), "$seq", strconv.Itoa(seq))
	q := url.Values{}
	keys := make([]string, 0, len(c.Query))
	for k := range c.Query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		q.Set(k, r.Replace(c.Query[k]))
	}
	u := s.URL + c.Path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body []byte
	switch c.Generate {
	case "":
		body = []byte(r.Replace(c.Body))
	case "deep-100k":
		body = []byte(strings.Repeat("<a>", 100000) + "x" + strings.Repeat("</a>", 100000))
	case "big-10MB":
		body = []byte("<xml><Encrypt><![CDATA[" + strings.Repeat("A", 10<<20) + "]]></Encrypt></xml>")
	case "wide-1M":
		// Just under the 1 MiB limit: many flat elements, no nesting.
		body = []byte("<xml>" + strings.Repeat("<a/>", (1<<20-20)/4) + "</xml>")
	default:
		t.Fatalf("unknown generate %q", c.Generate)
	}
	h := map[string]string{}
	for k, v := range c.Header {
		h[k] = r.Replace(v)
	}
	if c.Remote {
		h["X-Forwarded-For"] = "203.0.113.9"
	}
	return request{method: c.Method, url: u, contentType: c.ContentType, header: h, body: body}
}

func send(t *testing.T, r request) (int, string) {
	t.Helper()
	req, err := http.NewRequest(r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, clip(r.url), err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func plainSignature(token, ts, nonce string) string {
	p := []string{token, ts, nonce}
	sort.Strings(p)
	sum := sha1.Sum([]byte(strings.Join(p, "")))
	return hex.EncodeToString(sum[:])
}

// newestDeliveries reads the newest inbox entry through the admin API.
func newestDeliveries(t *testing.T, s *served) int {
	t.Helper()
	tok, err := server.ReadClientToken(s.Data)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", s.URL+"/api/inbox?limit=1", nil)
	req.Header.Set(server.ClientTokenHeader, tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Entries []struct {
			Deliveries int `json:"deliveries"`
		} `json:"entries"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Entries) == 0 {
		t.Fatalf("/api/inbox: %v, %d entries", err, len(out.Entries))
	}
	return out.Entries[0].Deliveries
}

// textMessage is a WeCom/MP text message; msgID makes it unique.
func textMessage(cr cred, msgID int64) []byte {
	return []byte(fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hostile suite]]></Content>"+
		"<MsgId>%d</MsgId><AgentID>%d</AgentID></xml>", cr.ReceiveID, time.Now().Unix(), msgID, cr.AgentID))
}

// encryptFor builds the Encrypt value named by gen with the profile's key.
// The crafted ones are sealed with AES-CBC by hand so the server gets past
// the signature and meets exactly the flaw named.
func encryptFor(t *testing.T, gen string, cr cred, seq int) string {
	t.Helper()
	key, err := wxcrypt.DecodeAESKey(cr.AESKey)
	if err != nil {
		t.Fatal(err)
	}
	random := []byte("0123456789abcdef")
	uniqueID := time.Now().UnixNano()/1000 + int64(seq)
	frame := func(msg []byte, msgLen uint32, rid string) []byte {
		b := append([]byte{}, random...)
		b = binary.BigEndian.AppendUint32(b, msgLen)
		b = append(b, msg...)
		return append(b, rid...)
	}
	pad := func(b []byte) []byte {
		p := 32 - len(b)%32
		return append(b, bytes.Repeat([]byte{byte(p)}, p)...)
	}
	seal := func(key, plain []byte) string {
		if len(plain)%16 != 0 {
			t.Fatalf("generator %s: plaintext of %d bytes", gen, len(plain))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			t.Fatal(err)
		}
		ct := make([]byte, len(plain))
		cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(ct, plain)
		return base64.StdEncoding.EncodeToString(ct)
	}
	valid := func(msg []byte) string {
		return seal(key, pad(frame(msg, uint32(len(msg)), cr.ReceiveID)))
	}
	switch gen {
	case "valid":
		return valid(textMessage(cr, uniqueID))
	case "valid-fixed":
		// One MsgId for the whole run: replays of it must be stored once.
		return valid(textMessage(cr, 424242))
	case "echo":
		return valid([]byte("echo-from-hostile-suite"))
	case "bad-base64":
		return "!!not*base64::" + strings.Repeat("A", 30)
	case "truncated-base64":
		v := valid(textMessage(cr, uniqueID))
		return v[:len(v)-2]
	case "truncated-ciphertext":
		ct, _ := base64.StdEncoding.DecodeString(valid(textMessage(cr, uniqueID)))
		return base64.StdEncoding.EncodeToString(ct[:len(ct)-5])
	case "empty-ciphertext":
		return ""
	case "bad-padding":
		b := pad(frame(textMessage(cr, uniqueID), 0, cr.ReceiveID))
		b[len(b)-1] = 0 // a pad length of zero is never valid
		return seal(key, b)
	case "padding-over-block":
		b := frame(textMessage(cr, uniqueID), 0, cr.ReceiveID)
		b = append(b, bytes.Repeat([]byte{'x'}, 48-len(b)%16)...)
		b[len(b)-1] = 48 // longer than the 32-byte block
		return seal(key, b)
	case "length-overflow":
		msg := textMessage(cr, uniqueID)
		return seal(key, pad(frame(msg, 0xFFFFFFF0, cr.ReceiveID)))
	case "length-past-end":
		msg := textMessage(cr, uniqueID)
		return seal(key, pad(frame(msg, uint32(len(msg)+len(cr.ReceiveID)+1), cr.ReceiveID)))
	case "short-buffer":
		return seal(key, pad([]byte("0123456789")))
	case "wrong-receiveid":
		msg := textMessage(cr, uniqueID)
		return seal(key, pad(frame(msg, uint32(len(msg)), "ww0000000000000000")))
	case "wrong-key":
		other := bytes.Repeat([]byte{7}, 32)
		msg := textMessage(cr, uniqueID)
		return seal(other, pad(frame(msg, uint32(len(msg)), cr.ReceiveID)))
	case "not-xml":
		msg := []byte("this is not a callback message")
		return seal(key, pad(frame(msg, uint32(len(msg)), cr.ReceiveID)))
	case "inner-doctype":
		msg := []byte(`<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><MsgType>text</MsgType><Content>&b;</Content></xml>`)
		return seal(key, pad(frame(msg, uint32(len(msg)), cr.ReceiveID)))
	}
	t.Fatalf("unknown encrypt generator %q", gen)
	return ""
}
