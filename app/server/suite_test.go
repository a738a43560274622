package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/app/suite"
	"github.com/wwkit/wwkit/core/wxcrypt"
)

const (
	testSuiteID  = "wwsuitetest0001"
	testSuiteTok = "suiteToken"
	testSuiteKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
)

// suitePush posts an instruction callback the way the provider platform
// does: encrypted with receiveid = SuiteID and signed.
func suitePush(t *testing.T, base, name, plain, receiveID string) (int, string) {
	t.Helper()
	c, err := wxcrypt.New(testSuiteTok, testSuiteKey, receiveID)
	if err != nil {
		t.Fatal(err)
	}
	ts := fmt.Sprint(time.Now().Unix())
	body, sig, err := c.EncryptRequest([]byte(plain), receiveID, "", ts, "n1")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/suite/"+name+"/callback?msg_signature="+sig+"&timestamp="+ts+"&nonce=n1", "text/xml", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func ticketXML(ticket string, ts int64) string {
	return fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType> <![CDATA[suite_ticket]]></InfoType><TimeStamp>%d</TimeStamp><SuiteTicket><![CDATA[%s]]></SuiteTicket></xml>`, testSuiteID, ts, ticket)
}

// TestSuiteInstructionCallback drives the suite callback URL over real
// HTTP: URL check, suite_ticket stored durably (another Store sees it) and
// masked in the inbox, a wrong receiveid refused, cancel_auth marking the
// corp so signing for it names the cancellation.
func TestSuiteInstructionCallback(t *testing.T) {
	data := t.TempDir()
	e := start(t, func(c *server.Config) {
		c.DataDir = data
		c.Suites = []server.Suite{{Name: "isv", SuiteID: testSuiteID, Secret: "suite-secret-value", Token: testSuiteTok, EncodingAESKey: testSuiteKey,
			TrustedDomains: []string{"127.0.0.1"}, APIBaseURL: "http://127.0.0.1:1"}}
	})
	base := e.srv.URL()
	recs, cancel := e.srv.Subscribe()
	defer cancel()

	// URL check (验证URL有效性): the decrypted echostr comes back.
	c, _ := wxcrypt.New(testSuiteTok, testSuiteKey, testSuiteID)
	echo, err := c.Encrypt([]byte("1616140317555161061"))
	if err != nil {
		t.Fatal(err)
	}
	ts := fmt.Sprint(time.Now().Unix())
	resp, err := http.Get(base + "/suite/isv/callback?msg_signature=" + c.Sign(ts, "n", echo) + "&timestamp=" + ts + "&nonce=n&echostr=" + url.QueryEscape(echo))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "1616140317555161061" {
		t.Fatalf("URL check: %d %q", resp.StatusCode, b)
	}

	const ticket = "TICKET-abcdefghijklmnop-0001"
	if code, body := suitePush(t, base, "isv", ticketXML(ticket, time.Now().Unix()), testSuiteID); code != 200 || body != "success" {
		t.Fatalf("suite_ticket push: %d %q", code, body)
	}
	st, err := suite.Open(data, testSuiteID)
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := st.Ticket(time.Now()); err != nil || got != ticket {
		t.Fatalf("stored ticket %q %v", got, err)
	}
	select {
	case r := <-recs:
		if r.Platform != server.PlatformSuite || r.Event != "suite_ticket" || r.Profile != "isv" || strings.Contains(r.XML, ticket) || !strings.Contains(r.XML, "masked sha256:") {
			t.Fatalf("inbox record: %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the suite_ticket push did not reach the inbox")
	}

	// Encrypted for another receiveid (a corp id): -40005, refused.
	if code, _ := suitePush(t, base, "isv", ticketXML("T2", time.Now().Unix()), "wwothercorp"); code != 400 {
		t.Fatalf("wrong receiveid: %d", code)
	}
	if got, _, _ := st.Ticket(time.Now()); got != ticket {
		t.Fatalf("a refused push changed the ticket to %q", got)
	}
	// An unknown suite name is a 404 naming the route.
	if code, _ := suitePush(t, base, "nope", ticketXML("T3", time.Now().Unix()), testSuiteID); code != 404 {
		t.Fatalf("unknown suite: %d", code)
	}

	// A stored corp, then cancel_auth: signing for it names the cancellation.
	if err := st.PutCorp(suite.Corp{CorpID: "wwcorpA", AgentID: 1000005, PermanentCode: "PC-A"}, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	cancelXML := fmt.Sprintf(`<xml><SuiteId><![CDATA[%s]]></SuiteId><InfoType><![CDATA[cancel_auth]]></InfoType><TimeStamp>%d</TimeStamp><AuthCorpId><![CDATA[wwcorpA]]></AuthCorpId></xml>`, testSuiteID, time.Now().Unix())
	if code, body := suitePush(t, base, "isv", cancelXML, testSuiteID); code != 200 || body != "success" {
		t.Fatalf("cancel_auth: %d %q", code, body)
	}
	var a signAnswer
	page := url.QueryEscape(base + "/")
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&corp=wwcorpA&url="+page, &a); code != http.StatusGone || !strings.Contains(a.Error, "corp wwcorpA cancelled the authorisation") {
		t.Fatalf("sign for a cancelled corp: %d %+v", code, a)
	}
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&corp=wwnever&url="+page, &a); code != 404 || !strings.Contains(a.Error, "wwnever has not authorised") {
		t.Fatalf("sign for an unknown corp: %d %+v", code, a)
	}
	if code := getJSON(t, nil, base+"/api/jssdk/config?profile=isv&url="+page, &a); code != 400 || !strings.Contains(a.Error, "pass ?corp=CORPID") {
		t.Fatalf("sign for a suite without corp: %d %+v", code, a)
	}

	// Status for the CLI and the desktop: never the ticket, the secret or a permanent code.
	var sts struct {
		OK     bool                 `json:"ok"`
		Suites []server.SuiteStatus `json:"suites"`
	}
	raw := getRaw(t, base+"/api/suites")
	for _, secret := range []string{ticket, "suite-secret-value", "PC-A", testSuiteKey} {
		if strings.Contains(raw, secret) {
			t.Fatalf("/api/suites shows a secret: %s", raw)
		}
	}
	getJSON(t, nil, base+"/api/suites", &sts)
	if len(sts.Suites) != 1 || sts.Suites[0].TicketFP == "" || len(sts.Suites[0].Corps) != 1 || sts.Suites[0].Corps[0].State != suite.StateCancelled {
		t.Fatalf("/api/suites: %s", raw)
	}
	for _, secret := range []string{ticket, "suite-secret-value", "PC-A", testSuiteKey} {
		if strings.Contains(e.logs.String(), secret) {
			t.Fatalf("the log shows a secret %q", secret)
		}
	}
}
