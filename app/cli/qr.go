package cli

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"
)

func newQRCmd(env *Env) *cobra.Command {
	var png, level string
	var size int
	var invert, asJSON bool
	cmd := &cobra.Command{
		Use:   "qr URL",
		Short: "Show a URL as a QR code in the terminal, or write it as a PNG",
		Long: `qr encodes URL (or any text) as a QR code (二维码) for a phone to scan: drawn
in the terminal with half-block characters, or written as a PNG with --png
(--png - writes the PNG to stdout). A loopback URL (127.0.0.1, localhost) is
encoded as asked but warned about: a phone opens it on itself, not on this
machine — use the LAN address or a tunnel's public URL instead.`,
		Example: `  wwkit qr https://h5.example.com/order/1
  wwkit qr http://192.168.1.20:8080/ --png page.png --size 512
  wwkit qr "$(wwkit oauth url --redirect-uri https://h5.example.com/cb)" --invert`,
		Args: cobra.ExactArgs(1),
	}
	cmd.Flags().StringVar(&png, "png", "", "write a PNG to this file (- for stdout) instead of drawing in the terminal")
	cmd.Flags().IntVar(&size, "size", 256, "PNG width and height in pixels (64 to 4096)")
	cmd.Flags().StringVar(&level, "level", "medium", "error correction: low, medium, high or highest (higher survives damage, gives a denser code)")
	cmd.Flags().BoolVar(&invert, "invert", false, "swap dark and light in the terminal (for light-on-dark terminals that scan badly)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (with --png; the terminal drawing is in \"text\" otherwise)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		content := args[0]
		if strings.TrimSpace(content) == "" {
			return Usagef("the URL is empty")
		}
		levels := map[string]qrcode.RecoveryLevel{"low": qrcode.Low, "medium": qrcode.Medium, "high": qrcode.High, "highest": qrcode.Highest}
		rl, ok := levels[level]
		if !ok {
			return Usagef("--level %q: use low, medium, high or highest", level)
		}
		if size < 64 || size > 4096 {
			return Usagef("--size %d: use 64 to 4096 pixels", size)
		}
		if png == "-" && asJSON {
			return Usagef("--png - writes the image to stdout; it cannot be combined with --json")
		}
		q, err := qrcode.New(content, rl)
		if err != nil {
			return Usagef("%d bytes do not fit in a QR code at level %s (%v); shorten the URL or use --level low", len(content), level, err)
		}
		warning := loopbackWarning(content)
		if warning != "" && !asJSON {
			fmt.Fprintln(env.Stderr, "wwkit: warning: "+warning)
		}
		out := map[string]any{"ok": true, "content": content, "level": level}
		if warning != "" {
			out["warning"] = warning
		}
		switch png {
		case "":
			text := q.ToSmallString(invert)
			if asJSON {
				out["text"] = text
				return PrintJSON(env.Stdout, out)
			}
			fmt.Fprint(env.Stdout, text)
			return nil
		case "-":
			b, err := q.PNG(size)
			if err != nil {
				return fail(env, false, fmt.Errorf("cli: drawing the QR code: %w", err))
			}
			_, err = env.Stdout.Write(b)
			return err
		}
		b, err := q.PNG(size)
		if err == nil {
			err = os.WriteFile(png, b, 0o644)
		}
		if err != nil {
			return fail(env, asJSON, fmt.Errorf("cli: writing %s: %w", png, err))
		}
		if asJSON {
			out["png"], out["size"], out["bytes"] = png, size, len(b)
			return PrintJSON(env.Stdout, out)
		}
		fmt.Fprintf(env.Stdout, "wrote %s (%d×%d px, %d bytes)\n", png, size, size, len(b))
		return nil
	}
	return cmd
}

// loopbackWarning says why a phone cannot open content when it is a URL on
// this machine's loopback address; "" otherwise.
func loopbackWarning(content string) string {
	u, err := url.Parse(content)
	if err != nil || u.Host == "" {
		return ""
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); (ip != nil && ip.IsLoopback()) || strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return h + " is the phone itself when scanned, not this machine: use this machine's LAN address (wwkit serve --addr 0.0.0.0:8080 prints it) or a tunnel's public URL"
	}
	return ""
}
