package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"strconv"
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
	// The build embeds the verifier only precompressed (wwkit.wasm.gz and
	// .br, see frontend/scripts/copy-wasm.mjs): the raw module would add
	// megabytes to every binary for the rare client that takes neither.
	gzOnly := false
	if err != nil {
		gz, gerr := fs.ReadFile(s.h5, name+".gz")
		if gerr != nil {
			return false
		}
		b, gzOnly = gz, true
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
	if path.Ext(name) == ".html" {
		s.setPageCookie(w)
	}
	if strings.HasPrefix(name, "assets/") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		// Revalidated on every load; the ETag turns that into a 304, so a
		// reload reuses the cached verifier (and the browser's compiled
		// WebAssembly code cached with it).
		w.Header().Set("Cache-Control", "no-cache")
	}
	etag := contentTag(b)
	w.Header().Set("ETag", etag)
	compress := gzOnly || (compressible(ctype) && len(b) > 1024)
	if compress {
		w.Header().Add("Vary", "Accept-Encoding")
	}
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	if compress {
		// Precompressed siblings (make wasm writes wwkit.wasm.br with
		// brotli -q 11 and wwkit.wasm.gz with gzip -9) are smaller than
		// what is compressed here on the fly.
		if br, err := fs.ReadFile(s.h5, name+".br"); err == nil && accepts(r, "br") {
			w.Header().Set("Content-Encoding", "br")
			b = br
		} else if gzOnly && accepts(r, "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
		} else if gzOnly {
			plain, err := gunzip(b)
			if err != nil {
				s.log.Error("the embedded H5 file is damaged", "file", name+".gz", "err", err)
				http.Error(w, "server: the embedded "+name+".gz is damaged; rebuild wwkit (make build)", http.StatusInternalServerError)
				return true
			}
			b = plain
		} else if accepts(r, "gzip") {
			if gz, err := fs.ReadFile(s.h5, name+".gz"); err == nil {
				w.Header().Set("Content-Encoding", "gzip")
				b = gz
			} else if gz := s.gzipped(name, b); gz != nil {
				w.Header().Set("Content-Encoding", "gzip")
				b = gz
			}
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
	return true
}

// contentTag is a weak ETag of a file's content (weak: the same tag covers
// its gzip and brotli encodings).
func contentTag(b []byte) string {
	sum := sha256.Sum256(b)
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// etagMatches reports whether an If-None-Match header lists tag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	if strings.TrimSpace(header) == "*" {
		return true
	}
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == want {
			return true
		}
	}
	return false
}

func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/javascript", "application/wasm", "application/json", "image/svg+xml"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}

// accepts reports whether the request's Accept-Encoding allows enc.
func accepts(r *http.Request, enc string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		e, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(e), enc) && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// gunzip decompresses an embedded .gz file (for a client that accepts no
// compression; bounded to 64 MiB).
func gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	plain, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, err
	}
	return plain, zr.Close()
}

// gzipped compresses an embedded file once (the page's wasm verifier is
// megabytes; a phone on the LAN gets a fraction of it) and keeps the result.
func (s *Server) gzipped(name string, b []byte) []byte {
	s.gzMu.Lock()
	defer s.gzMu.Unlock()
	if gz, ok := s.gz[name]; ok {
		return gz
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(b); err != nil || zw.Close() != nil {
		return nil
	}
	if s.gz == nil {
		s.gz = map[string][]byte{}
	}
	s.gz[name] = buf.Bytes()
	return s.gz[name]
}
