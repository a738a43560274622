package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"
	"unicode/utf8"
)

// mediaLimits are the per-type size limits of temporary media (素材).
var mediaLimits = map[string]map[string]int{
	"wecom": {"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "file": 20 << 20},
	"mp":    {"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "thumb": 64 << 10},
}

// mediaUpload serves POST /cgi-bin/media/upload?type= (multipart field media).
func (e *Emulator) mediaUpload(q *request, platform string) {
	e.mu.Lock()
	ok := q.auth(platform)
	e.mu.Unlock()
	if !ok {
		return
	}
	typ := q.query("type")
	limit, known := mediaLimits[platform][typ]
	if !known {
		q.fail(40004)
		return
	}
	data, filename, ctype, ok := q.readMedia()
	if !ok {
		return
	}
	if len(data) <= 5 || len(data) > limit {
		q.failMsg(40006, fmt.Sprintf("invalid file size: %s media must be more than 5 bytes and at most %d bytes", typ, limit))
		return
	}
	if ctype == "" || ctype == "application/octet-stream" {
		if byExt := mime.TypeByExtension(path.Ext(filename)); byExt != "" {
			ctype = byExt
		} else {
			ctype = http.DetectContentType(data)
		}
	}
	if filename == "" || !utf8.ValidString(filename) {
		filename = "media" + extFor(ctype)
	}
	id := "3" + randString(63, alnum+"-_")
	if e.cfg.dataDir != "" {
		if err := e.saveMedia(id, data); err != nil {
			e.log.Error("emulator: saving media", "err", err)
			q.fail(-1)
			return
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	e.sweep(now)
	e.evictMedia(len(data))
	e.st.Media[id] = &mediaRec{Platform: platform, Type: typ, Filename: filename, ContentType: ctype, Data: data, Created: now}
	e.dirty = true
	out := map[string]any{"type": typ, "media_id": id}
	if platform == "wecom" {
		out["created_at"] = strconv.FormatInt(now.Unix(), 10) // a string in WeCom
		q.ok(out)
		return
	}
	out["created_at"] = now.Unix() // a number in MP, and no errcode on success
	q.json(out)
}

// readMedia reads the file in multipart field "media" of an upload, bounded.
// It answers 41005/40006 itself and returns false when there is no file.
func (q *request) readMedia() (data []byte, filename, ctype string, ok bool) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, maxUploadBody)
	mr, err := q.r.MultipartReader()
	if err != nil {
		q.failMsg(41005, "media data missing: send multipart/form-data with the file in the field named media")
		return nil, "", "", false
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				q.fail(40006)
				return nil, "", "", false
			}
			q.failMsg(41005, "media data missing: the multipart body is malformed")
			return nil, "", "", false
		}
		if part.FormName() != "media" {
			part.Close()
			continue
		}
		data, err = io.ReadAll(io.LimitReader(part, int64(maxFileSize)+1))
		if err != nil {
			q.fail(40006)
			return nil, "", "", false
		}
		filename = part.FileName()
		ctype = part.Header.Get("Content-Type")
		part.Close()
		break
	}
	if data == nil {
		q.failMsg(41005, "media data missing: no multipart field named media")
		return nil, "", "", false
	}
	return data, filename, ctype, true
}

func extFor(ctype string) string {
	if exts, _ := mime.ExtensionsByType(ctype); len(exts) > 0 {
		return exts[0]
	}
	return ".bin"
}

// mediaGet serves GET /cgi-bin/media/get?media_id=: the bytes with
// Content-Type and Content-disposition, Range supported; a JSON error with
// HTTP 200 when the id is unknown or expired.
func (e *Emulator) mediaGet(q *request, platform string) {
	e.mu.Lock()
	if !q.auth(platform) {
		e.mu.Unlock()
		return
	}
	id := q.query("media_id")
	m, ok := e.st.Media[id]
	valid := ok && m.Platform == platform && e.now().Before(m.Created.Add(mediaTTL))
	var rec mediaRec
	if valid {
		rec = *m
	}
	e.mu.Unlock()
	if id == "" {
		q.failMsg(40007, "invalid media_id: media_id is missing")
		return
	}
	if !valid {
		q.fail(40007)
		return
	}
	if platform == "mp" && rec.Type == "video" && q.query("raw") != "1" {
		// MP answers video media with a download URL instead of the bytes.
		q.json(map[string]any{"video_url": "http://" + q.r.Host + "/mp/cgi-bin/media/get?" + url.Values{
			"access_token": {q.query("access_token")}, "media_id": {id}, "raw": {"1"}}.Encode()})
		return
	}
	h := q.w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("Content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rec.Filename}))
	h.Set("Cache-Control", "no-cache, must-revalidate")
	http.ServeContent(q.w, q.r, "", time.Time{}, bytes.NewReader(rec.Data))
}

// button is a menu button (WeCom agent menu and MP custom menu).
type button struct {
	Type      string   `json:"type,omitempty"`
	Name      string   `json:"name"`
	Key       string   `json:"key,omitempty"`
	URL       string   `json:"url,omitempty"`
	AppID     string   `json:"appid,omitempty"`
	PagePath  string   `json:"pagepath,omitempty"`
	MediaID   string   `json:"media_id,omitempty"`
	ArticleID string   `json:"article_id,omitempty"`
	SubButton []button `json:"sub_button,omitempty"`
}

var buttonTypes = map[string]map[string]bool{
	"wecom": {"click": true, "view": true, "scancode_push": true, "scancode_waitmsg": true, "pic_sysphoto": true,
		"pic_photo_or_album": true, "pic_weixin": true, "location_select": true, "view_miniprogram": true},
	"mp": {"click": true, "view": true, "scancode_push": true, "scancode_waitmsg": true, "pic_sysphoto": true,
		"pic_photo_or_album": true, "pic_weixin": true, "location_select": true, "miniprogram": true,
		"media_id": true, "article_id": true, "article_view_limited": true, "view_limited": true},
}

// checkButton validates one button at level 1 or 2.
func checkButton(platform string, b button, level int) int {
	if b.Name == "" || len(b.Name) > 16 && level == 1 || len(b.Name) > 60 {
		return 40018
	}
	if len(b.SubButton) > 0 {
		if level > 1 {
			return 40022
		}
		if len(b.SubButton) > 5 {
			return 40023
		}
		for _, s := range b.SubButton {
			if c := checkButton(platform, s, 2); c != 0 {
				return c
			}
		}
		return 0
	}
	if !buttonTypes[platform][b.Type] {
		return 40017
	}
	if len(b.Key) > 128 {
		return 40019
	}
	if len(b.URL) > 1024 {
		return 40020
	}
	switch b.Type {
	case "view":
		if b.URL == "" {
			return 40020
		}
	case "view_miniprogram", "miniprogram":
		if b.AppID == "" || b.PagePath == "" {
			return 40058
		}
	case "media_id", "view_limited":
		if b.MediaID == "" {
			return 40007
		}
	case "article_id", "article_view_limited":
		if b.ArticleID == "" {
			return 40058
		}
	default:
		if b.Key == "" {
			return 40019
		}
	}
	return 0
}

// menuKey authenticates a menu call and returns the state key of its menu.
// Callers hold e.mu.
func (q *request) menuKey(platform string) (string, bool) {
	if !q.auth(platform) {
		return "", false
	}
	if platform == "mp" {
		return mpKey, true
	}
	id, err := strconv.ParseInt(q.query("agentid"), 10, 64)
	if q.query("agentid") == "" {
		q.fail(41011)
		return "", false
	}
	if err != nil || id != q.agentID {
		q.failMsg(40056, "invalid agentid: agentid must be the app of this access_token")
		return "", false
	}
	return wecomKey(id), true
}

func (e *Emulator) menuCreate(q *request, platform string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key, ok := q.menuKey(platform)
	if !ok {
		return
	}
	var menu struct {
		Button []button `json:"button"`
	}
	if !q.decodeJSON(&menu) {
		return
	}
	if len(menu.Button) == 0 || len(menu.Button) > 3 {
		q.fail(40016)
		return
	}
	for _, b := range menu.Button {
		if c := checkButton(platform, b, 1); c != 0 {
			q.fail(c)
			return
		}
	}
	stored, _ := json.Marshal(menu)
	e.st.Menus[key] = stored
	if platform == "mp" {
		// menu/get shows this id once personalised menus exist.
		e.st.MPMenuID = e.nextMenuID()
	}
	e.dirty = true
	q.ok(nil)
}

func (e *Emulator) menuGet(q *request, platform string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key, ok := q.menuKey(platform)
	if !ok {
		return
	}
	stored, ok := e.st.Menus[key]
	if !ok {
		q.fail(46003)
		return
	}
	if platform == "mp" {
		q.json(e.mpMenuGetAnswer(stored))
		return
	}
	var menu map[string]any
	_ = json.Unmarshal(stored, &menu)
	q.ok(map[string]any{"button": menu["button"]})
}

func (e *Emulator) menuDelete(q *request, platform string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key, ok := q.menuKey(platform)
	if !ok {
		return
	}
	delete(e.st.Menus, key)
	if platform == "mp" {
		// Deleting the default menu deletes the personalised ones too.
		e.st.CondMenus, e.st.MPMenuID = nil, 0
	}
	e.dirty = true
	q.ok(nil)
}

// maxMediaBytes bounds the memory media may hold; the oldest media are
// dropped first (Tencent keeps them three days regardless).
const maxMediaBytes = 256 << 20

// evictMedia drops the oldest media until adding n bytes fits. Callers hold e.mu.
func (e *Emulator) evictMedia(n int) {
	total := n
	for _, m := range e.st.Media {
		total += len(m.Data)
	}
	for total > maxMediaBytes && len(e.st.Media) > 0 {
		var oldest string
		for id, m := range e.st.Media {
			if oldest == "" || m.Created.Before(e.st.Media[oldest].Created) {
				oldest = id
			}
		}
		total -= len(e.st.Media[oldest].Data)
		e.dropMedia(oldest)
	}
}
