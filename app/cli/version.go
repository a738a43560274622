package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the wwkit version, commit and build date",
		Long: `Prints the version, the commit and the build date of this binary.

Release builds (make dist) stamp them with -ldflags; a binary from
` + "`go install github.com/wwkit/wwkit@v1.2.3`" + ` reports the module version and
the VCS data Go recorded; a plain ` + "`go build`" + ` in a checkout reports (devel).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintf(env.Stdout, "wwkit %s\n", VersionString())
			return err
		},
	}
}

// BuildVersion is what the binary knows about its own build.
type BuildVersion struct {
	Version string // v1.2.3, or (devel) for an unstamped checkout build
	Commit  string // VCS revision, empty when unknown
	Date    string // build or commit time (RFC 3339), empty when unknown
	Dirty   bool   // built from a checkout with uncommitted changes
	Go      string // Go toolchain version
}

// ReadVersion combines the -ldflags stamps with runtime/debug.ReadBuildInfo:
// a stamped field wins; an unstamped one comes from the module version
// (set by `go install module@version`) or the vcs.* settings (set by
// `go build` in a git checkout).
func ReadVersion() BuildVersion {
	return readVersion(Version, Commit, Date, debug.ReadBuildInfo)
}

func readVersion(version, commit, date string, read func() (*debug.BuildInfo, bool)) BuildVersion {
	v := BuildVersion{Version: version, Commit: commit, Date: date, Go: runtime.Version()}
	if bi, ok := read(); ok && bi != nil {
		if v.Version == "" {
			v.Version = bi.Main.Version
		}
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if v.Commit == "" {
					v.Commit = s.Value
				}
			case "vcs.time":
				if v.Date == "" {
					v.Date = s.Value
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		// The dirty flag only describes the VCS data Go recorded.
		if commit == "" {
			v.Dirty = dirty
		}
		if bi.GoVersion != "" {
			v.Go = bi.GoVersion
		}
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	return v
}

// VersionString is the one-line form `wwkit --version` and `wwkit version`
// print, e.g. "v1.2.3 (commit 3dac7b1, built 2026-12-04T21:45:00Z, go1.26.8)".
func VersionString() string { return ReadVersion().String() }

func (v BuildVersion) String() string {
	s := v.Version + " ("
	if v.Commit != "" {
		c := v.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += "commit " + c
		if v.Dirty {
			s += "-dirty"
		}
		s += ", "
	}
	if v.Date != "" {
		s += "built " + v.Date + ", "
	}
	return s + v.Go + ")"
}
