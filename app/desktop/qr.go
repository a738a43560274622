package desktop

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/api"
	"github.com/wwkit/wwkit/core/message"
)

// QRService renders QR codes (二维码) for phones: the H5 debug page with its
// parameters, and the same page behind OAuth (网页授权).
type QRService struct {
	app   *App
	reach reachCache // whether phones can open the QR code (warnings)

	mu         sync.Mutex
	saveDialog SaveDialog // the window's native save dialog (SetSaveDialog)
}

// QRRequest says what to encode and how.
type QRRequest struct {
	Profile   string   `json:"profile"`   // "" = active
	JSAPIList []string `json:"jsApiList"` // APIs the page should test; empty = the page's default
	VConsole  bool     `json:"vConsole"`  // ask the page to load vConsole
	OAuth     bool     `json:"oauth"`     // wrap the page in the dev server's OAuth start URL
	Size      int      `json:"size"`      // PNG width in pixels, 128..1024; 256 when 0
	Level     string   `json:"level"`     // error correction: L, M (default), Q, H
}

// QRDTO is a rendered QR code.
type QRDTO struct {
	Content string `json:"content"` // the encoded URL
	PageURL string `json:"pageUrl"` // the H5 page URL (Content without the OAuth wrapper)
	DataURL string `json:"dataUrl"` // data:image/png;base64,…
	Size    int    `json:"size"`
	Level   string `json:"level"`
	// Warnings say why a phone may not open Content (loopback URL, a
	// loopback-only listener, a public URL another server answers) and
	// what to do; the window words them from Code and Params.
	Warnings []server.QRWarning `json:"warnings"`
}

var levels = map[string]qrcode.RecoveryLevel{"L": qrcode.Low, "M": qrcode.Medium, "Q": qrcode.High, "H": qrcode.Highest}

// H5 renders the QR code of the H5 debug page on the dev server's public
// URL with ?profile=, apis= (extra JS-APIs the page puts in jsApiList and
// checkJsApi) and vconsole=1 (vConsole open on load); the page reads them in
// frontend/h5/src/params.ts.
func (s *QRService) H5(req QRRequest) (QRDTO, error) {
	p, _, err := s.app.profile(req.Profile)
	if err != nil {
		return QRDTO{}, err
	}
	l, err := s.app.current()
	if err != nil {
		return QRDTO{}, err
	}
	size, lv, level, err := qrOptions(req.Size, req.Level)
	if err != nil {
		return QRDTO{}, err
	}
	q := url.Values{"profile": {p.Name}}
	var apis []string
	for _, a := range req.JSAPIList {
		if a = strings.TrimSpace(a); a != "" {
			if strings.ContainsAny(a, ", ") {
				return QRDTO{}, fail("qr.apiName", "name", a)
			}
			apis = append(apis, a)
		}
	}
	if len(apis) > 0 {
		q.Set("apis", strings.Join(apis, ","))
	}
	if req.VConsole {
		q.Set("vconsole", "1")
	}
	base := strings.TrimRight(l.publicURL, "/")
	if base == "" {
		return QRDTO{}, fail("qr.noPublicURL")
	}
	page := base + "/?" + q.Encode()
	content := page
	if req.OAuth {
		content = base + "/api/oauth/start?" + url.Values{"profile": {p.Name}, "redirect": {page}}.Encode()
	}
	png, err := qrcode.Encode(content, level, size)
	if err != nil {
		return QRDTO{}, failWrap("qr.encode", err)
	}
	return QRDTO{Content: content, PageURL: page, DataURL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), Size: size, Level: lv,
		Warnings: s.warnings()}, nil
}

// SavePNG writes a QR code returned by H5 or MP (its dataUrl) to path as a
// PNG file and returns the absolute path written. A relative path (a bare
// file name included) is taken relative to the user's pictures folder
// (see picturesDir), never the directory wwkit was started from.
func (s *QRService) SavePNG(dataURL, path string) (string, error) {
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(dataURL, prefix) {
		return "", fail("qr.notDataURL")
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(dataURL, prefix))
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		return "", fail("qr.notPNG")
	}
	if strings.TrimSpace(path) == "" {
		return "", fail("qr.noFileName")
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(picturesDir(), abs)
	}
	if !strings.EqualFold(filepath.Ext(abs), ".png") {
		abs += ".png"
	}
	if err := writeFileAtomic(abs, b, 0o644); err != nil {
		return "", err
	}
	return abs, nil
}

// MPQRRequest asks the Official Account API for a parameter QR code
// (带参数二维码, qrcode/create).
type MPQRRequest struct {
	Profile   string `json:"profile"`   // "" = active; must be an Official Account
	SceneID   int64  `json:"sceneId"`   // a numeric scene (1..100000 when permanent), or
	SceneStr  string `json:"sceneStr"`  // a string scene (1..64 characters)
	Permanent bool   `json:"permanent"` // QR_LIMIT_(STR_)SCENE; else temporary
	// ExpireSeconds of a temporary code: 60..2592000 (30 days); 2592000
	// when 0.
	ExpireSeconds int64  `json:"expireSeconds"`
	Size          int    `json:"size"`  // PNG width, 128..1024; 256 when 0
	Level         string `json:"level"` // L, M (default), Q, H
}

// MPQRDTO is a created parameter QR code, or the errcode the server
// answered.
type MPQRDTO struct {
	OK            bool       `json:"ok"`
	ActionName    string     `json:"actionName"`
	Scene         string     `json:"scene"`  // the scene as the scan event's EventKey carries it
	Ticket        string     `json:"ticket"` // public: it is in the image URL
	URL           string     `json:"url"`    // the QR code's content
	ImageURL      string     `json:"imageUrl"`
	ExpireSeconds int64      `json:"expireSeconds,omitempty"`
	ExpiresAt     *time.Time `json:"expiresAt,omitempty" ts_type:"string"`
	DataURL       string     `json:"dataUrl"` // the QR code as data:image/png;base64,…
	// EmulatorOnly: the code comes from the emulator; it decodes to a
	// weixin.qq.com URL that WeChat cannot open, only SimulateScan can
	// use it.
	EmulatorOnly bool        `json:"emulatorOnly"`
	Size         int         `json:"size"`
	Level        string      `json:"level"`
	Error        *ErrcodeDTO `json:"error,omitempty"`
}

// MP creates a parameter QR code through the profile's qrcode/create and
// renders its URL. A scan shows up in the inbox as a subscribe event
// (EventKey qrscene_SCENE) or, for a follower, a SCAN event; on the
// emulator SimulateScan does the scanning.
func (s *QRService) MP(req MPQRRequest) (MPQRDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return MPQRDTO{}, err
	}
	if c.mp == nil {
		return MPQRDTO{}, fail("qr.mpOnly", "name", p.Name)
	}
	size, lv, level, err := qrOptions(req.Size, req.Level)
	if err != nil {
		return MPQRDTO{}, err
	}
	r := &api.QRCodeRequest{}
	switch {
	case req.SceneID != 0 && req.SceneStr != "":
		return MPQRDTO{}, fail("qr.sceneBoth")
	case req.SceneID != 0:
		if req.SceneID < 0 || (req.Permanent && req.SceneID > 100000) || req.SceneID > 1<<32-1 {
			return MPQRDTO{}, fail("qr.sceneID", "id", req.SceneID)
		}
		r.ActionInfo.Scene.SceneID = req.SceneID
		r.ActionName = "QR_SCENE"
	case req.SceneStr != "":
		if len(req.SceneStr) > 64 {
			return MPQRDTO{}, fail("qr.sceneStr", "n", len(req.SceneStr))
		}
		r.ActionInfo.Scene.SceneStr = req.SceneStr
		r.ActionName = "QR_STR_SCENE"
	default:
		return MPQRDTO{}, fail("qr.noScene")
	}
	if req.Permanent {
		r.ActionName = strings.Replace(r.ActionName, "QR_", "QR_LIMIT_", 1)
		if req.ExpireSeconds != 0 {
			return MPQRDTO{}, fail("qr.permanentExpiry")
		}
	} else {
		r.ExpireSeconds = req.ExpireSeconds
		if r.ExpireSeconds == 0 {
			r.ExpireSeconds = 2592000
		}
		if r.ExpireSeconds < 60 || r.ExpireSeconds > 2592000 {
			return MPQRDTO{}, fail("qr.expire", "n", r.ExpireSeconds)
		}
	}
	d := MPQRDTO{ActionName: r.ActionName, Size: size, Level: lv, Scene: req.SceneStr, EmulatorOnly: p.Emulated}
	if req.SceneID != 0 {
		d.Scene = strconv.FormatInt(req.SceneID, 10)
	}
	res, err := c.mp.CreateQRCode(ctx, r)
	if err != nil {
		if ec, ok := asErrcode(err); ok {
			d.Error = &ec
			return d, nil
		}
		return MPQRDTO{}, failWrap("qr.create", err)
	}
	png, err := qrcode.Encode(res.URL, level, size)
	if err != nil {
		return MPQRDTO{}, failWrap("qr.encode", err)
	}
	d.OK, d.Ticket, d.URL, d.ExpireSeconds = true, res.Ticket, res.URL, res.ExpireSeconds
	d.ImageURL = api.ShowQRCodeURL(res.Ticket)
	if res.ExpireSeconds > 0 {
		t := s.app.now().Add(time.Duration(res.ExpireSeconds) * time.Second)
		d.ExpiresAt = &t
	}
	d.DataURL = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	return d, nil
}

// ScanRequest simulates a WeChat user scanning a parameter QR code on the
// emulator.
type ScanRequest struct {
	Profile string `json:"profile"` // "" = active; an emulator Official Account
	Ticket  string `json:"ticket"`  // the code's ticket, or
	URL     string `json:"url"`     // its content
	OpenID  string `json:"openid"`  // who scans; "" = a fixture user who does not follow yet (a subscribe event)
}

// ScanDTO is what the scan pushed to the callback URL.
type ScanDTO struct {
	OK        bool   `json:"ok"`
	Event     string `json:"event"`    // subscribe or SCAN
	EventKey  string `json:"eventKey"` // qrscene_SCENE or SCENE
	From      string `json:"from"`     // the openid that scanned
	Status    int    `json:"status"`   // the callback URL's HTTP status
	Reply     string `json:"reply,omitempty"`
	ReplyType string `json:"replyMsgType,omitempty"`
	Error     string `json:"error,omitempty"`
}

// SimulateScan asks the emulator to scan a parameter QR code: the
// emulator pushes the subscribe/SCAN event to the profile's callback URL,
// so it lands in the inbox. Emulator profiles only (a real scan needs a
// phone).
func (s *QRService) SimulateScan(req ScanRequest) (ScanDTO, error) {
	ctx, cancel := s.app.callCtx()
	defer cancel()
	p, c, err := s.app.profile(req.Profile)
	if err != nil {
		return ScanDTO{}, err
	}
	emu := s.app.EmulatorURL()
	if c.mp == nil || !p.Emulated || emu == "" {
		return ScanDTO{}, fail("qr.scanNotEmulator", "name", p.Name)
	}
	if req.Ticket == "" && req.URL == "" {
		return ScanDTO{}, fail("qr.scanNone")
	}
	var res struct {
		OK         bool   `json:"ok"`
		Error      string `json:"error"`
		Status     int    `json:"status"`
		Message    string `json:"message"`
		Reply      string `json:"reply"`
		ReplyType  string `json:"replyMsgType"`
		ReplyError string `json:"replyError"`
	}
	if _, err := s.app.postJSON(ctx, emu+"/__emulator/qrcode/scan", map[string]string{"ticket": req.Ticket, "url": req.URL, "openid": req.OpenID}, &res); err != nil {
		return ScanDTO{}, failWrap("qr.scanFailed", err)
	}
	d := ScanDTO{OK: res.OK, Status: res.Status, Reply: res.Reply, ReplyType: res.ReplyType, Error: res.Error}
	if d.Error == "" {
		d.Error = res.ReplyError
	}
	if res.Message != "" {
		if m, err := message.Parse([]byte(res.Message)); err == nil {
			d.Event, d.EventKey, d.From = m.Event, m.EventKey, m.FromUserName
		}
	}
	if res.Status == 0 && res.Error != "" && res.Message == "" {
		// The emulator refused (unknown ticket, unknown openid): data for
		// the window, not a tool failure.
		d.OK = false
	}
	return d, nil
}

// qrOptions checks the size and error-correction level of a QR code.
func qrOptions(size int, level string) (int, string, qrcode.RecoveryLevel, error) {
	if size == 0 {
		size = 256
	}
	if size < 128 || size > 1024 {
		return 0, "", 0, fail("qr.size", "size", size)
	}
	lv := strings.ToUpper(level)
	if lv == "" {
		lv = "M"
	}
	rl, ok := levels[lv]
	if !ok {
		return 0, "", 0, fail("qr.level", "level", level)
	}
	return size, lv, rl, nil
}

// picturesDir is where a QR code saved without a folder goes: the XDG
// pictures or download folder when set, else ~/Pictures or ~/Downloads when
// they exist, else the home directory; the working directory only when
// there is no home at all.
func picturesDir() string {
	for _, v := range []string{"XDG_PICTURES_DIR", "XDG_DOWNLOAD_DIR"} {
		if d := os.Getenv(v); filepath.IsAbs(d) && isDir(d) {
			return d
		}
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		wd, _ := os.Getwd()
		return wd
	}
	for _, sub := range []string{"Pictures", "Downloads"} {
		if d := filepath.Join(home, sub); isDir(d) {
			return d
		}
	}
	return home
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
