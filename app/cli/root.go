// Package cli implements the wwkit command line: one cobra command tree shared
// by the headless build and the desktop build. Commands register themselves
// with Register from init functions, so the desktop build can add the
// desktop-only subcommands from files carrying the desktop build tag.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Version is the wwkit version, set at link time with
// -ldflags "-X github.com/wwkit/wwkit/app/cli.Version=…".
var Version = "dev"

// Exit statuses of the wwkit binary.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // the operation ran and failed (bad signature, API errcode, …)
	ExitUsage   = 2 // the command line was wrong; help was printed
)

// envAnnotation marks a flag that can be set from an environment variable.
const envAnnotation = "wwkit_env"

var registry []func(*Env) *cobra.Command

// Register adds a top-level command constructor. It is called from init
// functions of the files that define commands.
func Register(f func(*Env) *cobra.Command) { registry = append(registry, f) }

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

// NoArgsHook lets the desktop build choose what a bare `wwkit` does.
var NoArgsHook func(cmd *cobra.Command) error

// NewRoot builds the command tree.
func NewRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "wwkit",
		Short: "Toolkit for WeCom (企业微信) and WeChat Official Account (公众号) H5 development",
		Long: `wwkit signs and diagnoses JS-SDK configs, encrypts and decrypts callback
messages (WXBizMsgCrypt), talks to the WeCom and Official Account APIs with safe
token caching, and emulates Tencent's servers offline so all of it works
without a real corp.`,
		Version:       Version,
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
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{Code: ExitUsage, Err: err}
	})
	cmds := make([]*cobra.Command, 0, len(registry))
	for _, f := range registry {
		cmds = append(cmds, f(env))
	}
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].Name() < cmds[j].Name() })
	root.AddCommand(cmds...)
	return root
}

// Main runs wwkit with args and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, NoArgs: NoArgsHook}
	return Run(env, args)
}

// Run executes the command tree for args in env and returns the exit status.
func Run(env *Env, args []string) int {
	root := NewRoot(env)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if !errors.As(err, &ee) {
		// cobra reports unknown commands and bad arguments as plain errors.
		if isCobraUsage(err) {
			ee = &ExitError{Code: ExitUsage, Err: err}
		} else {
			ee = &ExitError{Code: ExitFailure, Err: err}
		}
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

func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "required flag", "flag needs an argument", "if any flags in the group"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
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
