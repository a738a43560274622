package jssdk

import "sync"

// The table itself, catalogue, is in catalogue_gen.go, derived from
// testdata/jsapi-catalogue.json (the research catalogue, with sources) by
// gen_catalogue.go.
//
//go:generate go run gen_catalogue.go

// Platform names used by the catalogue and Input.Platform.
const (
	PlatformWeCom = "wecom" // WeCom (企业微信) client, UA contains "wxwork/"
	PlatformMP    = "mp"    // WeChat (微信) Official Account (公众号) page
	PlatformBoth  = "both"  // available in both clients
)

// API is one JS-API (JS接口) of the catalogue.
type API struct {
	Name     string `json:"name"`     // name to put in jsApiList, e.g. "chooseImage"
	Platform string `json:"platform"` // wecom, mp or both
	// NeedsAgentConfig: the API runs under the application identity and
	// must be declared in wx.agentConfig's jsApiList (WeCom).
	NeedsAgentConfig bool `json:"needsAgentConfig,omitempty"`
	// ThirdPartyAgentConfig: only third-party/agency apps need agentConfig.
	ThirdPartyAgentConfig bool `json:"thirdPartyAgentConfig,omitempty"`
	// NeedsBeta: legacy jweixin has no wrapper, so the page calls
	// wx.invoke(name, …), which WeCom documents as needing beta: true in
	// wx.config.
	NeedsBeta  bool   `json:"needsBeta,omitempty"`
	BridgeName string `json:"bridgeName,omitempty"` // name seen by WeixinJSBridge.invoke
	MinWeCom   string `json:"minWeCom,omitempty"`   // minimum WeCom client version, when documented
	Purpose    string `json:"purpose,omitempty"`
	// Unconfirmed: the platform or agentConfig column is not backed by the
	// SDK source (see the research catalogue).
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

var (
	catalogueOnce sync.Once
	catalogueIdx  map[string]int
)

func loadCatalogue() {
	catalogueOnce.Do(func() {
		catalogueIdx = make(map[string]int, len(catalogue))
		for i, a := range &catalogue {
			catalogueIdx[a.Name] = i
		}
	})
}

// KnownJSAPIs returns the catalogue entries available on platform: "wecom"
// gives WeCom and both-platform APIs, "mp" gives Official Account and
// both-platform APIs, "" or "all" gives every entry. The slice is a copy.
func KnownJSAPIs(platform string) []API {
	out := make([]API, 0, len(catalogue))
	for _, a := range &catalogue {
		if platform == "" || platform == "all" || a.Platform == PlatformBoth || a.Platform == platform {
			out = append(out, a)
		}
	}
	return out
}

// LookupJSAPI returns the catalogue entry for name.
func LookupJSAPI(name string) (API, bool) {
	loadCatalogue()
	i, ok := catalogueIdx[name]
	if !ok {
		return API{}, false
	}
	return catalogue[i], true
}
