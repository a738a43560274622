#!/usr/bin/env bash
# Checks the release workflow that builds macOS (no machine here can run
# it): actionlint (from the Go module proxy, version pinned) parses it and
# checks its jobs, expressions and action inputs; build/release_test.go
# checks that every make target it runs exists and that
# build/darwin/Info.plist is complete.
set -euo pipefail
cd "$(dirname "$0")/.."
go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 -color=false .github/workflows/release.yml
echo "  actionlint v1.7.12: .github/workflows/release.yml has no findings"
go test -count=1 -run 'TestReleaseWorkflowMakeTargets|TestDarwinInfoPlist' ./build/
