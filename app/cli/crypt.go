package cli

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wwkit/wwkit/core/wxcrypt"
)

// cryptConfig holds the flags every crypt subcommand shares.
type cryptConfig struct {
	token, aesKey, receiveID string
	json                     bool
}

func (c *cryptConfig) flags(fs *pflag.FlagSet) {
	// The same variable names as `wwkit serve`; WWKIT_TOKEN and
	// WWKIT_AES_KEY, this command's first names, still work.
	SecretFlag(fs, &c.token, "token", "WWKIT_CALLBACK_TOKEN", "callback Token")
	SecretFlag(fs, &c.aesKey, "aes-key", "WWKIT_ENCODING_AES_KEY", "callback EncodingAESKey (43 characters)")
	EnvAlias(fs, "token", "WWKIT_TOKEN")
	EnvAlias(fs, "aes-key", "WWKIT_AES_KEY")
	EnvFlag(fs, &c.receiveID, "receive-id", "WWKIT_RECEIVE_ID", "", "receiveid: CorpID, SuiteID or AppID (empty skips the check)")
	fs.BoolVar(&c.json, "json", false, "print the result as JSON")
}

// crypt builds the Crypt, reporting usage errors for missing secrets.
func (c *cryptConfig) crypt(env *Env, name string) (*wxcrypt.Crypt, error) {
	if c.token == "" {
		return nil, Usagef("crypt %s: --token (or $WWKIT_CALLBACK_TOKEN) is required", name)
	}
	if c.aesKey == "" {
		return nil, Usagef("crypt %s: --aes-key (or $WWKIT_ENCODING_AES_KEY) is required", name)
	}
	cr, err := wxcrypt.New(c.token, c.aesKey, c.receiveID)
	if err != nil {
		return nil, c.fail(env, err)
	}
	return cr, nil
}

// fail reports a crypto failure (as JSON with --json) and returns the exit-1 error.
func (c *cryptConfig) fail(env *Env, err error) error {
	var ce *wxcrypt.Error
	errors.As(err, &ce)
	if c.json {
		out := map[string]any{"ok": false, "message": err.Error()}
		if ce != nil {
			out["errCode"], out["errName"] = ce.Code, ce.Name
		}
		_ = PrintJSON(env.Stdout, out)
	} else {
		fmt.Fprintf(env.Stderr, "wwkit: %v\n", err)
	}
	return Failed(err)
}

// readInput reads a FILE argument, "-" meaning stdin.
func readInput(env *Env, name, flag string) ([]byte, error) {
	const max = wxcrypt.MaxBodyLen + 1
	var r io.Reader
	if name == "-" {
		r = env.Stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, Usagef("--%s: %v", flag, err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, max))
	if err != nil {
		return nil, fmt.Errorf("cli: reading --%s: %w", flag, err)
	}
	if len(b) >= max {
		return nil, Usagef("--%s: input larger than %d bytes", flag, wxcrypt.MaxBodyLen)
	}
	return b, nil
}

func printMsg(w io.Writer, msg []byte) {
	w.Write(msg)
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		io.WriteString(w, "\n")
	}
}

func newCryptCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "crypt",
		Short: "Encrypt, decrypt and diagnose callback messages (WXBizMsgCrypt)",
		Long: `crypt handles the encrypted callbacks of WeCom apps and Official Accounts in
safe mode. Secrets can come from $WWKIT_CALLBACK_TOKEN and $WWKIT_ENCODING_AES_KEY so they stay
out of the process list; --receive-id from $WWKIT_RECEIVE_ID.

--echostr and --encrypt take the value already URL-decoded, as a web framework
hands it over; they are never decoded again, so a '+' in them is data.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCryptVerifyURLCmd(env), newCryptDecryptCmd(env), newCryptEncryptCmd(env), newCryptDoctorCmd(env))
	return cmd
}

func newCryptVerifyURLCmd(env *Env) *cobra.Command {
	var cfg cryptConfig
	var sig, plainSig, ts, nonce, echostr string
	cmd := &cobra.Command{
		Use:   "verify-url",
		Short: "Check a URL-verification GET and print the echostr to answer with",
		Long: `verify-url checks a callback URL verification and prints the body to answer
with. WeCom (and MP safe mode) sends msg_signature and an encrypted echostr:
the answer is the decrypted echostr. An Official Account in plaintext mode
sends only signature (--signature, over token, timestamp and nonce) and a
plain echostr, which is echoed back unchanged.`,
		Example: `  export WWKIT_CALLBACK_TOKEN=… WWKIT_ENCODING_AES_KEY=…
  wwkit crypt verify-url --receive-id "$CORPID" --msg-signature 5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3 \
    --timestamp 1409659589 --nonce 263014780 --echostr 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=='
  wwkit crypt verify-url --signature SIG --timestamp 1409659589 --nonce 263014780 --echostr hello   # MP plaintext mode`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (sig == "") == (plainSig == "") || ts == "" || nonce == "" || echostr == "" {
				return Usagef("crypt verify-url: --timestamp, --nonce, --echostr and one of --msg-signature (WeCom) or --signature (MP plaintext) are required")
			}
			if plainSig != "" && cfg.aesKey == "" {
				// The MP plaintext check needs no key; any valid one builds the Crypt.
				cfg.aesKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			}
			c, err := cfg.crypt(env, "verify-url")
			if err != nil {
				return err
			}
			if plainSig != "" {
				if !c.VerifyPlainSignature(plainSig, ts, nonce) {
					return cfg.fail(env, &wxcrypt.Error{Code: wxcrypt.CodeValidateSignature, Name: wxcrypt.ErrValidateSignature.Name,
						Msg: "signature does not match sha1(sort(token, timestamp, nonce)); check the Token (MP URL checks do not sign echostr)"})
				}
				if cfg.json {
					return PrintJSON(env.Stdout, map[string]any{"ok": true, "msg": echostr})
				}
				printMsg(env.Stdout, []byte(echostr))
				return nil
			}
			msg, err := c.VerifyURL(sig, ts, nonce, echostr)
			if err != nil {
				return cfg.fail(env, err)
			}
			return cfg.printDecrypted(env, c, echostr, msg)
		},
	}
	fs := cmd.Flags()
	cfg.flags(fs)
	fs.StringVar(&sig, "msg-signature", "", "msg_signature query value (WeCom, MP safe mode)")
	fs.StringVar(&plainSig, "signature", "", "signature query value (MP plaintext mode; echostr is echoed back)")
	fs.StringVar(&ts, "timestamp", "", "timestamp query value")
	fs.StringVar(&nonce, "nonce", "", "nonce query value")
	fs.StringVar(&echostr, "echostr", "", "echostr query value, already URL-decoded ('+' is data)")
	return cmd
}

func newCryptDecryptCmd(env *Env) *cobra.Command {
	var cfg cryptConfig
	var sig, ts, nonce, encrypt, body string
	cmd := &cobra.Command{
		Use:   "decrypt",
		Short: "Verify and decrypt a callback POST body or an Encrypt value",
		Example: `  wwkit crypt decrypt --receive-id "$CORPID" --msg-signature SIG --timestamp 1409659589 --nonce 263014780 --body request.xml
  wwkit crypt decrypt --receive-id "$CORPID" --msg-signature SIG --timestamp 1409659589 --nonce 263014780 --encrypt 'BASE64…' --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if sig == "" || ts == "" || nonce == "" {
				return Usagef("crypt decrypt: --msg-signature, --timestamp and --nonce are required")
			}
			if (encrypt == "") == (body == "") {
				return Usagef("crypt decrypt: give exactly one of --encrypt B64 and --body FILE|-")
			}
			c, err := cfg.crypt(env, "decrypt")
			if err != nil {
				return err
			}
			if body != "" {
				b, err := readInput(env, body, "body")
				if err != nil {
					return err
				}
				e, err := wxcrypt.ParseEnvelope(b)
				if err != nil {
					return cfg.fail(env, err)
				}
				encrypt = e.Encrypt
			}
			msg, err := c.Decrypt(sig, ts, nonce, encrypt)
			if err != nil {
				return cfg.fail(env, err)
			}
			return cfg.printDecrypted(env, c, encrypt, msg)
		},
	}
	fs := cmd.Flags()
	cfg.flags(fs)
	fs.StringVar(&sig, "msg-signature", "", "msg_signature query value")
	fs.StringVar(&ts, "timestamp", "", "timestamp query value")
	fs.StringVar(&nonce, "nonce", "", "nonce query value")
	fs.StringVar(&encrypt, "encrypt", "", "the Encrypt value (base64, used verbatim)")
	fs.StringVar(&body, "body", "", "file with the POST body envelope, - for stdin")
	return cmd
}

func newCryptEncryptCmd(env *Env) *cobra.Command {
	var cfg cryptConfig
	var ts, nonce, random16, msgFile string
	cmd := &cobra.Command{
		Use:   "encrypt",
		Short: "Encrypt a passive reply and print the reply envelope XML",
		Example: `  wwkit crypt encrypt --receive-id "$CORPID" --timestamp 1409659589 --nonce 263014780 --msg reply.xml
  echo '<xml>…</xml>' | wwkit crypt encrypt --receive-id "$CORPID" --timestamp 1409659589 --nonce 263014780 --msg - --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if msgFile == "" {
				return Usagef("crypt encrypt: --msg FILE|- is required")
			}
			var r16 []byte
			if random16 != "" {
				var err error
				r16, err = hex.DecodeString(random16)
				if err != nil || len(r16) != 16 {
					return Usagef("crypt encrypt: --random16 must be 32 hex digits (16 bytes)")
				}
			}
			if ts == "" {
				ts = strconv.FormatInt(time.Now().Unix(), 10)
			} else if _, err := strconv.ParseUint(ts, 10, 64); err != nil {
				return Usagef("crypt encrypt: --timestamp must be Unix seconds")
			}
			if nonce == "" {
				var b [8]byte
				_, _ = rand.Read(b[:])
				nonce = strconv.FormatUint(binary.BigEndian.Uint64(b[:])%1e10, 10)
			}
			c, err := cfg.crypt(env, "encrypt")
			if err != nil {
				return err
			}
			msg, err := readInput(env, msgFile, "msg")
			if err != nil {
				return err
			}
			var out []byte
			if r16 != nil {
				out, err = c.EncryptReplyWithRandom(r16, msg, ts, nonce)
			} else {
				out, err = c.EncryptReply(msg, ts, nonce)
			}
			if err != nil {
				return cfg.fail(env, err)
			}
			if cfg.json {
				return PrintJSON(env.Stdout, map[string]any{"ok": true, "xml": string(out), "timestamp": ts, "nonce": nonce})
			}
			printMsg(env.Stdout, out)
			return nil
		},
	}
	fs := cmd.Flags()
	cfg.flags(fs)
	fs.StringVar(&ts, "timestamp", "", "TimeStamp of the reply (default: now)")
	fs.StringVar(&nonce, "nonce", "", "Nonce of the reply (default: random)")
	fs.StringVar(&random16, "random16", "", "16 random prefix bytes as hex (reproducible output; never reuse in production)")
	fs.StringVar(&msgFile, "msg", "", "file with the plaintext reply XML, - for stdin")
	return cmd
}

func newCryptDoctorCmd(env *Env) *cobra.Command {
	var cfg cryptConfig
	var req wxcrypt.Request
	var query, body string
	var now int64
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Explain why a captured callback request does not verify or decrypt",
		Long: `doctor replays a captured callback request against a configuration and
reports each step (config, envelope, timestamp, signature, base64, aes,
length, receiveid) with the likely cause of the first failure: wrong Token,
wrong EncodingAESKey, SuiteID vs CorpID, '+' turned into a space in echostr,
clock skew, or a signature computed over the wrong field.

Give the query either as separate flags or raw with --query (the part after
'?', still percent-encoded), and the POST body with --body FILE|-.`,
		Example: `  wwkit crypt doctor --receive-id "$CORPID" --query 'msg_signature=…&timestamp=…&nonce=…' --body request.xml
  wwkit crypt doctor --receive-id "$CORPID" --msg-signature SIG --timestamp 1409659589 --nonce 263014780 --echostr '…' --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if query != "" {
				q, err := url.ParseQuery(query)
				if err != nil {
					return Usagef("crypt doctor: --query: %v", err)
				}
				set := func(dst *string, k string) {
					if *dst == "" {
						*dst = q.Get(k)
					}
				}
				set(&req.MsgSignature, "msg_signature")
				set(&req.Timestamp, "timestamp")
				set(&req.Nonce, "nonce")
				set(&req.EchoStr, "echostr")
				set(&req.Signature, "signature")
			}
			if body != "" {
				b, err := readInput(env, body, "body")
				if err != nil {
					return err
				}
				req.Body = b
			}
			if req.EchoStr == "" && len(req.Body) == 0 {
				return Usagef("crypt doctor: give --echostr (GET) or --body FILE|- (POST), or --query")
			}
			if cfg.token == "" && cfg.aesKey == "" {
				return Usagef("crypt doctor: --token and --aes-key (or $WWKIT_CALLBACK_TOKEN, $WWKIT_ENCODING_AES_KEY) are required")
			}
			c := wxcrypt.Config{Token: cfg.token, EncodingAESKey: cfg.aesKey, ReceiveID: cfg.receiveID}
			if now != 0 {
				c.Now = time.Unix(now, 0)
			}
			r := wxcrypt.Diagnose(req, c)
			if cfg.json {
				if err := PrintJSON(env.Stdout, r); err != nil {
					return err
				}
			} else {
				for _, s := range r.Steps {
					fmt.Fprintf(env.Stdout, "%-4s  %-9s  %s\n", s.Status, s.Name, s.Detail)
				}
				if r.OK {
					if r.Repaired != "" {
						fmt.Fprintf(env.Stdout, "repaired value: %s\n", r.Repaired)
					}
					fmt.Fprintf(env.Stdout, "result: ok, message: %s\n", r.Msg)
				} else {
					fmt.Fprintf(env.Stdout, "result: FAIL\ncause: %s\n", r.Cause)
				}
			}
			if !r.OK {
				return Failed(errors.New("cli: diagnosis found a failure"))
			}
			return nil
		},
	}
	fs := cmd.Flags()
	cfg.flags(fs)
	fs.StringVar(&req.MsgSignature, "msg-signature", "", "msg_signature query value")
	fs.StringVar(&req.Timestamp, "timestamp", "", "timestamp query value")
	fs.StringVar(&req.Nonce, "nonce", "", "nonce query value")
	fs.StringVar(&req.EchoStr, "echostr", "", "echostr query value as your server received it")
	fs.StringVar(&req.Signature, "signature", "", "MP plain signature query value")
	fs.StringVar(&query, "query", "", "raw query string (percent-encoded) instead of the separate flags")
	fs.StringVar(&body, "body", "", "file with the captured POST body, - for stdin")
	fs.Int64Var(&now, "now", 0, "Unix seconds to use as the current time (default: the clock)")
	return cmd
}

// printDecrypted reports a verified plaintext: with --json as
// {"ok":true,"msg","receiveId"} (the receive id read from ciphertext, which
// has already passed every check), else the message itself.
func (cfg *cryptConfig) printDecrypted(env *Env, c *wxcrypt.Crypt, ciphertext string, msg []byte) error {
	if cfg.json {
		_, rid, _ := c.Open(ciphertext)
		return PrintJSON(env.Stdout, map[string]any{"ok": true, "msg": string(msg), "receiveId": rid})
	}
	printMsg(env.Stdout, msg)
	return nil
}
