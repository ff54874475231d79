package main

import (
	"runtime/debug"
	"testing"
)

// TestVersionText: the module version, the commit (and whether the tree
// was modified), its date and the Go version, from the build information.
func TestVersionText(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "settle", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "3e91133abc"}, {Key: "vcs.time", Value: "2026-12-05T04:00:00Z"},
			{Key: "vcs.modified", Value: "true"}}}
	want := "settle v1.4.0\ncommit: 3e91133abc (with uncommitted changes)\ncommit date: 2026-12-05T04:00:00Z\ngo: go1.26.8\n"
	if got := versionText(info); got != want {
		t.Errorf("versionText() = %q, want %q", got, want)
	}
	want = "settle (unknown)\ncommit: unknown (not built from a git checkout)\n"
	if got := versionText(&debug.BuildInfo{}); got != want {
		t.Errorf("versionText(empty) = %q, want %q", got, want)
	}
}
