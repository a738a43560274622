// Package secrets holds the secrets audit: a test that runs
// wwkit's main flows with known, distinctive secret values (corp secret, MP
// AppSecret, callback Tokens, EncodingAESKeys, the admin token, and every
// access_token and JS-SDK ticket the emulator issued during the run) and fails
// if any of them appears where it must not: the logs of the binaries, the
// answers the dev server gives browsers (and the admin API, which shows tokens
// masked), the WASM verifier, the SQLite inbox (and its WAL), the files of the
// data directory, the CLI's output, and the results of the desktop app's bound
// methods — except ProfileService.Reveal, the user's explicit request to see a
// secret. Each value is searched raw, base64 (three alignments, standard and
// URL alphabets), URL-encoded and hex; the EncodingAESKey also as the AES key
// bytes it decodes to. docs/reliability.md ("Secrets audit") has the figures.
package secrets
