package desktop

import (
	"strconv"
	"strings"

	"github.com/wwkit/wwkit/core/jssdk"
	"github.com/wwkit/wwkit/core/token"
)

// SignService is the signing workbench: sign a URL with a profile's ticket
// (JS-SDK 签名) and diagnose a page's pasted config.
type SignService struct {
	app    *App
	signer *jssdk.Signer // nil: jssdk.NewSigner()
}

// SignDTO is a signed config for wx.config or wx.agentConfig.
type SignDTO struct {
	Profile string `json:"profile"`
	Kind    string `json:"kind"` // config or agentConfig
	URL     string `json:"url"`
	// Config is what the page passes: appId/timestamp/nonceStr/signature
	// for wx.config, corpid/agentid/… for wx.agentConfig.
	Config any `json:"config"`
	// StringToSign is the exact string that was hashed, with the ticket
	// masked (the ticket is a secret; its fingerprint identifies it).
	StringToSign      string      `json:"stringToSign"`
	TicketFingerprint string      `json:"ticketFingerprint,omitempty"`
	Error             *ErrcodeDTO `json:"error,omitempty"` // the ticket could not be fetched
}

// Signature kinds.
const (
	SignConfig      = "config"      // wx.config with the corp / MP jsapi_ticket
	SignAgentConfig = "agentConfig" // wx.agentConfig with the WeCom agent ticket
)

// Sign signs url for the profile ("" = active): kind "config" (default) or
// "agentConfig" (WeCom only).
func (s *SignService) Sign(profile, kind, url string) (SignDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(profile)
	if err != nil {
		return SignDTO{}, err
	}
	if kind == "" {
		kind = SignConfig
	}
	if strings.TrimSpace(url) == "" {
		return SignDTO{}, fail("sign.noURL")
	}
	tk := KindJSAPITicket
	switch kind {
	case SignConfig:
	case SignAgentConfig:
		if c.wecom == nil {
			return SignDTO{}, fail("sign.agentOnMP", "name", p.Name)
		}
		tk = KindAgentTicket
	default:
		return SignDTO{}, fail("sign.kind", "kind", kind)
	}
	d := SignDTO{Profile: p.Name, Kind: kind, URL: url}
	res, err := c.get(ctx, tk)
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			d.Error = &ec
			return d, nil
		}
		return SignDTO{}, failWrap("sign.ticket", err, "ticket", tk, "name", p.Name)
	}
	signer := s.signer
	if signer == nil {
		signer = jssdk.NewSigner()
	}
	var plain string
	if kind == SignConfig {
		appID := p.CorpID
		if c.mp != nil {
			appID = p.AppID
		}
		cfg, sts, err := signer.Config(appID, res.Value, url)
		if err != nil {
			return SignDTO{}, failWrap("sign.url", err)
		}
		d.Config, plain = cfg, sts
	} else {
		cfg, sts, err := signer.AgentConfig(p.CorpID, strconv.FormatInt(p.AgentID, 10), res.Value, url)
		if err != nil {
			return SignDTO{}, failWrap("sign.url", err)
		}
		d.Config, plain = cfg, sts
	}
	d.StringToSign = maskIn(plain, res.Value)
	d.TicketFingerprint = token.Fingerprint(res.Value)
	return d, nil
}

// CheckDTO is the diagnosis of a pasted config.
type CheckDTO struct {
	jssdk.Result
	// TicketsFromProfile is set when the profile's current tickets were
	// added so the signature itself could be checked.
	TicketsFromProfile string `json:"ticketsFromProfile,omitempty"`
}

// Check diagnoses a page's config (the JSON that `wwkit jssdk check` reads:
// appId, timestamp, nonceStr, signature, url, jsApiList, …). When the JSON
// carries no ticket and profile is not empty, the profile's current tickets
// are used so the signature can be verified. The result's string to sign
// shows the ticket masked.
func (s *SignService) Check(profile, configJSON string) (CheckDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	in, err := jssdk.ParseInput([]byte(configJSON))
	if err != nil {
		return CheckDTO{}, failWrap("sign.checkJSON", err)
	}
	var d CheckDTO
	var secrets []string
	if in.Ticket != "" {
		secrets = append(secrets, in.Ticket)
	}
	if in.AgentTicket != "" {
		secrets = append(secrets, in.AgentTicket)
	}
	if profile != "" && in.Ticket == "" && in.AgentTicket == "" {
		p, c, err := s.app.profile(profile)
		if err != nil {
			return CheckDTO{}, err
		}
		if r, err := c.get(ctx, KindJSAPITicket); err == nil {
			in.Ticket = r.Value
			secrets = append(secrets, r.Value)
		}
		if c.wecom != nil {
			if r, err := c.get(ctx, KindAgentTicket); err == nil {
				in.AgentTicket = r.Value
				secrets = append(secrets, r.Value)
			}
		}
		if len(secrets) > 0 {
			d.TicketsFromProfile = p.Name
		}
	}
	var res jssdk.Result
	if s.signer != nil {
		res = s.signer.Check(in)
	} else {
		res = jssdk.Check(in)
	}
	for _, v := range secrets {
		res.StringToSign = maskIn(res.StringToSign, v)
		for i := range res.Findings {
			res.Findings[i].Message = maskIn(res.Findings[i].Message, v)
			res.Findings[i].MessageZh = maskIn(res.Findings[i].MessageZh, v)
			res.Findings[i].Fix = maskIn(res.Findings[i].Fix, v)
		}
	}
	d.Result = res
	return d, nil
}

// maskIn replaces every occurrence of secret in s by its mask.
func maskIn(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, token.Mask(secret))
}
