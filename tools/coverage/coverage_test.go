package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestCoverageDocUpToDate fails when docs/coverage.md is not what the code
// generates now: an endpoint, command, route or desktop call was added
// without `make docs`.
func TestCoverageDocUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks app/desktop and runs every CLI example")
	}
	want, err := generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../" + docPath)
	if err != nil {
		t.Fatalf("%v: run `make docs`", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run `make docs` (go run ./tools/coverage) and commit it", docPath)
	}
}

// TestCoverageColumnsComeFromCode checks the columns on rows whose answer
// is known from elsewhere in the tree, so a generator that lost a source
// (no CLI trace, no routes, no call graph) fails here and not only in review.
func TestCoverageColumnsComeFromCode(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks app/desktop and runs every CLI example")
	}
	doc, err := generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| `GET /cgi-bin/user/simplelist` (wecom) | `WeCom.ListUsersSimple` | `wwkit user simplelist` | ✓ |",
		"| `POST /cgi-bin/message/template/send` (mp) | `MP.SendTemplate` | `wwkit mp template send` | ✓ | `MessageService.SendTemplate` |",
		"| `GET /cgi-bin/gettoken` (wecom) | `WeCom.GetToken` | " + onTheWay + " | ✓ |",
		"| `POST /cgi-bin/auth/getuserdetail` (wecom) | `WeCom.GetUserDetail` | — | ✓ | — | `Server.handleUserDetail` |",
		// The suite commands run against the state wwkit serve leaves
		// (a suite_ticket, an installed corp); the desktop signs for a
		// corp through the client Server.SuiteCorp hands it.
		"| `GET /cgi-bin/service/get_pre_auth_code` (wecom) | `Suite.GetPreAuthCode` | `wwkit suite install-url` | ✓ |",
		"| `POST /cgi-bin/service/get_corp_token` (wecom) | `Suite.GetCorpTokenRaw` | `wwkit suite corp-token` | ✓ | `SuiteService.Sign`, `SuiteService.SendText` |",
		// No command exchanges an auth_code: wwkit serve does, on create_auth.
		"| `POST /cgi-bin/service/get_permanent_code` (wecom) | `Suite.GetPermanentCode` | — | ✓ | — |",
		// Examples that read an input file (--file menu.json) reach their call.
		"| `POST /cgi-bin/menu/create` (wecom) | `WeCom.CreateMenu` | `wwkit menu create` | ✓ |",
		"| `POST /cgi-bin/material/add_material` (mp) | `MP.AddMaterial` | `wwkit mp material add` | ✓ |",
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the generated table lacks the row\n%s", want)
		}
	}
}

func TestAreaOf(t *testing.T) {
	for _, tc := range []struct{ platform, path, want string }{
		{"wecom", "/cgi-bin/auth/getuserinfo", "WeCom · OAuth (网页授权)"},
		{"wecom", "/cgi-bin/auth/getuserdetail", "WeCom · contacts (通讯录)"},
		{"wecom", "/cgi-bin/user/getuserinfo", "WeCom · OAuth (网页授权)"},
		{"wecom", "/cgi-bin/user/simplelist", "WeCom · contacts (通讯录)"},
		{"mp", "/cgi-bin/user/info", "MP · followers and tags (用户管理)"},
		{"mp", "/customservice/kfaccount/add", "MP · customer service (客服)"},
		{"wecom", "/cgi-bin/somethingnew/do", "WeCom · somethingnew"},
	} {
		if got := areaOf(tc.platform, tc.path); got != tc.want {
			t.Errorf("areaOf(%s, %s) = %q, want %q", tc.platform, tc.path, got, tc.want)
		}
	}
}

func TestExampleCommands(t *testing.T) {
	got := exampleCommands("  wwkit user delete zhouba && wwkit department delete 4\n" +
		"  wwkit tag list; wwkit tag get 1            # contact tags\n" +
		"  wwkit send --text '你好 世界' \n" +
		"  wwkit token | jq .   \n  echo hi\n")
	want := [][]string{{"user", "delete", "zhouba"}, {"department", "delete", "4"}, {"tag", "list"}, {"tag", "get", "1"}, {"send", "--text", "你好 世界"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if strings.Join(got[i], "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("command %d: got %q, want %q", i, got[i], want[i])
		}
	}
}
