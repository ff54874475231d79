package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"settle/executor"
)

// TestReadSavedPlan: only a JSON object whose saved.format is a saved
// plan's is one; a damaged one is an error, never a crash.
func TestReadSavedPlan(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text string
		ok         bool
		errWant    string
	}{
		{"a YAML plan", "version: 1\nname: x\n", false, ""},
		{"a JSON plan", `{"version": 1, "name": "x"}`, false, ""},
		{"another saved format", `{"saved": {"format": "terraform"}}`, false, ""},
		{"saved is not an object", `{"saved": 3}`, false, ""},
		{"no plan in it", `{"saved": {"format": "settle saved plan", "format_version": 1, "plan_file": "p.yaml", "state_sha256": "x"}}`, true, "missing"},
		{"a newer version", `{"plan": "x", "saved": {"format": "settle saved plan", "format_version": 9}}`, true, "format_version 9"},
		{"bad types", `{"plan": 3, "saved": {"format": "settle saved plan", "format_version": 1}}`, true, "damaged"},
		{"whole", `{"plan": "x", "changes": [], "saved": {"format": "settle saved plan", "format_version": 1, "plan_file": "p.yaml", "state_sha256": "x"}}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			sp, ok, err := readSavedPlan(path)
			if ok != tt.ok || (tt.errWant == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.errWant) {
				t.Fatalf("readSavedPlan() = %v, %v, %v; want ok %v, error %q", sp, ok, err, tt.ok, tt.errWant)
			}
			if ok && err == nil && (sp.PreviewJSON == nil || sp.Plan != "x") {
				t.Errorf("readSavedPlan() = %+v, want the plan JSON", sp)
			}
		})
	}
}

// TestStateView: the hash changes when a step's action or Id or a plan
// wallet's balance changes, not when the client's fee wallet moves; the
// differences say what changed in the user's terms.
func TestStateView(t *testing.T) {
	base := func() *executor.PreviewJSON {
		return &executor.PreviewJSON{
			Changes: []executor.ChangeJSON{{Step: "user/alice", Action: "create"}, {Step: "payin/c/a-1", Action: "create"}},
			Wallets: []executor.WalletJSON{{Key: "wallet/alice", Currency: "EUR"}, {Key: "FEES_EUR", Currency: "EUR", Before: 10}},
		}
	}
	then := newStateView(base(), "sandbox", "https://api.sandbox.mangopay.com")
	fees := base()
	fees.Wallets[1].Before = 990
	if newStateView(fees, "sandbox", "https://api.sandbox.mangopay.com").hash() != then.hash() {
		t.Error("the fee wallet's balance changed the state hash")
	}
	moved := base()
	moved.Changes[0] = executor.ChangeJSON{Step: "user/alice", Action: "unchanged", ID: "u1"}
	moved.Wallets[0].Before = 5000
	now := newStateView(moved, "sandbox", "https://api.sandbox.mangopay.com")
	if now.hash() == then.hash() {
		t.Fatal("a moved state has the saved hash")
	}
	got := strings.Join(then.differences(now, 20), "\n")
	want := "user/alice: create then, unchanged now (u1)\nwallet wallet/alice: balance 0.00 EUR then, 50.00 EUR now"
	if got != want {
		t.Errorf("differences:\n%s\nwant:\n%s", got, want)
	}
	if other := newStateView(base(), "embedded", ""); other.hash() == then.hash() ||
		!strings.HasPrefix(then.differences(other, 20)[0], "target: ") {
		t.Error("another target does not change the state, or is not said")
	}
}
