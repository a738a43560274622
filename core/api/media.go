package api

import (
	"context"
	"fmt"
	"io"
)

// MaxMediaChunk is the largest Range chunk WeCom serves (20 MB); bigger
// files answer a plain media/get with errcode 830002.
const MaxMediaChunk = 20 << 20

type rangeKey struct{}

// GetMediaRange downloads length bytes of a temporary media file starting at
// offset, with an HTTP Range request (206 Partial Content). Media.Total is the
// size of the whole file.
func (c *WeCom) GetMediaRange(ctx context.Context, mediaID string, offset, length int64) (*Media, error) {
	if offset < 0 || length <= 0 || length > MaxMediaChunk {
		return nil, fmt.Errorf("api: media range: offset must be ≥ 0 and length 1..%d bytes", MaxMediaChunk)
	}
	ctx = context.WithValue(ctx, rangeKey{}, fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	return c.GetMedia(ctx, mediaID)
}

// DownloadMedia writes a temporary media file of any size to w in Range
// chunks of at most chunk bytes (0 means MaxMediaChunk), the way WeCom
// requires for files over 20 MB (errcode 830002 otherwise). It returns the
// file's metadata (Body is nil) once every byte is written.
func (c *WeCom) DownloadMedia(ctx context.Context, mediaID string, w io.Writer, chunk int64) (*Media, error) {
	if chunk <= 0 || chunk > MaxMediaChunk {
		chunk = MaxMediaChunk
	}
	var meta *Media
	for offset := int64(0); ; {
		m, err := c.GetMediaRange(ctx, mediaID, offset, chunk)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m.Body); err != nil {
			return nil, fmt.Errorf("api: media download: writing: %w", err)
		}
		offset += int64(len(m.Body))
		meta = &Media{ContentType: m.ContentType, Filename: m.Filename, Total: m.Total}
		// A server that ignores Range answers 200 with the whole file.
		if m.Total < 0 || offset >= m.Total || len(m.Body) == 0 {
			if m.Total < 0 {
				meta.Total = offset
			}
			return meta, nil
		}
	}
}
