package api_test

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// TestPermanentCodeDocExample decodes the example answer of
// get_permanent_code as Tencent's page prints it (document/path/90603,
// copied into testdata) and checks that no documented field is dropped:
// the extra_* ranges widen the app's visible range (可见范围), so a
// provider that ignores them misses members it may read.
func TestPermanentCodeDocExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/get_permanent_code_90603.json")
	if err != nil {
		t.Fatal(err)
	}
	var pc api.PermanentCode
	if err := json.Unmarshal(raw, &pc); err != nil {
		t.Fatal(err)
	}
	if pc.PermanentCode != "xxxx" || pc.AccessToken != "xxxxxx" || pc.ExpiresIn != 7200 || pc.State != "state001" {
		t.Errorf("top-level fields: %+v", pc)
	}
	if pc.DealerCorpInfo.CorpID != "xxxx" || pc.DealerCorpInfo.CorpName != "name" {
		t.Errorf("dealer_corp_info = %+v", pc.DealerCorpInfo)
	}
	if pc.AuthCorpInfo.CorpWxQRCode != "zzzzz" || pc.AuthCorpInfo.CorpUserMax != 50 || pc.AuthCorpInfo.VerifiedEndTime != 1431775834 {
		t.Errorf("auth_corp_info = %+v", pc.AuthCorpInfo)
	}
	if len(pc.AuthInfo.Agent) != 2 {
		t.Fatalf("auth_info.agent has %d entries, want 2", len(pc.AuthInfo.Agent))
	}
	a := pc.AuthInfo.Agent[0]
	if a.AgentID != 1 || a.AppID != 1 || a.AuthMode != 1 {
		t.Errorf("agent[0] = %+v", a)
	}
	p := a.Privilege
	if !reflect.DeepEqual(p.ExtraParty, []int64{4, 5, 6}) || !reflect.DeepEqual(p.ExtraUser, []string{"wangwu"}) || !reflect.DeepEqual(p.ExtraTag, []int64{4, 5, 6}) {
		t.Errorf("privilege extra_* = %+v", p)
	}
	if a.SharedFrom == nil || a.SharedFrom.CorpID != "wwyyyyy" || a.SharedFrom.ShareType != 1 {
		t.Errorf("agent[0].shared_from = %+v", a.SharedFrom)
	}
	if b := pc.AuthInfo.Agent[1]; b.SharedFrom == nil || b.SharedFrom.ShareType != 0 || b.AppID != 5 {
		t.Errorf("agent[1] = %+v", b)
	}
	if pc.AuthUserInfo.OpenUserID != "xxxxxx" || pc.AuthUserInfo.Avatar != "http://xxx" {
		t.Errorf("auth_user_info = %+v", pc.AuthUserInfo)
	}
}
