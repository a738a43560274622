// Package cli implements the wwkit command line: one cobra command tree shared
// by the headless build and the desktop build. The tree is listed in
// commands; the desktop build adds its window and tray commands through
// Build, which main passes in, so no package-level state decides what the
// tree holds.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Version, Commit and Date describe the build. `make dist` and `make build`
// stamp them at link time with
// -ldflags "-X github.com/wwkit/wwkit/app/cli.Version=v1.2.3 -X …Commit=… -X …Date=…";
// when they are left unstamped (`go install …@v1.2.3`), BuildInfo fills them
// from the module version and VCS settings Go records in the binary.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Exit statuses of the wwkit binary.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the operation ran and failed (bad signature, API errcode, …)
	ExitUsage   = 2 // the command line was wrong; help was printed
)

// envAnnotation marks a flag that can be set from an environment variable.
const envAnnotation = "wwkit_env"

// commands is the command tree shared by every build, in help order.
func commands(env *Env) []*cobra.Command {
	return []*cobra.Command{
		newCryptCmd(env),
		newCustomerCmd(env),
		newEmulatorCmd(env),
		newErrcodeCmd(env),
		newJSSDKCmd(env),
		newMediaCmd(env),
		newMenuCmd(env),
		newMPCmd(env),
		newOAuthCmd(env),
		newQRCmd(env),
		newSendCmd(env),
		newServeCmd(env),
		newSignCmd(env),
		newSuiteCmd(env),
		newTokenCmd(env),
		newUserCmd(env),
		newDepartmentCmd(env),
		newTagCmd(env),
		newVersionCmd(env),
		newRobotCmd(env),
		newAppChatCmd(env),
		newCardCmd(env),
	}
}

// Build is what one build of the binary adds to the shared tree: the desktop
// build passes its window and tray commands and opens the window for a bare
// `wwkit`. The zero Build is the headless binary.
type Build struct {
	Commands []func(*Env) *cobra.Command
	NoArgs   func(cmd *cobra.Command) error
}

// Env is what a command needs from the process: standard streams and
// environment lookup. Tests build one with buffers.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// NoArgs, when set, is run for a bare `wwkit` with no subcommand (the
	// desktop build opens the window); otherwise help is printed.
	NoArgs func(cmd *cobra.Command) error
}

// ExitError carries an exit status through cobra. Its message has already been
// printed when Silent is true.
type ExitError struct {
	Code   int
	Err    error
	Silent bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// Usagef returns an error that makes wwkit print the command's help and exit 2.
func Usagef(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Failed returns an error that makes wwkit exit 1 without printing anything
// more (the command has already reported the failure, e.g. as JSON).
func Failed(err error) error { return &ExitError{Code: ExitFailure, Err: err, Silent: true} }

// NewRoot builds the command tree: the shared commands plus extra.
func NewRoot(env *Env, extra ...func(*Env) *cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "wwkit",
		Short: "Toolkit for WeCom (企业微信) and WeChat Official Account (公众号) H5 development",
		Long: `wwkit signs and diagnoses JS-SDK configs, encrypts and decrypts callback
messages (WXBizMsgCrypt), talks to the WeCom and Official Account APIs with safe
token caching, and emulates Tencent's servers offline so all of it works
without a real corp.`,
		Version:       VersionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if env.NoArgs != nil {
				return env.NoArgs(cmd)
			}
			return cmd.Help()
		},
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return applyEnv(cmd, env.Getenv)
		},
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate("wwkit {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	cmds := commands(env)
	for _, f := range extra {
		cmds = append(cmds, f(env))
	}
	slices.SortFunc(cmds, func(a, b *cobra.Command) int { return strings.Compare(a.Name(), b.Name()) })
	root.AddCommand(cmds...)
	return root
}

// Main runs wwkit as built by b with args and returns the exit status.
func Main(b Build, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, NoArgs: b.NoArgs}
	return Run(env, args, b.Commands...)
}

// Run executes the command tree (plus extra) for args in env and returns the
// exit status.
func Run(env *Env, args []string, extra ...func(*Env) *cobra.Command) int {
	root := NewRoot(env, extra...)
	started := markRuns(root)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	ee := classify(err, *started)
	if ee.Code == ExitUsage && cmd != nil && cmd.Flags().Lookup("json") == nil && wantsJSON(cmd, args) {
		// cobra stopped at the --json a group does not have; the mistake
		// the user made is usually the unknown subcommand before it.
		if _, _, ferr := root.Find(withoutFlag(args, "--json")); ferr != nil {
			ee = &ExitError{Code: ExitUsage, Err: ferr}
		} else if c, rest, _ := root.Find(withoutFlag(args, "--json")); c.HasSubCommands() && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
			ee = &ExitError{Code: ExitUsage, Err: fmt.Errorf("unknown command %q for %q", rest[0], c.CommandPath())}
		}
	}
	if ee.Code == ExitUsage && cmd != nil && wantsJSON(cmd, args) {
		_ = PrintJSON(env.Stdout, map[string]any{"ok": false, "error": map[string]any{"kind": "usage", "message": errText(ee)}})
	}
	if !ee.Silent && ee.Err != nil {
		fmt.Fprintf(env.Stderr, "wwkit: %v\n", ee.Err)
	}
	if ee.Code == ExitUsage && cmd != nil {
		fmt.Fprintln(env.Stderr)
		cmd.SetOut(env.Stderr)
		_ = cmd.Usage()
	}
	return ee.Code
}

// markRuns wraps the Run of every command in the tree so the returned flag
// says whether a command's own code started. cobra checks flags, arguments,
// required flags and flag groups before that, and reports what it finds as
// plain errors: an error before the start is therefore a usage error by
// where it came from, whatever cobra's wording.
func markRuns(root *cobra.Command) *bool {
	started := new(bool)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				*started = true
				return run(cmd, args)
			}
		} else if run := c.Run; run != nil {
			c.Run = func(cmd *cobra.Command, args []string) {
				*started = true
				run(cmd, args)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return started
}

// classify turns what cobra returned into an exit: an *ExitError keeps its
// status; any other error is a usage error when it came before the
// command's code ran and a failure after.
func classify(err error, started bool) *ExitError {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee
	}
	if !started {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return &ExitError{Code: ExitFailure, Err: err}
}

// wantsJSON reports whether the command line asked for --json, also when
// parsing stopped before reaching it, and also on a command that has no
// --json (a mistyped subcommand, a group): a script that asked for JSON
// gets its usage error as JSON.
func wantsJSON(cmd *cobra.Command, args []string) bool {
	if f := cmd.Flags().Lookup("json"); f != nil && f.Changed {
		return f.Value.String() == "true"
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--json" || a == "--json=true" {
			return true
		}
	}
	return false
}

// withoutFlag returns args without the literal flag f.
func withoutFlag(args []string, f string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if a != f {
			out = append(out, a)
		}
	}
	return out
}

func errText(ee *ExitError) string {
	if ee.Err == nil {
		return ee.Error()
	}
	return ee.Err.Error()
}

// SecretFlag declares a string flag that can also come from the environment
// variable envVar, so secrets stay out of the process list (ps).
func SecretFlag(fs *pflag.FlagSet, p *string, name, envVar, usage string) {
	fs.StringVar(p, name, "", usage+" (or $"+envVar+")")
	_ = fs.SetAnnotation(name, envAnnotation, []string{envVar})
}

// EnvFlag is SecretFlag for flags that are not secret but may come from the
// environment as well; def is the default when neither is set.
func EnvFlag(fs *pflag.FlagSet, p *string, name, envVar, def, usage string) {
	fs.StringVar(p, name, def, usage+" (or $"+envVar+")")
	_ = fs.SetAnnotation(name, envAnnotation, []string{envVar})
}

// EnvAlias lets the flag called name also be read from older environment
// variable names, tried after the documented one.
func EnvAlias(fs *pflag.FlagSet, name string, aliases ...string) {
	f := fs.Lookup(name)
	if f == nil {
		return
	}
	_ = fs.SetAnnotation(name, envAnnotation, append(f.Annotations[envAnnotation], aliases...))
}

// applyEnv fills flags that were not given on the command line from their
// environment variables.
func applyEnv(cmd *cobra.Command, getenv func(string) string) error {
	if getenv == nil {
		return nil
	}
	var firstErr error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		names := f.Annotations[envAnnotation]
		if f.Changed || len(names) == 0 {
			return
		}
		// The first name is the documented one; later names are older
		// spellings kept working (see EnvAlias).
		for _, name := range names {
			if v := getenv(name); v != "" {
				if err := f.Value.Set(v); err != nil && firstErr == nil {
					firstErr = Usagef("$%s: %v", name, err)
				}
				return
			}
		}
	})
	return firstErr
}
