package cli

import (
	"context"
	"fmt"
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
	var asJSON, mp bool
	cmd := &cobra.Command{
		Use:   "upload FILE",
		Short: "Upload a file as temporary media (valid 3 days) and print its media_id",
		Example: `  wwkit media upload --type image logo.png
  wwkit media upload --type file report.pdf --json`,
		Args: cobra.ExactArgs(1),
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVar(&typ, "type", "file", "image, voice, video or file (MP: image, voice, video, thumb)")
	cmd.Flags().BoolVar(&mp, "mp", false, "upload to the Official Account instead of WeCom")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		f, err := os.Open(args[0])
		if err != nil {
			return fail(env, asJSON, fmt.Errorf("cli: %w", err))
		}
		defer f.Close()
		s, err := cf.open(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		defer s.close()
		ctx, cancel := s.ctx(cmd)
		defer cancel()
		var r *api.MediaUpload
		if mp {
			var c *api.MP
			if c, err = s.mp(); err != nil {
				return fail(env, asJSON, err)
			}
			r, err = c.UploadMedia(ctx, typ, filepath.Base(args[0]), f)
		} else {
			var c *api.WeCom
			if c, err = s.wecom(); err != nil {
				return fail(env, asJSON, err)
			}
			r, err = c.UploadMedia(ctx, typ, filepath.Base(args[0]), f)
		}
		if err != nil {
			return fail(env, asJSON, err)
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "type": r.Type, "media_id": r.MediaID, "created_at": string(r.CreatedAt)})
		}
		fmt.Fprintln(env.Stdout, r.MediaID)
		return nil
	}
	return cmd
}

func newMediaGetCmd(env *Env) *cobra.Command {
	var out string
	var asJSON, mp bool
	cmd := &cobra.Command{
		Use:   "get MEDIA_ID",
		Short: "Download temporary media to a file (-o) or stdout (-o -)",
		Example: `  wwkit media get MEDIA_ID -o logo.png
  wwkit media get MEDIA_ID -o - > logo.png`,
		Args: cobra.ExactArgs(1),
	}
	cf := addConnFlags(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "where to write the file (- for stdout; default: the server's file name in the current directory)")
	cmd.Flags().BoolVar(&mp, "mp", false, "download from the Official Account instead of WeCom")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON about the download")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		s, err := cf.open(env)
		if err != nil {
			return fail(env, asJSON, err)
		}
		defer s.close()
		ctx, cancel := s.ctx(cmd)
		defer cancel()
		var m *api.Media
		if mp {
			var c *api.MP
			if c, err = s.mp(); err != nil {
				return fail(env, asJSON, err)
			}
			m, err = c.GetMedia(ctx, args[0])
		} else {
			var c *api.WeCom
			if c, err = s.wecom(); err != nil {
				return fail(env, asJSON, err)
			}
			m, err = c.GetMedia(ctx, args[0])
			if api.IsCode(err, 830002) {
				// Too large for one download: fetch it in 20 MB Range chunks.
				return downloadChunked(env, ctx, c, args[0], out, asJSON)
			}
		}
		if err != nil {
			return fail(env, asJSON, err)
		}
		if m.VideoURL != "" {
			if asJSON {
				return PrintJSON(env.Stdout, map[string]any{"ok": true, "video_url": m.VideoURL})
			}
			fmt.Fprintln(env.Stdout, m.VideoURL)
			return nil
		}
		dest := out
		if dest == "" {
			dest = filepath.Base(m.Filename)
			if dest == "" || dest == "." || dest == "/" {
				dest = args[0]
			}
		}
		if dest == "-" {
			if asJSON {
				return Usagef("--json and -o - both write to stdout; pick one")
			}
			_, err = env.Stdout.Write(m.Body)
			return err
		}
		if err := os.WriteFile(dest, m.Body, 0o644); err != nil {
			return fail(env, asJSON, fmt.Errorf("cli: %w", err))
		}
		if asJSON {
			return PrintJSON(env.Stdout, map[string]any{"ok": true, "file": dest, "bytes": len(m.Body), "content_type": m.ContentType})
		}
		fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s)\n", dest, len(m.Body), m.ContentType)
		return nil
	}
	return cmd
}

// downloadChunked writes a large media file with Range requests, to out, to
// stdout for "-", or to the server's file name.
func downloadChunked(env *Env, ctx context.Context, c *api.WeCom, mediaID, out string, asJSON bool) error {
	if out == "-" {
		if asJSON {
			return Usagef("--json and -o - both write to stdout; pick one")
		}
		_, err := c.DownloadMedia(ctx, mediaID, env.Stdout, 0)
		if err != nil {
			return fail(env, false, err)
		}
		return nil
	}
	tmp := out
	if tmp == "" {
		tmp = mediaID + ".part"
	}
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fail(env, asJSON, fmt.Errorf("cli: %w", err))
	}
	m, err := c.DownloadMedia(ctx, mediaID, f, 0)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("cli: %w", cerr)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(env, asJSON, err)
	}
	dest := tmp
	if out == "" {
		dest = filepath.Base(m.Filename)
		if dest == "" || dest == "." || dest == "/" {
			dest = mediaID
		}
		if err := os.Rename(tmp, dest); err != nil {
			return fail(env, asJSON, fmt.Errorf("cli: %w", err))
		}
	}
	if asJSON {
		return PrintJSON(env.Stdout, map[string]any{"ok": true, "file": dest, "bytes": m.Total, "content_type": m.ContentType, "chunked": true})
	}
	fmt.Fprintf(env.Stderr, "wrote %s (%d bytes, %s, in Range chunks)\n", dest, m.Total, m.ContentType)
	return nil
}
