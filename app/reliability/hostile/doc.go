// Package hostile holds the bad-input suite: a real
// `wwkit serve` (the built binary, on loopback, with the in-process emulator)
// and the wwkit CLI get a corpus of hostile inputs, listed as data in
// testdata/*.json with the expected status (or exit status) and the expected
// error text. Every case must be answered with that status and a message
// naming the problem, the server must stay alive (/healthz), nothing may be
// stored in the inbox for rejected input, and no Go panic may be printed.
// docs/reliability.md ("Bad input") describes the corpus.
package hostile
