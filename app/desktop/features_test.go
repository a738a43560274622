package desktop

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/zalando/go-keyring"

	"github.com/wwkit/wwkit/core/emulator"
)

// decodeQR decodes a QR code data URL back to its text.
func decodeQR(t *testing.T, dataURL string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, "data:image/png;base64,"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decoding the QR code: %v", err)
	}
	return res.GetText()
}

// TestProfiles covers the profile lifecycle: wwkit.toml profiles
// (read-only, secrets from the environment), a real-corp profile added in
// the app (here an emulator started apart, so switching to it is
// configuration only), its secrets in the 0600 file and never in
// profiles.json, callbacks for it received after the restart, export
// without secrets, import all-or-nothing, delete.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	fx := emulator.DefaultFixture()
	app := fx.WeCom.Apps[0]
	corp, err := emulator.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer corp.Close()
	tomlPath := filepath.Join(dir, "wwkit.toml")
	if err := os.WriteFile(tomlPath, []byte(`
[profiles.prod]
corp_id = "`+fx.WeCom.CorpID+`"
agent_id = `+itoa(app.AgentID)+`
secret_env = "TEST_PROD_SECRET"
wecom_base_url = "`+corp.WeComBaseURL()+`"
mp_app_id = "`+fx.MP.AppID+`"
mp_secret_env = "TEST_PROD_MP_SECRET"
mp_base_url = "`+corp.MPBaseURL()+`"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TEST_PROD_SECRET": app.Secret, "TEST_PROD_MP_SECRET": fx.MP.AppSecret}
	a := startApp(t, Config{DataDir: dir, ConfigPath: tomlPath, Getenv: func(k string) string { return env[k] }})
	var leaks leakCheck
	secrets := map[string]string{"wecom secret": app.Secret, "mp secret": fx.MP.AppSecret, "aes key": app.EncodingAESKey, "mp aes key": fx.MP.EncodingAESKey}
	names := func(list []ProfileDTO) string {
		var n []string
		for _, p := range list {
			n = append(n, p.Name+":"+p.Source)
		}
		return strings.Join(n, ",")
	}
	// What later steps use of earlier ones: the added profile, the live
	// watch started before the restart, the exports.
	var (
		in                     ProfileInput
		live                   chan EntryDTO
		stopWatch              context.CancelFunc
		watched                chan error
		exported, exportedTOML string
	)

	step(t, "listed", func(t *testing.T) {
		list, err := a.Profiles.List()
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, list)
		if got := names(list); got != "wecom:emulator,mp:emulator,prod:wwkit.toml,prod-mp:wwkit.toml" {
			t.Fatalf("profiles = %s", got)
		}
		if list[2].SecretStore != "env" || list[2].Editable || list[2].CallbackReady || list[2].Served {
			t.Errorf("toml profile = %+v", list[2])
		}
	})

	step(t, "toml profile calls its API", func(t *testing.T) {
		// The toml profile reaches its own API (the corp emulator).
		toks, err := a.Tokens.Fetch("prod")
		if err != nil || toks[0].Value == "" || toks[0].LastError != nil || toks[0].Store != "memory" {
			t.Fatalf("prod tokens = %+v, %v", toks, err)
		}
		leaks.add(t, toks)
		if _, err := a.Profiles.Update("prod", ProfileInput{Platform: "wecom"}); err == nil || !strings.Contains(err.Error(), "wwkit.toml") {
			t.Errorf("Update of a toml profile: %v", err)
		}
		if err := a.Profiles.Delete("wecom"); err == nil || !strings.Contains(err.Error(), "emulator") {
			t.Errorf("Delete of the emulator profile: %v", err)
		}
	})

	step(t, "add a real-corp profile", func(t *testing.T) {
		// Add a real-corp profile with callback settings.
		in = ProfileInput{Name: "corp", Platform: "wecom", CorpID: fx.WeCom.CorpID, AgentID: app.AgentID, Secret: app.Secret,
			Token: app.Token, EncodingAESKey: app.EncodingAESKey, APIBaseURL: corp.WeComBaseURL() + "/", TrustedDomains: []string{"h5.example.com", " "}}
		for _, bad := range []ProfileInput{
			{Name: "wecom", Platform: "wecom", CorpID: "x", AgentID: 1},
			{Name: "a b", Platform: "wecom", CorpID: "x", AgentID: 1},
			{Name: "x", Platform: "wecom", AgentID: 1},
			{Name: "x", Platform: "mp"},
			{Name: "x", Platform: "qq"},
			{Name: "x", Platform: "wecom", CorpID: "x", AgentID: 1, EncodingAESKey: "short"},
			{Name: "x", Platform: "wecom", CorpID: "x", AgentID: 1, Store: "mongodb://"},
		} {
			if _, err := a.Profiles.Add(bad); err == nil {
				t.Errorf("Add(%+v): no error", bad)
			}
		}
		live = make(chan EntryDTO, 16)
		var wctx context.Context
		wctx, stopWatch = context.WithCancel(context.Background())
		watched = make(chan error, 1)
		go func() { watched <- a.WatchInbox(wctx, func(e EntryDTO) { live <- e }) }()
		port := a.ServerURL()
		added, err := a.Profiles.Add(in)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, added)
		if added.Source != SourceApp || !added.Editable || added.SecretStore != SecretsFile || !added.CallbackReady || !added.Served ||
			added.APIBaseURL != corp.WeComBaseURL() || len(added.TrustedDomains) != 1 || added.Secret == app.Secret {
			t.Errorf("added = %+v", added)
		}
		if a.ServerURL() != port {
			t.Errorf("the dev server moved from %s to %s on restart", port, a.ServerURL())
		}
		plain, _ := os.ReadFile(filepath.Join(dir, "profiles.json"))
		for name, s := range secrets {
			if bytes.Contains(plain, []byte(s)) {
				t.Errorf("profiles.json holds the %s", name)
			}
		}
		fi, err := os.Stat(filepath.Join(dir, "secrets.json"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("secrets.json: %v %v", fi, err)
		}
		if v, err := a.Profiles.Reveal("corp", FieldSecret); err != nil || v != app.Secret {
			t.Errorf("Reveal = %q, %v", v, err)
		}
	})

	step(t, "switch", func(t *testing.T) {
		// Switching is configuration only: the same services now talk to the
		// corp's API.
		if _, err := a.Profiles.Switch("corp"); err != nil {
			t.Fatal(err)
		}
		sent, err := a.Messages.Send(SendRequest{ToUser: fx.WeCom.Users[0].UserID, Content: "to the corp"})
		if err != nil || !sent.OK {
			t.Fatalf("send on corp = %+v, %v", sent, err)
		}
		if out := corp.Emulator().Outbox(); len(out) != 1 || out[0].MsgID != sent.MsgID {
			t.Errorf("corp outbox = %+v", out)
		}
	})

	step(t, "callbacks after the restart", func(t *testing.T) {
		// Its callbacks reach the restarted dev server, and the live watch
		// carried on across the restart.
		sim, err := a.Messages.Simulate(SimulateRequest{Content: "corp callback"})
		if err != nil || sim.Status != 200 || sim.Error != "" {
			t.Fatalf("simulate on corp = %+v, %v", sim, err)
		}
		select {
		case e := <-live:
			if e.Profile != "corp" || e.Summary != "corp callback" {
				t.Errorf("live = %+v", e)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the live inbox did not carry on after the restart")
		}
		stopWatch()
		if err := <-watched; err != nil {
			t.Errorf("WatchInbox: %v", err)
		}
	})

	step(t, "update", func(t *testing.T) {
		// Update: an empty secret keeps the stored one; renaming is refused.
		in2 := in
		in2.Secret, in2.Token, in2.EncodingAESKey, in2.Reply = "", "", "", "echo"
		up, err := a.Profiles.Update("corp", in2)
		if err != nil {
			t.Fatal(err)
		}
		leaks.add(t, up)
		if v, _ := a.Profiles.Reveal("corp", FieldSecret); v != app.Secret || !up.CallbackReady || !up.Active {
			t.Errorf("after update: secret kept=%v, %+v", v == app.Secret, up)
		}
		in2.Name = "renamed"
		if _, err := a.Profiles.Update("corp", in2); err == nil {
			t.Error("rename: no error")
		}
	})

	step(t, "export", func(t *testing.T) {
		// Export: no secret in either format.
		for _, f := range []string{FormatJSON, FormatTOML} {
			out, err := a.Profiles.Export(f)
			if err != nil {
				t.Fatal(err)
			}
			leaks.add(t, out)
			if !strings.Contains(out, "corp") || !strings.Contains(out, fx.WeCom.CorpID) {
				t.Errorf("export %s = %s", f, out)
			}
		}
		if _, err := a.Profiles.Export("yaml"); err == nil {
			t.Error("export yaml: no error")
		}
		exported, _ = a.Profiles.Export(FormatJSON)
		exportedTOML, _ = a.Profiles.Export(FormatTOML)
	})

	step(t, "import refuses", func(t *testing.T) {
		// Import: conflicts, bad input and secrets refuse everything.
		before, _ := os.ReadFile(filepath.Join(dir, "profiles.json"))
		for name, bad := range map[string]string{
			"conflict":    exported,
			"empty":       "  ",
			"not json":    "{nope",
			"secret":      `{"profiles":[{"name":"z","platform":"wecom","corpId":"c","agentId":1,"secret":"s3cr3t-value"}]}`,
			"toml secret": "[profiles.z]\ncorp_id = \"c\"\nagent_id = 1\nsecret = \"x\"\n",
			"invalid":     `{"profiles":[{"name":"ok1","platform":"mp","appId":"wx1"},{"name":"bad","platform":"wecom"}]}`,
			"twice":       `[{"name":"d","platform":"mp","appId":"wx1"},{"name":"d","platform":"mp","appId":"wx2"}]`,
		} {
			if _, err := a.Profiles.Import(bad); err == nil {
				t.Errorf("import %s: no error", name)
			}
		}
		if after, _ := os.ReadFile(filepath.Join(dir, "profiles.json")); !bytes.Equal(before, after) {
			t.Error("a refused import changed profiles.json")
		}
	})

	step(t, "delete and import back", func(t *testing.T) {
		// Delete, then import the export back (JSON), and a TOML copy under
		// another name.
		var retitled []string
		a.OnSwitch(func(name string) { retitled = append(retitled, name) })
		if err := a.Profiles.Delete("corp"); err != nil {
			t.Fatal(err)
		}
		if strings.Join(retitled, ",") != "wecom" {
			t.Errorf("deleting the active profile switched the window to %v, want wecom", retitled)
		}
		if got, _ := a.Profiles.List(); strings.Contains(names(got), "corp:") || a.ActiveProfile() != "wecom" {
			t.Errorf("after delete: %s, active %s", names(got), a.ActiveProfile())
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "secrets.json")); bytes.Contains(b, []byte(app.Secret)) {
			t.Error("Delete left the secret in secrets.json")
		}
		imp, err := a.Profiles.Import(exported)
		if err != nil || strings.Join(imp.Imported, ",") != "corp" || strings.Join(imp.NeedSecrets, ",") != "corp" {
			t.Fatalf("import = %+v, %v", imp, err)
		}
		imp2, err := a.Profiles.Import(strings.ReplaceAll(exportedTOML, "[profiles.corp]", "[profiles.corp2]"))
		if err != nil || strings.Join(imp2.Imported, ",") != "corp2" {
			t.Fatalf("TOML import = %+v, %v", imp2, err)
		}
		got, _ := a.Profiles.List()
		leaks.add(t, got)
		if names(got) != "wecom:emulator,mp:emulator,prod:wwkit.toml,prod-mp:wwkit.toml,corp:app,corp2:app" {
			t.Errorf("after import: %s", names(got))
		}
		for _, p := range got[4:] {
			if p.Secret != "" || p.CallbackReady || p.SecretStore != "" || p.APIBaseURL != corp.WeComBaseURL() {
				t.Errorf("imported %+v", p)
			}
		}
		leaks.assertNone(t, secrets)
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestKeyringSecrets stores secrets in the OS keyring (go-keyring's
// in-memory mock stands in for the Secret Service) and not in a file.
func TestKeyringSecrets(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	a := startApp(t, Config{DataDir: dir, Secrets: SecretsKeyring})
	fx := emulator.DefaultFixture()
	p, err := a.Profiles.Add(ProfileInput{Name: "k", Platform: "mp", AppID: fx.MP.AppID, Secret: "keyring-secret-0123456789",
		Token: "tok-abcdefgh", EncodingAESKey: fx.MP.EncodingAESKey})
	if err != nil {
		t.Fatal(err)
	}
	if p.SecretStore != SecretsKeyring || !p.CallbackReady {
		t.Errorf("profile = %+v", p)
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets.json")); !os.IsNotExist(err) {
		t.Errorf("secrets.json exists with the keyring: %v", err)
	}
	if v, err := keyring.Get(keyringService, "k/"+FieldSecret); err != nil || v != "keyring-secret-0123456789" {
		t.Errorf("keyring holds %q, %v", v, err)
	}
	// A second App over the same data dir reads them back.
	b := startApp(t, Config{DataDir: dir, Secrets: SecretsKeyring, Addr: "127.0.0.1:0"})
	if v, err := b.Profiles.Reveal("k", FieldToken); err != nil || v != "tok-abcdefgh" {
		t.Errorf("second app: %q, %v", v, err)
	}
	if err := a.Profiles.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(keyringService, "k/"+FieldSecret); err == nil {
		t.Error("Delete left the secret in the keyring")
	}
}

// TestMPQRCodeScan creates parameter QR codes through the MP API of the
// in-process emulator, decodes the image back to its URL, scans it and
// finds the subscribe and SCAN events in the inbox.
func TestMPQRCodeScan(t *testing.T) {
	a := startApp(t, Config{})
	var leaks leakCheck
	q, err := a.QR.MP(MPQRRequest{Profile: "mp", SceneStr: "shop-7", ExpireSeconds: 600, Size: 300, Level: "H"})
	if err != nil {
		t.Fatal(err)
	}
	leaks.add(t, q)
	if !q.OK || q.ActionName != "QR_STR_SCENE" || q.Ticket == "" || q.ExpireSeconds != 600 || q.ExpiresAt == nil || q.Level != "H" ||
		!strings.Contains(q.ImageURL, "showqrcode?ticket=") {
		t.Fatalf("MP = %+v", q)
	}
	if got := decodeQR(t, q.DataURL); got != q.URL {
		t.Errorf("QR decodes to %q, want %q", got, q.URL)
	}
	perm, err := a.QR.MP(MPQRRequest{Profile: "mp", SceneID: 42, Permanent: true})
	if err != nil || !perm.OK || perm.ActionName != "QR_LIMIT_SCENE" || perm.ExpiresAt != nil || perm.Scene != "42" {
		t.Fatalf("permanent = %+v, %v", perm, err)
	}
	for _, bad := range []MPQRRequest{{Profile: "wecom", SceneID: 1}, {Profile: "mp"}, {Profile: "mp", SceneID: 1, SceneStr: "x"},
		{Profile: "mp", SceneID: 100001, Permanent: true}, {Profile: "mp", SceneStr: "x", ExpireSeconds: 10}, {Profile: "mp", SceneStr: strings.Repeat("x", 65)},
		{Profile: "mp", SceneStr: "x", Size: 50}} {
		if _, err := a.QR.MP(bad); err == nil {
			t.Errorf("MP(%+v): no error", bad)
		}
	}
	scan, err := a.QR.SimulateScan(ScanRequest{Profile: "mp", Ticket: q.Ticket})
	if err != nil {
		t.Fatal(err)
	}
	leaks.add(t, scan)
	if !scan.OK || scan.Event != "subscribe" || scan.EventKey != "qrscene_shop-7" || scan.Status != 200 || scan.From == "" {
		t.Fatalf("scan = %+v", scan)
	}
	again, err := a.QR.SimulateScan(ScanRequest{Profile: "mp", URL: q.URL, OpenID: scan.From})
	if err != nil || again.Event != "SCAN" || again.EventKey != "shop-7" {
		t.Fatalf("second scan = %+v, %v", again, err)
	}
	page, err := a.Inbox.Page(InboxQuery{Profile: "mp", MsgType: "event"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 2 || page.Entries[0].Event != "SCAN" || page.Entries[1].Event != "subscribe" || page.Entries[1].EventKey != "qrscene_shop-7" {
		t.Errorf("inbox = %+v", page)
	}
	if bad, err := a.QR.SimulateScan(ScanRequest{Profile: "mp", Ticket: "nope"}); err != nil || bad.OK || bad.Error == "" {
		t.Errorf("scan of an unknown ticket = %+v, %v; want the refusal as data", bad, err)
	}
	if _, err := a.QR.SimulateScan(ScanRequest{Profile: "wecom", Ticket: q.Ticket}); err == nil {
		t.Error("scan on the WeCom profile: no error")
	}
	// SavePNG writes the image.
	path, err := a.QR.SavePNG(q.DataURL, filepath.Join(t.TempDir(), "shop-7"))
	if err != nil || !strings.HasSuffix(path, "shop-7.png") {
		t.Fatalf("SavePNG = %q, %v", path, err)
	}
	if b, _ := os.ReadFile(path); !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Error("the saved file is not a PNG")
	}
	if _, err := a.QR.SavePNG("data:text/plain;base64,aGk=", path); err == nil {
		t.Error("SavePNG of text: no error")
	}
	h5, err := a.QR.H5(QRRequest{VConsole: true, JSAPIList: []string{"scanQRCode"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, h5.DataURL); got != h5.Content {
		t.Errorf("H5 QR decodes to %q, want %q", got, h5.Content)
	}
	leaks.assertNone(t, map[string]string{"mp secret": emulator.DefaultFixture().MP.AppSecret})
}

// TestSendEveryType sends each app message type through the API client to
// the emulator and checks its outbox, then MP template and
// customer-service messages.
func TestSendEveryType(t *testing.T) {
	a := startApp(t, Config{})
	fx := emulator.DefaultFixture()
	user := fx.WeCom.Users[0].UserID
	file := filepath.Join(t.TempDir(), "report.txt")
	if err := os.WriteFile(file, []byte("quarterly report body"), 0o600); err != nil {
		t.Fatal(err)
	}
	img := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\nnot-really-an-image"))
	cases := []SendRequest{
		{MsgType: "text", Content: "t"},
		{MsgType: "markdown", Content: "**m**"},
		{MsgType: "textcard", Title: "card", Content: "desc", URL: "https://example.com/"},
		{MsgType: "news", Articles: []ArticleInput{{Title: "a1", URL: "https://example.com/1"}, {Title: "a2"}}},
		{MsgType: "image", FileBase64: img, FileName: "x.png"},
		{MsgType: "file", FilePath: file},
		{MsgType: "voice", FileBase64: base64.StdEncoding.EncodeToString([]byte("#!AMR\nvoice-bytes")), FileName: "v.amr"},
		{MsgType: "video", FileBase64: base64.StdEncoding.EncodeToString([]byte("video-bytes-123")), FileName: "v.mp4", Title: "clip"},
		{MsgType: "template_card", Card: `{"card_type":"text_notice","main_title":{"title":"hi"},"card_action":{"type":1,"url":"https://example.com"}}`},
	}
	for _, c := range cases {
		c.ToUser = user
		d, err := a.Messages.Send(c)
		if err != nil {
			t.Fatalf("%s: %v", c.MsgType, err)
		}
		if !d.OK || d.MsgID == "" {
			t.Errorf("%s: %+v", c.MsgType, d)
			continue
		}
		var found bool
		for _, m := range a.session().srv.Emulator().Emulator().Outbox() {
			found = found || (m.MsgID == d.MsgID && m.MsgType == c.MsgType)
		}
		if !found {
			t.Errorf("%s: msgid %s not in the outbox as %s", c.MsgType, d.MsgID, c.MsgType)
		}
		if strings.Contains("image file voice video", c.MsgType) && d.MediaID == "" {
			t.Errorf("%s: no media id reported", c.MsgType)
		}
	}
	// Parties and tags: unknown ones come back as data.
	d, err := a.Messages.Send(SendRequest{ToUser: user, ToParty: "999999", ToTag: "888888", Content: "x"})
	if err != nil || !d.OK || d.InvalidParty != "999999" || d.InvalidTag != "888888" {
		t.Errorf("invalid party/tag = %+v, %v", d, err)
	}
	// A media id that does not exist: errcode as data.
	d, err = a.Messages.Send(SendRequest{ToUser: user, MsgType: "image", MediaID: "nope"})
	if err != nil || d.OK || d.Error == nil || d.Error.Errcode != 40007 || d.Error.MeaningZH == "" {
		t.Errorf("unknown media = %+v, %v", d, err)
	}
	for _, bad := range []SendRequest{{ToUser: user, MsgType: "image"}, {ToUser: user, MsgType: "image", MediaID: "a", FilePath: file},
		{ToUser: user, MsgType: "news"}, {ToUser: user, MsgType: "template_card", Card: "[]"}, {ToUser: user, MsgType: "mpnews"},
		{ToUser: user, MsgType: "file", FilePath: "/does/not/exist"}, {ToUser: user, MsgType: "image", FileBase64: "!!"}} {
		if _, err := a.Messages.Send(bad); err == nil {
			t.Errorf("Send(%+v): no error", bad)
		}
	}
	if len(a.Messages.Types()) != len(MessageTypes) {
		t.Error("Types")
	}

	// MP: template message to a follower; customer-service message only
	// after the follower wrote (48-hour window), errcode as data before.
	follower := fx.MP.Followers[0].OpenID
	tpl, err := a.Messages.SendTemplate(TemplateRequest{Profile: "mp", ToUser: follower, TemplateID: fx.MP.Templates[0].ID, Data: map[string]string{"first": "hello"}})
	if err != nil || !tpl.OK || tpl.MsgID == 0 {
		t.Errorf("template = %+v, %v", tpl, err)
	}
	if bad, err := a.Messages.SendTemplate(TemplateRequest{Profile: "mp", ToUser: follower, TemplateID: "nope"}); err != nil || bad.Error == nil || bad.Error.Errcode != 40037 {
		t.Errorf("unknown template = %+v, %v", bad, err)
	}
	cs, err := a.Messages.SendCustom(CustomRequest{Profile: "mp", ToUser: follower, Content: "hi"})
	if err != nil || cs.OK || cs.Error == nil || cs.Error.Errcode != 45015 {
		t.Errorf("custom before interaction = %+v, %v", cs, err)
	}
	if _, err := a.session().srv.Emulator().Emulator().PushCallback(context.Background(), emulator.CallbackRequest{Platform: "mp", From: follower, Content: "hello"}); err != nil {
		t.Fatal(err)
	}
	cs, err = a.Messages.SendCustom(CustomRequest{Profile: "mp", ToUser: follower, Content: "hi"})
	if err != nil || !cs.OK {
		t.Errorf("custom after interaction = %+v, %v", cs, err)
	}
	for _, bad := range []any{TemplateRequest{Profile: "wecom", ToUser: "x", TemplateID: "y"}, CustomRequest{Profile: "wecom", ToUser: "x", Content: "y"},
		CustomRequest{Profile: "mp", ToUser: follower, MsgType: "video"}, CustomRequest{Profile: "mp", ToUser: follower, MsgType: "news"}} {
		var err error
		switch r := bad.(type) {
		case TemplateRequest:
			_, err = a.Messages.SendTemplate(r)
		case CustomRequest:
			_, err = a.Messages.SendCustom(r)
		}
		if err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// TestReloadOnTakenPort: when the dev server's port is taken while a
// profile change restarts it, it comes back on a new port instead of
// leaving the app stopped.
func TestReloadOnTakenPort(t *testing.T) {
	a := startApp(t, Config{})
	before := a.ServerURL()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a.mu.Lock()
	a.bound = ln.Addr().String() // as if another program took the port
	a.mu.Unlock()
	fx := emulator.DefaultFixture()
	if _, err := a.Profiles.Add(ProfileInput{Name: "x", Platform: "mp", AppID: fx.MP.AppID}); err != nil {
		t.Fatalf("Add with the port taken: %v", err)
	}
	if a.ServerURL() == "" || a.ServerURL() == "http://"+ln.Addr().String() {
		t.Fatalf("server URL %q (was %s)", a.ServerURL(), before)
	}
	if list, err := a.Profiles.List(); err != nil || len(list) != 3 {
		t.Errorf("after the restart on a new port: %d profiles, %v", len(list), err)
	}
}

// TestCallsDuringReload: calls the window makes while a profile change
// restarts the server wait for it instead of failing.
func TestCallsDuringReload(t *testing.T) {
	a := startApp(t, Config{})
	fx := emulator.DefaultFixture()
	done := make(chan struct{})
	errs := make(chan error, 1000)
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			if _, err := a.Profiles.List(); err != nil {
				errs <- err
			}
			if _, err := a.Inbox.Count(); err != nil {
				errs <- err
			}
		}
	}()
	for i := 0; i < 3; i++ {
		if _, err := a.Profiles.Add(ProfileInput{Name: fmt.Sprintf("p%d", i), Platform: "mp", AppID: fx.MP.AppID}); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	close(errs)
	for err := range errs {
		t.Errorf("a call during a restart failed: %v", err)
	}
}

// TestTOMLNameClash: a wwkit.toml profile named like an emulator profile
// does not stop the app; it is listed under another name, saying why.
func TestTOMLNameClash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "wwkit.toml")
	fx := emulator.DefaultFixture()
	if err := os.WriteFile(path, []byte("[profiles.wecom]\ncorp_id = \"ww-real\"\nagent_id = 5\nsecret_env = \"NOPE_UNSET\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := startApp(t, Config{DataDir: dir, ConfigPath: path, Getenv: func(string) string { return "" }})
	list, err := a.Profiles.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].Name != "wecom" || list[0].Source != SourceEmulator || list[0].CorpID != fx.WeCom.CorpID ||
		list[2].Name != "toml-wecom" || list[2].CorpID != "ww-real" {
		t.Fatalf("profiles = %+v", list)
	}
	// The reasons are coded, so the window shows them in its language.
	want := []ErrorDTO{
		{Code: "profile.renamed", Params: map[string]string{"name": "toml-wecom", "taken": "wecom"}},
		{Code: "profile.missingEnv", Params: map[string]string{"path": path, "table": "wecom", "env": "NOPE_UNSET"}},
	}
	if got := list[2].Problems; len(got) != len(want) {
		t.Fatalf("problems = %+v, want codes %+v", got, want)
	} else {
		for i := range want {
			if got[i].Code != want[i].Code || !reflect.DeepEqual(got[i].Params, want[i].Params) || got[i].Message == "" {
				t.Errorf("problem %d = %+v, want %+v", i, got[i], want[i])
			}
		}
		if !strings.Contains(got[0].Message, "taken by the emulator") || !strings.Contains(got[1].Message, "NOPE_UNSET") {
			t.Errorf("English messages: %q, %q", got[0].Message, got[1].Message)
		}
	}
	_, err = a.Tokens.Fetch("toml-wecom")
	var p *Problem
	if !errors.As(err, &p) || p.Code != "profile.missingEnv" || !strings.Contains(err.Error(), "NOPE_UNSET") {
		t.Errorf("a profile without its secret: %v", err)
	}
}

// SavePNGAs asks the window's save dialog for the path: a chosen path is
// written like SavePNG, a cancelled dialog writes nothing, and without a
// dialog (outside the window) the error says what to do instead.
func TestSavePNGAs(t *testing.T) {
	a := startApp(t, Config{Addr: "127.0.0.1:0"})
	qr, err := a.QR.H5(QRRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.QR.SavePNGAs(qr.DataURL, "x.png"); err == nil || !strings.Contains(err.Error(), "type a path") {
		t.Fatalf("without a dialog: %v", err)
	}
	dir := t.TempDir()
	var asked string
	a.SetSaveDialog(func(title, name string) (string, error) { asked = name; return filepath.Join(dir, "chosen"), nil })
	got, err := a.QR.SavePNGAs(qr.DataURL, "sub/wwkit-wecom-qr.png")
	if err != nil || got != filepath.Join(dir, "chosen.png") || asked != "wwkit-wecom-qr.png" {
		t.Fatalf("SavePNGAs = %q, %v (dialog proposed %q)", got, err, asked)
	}
	if b, err := os.ReadFile(got); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("written file: %v", err)
	}
	a.SetSaveDialog(func(string, string) (string, error) { return "", nil })
	if got, err := a.QR.SavePNGAs(qr.DataURL, "y.png"); got != "" || err != nil {
		t.Fatalf("cancelled: %q, %v", got, err)
	}
}

// SavePNG with a bare file name (what the QR page sends when no path is
// typed) writes into the user's Pictures folder, then Downloads, never into
// the directory wwkit was started from.
func TestSavePNGBareNameGoesToPictures(t *testing.T) {
	a := startApp(t, Config{Addr: "127.0.0.1:0"})
	qr, err := a.QR.H5(QRRequest{})
	if err != nil {
		t.Fatal(err)
	}
	home, wd := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_PICTURES_DIR", "")
	t.Setenv("XDG_DOWNLOAD_DIR", "")
	t.Chdir(wd)
	if err := os.Mkdir(filepath.Join(home, "Downloads"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := a.QR.SavePNG(qr.DataURL, "wwkit-wecom-qr.png")
	if err != nil || got != filepath.Join(home, "Downloads", "wwkit-wecom-qr.png") {
		t.Fatalf("without Pictures: SavePNG = %q, %v; want it in ~/Downloads", got, err)
	}
	if err := os.Mkdir(filepath.Join(home, "Pictures"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err = a.QR.SavePNG(qr.DataURL, "wwkit-wecom-qr")
	if err != nil || got != filepath.Join(home, "Pictures", "wwkit-wecom-qr.png") {
		t.Fatalf("SavePNG = %q, %v; want it in ~/Pictures", got, err)
	}
	if left, _ := os.ReadDir(wd); len(left) != 0 {
		t.Fatalf("the working directory got %d files", len(left))
	}
}
