package api_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// TestMPMenuGetDocExample decodes the menu/get answer with personalised
// menus as the Official Account page prints it (copied into testdata):
// there matchrule's group_id, sex and client_platform_type are numbers,
// while addconditional's request example sends them as strings. The
// client must read both, and still send strings.
func TestMPMenuGetDocExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/mp_menu_get_conditional.json")
	if err != nil {
		t.Fatal(err)
	}
	var m api.MPMenu
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("menu/get example does not decode: %v", err)
	}
	if m.Menu.MenuID != "208396938" || len(m.ConditionalMenu) != 1 {
		t.Fatalf("decoded %+v", m)
	}
	r := m.ConditionalMenu[0].MatchRule
	if r.GroupID != "2" || r.Sex != "1" || r.ClientPlatformType != "2" || r.Country != "中国" || r.City != "广州" || m.ConditionalMenu[0].MenuID != "208396993" {
		t.Fatalf("matchrule = %+v", r)
	}
	out, err := json.Marshal(api.MatchRule{TagID: "100", ClientPlatformType: "1"})
	if err != nil || string(out) != `{"tag_id":"100","client_platform_type":"1"}` {
		t.Fatalf("MatchRule marshals to %s (%v), want strings as addconditional's example sends", out, err)
	}
	var bad api.MatchRule
	if err := json.Unmarshal([]byte(`{"tag_id":{}}`), &bad); err == nil || !strings.Contains(err.Error(), "tag_id") {
		t.Fatalf("an object as tag_id: %v, want an error naming tag_id", err)
	}
}
