package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wwkit/wwkit/core/api"
)

// TestAPIErrorPlatformMeaning checks that an errcode is explained as the
// answering platform means it: 40003 from an Official Account is an invalid
// openid, from WeCom an invalid userid.
func TestAPIErrorPlatformMeaning(t *testing.T) {
	s := startEmulator(t)
	fx := s.Emulator().Fixture()
	ctx := context.Background()
	mp, err := api.NewMP(api.MPApp{AppID: fx.MP.AppID, Secret: fx.MP.AppSecret}, api.WithBaseURL(s.MPBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = mp.GetFollower(ctx, "o-no-such-openid", "zh_CN")
	var ae *api.APIError
	if !errors.As(err, &ae) || ae.Code != 40003 || ae.Platform != api.PlatformMP {
		t.Fatalf("MP user/info with a bad openid: %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "invalid openid") || strings.Contains(msg, "userid") {
		t.Errorf("MP 40003 explained as %q, want the openid meaning", msg)
	}
	if info := ae.Info(); !strings.Contains(info.MeaningZH, "OpenID") || strings.Contains(info.MeaningZH, "UserID") {
		t.Errorf("MP 40003 zh meaning %q", info.MeaningZH)
	}

	we, err := api.NewWeCom(wecomApp(fx, 0), api.WithBaseURL(s.WeComBaseURL()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = we.GetUserInfo(ctx, "no-such-code")
	if !errors.As(err, &ae) || ae.Platform != api.PlatformWeCom {
		t.Fatalf("WeCom error without its platform: %#v", err)
	}
	if info, _ := api.LookupErrcode(api.PlatformWeCom, 40003); !strings.Contains(info.Meaning, "userid") || strings.Contains(info.Meaning, "openid") {
		t.Errorf("WeCom 40003 means %q", info.Meaning)
	}
}

// TestErrcodeCatalogueComplete checks every entry, shared or per platform,
// in both languages, and that the codes users meet most are there.
func TestErrcodeCatalogueComplete(t *testing.T) {
	check := func(where string, code int, info api.ErrcodeInfo) {
		if info.Meaning == "" || info.Check == "" || info.MeaningZH == "" || info.CheckZH == "" {
			t.Errorf("%s errcode %d lacks a language: %+v", where, code, info)
		}
	}
	for code, info := range api.Errcodes {
		check("shared", code, info)
	}
	for p, m := range api.PlatformErrcodes {
		if p != api.PlatformWeCom && p != api.PlatformMP {
			t.Errorf("unknown platform %q in the catalogue", p)
		}
		for code, info := range m {
			check(p, code, info)
		}
	}
	for _, code := range []int{301002, 86001, 40037, 40163, 43004} {
		for _, p := range []string{"", api.PlatformWeCom, api.PlatformMP} {
			if _, ok := api.LookupErrcode(p, code); !ok {
				t.Errorf("errcode %d missing for platform %q", code, p)
			}
		}
	}
}
