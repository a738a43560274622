package desktop

import (
	"strings"
	"testing"

	"github.com/wwkit/wwkit/app/server"
)

// TestQRWarnings: a QR code on a loopback-only dev server carries the
// warning that a phone cannot open it, in the window that runs the server
// and in one attached to it; the emulator's parameter QR code says that
// only the simulated scan can use it.
func TestQRWarnings(t *testing.T) {
	dir := t.TempDir()
	owner := startApp(t, Config{DataDir: dir, Addr: "127.0.0.1:0"})
	win := startApp(t, Config{DataDir: dir, Attach: owner.ServerURL()})
	for name, a := range map[string]*App{"owner": owner, "attached": win} {
		q, err := a.QR.H5(QRRequest{Profile: "wecom"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(q.Warnings) != 1 || q.Warnings[0].Code != server.QRLoopback || q.Warnings[0].Params["port"] == "" || !strings.Contains(q.Warnings[0].Message, "0.0.0.0") {
			t.Errorf("%s: warnings %+v for %s", name, q.Warnings, q.Content)
		}
	}
	mp, err := owner.QR.MP(MPQRRequest{Profile: "mp", SceneID: 7})
	if err != nil || !mp.OK {
		t.Fatalf("MP QR: %+v %v", mp, err)
	}
	if !mp.EmulatorOnly || !strings.Contains(mp.URL, "weixin.qq.com") || mp.ExpiresAt == nil {
		t.Errorf("emulator MP QR: emulatorOnly %v url %s expires %v", mp.EmulatorOnly, mp.URL, mp.ExpiresAt)
	}
}
