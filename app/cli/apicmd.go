package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/core/api"
)

// The skeleton every command that calls the API shares: the connection
// flags and --json, then open the profile (starting an in-process emulator
// when it says so), build the client, make the call and print the answer.
// Errors go through fail, so a script that asked for --json always gets
// {"ok":false,…} and exit 1, and a usage error keeps exit 2.

// apiCall is one command's work on an open session. out is the JSON answer
// without "ok" (nil prints {"ok":true}); text prints it for people (nil
// prints nothing, e.g. when the call wrote a file and said so on stderr).
type apiCall func(ctx context.Context, s *session) (out map[string]any, text func(io.Writer), err error)

// apiFlags are the flags of an API command.
type apiFlags struct {
	conn   *connFlags
	asJSON bool
}

// addAPIFlags adds the connection flags and --json (with jsonUsage as its
// help) to cmd.
func addAPIFlags(cmd *cobra.Command, jsonUsage string) *apiFlags {
	f := &apiFlags{conn: addConnFlags(cmd)}
	cmd.Flags().BoolVar(&f.asJSON, "json", false, jsonUsage)
	return f
}

// run opens the session, runs call and prints its answer.
func (f *apiFlags) run(env *Env, cmd *cobra.Command, call apiCall) error {
	s, err := f.conn.open(env)
	if err != nil {
		return fail(env, f.asJSON, err)
	}
	defer s.close()
	ctx, cancel := s.ctx(cmd)
	defer cancel()
	out, text, err := call(ctx, s)
	if err != nil {
		return fail(env, f.asJSON, err)
	}
	if f.asJSON {
		if out == nil {
			out = map[string]any{}
		}
		out["ok"] = true
		return PrintJSON(env.Stdout, out)
	}
	if text != nil {
		text(env.Stdout)
	}
	return nil
}

// onWeCom and onMP turn a call that needs one client into an apiCall.
func onWeCom(call func(ctx context.Context, c *api.WeCom) (map[string]any, func(io.Writer), error)) apiCall {
	return func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
		c, err := s.wecom()
		if err != nil {
			return nil, nil, err
		}
		return call(ctx, c)
	}
}

func onMP(call func(ctx context.Context, c *api.MP) (map[string]any, func(io.Writer), error)) apiCall {
	return func(ctx context.Context, s *session) (map[string]any, func(io.Writer), error) {
		c, err := s.mp()
		if err != nil {
			return nil, nil, err
		}
		return call(ctx, c)
	}
}

// wecomCmd wires cmd to the API flags and run, which gets the WeCom client
// and the arguments. check, if set, validates the arguments and flags
// before any connection is made.
func wecomCmd(env *Env, cmd *cobra.Command, check func(args []string) error, run func(ctx context.Context, c *api.WeCom, args []string) (map[string]any, func(io.Writer), error)) *cobra.Command {
	f := addAPIFlags(cmd, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if check != nil {
			if err := check(args); err != nil {
				return err
			}
		}
		return f.run(env, cmd, onWeCom(func(ctx context.Context, c *api.WeCom) (map[string]any, func(io.Writer), error) {
			return run(ctx, c, args)
		}))
	}
	return cmd
}

// mpCall runs call with the Official Account client for commands that
// declare their own flags: out as JSON for --json, text otherwise.
func mpCall(env *Env, cmd *cobra.Command, cf *connFlags, asJSON bool, call func(ctx context.Context, c *api.MP) (out map[string]any, text string, err error)) error {
	f := &apiFlags{conn: cf, asJSON: asJSON}
	return f.run(env, cmd, onMP(func(ctx context.Context, c *api.MP) (map[string]any, func(io.Writer), error) {
		out, text, err := call(ctx, c)
		return out, func(w io.Writer) { fmt.Fprint(w, text) }, err
	}))
}
