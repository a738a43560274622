package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"testing"

	"github.com/wwkit/wwkit/core/jssdk"
)

var update = flag.Bool("update", false, "rewrite testdata/verify-golden.json from the native build")

func readStrings(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return out
}

// TestVerifyCorpusGolden is the differential test of the two builds: the
// native run and the GOOS=js run under Node (make test runs both) must give
// verify-golden.json, byte for byte, for every input of verify-corpus.json
// (every finding code, forensics, malformed input). The js build differs in
// its SHA-1, its JSON code paths' inlining and its lack of a clock, so this
// is what keeps the bundle's size work honest. Natively, the golden file is
// also held to jssdk.Check through encoding/json, so it is not merely what
// verifyJSON happened to print. Regenerate with
// go test ./wasm -run Corpus -update (natively).
func TestVerifyCorpusGolden(t *testing.T) {
	corpus := readStrings(t, "testdata/verify-corpus.json")
	got := make([]string, len(corpus))
	for i, in := range corpus {
		got[i] = string(verifyJSON([]byte(in)))
	}
	if *update {
		if runtime.GOOS == "js" {
			t.Fatal("-update: regenerate the golden file with the native build")
		}
		b, err := json.MarshalIndent(got, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("testdata/verify-golden.json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	golden := readStrings(t, "testdata/verify-golden.json")
	if len(golden) != len(corpus) {
		t.Fatalf("verify-golden.json has %d results for %d inputs: regenerate it (go test ./wasm -run Corpus -update)", len(golden), len(corpus))
	}
	for i := range corpus {
		if got[i] != golden[i] {
			t.Errorf("%s: input %d %s\n got %s\nwant %s", runtime.GOOS, i, corpus[i], got[i], golden[i])
		}
	}
	if runtime.GOOS == "js" {
		return
	}
	checked := 0
	for i, in := range corpus {
		parsed, err := jssdk.ParseInput([]byte(in))
		if err != nil {
			continue
		}
		want, err := json.Marshal(jssdk.Check(parsed))
		if err != nil {
			t.Fatal(err)
		}
		if string(want) != golden[i] {
			t.Errorf("input %d: golden differs from jssdk.Check through encoding/json:\n golden %s\n  check %s", i, golden[i], want)
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d corpus inputs parse; the corpus lost its configs", checked)
	}
}
