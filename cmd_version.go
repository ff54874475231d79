package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

const versionUsage = `usage: settle version (or settle --version)

Prints settle's version from the build information Go records in the
binary: the module version, the commit and its date, whether the tree had
uncommitted changes, and the Go version. A binary built by "go build"
in a git checkout has the commit; "go install settle@vX" the version.

exit codes: 0 printed, 1 usage error

flags:
`

// runVersion is `settle version`.
func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("version", versionUsage, stdout)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = &debug.BuildInfo{}
	}
	fmt.Fprint(stdout, versionText(info))
	return nil
}

// versionText is the version of the binary info describes, one fact a
// line: "settle VERSION", then the commit, its date, and the Go version.
func versionText(info *debug.BuildInfo) string {
	version := info.Main.Version
	if version == "" {
		version = "(unknown)"
	}
	setting := map[string]string{}
	for _, s := range info.Settings {
		setting[s.Key] = s.Value
	}
	out := "settle " + version + "\n"
	if rev := setting["vcs.revision"]; rev != "" {
		if setting["vcs.modified"] == "true" {
			rev += " (with uncommitted changes)"
		}
		out += "commit: " + rev + "\n"
	} else {
		out += "commit: unknown (not built from a git checkout)\n"
	}
	if t := setting["vcs.time"]; t != "" {
		out += "commit date: " + t + "\n"
	}
	if info.GoVersion != "" {
		out += "go: " + info.GoVersion + "\n"
	}
	return out
}
