package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wwkit/wwkit/app/server"
	"github.com/wwkit/wwkit/core/emulator"
)

// examples holds the input files the --help examples name (menu.json,
// @notice.md, card.json, …), copied into the scratch directory before the
// examples run: without them an example stops at "no such file" before it
// calls anything, and its endpoint would read "—" though the command calls
// it. They are inputs only; what a command reaches is still what the
// emulator recorded.
//
//go:embed testdata/examples
var examples embed.FS

// binarySamples are the media files the examples upload, made here rather
// than checked in: real images where the emulator checks the type
// (uploadimg takes JPG or PNG only), a few bytes for the rest.
func binarySamples() (map[string][]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{R: 7, G: 193, B: 96, A: 255})
	}
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		return nil, err
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		return nil, err
	}
	blob := []byte("wwkit coverage: a sample file for a --help example\n")
	return map[string][]byte{
		"logo.png": p.Bytes(), "chart.png": p.Bytes(), "cover.jpg": j.Bytes(),
		"report.pdf": blob, "日报.xlsx": blob, "note.amr": blob, "intro.mp4": blob,
	}, nil
}

// writeSamples puts the examples' input files into dir.
func writeSamples(dir string) error {
	err := fs.WalkDir(examples, "testdata/examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := examples.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, d.Name()), b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("coverage: sample files: %w", err)
	}
	bin, err := binarySamples()
	if err != nil {
		return fmt.Errorf("coverage: sample files: %w", err)
	}
	for name, b := range bin {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("coverage: sample files: %w", err)
		}
	}
	return nil
}

// suiteProfile is the profile the suite examples name with --profile isv:
// the emulator's suite, as a user's wwkit.toml would declare it
// (docs/suite.md). Its Secret comes from the variable it names.
const (
	suiteProfile   = "isv"
	suiteSecretEnv = "WWKIT_COVERAGE_SUITE_SECRET"
)

// prepareSuite leaves in data what `wwkit serve` leaves after running as
// the suite callback URL of the emulator's suite: a real dev server (the
// suite callback code of app/server) receives the emulator's suite_ticket
// push and the fixture corp's install (create_auth, whose auth_code it
// exchanges for the permanent code). The suite commands then run against
// that state as they would next to a running server. It also writes
// dir/wwkit.toml with the suite profile the examples name, and returns
// the variables the commands need.
func prepareSuite(ctx context.Context, emu *emulator.Emulator, emuURL, dir, data string) (map[string]string, error) {
	suites := emu.Fixture().Suites
	if len(suites) == 0 {
		return nil, fmt.Errorf("coverage: the emulator's fixture has no suite to prepare the suite commands' state with")
	}
	fsu := suites[0]
	srv, err := server.New(server.Config{Addr: "127.0.0.1:0", DataDir: data,
		Suites: []server.Suite{{Name: suiteProfile, SuiteID: fsu.SuiteID, Secret: fsu.Secret, Token: fsu.Token,
			EncodingAESKey: fsu.EncodingAESKey, TrustedDomains: []string{"127.0.0.1"}, APIBaseURL: emuURL + "/wecom", Emulated: true}}})
	if err != nil {
		return nil, fmt.Errorf("coverage: starting the dev server for the suite state: %w", err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	defer func() {
		stop()
		<-done
	}()
	cb := srv.URL() + "/suite/" + suiteProfile + "/callback"
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for _, push := range []func() (*emulator.SuitePush, error){
		func() (*emulator.SuitePush, error) { return emu.PushSuiteTicket(pctx, fsu.SuiteID, cb) },
		func() (*emulator.SuitePush, error) {
			return emu.InstallSuite(pctx, emulator.InstallRequest{SuiteID: fsu.SuiteID, URL: cb})
		},
	} {
		p, err := push()
		if err != nil {
			return nil, fmt.Errorf("coverage: preparing the suite state: %w", err)
		}
		if r := p.Result; r.Status != 200 || r.Error != "" {
			return nil, fmt.Errorf("coverage: preparing the suite state: the dev server answered %s with HTTP %d %s", p.InfoType, r.Status, r.Error)
		}
	}
	toml := fmt.Sprintf("[profiles.%s]\nkind = \"suite\"\nsuite_id = %q\nsuite_secret_env = %q\ntoken = %q\nencoding_aes_key = %q\n",
		suiteProfile, fsu.SuiteID, suiteSecretEnv, fsu.Token, fsu.EncodingAESKey)
	if err := os.WriteFile(filepath.Join(dir, "wwkit.toml"), []byte(toml), 0o600); err != nil {
		return nil, err
	}
	return map[string]string{"WWKIT_SERVE_DATA": data, suiteSecretEnv: fsu.Secret}, nil
}
