package main

import (
	"flag"
	"io"
	"testing"
)

func TestSCAUserRoutesFlag(t *testing.T) {
	tests := []struct {
		args     []string
		set, val bool
	}{
		{nil, false, false},
		{[]string{"--sca-user-routes"}, true, true},
		{[]string{"--sca-user-routes=false"}, true, false},
		{[]string{"--sca-user-routes=true"}, true, true},
	}
	for _, tt := range tests {
		var f targetFlags
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		f.register(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatalf("Parse(%v) error = %v", tt.args, err)
		}
		if f.scaUserRoutes.set != tt.set || f.scaUserRoutes.v != tt.val {
			t.Errorf("Parse(%v) = %+v, want set=%v v=%v", tt.args, f.scaUserRoutes, tt.set, tt.val)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f targetFlags
	f.register(fs)
	if err := fs.Parse([]string{"--sca-user-routes=maybe"}); err == nil {
		t.Error("Parse(--sca-user-routes=maybe) error = nil, want an error")
	}
}
