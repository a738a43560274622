package desktop

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// QRService renders QR codes (二维码) for phones: the H5 debug page with its
// parameters, and the same page behind OAuth (网页授权).
type QRService struct{ app *App }

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
}

var levels = map[string]qrcode.RecoveryLevel{"L": qrcode.Low, "M": qrcode.Medium, "Q": qrcode.High, "H": qrcode.Highest}

// H5 renders the QR code of the H5 debug page on the dev server's public
// URL. The page reads ?profile=; apis= and vconsole= are passed for the
// page to use [unconfirmed: the H5 page of this version reads only
// profile; the other two are the parameters the desktop UI will agree on
// with it].
func (s *QRService) H5(req QRRequest) (QRDTO, error) {
	p, _, err := s.app.profile(req.Profile)
	if err != nil {
		return QRDTO{}, err
	}
	srv, err := s.app.server()
	if err != nil {
		return QRDTO{}, err
	}
	size := req.Size
	if size == 0 {
		size = 256
	}
	if size < 128 || size > 1024 {
		return QRDTO{}, fmt.Errorf("desktop: QR size %d is out of range; use 128 to 1024 pixels", size)
	}
	lv := strings.ToUpper(req.Level)
	if lv == "" {
		lv = "M"
	}
	level, ok := levels[lv]
	if !ok {
		return QRDTO{}, fmt.Errorf("desktop: unknown error-correction level %q; use L, M, Q or H", req.Level)
	}
	q := url.Values{"profile": {p.Name}}
	var apis []string
	for _, a := range req.JSAPIList {
		if a = strings.TrimSpace(a); a != "" {
			if strings.ContainsAny(a, ", ") {
				return QRDTO{}, fmt.Errorf("desktop: JS API name %q contains a comma or space; give one name per entry", a)
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
	base := strings.TrimRight(srv.PublicURL(), "/")
	if base == "" {
		return QRDTO{}, errors.New("desktop: the dev server has no public URL; set Config.PublicURL")
	}
	page := base + "/?" + q.Encode()
	content := page
	if req.OAuth {
		content = base + "/api/oauth/start?" + url.Values{"profile": {p.Name}, "redirect": {page}}.Encode()
	}
	png, err := qrcode.Encode(content, level, size)
	if err != nil {
		return QRDTO{}, fmt.Errorf("desktop: encoding the QR code: %w", err)
	}
	return QRDTO{Content: content, PageURL: page, DataURL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), Size: size, Level: lv}, nil
}
