package cli

import (
	"encoding/json"
	"io"
)

// PrintJSON writes v as indented JSON followed by a newline. Commands use it
// for --json output, which always carries "ok": true|false.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
