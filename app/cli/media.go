package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

func newMediaCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "media",
		Short: "Upload or download temporary media (临时素材)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newMediaUploadCmd(env), newMediaGetCmd(env), newMediaJSSDKCmd(env), newMediaUploadImgCmd(env))
	return cmd
}

func newMediaUploadCmd(env *Env) *cobra.Command {
	var typ string
	var mp bool
	cmd := &cobra.Command{
		Use:   "upload FILE",
		Short: "Upload a file as temporary media (valid 3 days) and print its media_id",
		Example: `  wwkit media upload --type image logo.png
  wwkit media upload --type file report.pdf --json
  wwkit media upload --mp --type thumb cover.jpg`,
		Args: cobra.ExactArgs(1),
	}
	f := addAPIFlags(cmd, "print JSON")
	cmd.Flags().StringVar(&typ, "type", "file", "image, voice, video or file (MP: image, voice, video, thumb)")
	cmd.Flags().BoolVar(&mp, "mp", false, "upload to the Official Account instead of WeCom")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		file, err := os.Open(args[0])
		if err != nil {
			return fail(env, f.asJSON, fmt.Errorf("cli: %w", err))
		}
		defer file.Close()
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			var r *api.MediaUpload
			var err error
			if mp {
				var c *api.MP
				if c, err = s.mp(); err == nil {
					r, err = c.UploadMedia(ctx, typ, filepath.Base(args[0]), file)
				}
			} else {
				var c *api.WeCom
				if c, err = s.wecom(); err == nil {
					r, err = c.UploadMedia(ctx, typ, filepath.Base(args[0]), file)
				}
			}
			if err != nil {
				return nil, nil, err
			}
			return map[string]any{"type": r.Type, "media_id": r.MediaID, "created_at": string(r.CreatedAt)},
				func(w io.Writer) { fmt.Fprintln(w, r.MediaID) }, nil
		})
	}
	return cmd
}

func newMediaGetCmd(env *Env) *cobra.Command {
	var out string
	var mp bool
	cmd := &cobra.Command{
		Use:   "get MEDIA_ID",
		Short: "Download temporary media to a file (-o) or stdout (-o -)",
		Example: `  wwkit media get MEDIA_ID -o logo.png
  wwkit media get MEDIA_ID -o - > logo.png
  wwkit media get --mp MEDIA_ID -o logo.png`,
		Args: cobra.ExactArgs(1),
	}
	f := addAPIFlags(cmd, "print JSON about the download")
	cmd.Flags().StringVarP(&out, "output", "o", "", "where to write the file (- for stdout; default: the server's file name in the current directory)")
	cmd.Flags().BoolVar(&mp, "mp", false, "download from the Official Account instead of WeCom")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		return f.run(env, cmd, func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
			var m *api.Media
			var err error
			if mp {
				var c *api.MP
				if c, err = s.mp(); err == nil {
					m, err = c.GetMedia(ctx, args[0])
				}
			} else {
				var c *api.WeCom
				if c, err = s.wecom(); err == nil {
					m, err = c.GetMedia(ctx, args[0])
					if api.IsCode(err, 830002) {
						// Too large for one download: fetch it in 20 MB Range chunks.
						return downloadChunked(env, ctx, c, args[0], out, f.asJSON)
					}
				}
			}
			if err != nil {
				return nil, nil, err
			}
			if m.VideoURL != "" {
				return map[string]any{"video_url": m.VideoURL}, func(w io.Writer) { fmt.Fprintln(w, m.VideoURL) }, nil
			}
			dest := out
			if dest == "" {
				dest = filepath.Base(m.Filename)
				if dest == "" || dest == "." || dest == "/" {
					dest = args[0]
				}
			}
			if dest == "-" {
				if f.asJSON {
					return nil, nil, Usagef("--json and -o - both write to stdout; pick one")
				}
				return nil, func(w io.Writer) { w.Write(m.Body) }, nil
			}
			if err := os.WriteFile(dest, m.Body, 0o644); err != nil {
				return nil, nil, fmt.Errorf("cli: %w", err)
			}
			return map[string]any{"file": dest, "bytes": len(m.Body), "content_type": m.ContentType}, func(io.Writer) {
				fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s)\n", dest, len(m.Body), m.ContentType)
			}, nil
		})
	}
	return cmd
}

// downloadChunked writes a large media file with Range requests, to out, to
// stdout for "-", or to the server's file name.
func downloadChunked(env *Env, ctx context.Context, c *api.WeCom, mediaID, out string, asJSON bool) (map[string]any, func(io.Writer), error) {
	if out == "-" {
		if asJSON {
			return nil, nil, Usagef("--json and -o - both write to stdout; pick one")
		}
		if _, err := c.DownloadMedia(ctx, mediaID, env.Stdout, 0); err != nil {
			return nil, nil, err
		}
		return nil, nil, nil
	}
	tmp := out
	if tmp == "" {
		tmp = mediaID + ".part"
	}
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("cli: %w", err)
	}
	m, err := c.DownloadMedia(ctx, mediaID, f, 0)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cli: %w", cerr)
	}
	if err != nil {
		os.Remove(tmp)
		return nil, nil, err
	}
	dest := tmp
	if out == "" {
		dest = filepath.Base(m.Filename)
		if dest == "" || dest == "." || dest == "/" {
			dest = mediaID
		}
		if err := os.Rename(tmp, dest); err != nil {
			return nil, nil, fmt.Errorf("cli: %w", err)
		}
	}
	return map[string]any{"file": dest, "bytes": m.Total, "content_type": m.ContentType, "chunked": true}, func(io.Writer) {
		fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s, in Range chunks)\n", dest, m.Total, m.ContentType)
	}, nil
}
