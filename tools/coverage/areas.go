package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// areas name the groups of the table by the first segment of the path
// (after /cgi-bin/), per platform. A segment not listed is its own area,
// named after the segment, so a new family of endpoints still shows up.
var areas = []struct {
	platform, area string
	segments       []string
}{
	{"wecom", "WeCom · tokens and tickets", []string{"gettoken", "get_jsapi_ticket", "ticket", "getcallbackip", "get_api_domain_ip"}},
	{"wecom", "WeCom · OAuth (网页授权)", []string{"auth/getuserinfo", "user/getuserinfo"}},
	{"wecom", "WeCom · contacts (通讯录)", []string{"user", "department", "tag", "auth"}},
	{"wecom", "WeCom · messages (消息)", []string{"message", "appchat", "webhook", "linkedcorp"}},
	{"wecom", "WeCom · media (素材)", []string{"media"}},
	{"wecom", "WeCom · app menus (应用菜单)", []string{"menu", "agent"}},
	{"wecom", "WeCom · customers (客户联系)", []string{"externalcontact"}},
	{"wecom", "WeCom · customer service (微信客服)", []string{"kf"}},
	{"wecom", "WeCom · third-party apps (服务商)", []string{"service"}},
	{"mp", "MP · tokens and tickets", []string{"token", "stable_token", "ticket", "getcallbackip", "get_api_domain_ip", "clear_quota"}},
	{"mp", "MP · OAuth (网页授权)", []string{"sns"}},
	{"mp", "MP · messages (消息)", []string{"message", "template", "wxaapi"}},
	{"mp", "MP · menus (自定义菜单)", []string{"menu", "get_current_selfmenu_info"}},
	{"mp", "MP · followers and tags (用户管理)", []string{"user", "tags", "changeopenid"}},
	{"mp", "MP · media and material (素材)", []string{"media", "material"}},
	{"mp", "MP · QR codes (二维码)", []string{"qrcode", "showqrcode", "shorturl"}},
	{"mp", "MP · customer service (客服)", []string{"customservice"}},
}

// areaOf names the area of an endpoint: the longest listed segment prefix
// of its path wins (auth/getuserinfo is OAuth, auth/getuserdetail contacts).
func areaOf(platform, path string) string {
	p := strings.TrimPrefix(strings.TrimPrefix(path, "/cgi-bin/"), "/")
	best, bestLen := "", -1
	for _, a := range areas {
		if a.platform != platform {
			continue
		}
		for _, s := range a.segments {
			if (p == s || strings.HasPrefix(p, s+"/")) && len(s) > bestLen {
				best, bestLen = a.area, len(s)
			}
		}
	}
	if best != "" {
		return best
	}
	seg, _, _ := strings.Cut(p, "/")
	label := map[string]string{"wecom": "WeCom", "mp": "MP"}[platform]
	if label == "" {
		label = platform
	}
	return label + " · " + seg
}

// areaRank orders the areas as listed above, unlisted ones after.
func areaRank(area string) int {
	for i, a := range areas {
		if a.area == area {
			return i
		}
	}
	return len(areas)
}

//go:embed others.json
var othersJSON []byte

// comparison is others.json: the endpoints of other Go SDKs, as counted
// from their source at a stated commit.
type comparison struct {
	SDKs []struct {
		Name   string   `json:"name"`
		Repo   string   `json:"repo"`
		Commit string   `json:"commit"`
		How    string   `json:"how"`
		WeCom  []string `json:"wecom"`
		MP     []string `json:"mp"`
	} `json:"sdks"`
}

var others = func() comparison {
	var c comparison
	if err := json.Unmarshal(othersJSON, &c); err != nil {
		panic("coverage: others.json: " + err.Error()) // embedded at build time; a test reads it
	}
	return c
}()

// writeComparison counts the endpoints of each SDK per area, with the same
// area names as wwkit's table, and lists the paths wwkit lacks in the
// areas it covers.
func writeComparison(b *bytes.Buffer, rows []row, cmp comparison) {
	type key struct{ platform, path string }
	count := func(platform string, paths []string, into map[string]int) {
		for _, p := range paths {
			into[areaOf(platform, p)]++
		}
	}
	ours := map[string]int{}
	have := map[key]bool{}
	for _, r := range rows {
		if !have[key{r.Platform, r.Path}] {
			ours[r.area]++
		}
		have[key{r.Platform, r.Path}] = true
	}
	theirs := make([]map[string]int, len(cmp.SDKs))
	all := map[string]bool{}
	for a := range ours {
		all[a] = true
	}
	for i, s := range cmp.SDKs {
		theirs[i] = map[string]int{}
		count("wecom", s.WeCom, theirs[i])
		count("mp", s.MP, theirs[i])
		for a := range theirs[i] {
			all[a] = true
		}
	}
	var order []string
	for a := range all {
		order = append(order, a)
	}
	sort.Slice(order, func(i, j int) bool {
		ri, rj := areaRank(order[i]), areaRank(order[j])
		if ri != rj {
			return ri < rj
		}
		return order[i] < order[j]
	})

	b.WriteString("## Compared with go-workwx and silenceper/wechat\n\n")
	b.WriteString("Distinct endpoint paths per area (a path served on both platforms counts once per\n" +
		"platform), with the same area names as above. How the other SDKs were counted:\n\n")
	for _, s := range cmp.SDKs {
		fmt.Fprintf(b, "* **%s** (%s at commit `%s`): %s.\n", s.Name, s.Repo, s.Commit, s.How)
	}
	b.WriteString("\nA path in their source is not always a finished, tested call, and wwkit's rows\n" +
		"are typed methods tested against the emulator; the counts compare breadth only.\n\n")
	b.WriteString("| area | wwkit |")
	for _, s := range cmp.SDKs {
		fmt.Fprintf(b, " %s |", s.Name)
	}
	b.WriteString("\n|---|---:|")
	for range cmp.SDKs {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	var totOurs, totOursAreas int
	totTheirs := make([]int, len(cmp.SDKs))
	totTheirsOurAreas := make([]int, len(cmp.SDKs))
	for _, a := range order {
		fmt.Fprintf(b, "| %s | %d |", a, ours[a])
		totOurs += ours[a]
		for i := range cmp.SDKs {
			fmt.Fprintf(b, " %d |", theirs[i][a])
			totTheirs[i] += theirs[i][a]
			if ours[a] > 0 {
				totTheirsOurAreas[i] += theirs[i][a]
			}
		}
		if ours[a] > 0 {
			totOursAreas += ours[a]
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "| **areas wwkit covers** | **%d** |", totOursAreas)
	for i := range cmp.SDKs {
		fmt.Fprintf(b, " **%d** |", totTheirsOurAreas[i])
	}
	fmt.Fprintf(b, "\n| **all counted** | **%d** |", totOurs)
	for i := range cmp.SDKs {
		fmt.Fprintf(b, " **%d** |", totTheirs[i])
	}
	b.WriteString("\n")
}
