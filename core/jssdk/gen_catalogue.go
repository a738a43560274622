//go:build ignore

// gen_catalogue derives catalogue.json (embedded by catalogue.go) from the
// full research catalogue testdata/jsapi-catalogue.json, keeping only the
// columns the diagnostics need so the WASM bundle stays small.
//
//	go run gen_catalogue.go [-o catalogue.json]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
)

type row struct {
	Name             string `json:"name"`
	Platform         string `json:"platform"`
	NeedsAgentConfig string `json:"needs_agentConfig"`
	CallStyle        string `json:"call_style"`
	Bridge           string `json:"client_bridge_name"`
	Purpose          string `json:"purpose"`
	Notes            string `json:"notes"`
}

type api struct {
	Name             string `json:"name"`
	Platform         string `json:"platform"`
	NeedsAgentConfig bool   `json:"needsAgentConfig,omitempty"`
	ThirdPartyOnly   bool   `json:"thirdPartyAgentConfig,omitempty"`
	NeedsBeta        bool   `json:"needsBeta,omitempty"`
	BridgeName       string `json:"bridgeName,omitempty"`
	MinWeCom         string `json:"minWeCom,omitempty"`
	Purpose          string `json:"purpose,omitempty"`
	Unconfirmed      bool   `json:"unconfirmed,omitempty"`
}

var minWeCom = regexp.MustCompile(`compat: WeCom[^;>]*>= ?([0-9]+(?:\.[0-9]+)*)`)

func main() {
	outPath := flag.String("o", "catalogue.json", "output file")
	flag.Parse()
	src, err := os.ReadFile("testdata/jsapi-catalogue.json")
	if err != nil {
		fail(err)
	}
	var rows []row
	if err := json.Unmarshal(src, &rows); err != nil {
		fail(err)
	}
	out := make([]api, 0, len(rows))
	for _, r := range rows {
		a := api{Name: r.Name, BridgeName: r.Bridge, Purpose: r.Purpose}
		a.Unconfirmed = strings.Contains(r.Platform, "[unconfirmed]") || strings.Contains(r.NeedsAgentConfig, "[unconfirmed]")
		a.Platform = strings.TrimSpace(strings.TrimSuffix(r.Platform, "[unconfirmed]"))
		switch na := r.NeedsAgentConfig; {
		case strings.HasPrefix(na, "yes"):
			a.NeedsAgentConfig = true
		case strings.HasPrefix(na, "third-party"):
			a.ThirdPartyOnly = true
		}
		a.NeedsBeta = strings.Contains(r.CallStyle, "needs beta:true")
		if m := minWeCom.FindStringSubmatch(r.Notes); m != nil {
			a.MinWeCom = m[1]
		}
		if a.Platform != "wecom" && a.Platform != "mp" && a.Platform != "both" {
			fail(fmt.Errorf("row %s: unknown platform %q", r.Name, r.Platform))
		}
		out = append(out, a)
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, a := range out {
		b, err := json.Marshal(a)
		if err != nil {
			fail(err)
		}
		buf.Write(b)
		if i < len(out)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	if err := os.WriteFile(*outPath, buf.Bytes(), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen_catalogue:", err)
	os.Exit(1)
}
