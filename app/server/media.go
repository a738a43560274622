package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wwkit/wwkit/app/inbox"
	"github.com/wwkit/wwkit/core/api"
)

var serverIDRE = regexp.MustCompile(`^[A-Za-z0-9_\-=.@]{1,256}$`)

// allowedMedia maps the content types the server stores to a file extension.
var allowedMedia = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/bmp": ".bmp",
	"audio/amr": ".amr", "audio/mpeg": ".mp3", "audio/speex": ".speex", "audio/x-speex": ".speex",
	"video/mp4": ".mp4",
}

// handleMediaFetch is the server half of chooseImage → uploadImage: the page
// posts the serverId (a media_id), the server downloads it with media/get,
// checks type and size, stores it in the data dir, indexes it and returns a
// local URL.
func (s *Server) handleMediaFetch(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return
	}
	var req struct {
		ServerID string `json:"serverId"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, `server: the body must be JSON {"serverId":"…"} from wx.uploadImage`)
		return
	}
	if !serverIDRE.MatchString(req.ServerID) {
		fail(w, http.StatusBadRequest, "server: serverId is missing or malformed; pass res.serverId of wx.uploadImage")
		return
	}
	if !s.mediaAllowed(w, r) {
		return
	}
	start := s.now()
	s.log.Info("server: media download started", "profile", p.Name, "mediaId", req.ServerID)
	var m *api.Media
	var err error
	if p.Platform == PlatformWeCom {
		m, err = p.wecom.GetMedia(r.Context(), req.ServerID)
	} else {
		m, err = p.mp.GetMedia(r.Context(), req.ServerID)
	}
	if err != nil {
		s.log.Warn("server: media download failed", "profile", p.Name, "mediaId", req.ServerID, "err", err)
		fail(w, http.StatusBadGateway, err.Error())
		return
	}
	ctype, _, _ := mime.ParseMediaType(m.ContentType)
	ext, ok := allowedMedia[strings.ToLower(ctype)]
	if !ok {
		s.log.Warn("server: media of an unexpected content type refused", "profile", p.Name, "contentType", m.ContentType)
		fail(w, http.StatusUnsupportedMediaType, fmt.Sprintf("server: media content type %q is not an image, voice or video", m.ContentType))
		return
	}
	if int64(len(m.Body)) > s.cfg.MaxMediaBytes {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("server: media of %d bytes is over the %d-byte limit", len(m.Body), s.cfg.MaxMediaBytes))
		return
	}
	if len(m.Body) == 0 {
		fail(w, http.StatusBadGateway, "server: media/get answered an empty file")
		return
	}
	sum := sha256.Sum256(m.Body)
	digest := hex.EncodeToString(sum[:])
	name := digest[:32] + ext
	_, statErr := os.Stat(filepath.Join(s.mediaDir, name))
	if err := writeFileAtomic(filepath.Join(s.mediaDir, name), m.Body); err != nil {
		s.log.Error("server: storing media failed", "err", err)
		fail(w, http.StatusInternalServerError, "server: storing the media file failed; check the data directory")
		return
	}
	if statErr != nil {
		s.mediaMu.Lock()
		s.mediaBytes += int64(len(m.Body))
		s.mediaMu.Unlock()
	}
	rec, err := s.inbox.AddMedia(r.Context(), inbox.Media{Profile: p.Name, MediaID: req.ServerID, Path: name, ContentType: ctype, Size: int64(len(m.Body)), SHA256: digest})
	if err != nil {
		s.log.Error("server: indexing media failed", "err", err)
		fail(w, http.StatusInternalServerError, "server: indexing the media file failed")
		return
	}
	s.log.Info("server: media stored", "profile", p.Name, "mediaId", req.ServerID, "bytes", len(m.Body), "contentType", ctype,
		"ms", s.now().Sub(start).Milliseconds())
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "url": "/media/" + name, "contentType": ctype, "size": len(m.Body), "sha256": digest, "id": rec.ID})
}

// mediaAllowed applies the per-client rate limit (429) and the disk bound
// (507) of POST /api/media/fetch: each call spends API quota and disk.
func (s *Server) mediaAllowed(w http.ResponseWriter, r *http.Request) bool {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	now := s.now()
	s.mediaMu.Lock()
	defer s.mediaMu.Unlock()
	if n := s.cfg.MediaFetchPerMinute; n > 0 {
		recent := s.mediaRate[ip][:0]
		for _, t := range s.mediaRate[ip] {
			if now.Sub(t) < time.Minute {
				recent = append(recent, t)
			}
		}
		if len(recent) >= n {
			s.mediaRate[ip] = recent
			retry := time.Minute - now.Sub(recent[0])
			w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
			s.log.Warn("server: media/fetch rate limit reached", "client", ip, "perMinute", n)
			fail(w, http.StatusTooManyRequests, fmt.Sprintf("server: more than %d media downloads in a minute from %s; wait %d s or raise wwkit serve --media-per-minute", n, ip, int(retry.Seconds())+1))
			return false
		}
		if len(s.mediaRate) > 10000 {
			s.mediaRate = map[string][]time.Time{}
		}
		s.mediaRate[ip] = append(recent, now)
	}
	if max := s.cfg.MaxMediaDiskBytes; max > 0 {
		if s.mediaBytes < 0 {
			s.mediaBytes = dirSize(s.mediaDir)
		}
		if s.mediaBytes >= max {
			s.log.Warn("server: media disk bound reached", "bytes", s.mediaBytes, "max", max)
			fail(w, http.StatusInsufficientStorage, fmt.Sprintf("server: downloaded media use %d bytes, the bound is %d; delete files in %s or raise wwkit serve --media-disk-max",
				s.mediaBytes, max, s.mediaDir))
			return false
		}
	}
	return true
}

func dirSize(dir string) int64 {
	var n int64
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}

var mediaFileRE = regexp.MustCompile(`^[0-9a-f]{32}\.[a-z0-9]{2,6}$`)

func (s *Server) handleMediaFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if !mediaFileRE.MatchString(name) {
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(filepath.Join(s.mediaDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, st.ModTime(), f)
}

func (s *Server) handleMediaList(w http.ResponseWriter, r *http.Request) {
	ms, err := s.inbox.ListMedia(r.Context(), 100)
	if err != nil {
		fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "media": ms})
}

func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, strings.NewReader(string(b))); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
