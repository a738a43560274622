package server

import (
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"strings"

	"github.com/wwkit/wwkit/core/emulator"
	"github.com/wwkit/wwkit/frontend"
)

// The simulator endpoints back the H5 page's bridge simulator in a desktop
// browser (never inside WeCom/WeChat): the client's own wx.config check and
// uploadImage. They exist only for emulated profiles: against a real corp a
// desktop browser has no JS-SDK and nothing to simulate.

// handleSimVerify checks a wx.config / wx.agentConfig call the way the client
// would, with the in-process emulator's verifier (its tickets).
func (s *Server) handleSimVerify(w http.ResponseWriter, r *http.Request) {
	if s.emu == nil {
		fail(w, http.StatusNotFound, "server: the simulator endpoints exist only with the in-process emulator (wwkit serve without a profile)")
		return
	}
	var req emulator.VerifyRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, "server: the body must be the JSON of the wx.config call plus url")
		return
	}
	writeJSON(w, http.StatusOK, s.emu.Emulator().VerifyJSSDK(req))
}

// handleSimUpload stands in for wx.uploadImage: the multipart field "media"
// is uploaded with media/upload of the (emulated) profile and the media_id
// is returned, which the page then passes to /api/media/fetch as serverId.
func (s *Server) handleSimUpload(w http.ResponseWriter, r *http.Request) {
	p, ok := s.profileFor(r)
	if !ok {
		fail(w, http.StatusNotFound, "server: unknown profile; see GET /api/profiles")
		return
	}
	if !p.Emulated {
		fail(w, http.StatusNotFound, "server: the simulator endpoints exist only for emulated profiles")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 11<<20)
	f, hdr, err := r.FormFile("media")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(w, http.StatusRequestEntityTooLarge, "server: images are limited to 10 MiB")
			return
		}
		fail(w, http.StatusBadRequest, `server: the body must be multipart/form-data with the image in the field "media"`)
		return
	}
	defer f.Close()
	name := filepath.Base(hdr.Filename)
	if name == "." || name == "/" || name == "" {
		name = "image.jpg"
	}
	var mediaID string
	if p.wecom != nil {
		up, err := p.wecom.UploadMedia(r.Context(), "image", name, f)
		if err != nil {
			fail(w, http.StatusBadGateway, err.Error())
			return
		}
		mediaID = up.MediaID
	} else {
		up, err := p.mp.UploadMedia(r.Context(), "image", name, f)
		if err != nil {
			fail(w, http.StatusBadGateway, err.Error())
			return
		}
		mediaID = up.MediaID
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "media_id": mediaID})
}

// h5Page returns the built H5 debug page of frontend/, if any.
func h5Page() (fs.FS, bool) { return frontend.H5() }

// serveH5 serves a file of the built H5 page; it reports false when there is
// no such file. Hashed assets are cached for a year, the rest revalidated.
func (s *Server) serveH5(w http.ResponseWriter, r *http.Request, name string) bool {
	if s.h5 == nil {
		return false
	}
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if name == "" {
		name = "index.html"
	}
	b, err := fs.ReadFile(s.h5, name)
	if err != nil {
		return false
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".mjs", ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".wasm":
		ctype = "application/wasm"
	}
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(b)
	return true
}
