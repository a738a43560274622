package desktop

import (
	"net/url"
	"strings"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// CryptoService is the crypto workbench: the callback doctor (回调诊断) on a
// captured request, checked against a profile's Token and EncodingAESKey.
type CryptoService struct{ app *App }

// DoctorRequest is a captured callback: either the full request URL (its
// query holds msg_signature, timestamp, nonce, echostr) or the fields one by
// one, plus the POST body for messages.
type DoctorRequest struct {
	Profile      string `json:"profile"`      // "" = active; its Token, EncodingAESKey and CorpID/AppID are used
	URL          string `json:"url"`          // the captured request URL, optional
	MsgSignature string `json:"msgSignature"` // overrides the URL's
	Timestamp    string `json:"timestamp"`
	Nonce        string `json:"nonce"`
	EchoStr      string `json:"echostr"`
	Signature    string `json:"signature"` // MP plain signature, optional
	Body         string `json:"body"`      // the POST envelope, "" for a URL verification (GET)
}

// Doctor diagnoses the captured callback with the profile's configuration.
// The report's decrypted message is the plaintext of the callback (no
// secrets; the profile's Token and key never appear in it).
func (s *CryptoService) Doctor(req DoctorRequest) (wxcrypt.Report, error) {
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return wxcrypt.Report{}, err
	}
	r := wxcrypt.Request{Body: []byte(req.Body)}
	if req.URL != "" {
		u, err := url.Parse(strings.TrimSpace(req.URL))
		if err != nil {
			return wxcrypt.Report{}, failWrap("crypto.url", err)
		}
		q := u.Query()
		r.MsgSignature, r.Timestamp, r.Nonce = q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce")
		r.EchoStr, r.Signature = q.Get("echostr"), q.Get("signature")
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&r.MsgSignature, req.MsgSignature)
	set(&r.Timestamp, req.Timestamp)
	set(&r.Nonce, req.Nonce)
	set(&r.EchoStr, req.EchoStr)
	set(&r.Signature, req.Signature)
	recv := p.CorpID
	if c.mp != nil {
		recv = p.AppID
	}
	rep := wxcrypt.Diagnose(r, wxcrypt.Config{Token: p.Token, EncodingAESKey: p.EncodingAESKey, ReceiveID: recv, Now: s.app.now()})
	// Defence in depth: the doctor explains mismatches and must never echo
	// the configured secrets.
	for i := range rep.Steps {
		rep.Steps[i].Detail = maskIn(maskIn(rep.Steps[i].Detail, p.Token), p.EncodingAESKey)
	}
	rep.Cause = maskIn(maskIn(rep.Cause, p.Token), p.EncodingAESKey)
	return rep, nil
}
