package desktop

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/wwkit/wwkit/core/emulator/fixture"
)

// TestRobotSender posts through the emulator's robot from the default
// profile, then stores a key of a robot the emulator does not know: the
// errcode comes back as data and no DTO carries the key.
func TestRobotSender(t *testing.T) {
	a := startApp(t, Config{})
	var leaks leakCheck
	k, err := a.Messages.RobotKey("")
	if err != nil || k.Source != "emulator" {
		t.Fatalf("RobotKey of the emulator profile = %+v, %v", k, err)
	}
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	for _, req := range []RobotRequest{
		{Content: "发布完成", Mentioned: []string{"zhangsan", " "}},
		{MsgType: "markdown", Content: "# 构建成功"},
		{MsgType: "markdown_v2", Content: "| 服务 | 状态 |\n| :-- | :-- |\n| api | 正常 |"},
		{MsgType: "image", FileBase64: base64.StdEncoding.EncodeToString(img.Bytes())},
		{MsgType: "file", FileBase64: base64.StdEncoding.EncodeToString([]byte("a,b\n1,2\n")), FileName: "日报.csv"},
		{MsgType: "news", Articles: []ArticleInput{{Title: "周报", URL: "https://example.com/r"}}},
		{MsgType: "template_card", Card: `{"card_type":"text_notice","main_title":{"title":"告警"}}`},
	} {
		d, err := a.Messages.SendRobot(req)
		if err != nil || !d.OK || d.Target != "emulator" || len(d.Exchanges) == 0 {
			t.Errorf("SendRobot(%s) = %+v, %v", req.MsgType, d, err)
		}
		leaks.add(t, d)
	}
	var posts int
	for _, m := range a.session().srv.Emulator().Emulator().Outbox() {
		if m.Robot != "" {
			posts++
		}
	}
	if posts != 7 {
		t.Errorf("%d robot posts in the outbox, want 7", posts)
	}
	for _, bad := range []RobotRequest{{}, {MsgType: "markdown_v2"}, {MsgType: "image"}, {MsgType: "news", Articles: []ArticleInput{{Title: "no url"}}}, {MsgType: "voice"}, {Profile: "mp", Content: "x"}} {
		if _, err := a.Messages.SendRobot(bad); err == nil {
			t.Errorf("SendRobot(%+v): no error", bad)
		}
	}
	if _, err := a.Messages.SetRobotKey("", "not a key!"); err == nil {
		t.Error("SetRobotKey accepted a malformed key")
	}

	unknown := "0badbadb-0000-4000-8000-00000000cafe"
	k, err = a.Messages.SetRobotKey("", unknown)
	if err != nil || k.Source != "stored" || k.Store != SecretsFile {
		t.Fatalf("SetRobotKey = %+v, %v", k, err)
	}
	leaks.add(t, k)
	d, err := a.Messages.SendRobot(RobotRequest{Content: "hi"})
	if err != nil || d.OK || d.Error == nil || d.Error.Errcode != 93000 || d.Error.MeaningZH == "" {
		t.Fatalf("SendRobot with an unknown key = %+v, %v", d, err)
	}
	leaks.add(t, d)
	b, err := os.ReadFile(filepath.Join(a.cfg.DataDir, "secrets.json"))
	if err != nil || !bytes.Contains(b, []byte(unknown)) {
		t.Errorf("the key is not kept in secrets.json: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(a.cfg.DataDir, "secrets.json")); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("secrets.json mode %v", fi.Mode())
	}
	if _, err := a.Messages.ForgetRobotKey(""); err != nil {
		t.Fatal(err)
	}
	if k, _ := a.Messages.RobotKey(""); k.Source != "emulator" {
		t.Errorf("after ForgetRobotKey: %+v", k)
	}
	leaks.assertNone(t, map[string]string{"stored robot key": unknown, "emulator robot key": fixture.RobotKey})
}

// TestRobotKeyGoesWithTheProfile: deleting a profile created in the app
// deletes its robot key too, so no secret is left behind in the store.
func TestRobotKeyGoesWithTheProfile(t *testing.T) {
	a := startApp(t, Config{})
	if _, err := a.Profiles.Add(ProfileInput{Name: "ops", Platform: "wecom", CorpID: "wwops0001", AgentID: 1000005, Secret: "ops-secret-0123456789"}); err != nil {
		t.Fatal(err)
	}
	key := "693a91f6-7c1e-4bc4-97a0-0ec2b1fa5aaa"
	if _, err := a.Messages.SetRobotKey("ops", key); err != nil {
		t.Fatal(err)
	}
	secrets := filepath.Join(a.cfg.DataDir, "secrets.json")
	if b, _ := os.ReadFile(secrets); !bytes.Contains(b, []byte(key)) {
		t.Fatal("the robot key was not stored")
	}
	if err := a.Profiles.Delete("ops"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(secrets); bytes.Contains(b, []byte(key)) {
		t.Errorf("the robot key outlived its profile: %s", b)
	}
}
