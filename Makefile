# wwkit — see README.md. Every target works on a fresh Debian machine after
# `make setup` (which `make run` and `make test` call themselves).

GO        ?= go
BIN       ?= bin/wwkit
# no_emoji: Fyne leaves out its colour-emoji font, which the tray does not use (sizes in docs/benchmarks.md#desktop)
DESKTOP_TAGS := desktop,production,webkit2_41,no_emoji
FUZZTIME  ?= 20s
ADDR      ?= 127.0.0.1:8787
SERVE_ADDR ?= 0.0.0.0:8080
export CGO_ENABLED ?= 0

.PHONY: all setup setup-desktop build run serve emulator test test-desktop tray-smoke test-short wasm frontend desktop bench fuzz fmt vet clean docs

all: build

## setup: install missing apt packages, Go modules and npm packages (idempotent)
setup:
	@scripts/setup.sh

## setup-desktop: setup plus the WebKitGTK/GTK/GL libraries the desktop build links against
setup-desktop:
	@scripts/setup.sh desktop

## build: the headless wwkit binary (CLI, dev server, emulator, embedded H5 page), no cgo
build: frontend
	CGO_ENABLED=0 $(GO) build -o $(BIN) .

## run: the main job on the emulator profile — with a display ($$DISPLAY or
## $$WAYLAND_DISPLAY) the desktop app (it runs the dev server and the emulator
## in-process); without one the dev server on $(SERVE_ADDR)
run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(MAKE) --no-print-directory desktop && \
		echo "make run: opening the wwkit desktop app on the emulator profile (close the window to stop)" && \
		./build/bin/wwkit desktop; \
	else \
		$(MAKE) --no-print-directory build && \
		echo "make run: no display, running wwkit serve instead of the desktop app (it starts the emulator in-process; Ctrl-C to stop)" && \
		./$(BIN) serve --addr $(SERVE_ADDR); \
	fi

## serve: the dev server (H5 page + QR code, signatures, OAuth, callback inbox) on $(SERVE_ADDR)
serve: build
	./$(BIN) serve --addr $(SERVE_ADDR)

## emulator: only the offline emulator of the WeCom/MP servers on $(ADDR)
emulator: build
	./$(BIN) emulator --addr $(ADDR)

## test: every test — Go with the race detector (real Redis, real HTTP), the
## verifier under Node, the loader, the page's unit tests and the page in
## headless Chromium against a real `wwkit serve`
test: setup frontend
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$unformatted" ]; then echo "gofmt: these files need 'make fmt':"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	CGO_ENABLED=1 $(GO) test -race -count=1 ./...
	PATH="$$($(GO) env GOROOT)/lib/wasm:$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 -gcflags="$(WASM_GCFLAGS)" ./wasm ./core/jssdk ./internal/jsonlite ./internal/sha1lite
	node --test wasm/loader/
	cd frontend && npm test
	cd frontend && npm run e2e
	cd app/server/loadtest && $(GO) vet ./...
	cd examples && $(GO) vet ./... && $(GO) run ./sdk
	@if [ -f bench/go.mod ]; then cd bench && $(GO) vet ./... && $(GO) test -count=1 -run . ./...; fi

## test-desktop: the desktop build, its tagged tests (Wails services, Fyne widgets
## headless), the real window and tray under Xvfb with a private D-Bus session, and
## the desktop UI end to end in headless Chromium against a Wails dev build
test-desktop: desktop
	CGO_ENABLED=1 $(GO) test -count=1 -tags $(DESKTOP_TAGS) ./app/desktop/... ./app/tray/...
	scripts/desktop-smoke.sh
	$(MAKE) tray-smoke
	scripts/desktop-e2e.sh

## tray-smoke: the real tray (build/bin/wwkit, from make desktop) under Xvfb with a private
## D-Bus session, as a Go test (app/tray/smoke_test.go, build tag traysmoke): no tray host
## (fallback window, one instance, clean exit), then a tray host (D-Bus menu, notification
## delivery, Open inspector, menu clicks)
tray-smoke:
	xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
		env WWKIT_TRAY_BIN=$(CURDIR)/build/bin/wwkit $(GO) test -count=1 -tags traysmoke -run '^TestTraySmoke$$' -v ./app/tray/

## test-short: tests without the race detector (faster inner loop)
test-short:
	$(GO) test -count=1 ./...

## wasm: the JS-SDK verifier compiled to WebAssembly, with its loader, in wasm/dist/
## -gcflags=all=-l (no inlining): smaller once gzipped, same behaviour; the figures are in
## docs/benchmarks.md#wasm, with why Binaryen's wasm-opt is not used (it makes Go's output larger once gzipped)
WASM_GCFLAGS ?= all=-l
wasm:
	@mkdir -p wasm/dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath -gcflags="$(WASM_GCFLAGS)" -ldflags="-s -w" -o wasm/dist/wwkit.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" wasm/loader/wwkit.js wasm/loader/wwkit.mjs wasm/loader/wwkit.d.ts wasm/dist/
	scripts/wasm-precompress.sh wasm/dist/wwkit.wasm
	@echo "wasm: wasm/dist/wwkit.wasm $$(wc -c < wasm/dist/wwkit.wasm) bytes, $$(wc -c < wasm/dist/wwkit.wasm.gz) gzip -9$$([ -f wasm/dist/wwkit.wasm.br ] && echo ", $$(wc -c < wasm/dist/wwkit.wasm.br) brotli -q 11")"

## npm: the verifier as the npm package @wwkit/verify, packed into wasm/dist/wwkit-verify-VERSION.tgz
.PHONY: npm
npm: wasm
	scripts/npm-pack.sh


## frontend: the H5 debug page (and later the desktop UI) into frontend/dist/, embedded by frontend/embed.go
frontend: wasm
	cd frontend && npm install --no-audit --no-fund --loglevel=error && npm run build

## desktop: the desktop build (adds the desktop and tray subcommands; `build/bin/wwkit` with no
## arguments opens the window); scripts/desktop-smoke.sh checks its window under Xvfb
desktop: setup-desktop frontend
	CGO_ENABLED=1 $(GO) build -tags $(DESKTOP_TAGS) -trimpath -ldflags="-s -w" -o build/bin/wwkit .
	@echo "desktop: build/bin/wwkit $$(wc -c < build/bin/wwkit) bytes (stripped; target ≤ 30 MB)"

## bench: every comparison in one run — core crypto and signing vs silenceper and the stdlib
## reference, token hits (memory, file, a real redis-server), the dev server under wrk, the WASM
## bundle vs the Go runtime floors, the desktop binary's size — then rewrites the generated
## sections of docs/benchmarks.md and the charts in docs/bench/ (about 10 minutes;
## BENCHFLAGS="-only crypto,jssdk -count 10" narrows or lengthens it, see tools/benchreport)
BENCHFLAGS ?=
bench:
	@scripts/setup.sh bench
	$(GO) run ./tools/benchreport $(BENCHFLAGS)

## faults: the fault suite at full size (about 3½ minutes): token fetches from 4 processes
## sharing Redis, sends, media and a callback burst while the emulator injects 42001/40014,
## -1, 45009, 5xx, timeouts and slow answers, Redis restarts and `wwkit serve` is SIGKILLed.
## Then p99 token latency across 4 processes with 5 s tokens (target ≤ 100 ms, reported).
## Prints the figures and writes $(FAULTS_REPORT); lost must be 0 (docs/reliability.md).
## `make test` runs the same suite at a reduced size.
FAULTS_REPORT ?= bin/faults-report.json
.PHONY: faults
faults: setup
	@mkdir -p $(dir $(FAULTS_REPORT))
	WWKIT_FAULTS_SCALE=full WWKIT_FAULTS_REPORT=$(abspath $(FAULTS_REPORT)) CGO_ENABLED=1 \
		$(GO) test -race -count=1 -timeout 20m -v -run '^TestFaults$$' ./app/reliability/faults/

## dist: every release artefact this machine can build, in dist/ with SHA256SUMS and
## sizes.tsv, version/commit/date stamped (VERSION=v1.2.3 make dist): the headless wwkit
## for linux, windows and darwin (amd64, arm64); on Linux also the Linux desktop build
## (tarball, .deb) and the Windows one (zip, NSIS installer; mingw-w64); on macOS the
## universal .app in a .dmg (.github/workflows/release.yml). Installs its tools first.
.PHONY: dist test-dist setup-dist
dist: setup-dist frontend
	scripts/dist.sh

## setup-dist: setup plus mingw-w64, NSIS, wine, ImageMagick, zip, file, jq and the desktop libraries
setup-dist:
	@scripts/setup.sh dist

## test-dist: make dist as v0.0.0-disttest, then every scripts/test-dist-*.sh: archives and
## checksums, the Windows build under wine, the installer, the .deb, the npm package in
## Chromium, the install lines of the README, the release workflow (scripts/test-dist.sh)
test-dist: setup-dist frontend wasm
	scripts/test-dist.sh

## fuzz: every fuzz target (core, app, wasm, internal) for $(FUZZTIME) each, minimising a new input at
## most 10 executions (FUZZMINIMIZETIME overrides) so a short budget is spent fuzzing
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

## docs: regenerate docs/coverage.md (endpoints × client / CLI / emulator / desktop) from the
## code; tools/coverage's test fails when the checked-in file is stale
docs:
	$(GO) run ./tools/coverage

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

clean:
	rm -rf bin build/bin wasm/dist dist
