package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantPos []string
		json    bool
		wantErr error
	}{
		{"flag after the plan", []string{"x.yaml", "--json"}, []string{"x.yaml"}, true, nil},
		{"flag before the plan", []string{"--json", "x.yaml"}, []string{"x.yaml"}, true, nil},
		{"flags between", []string{"a", "--json", "b"}, []string{"a", "b"}, true, nil},
		{"-- ends the flags", []string{"a", "--", "--json"}, []string{"a", "--json"}, false, nil},
		{"help", []string{"x.yaml", "-h"}, nil, false, flag.ErrHelp},
		{"unknown flag", []string{"x.yaml", "--bogus"}, nil, false, &usageError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("plan", "usage\n", io.Discard)
			json := fs.Bool("json", false, "")
			pos, err := parseArgs(fs, tt.args)
			var ue *usageError
			switch {
			case tt.wantErr == nil && err != nil,
				errors.Is(tt.wantErr, flag.ErrHelp) && !errors.Is(err, flag.ErrHelp),
				errors.As(tt.wantErr, &ue) && !errors.As(err, &ue):
				t.Fatalf("parseArgs(%q) error = %v, want %v", tt.args, err, tt.wantErr)
			}
			if !slices.Equal(pos, tt.wantPos) || *json != tt.json {
				t.Errorf("parseArgs(%q) = %q, json %v; want %q, json %v", tt.args, pos, *json, tt.wantPos, tt.json)
			}
		})
	}
}

func TestParseOnePlan(t *testing.T) {
	for _, args := range [][]string{nil, {"a", "b"}} {
		fs := newFlagSet("plan", "usage\n", io.Discard)
		var ue *usageError
		if _, err := parseOnePlan(fs, args); !errors.As(err, &ue) || ue.msg == "" || ue.cmd != "plan" {
			t.Errorf("parseOnePlan(%q) error = %v, want a usage error with a message pointing at plan -h", args, err)
		}
	}
	fs := newFlagSet("plan", "usage\n", io.Discard)
	if path, err := parseOnePlan(fs, []string{"x.yaml"}); path != "x.yaml" || err != nil {
		t.Errorf("parseOnePlan(x.yaml) = %q, %v; want x.yaml, nil", path, err)
	}
}

func TestLogFlags(t *testing.T) {
	for _, f := range []logFlags{{format: "xml", level: "warn"}, {format: "text", level: "loud"}} {
		if _, err := f.logger(io.Discard); err == nil {
			t.Errorf("logger(%+v) error = nil, want an error", f)
		}
	}
	f := logFlags{format: "json", level: "debug"}
	if log, err := f.logger(io.Discard); err != nil || log == nil {
		t.Errorf("logger(%+v) = %v, %v; want a logger", f, log, err)
	}
}
