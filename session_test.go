package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"settle/plan"
)

func TestJournalPath(t *testing.T) {
	p := &plan.Plan{Name: "bakery-oven", Dir: "examples"}
	if got, want := journalPath(p, ""), filepath.Join("examples", ".settle", "bakery-oven.journal.jsonl"); got != want {
		t.Errorf("journalPath() = %q, want %q", got, want)
	}
	if got := journalPath(p, "j.jsonl"); got != "j.jsonl" {
		t.Errorf("journalPath(--journal j.jsonl) = %q, want j.jsonl", got)
	}
}

// TestRenderOptions: the header names the base URL of a remote target,
// never the loopback port of the embedded one.
func TestRenderOptions(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	for _, tt := range []struct{ name, base, want string }{
		{targetEmbedded, "http://127.0.0.1:41234", ""},
		{targetSandbox, "https://api.sandbox.mangopay.com", "https://api.sandbox.mangopay.com"},
		{targetProduction, "https://api.mangopay.com", "https://api.mangopay.com"},
	} {
		s := &session{conn: &connection{Target: targetSpec{Name: tt.name, BaseURL: tt.base}}}
		opts := s.renderOptions(&bytes.Buffer{})
		if opts.Target != tt.name || opts.BaseURL != tt.want || opts.Color {
			t.Errorf("renderOptions() on %s = %+v, want target %s, base URL %q, no colour", tt.name, opts, tt.name, tt.want)
		}
	}
}

// TestConfigProxyConsent: the operator's proxy-consent setting reaches the
// executor's configuration, and is off by default.
func TestConfigProxyConsent(t *testing.T) {
	for _, want := range []bool{false, true} {
		s := &session{conn: &connection{Target: targetSpec{Name: targetSandbox, ProxyConsent: want}}}
		if got := s.config().ProxyConsent; got != want {
			t.Errorf("config().ProxyConsent = %v with targetSpec.ProxyConsent %v", got, want)
		}
	}
}
