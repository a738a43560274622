package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/wwkit/wwkit/app/cli"
	"github.com/wwkit/wwkit/core/emulator"
)

// traceCLI runs the example lines in every API command's --help against
// one emulator and records which emulated paths each command reached: the
// CLI column says what the commands really call, not what a list claims.
// The examples run in a scratch directory holding the input files they
// name and the state `wwkit serve` leaves as a suite's callback URL (a
// suite_ticket, an installed corp), so a command stops only where it
// would for a user. It returns command path → set of emulator paths
// ("/wecom/cgi-bin/…"); an example that fails for lack of a file is an
// error naming it.
func traceCLI() (map[string]map[string]bool, error) {
	// Examples write files (media get -o logo.png) and data dirs: run them
	// in a scratch directory with a scratch home, not in the work tree.
	scratch, err := os.MkdirTemp("", "wwkit-coverage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if err := os.Chdir(scratch); err != nil {
		return nil, err
	}
	defer os.Chdir(wd)
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"} {
		old, had := os.LookupEnv(k)
		os.Setenv(k, scratch)
		if had {
			defer os.Setenv(k, old)
		} else {
			defer os.Unsetenv(k)
		}
	}
	emu, err := emulator.New()
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	defer emu.StopPushes()
	vars := map[string]string{
		"WWKIT_WECOM_BASE_URL": srv.URL + "/wecom",
		"WWKIT_MP_BASE_URL":    srv.URL + "/mp",
		"WWKIT_STORE":          "memory",
	}
	// Examples with --store redis://127.0.0.1:6379/0 fail when no Redis
	// runs here (what they called before is still recorded); the Redis
	// client's dial retries would only clutter `make docs`.
	redis.SetLogger(quietRedis{})
	if err := writeSamples(scratch); err != nil {
		return nil, err
	}
	suiteVars, err := prepareSuite(context.Background(), emu, srv.URL, scratch, filepath.Join(scratch, "serve"))
	if err != nil {
		return nil, err
	}
	for k, v := range suiteVars {
		vars[k] = v
	}
	newEnv := func() *cli.Env {
		return &cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
			Getenv: func(k string) string { return vars[k] }}
	}

	var lines []string
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range exampleCommands(c.Example) {
			if !seen[strings.Join(l, "\x00")] {
				seen[strings.Join(l, "\x00")] = true
				lines = append(lines, strings.Join(l, "\x00"))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cli.NewRoot(newEnv()))

	hits := map[string]map[string]bool{}
	var missing []string
	for _, l := range lines {
		args := strings.Split(l, "\x00")
		root := cli.NewRoot(newEnv()) // flags keep their values between runs: a fresh tree each time
		target, _, err := root.Find(args)
		// One-shot API commands have the connection flags with an overall
		// --timeout; servers (serve) have base URLs but run until stopped,
		// and offline commands (sign, crypt) have neither.
		if err != nil || target.Flags().Lookup("wecom-base-url") == nil || target.Flags().Lookup("timeout") == nil {
			continue
		}
		emu.ResetStats()
		root.SetArgs(args)
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		// An example may fail (an id it needs is gone); the call it made
		// still counts. One that finds no input file made none.
		err = root.ExecuteContext(ctx)
		cancel()
		if err != nil && (errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), syscall.ENOENT.Error())) {
			missing = append(missing, "wwkit "+strings.Join(args, " ")+": "+err.Error())
		}
		name := target.CommandPath()
		for path := range emu.Stats() {
			if hits[name] == nil {
				hits[name] = map[string]bool{}
			}
			hits[name][path] = true
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("coverage: these --help examples need a file the scratch directory lacks; add it to tools/coverage/testdata/examples (or binarySamples):\n  %s", strings.Join(missing, "\n  "))
	}
	return hits, nil
}

// quietRedis drops the Redis client's log lines.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// exampleCommands splits a cobra Example into the argument lists of its
// `wwkit …` commands: one per line or per `&&`/`;`-separated part, after
// dropping a `# comment`. Parts with pipes, redirections or command
// substitution are left out: they need a shell.
func exampleCommands(example string) [][]string {
	var out [][]string
	for _, line := range strings.Split(example, "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "$ "))
		for _, part := range splitParts(line) {
			words, ok := shellWords(part)
			if !ok || len(words) < 2 || words[0] != "wwkit" {
				continue
			}
			out = append(out, words[1:])
		}
	}
	return out
}

func splitParts(line string) []string {
	line = strings.ReplaceAll(line, "&&", ";")
	return strings.Split(line, ";")
}

// shellWords splits s like a POSIX shell for the simple cases examples
// use (quotes, no expansion); ok is false for anything that needs a shell.
func shellWords(s string) (words []string, ok bool) {
	var cur bytes.Buffer
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return finish(words, &cur, inWord), true
		case strings.ContainsRune("|<>`$\\", r):
			return nil, false
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, false
	}
	return finish(words, &cur, inWord), true
}

func finish(words []string, cur *bytes.Buffer, inWord bool) []string {
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// onTheWay is what the CLI column says for a path most commands reach
// before their own call.
const onTheWay = "every API command, on the way"

// commandsFor picks, for one emulated path, the commands to show. A path
// more than a quarter of the traced commands reach (the access_token) is
// fetched on the way rather than being what they are for: listing them
// all would say nothing, so it is shown as onTheWay.
func commandsFor(path string, hits map[string]map[string]bool) []string {
	var all []string
	for name, paths := range hits {
		if paths[path] {
			all = append(all, name)
		}
	}
	if len(hits) > 0 && len(all)*4 > len(hits) {
		return []string{onTheWay}
	}
	sort.Strings(all)
	return all
}
