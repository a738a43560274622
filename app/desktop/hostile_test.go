package desktop

import (
	"strings"
	"testing"
)

// TestHostileInputs feeds the services input pasted from anywhere: they
// answer with an error or a report, never a panic.
func TestHostileInputs(t *testing.T) {
	a := startApp(t, Config{})
	for _, in := range []string{"", "null", "[]", "{}", `{"timestamp":"x"}`, `{"timestamp":1e400}`, strings.Repeat("[", 10000), "\x00\xff", `{"url":"%zz","signature":"` + strings.Repeat("a", 1<<16) + `"}`} {
		_, _ = a.Sign.Check("wecom", in)
		_, _ = a.Sign.Check("", in)
	}
	for _, req := range []DoctorRequest{
		{},
		{URL: "%zz"},
		{URL: "http://x/?msg_signature=%zz&timestamp=-1"},
		{Body: "<xml><Encrypt><![CDATA[!!!]]></Encrypt></xml>", MsgSignature: "x", Timestamp: "1", Nonce: "n"},
		{Body: "<xml><Encrypt>" + strings.Repeat("A", 1<<16) + "</Encrypt></xml>"},
		{EchoStr: "====", MsgSignature: "x"},
		{Body: "\x00\x01<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>"},
	} {
		rep, err := a.Crypto.Doctor(req)
		if err == nil && rep.OK {
			t.Errorf("Doctor(%.60q) = OK", req.Body)
		}
	}
	for _, req := range []SimulateRequest{
		{XML: "<!DOCTYPE x [<!ENTITY a 'b'>]><xml/>"},
		{XML: strings.Repeat("<a>", 5000)},
		{URL: "http://[::1", Content: "x"},
		{URL: "javascript:alert(1)", Content: "x"},
	} {
		_, _ = a.Messages.Simulate(req)
	}
	// A CDATA terminator in the content is split, so the message parses and
	// the echo reply carries the content unchanged.
	sim, err := a.Messages.Simulate(SimulateRequest{Content: "a]]><evil/>b"})
	if err != nil || sim.Status != 200 || sim.ReplyType != "text" || !strings.Contains(sim.Reply, "a]]]]><![CDATA[><evil/>b") {
		t.Errorf("Simulate with ]]> = %+v, %v", sim, err)
	}
	if _, err := a.Inbox.Detail(-1); err == nil {
		t.Error("Detail(-1): no error")
	}
	if _, err := a.Inbox.List(InboxFilter{Limit: -5}); err == nil {
		t.Error("List(limit -5): no error")
	}
}
