package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"settle/mangopay/sandbox"
)

const (
	multiPlan = "examples/multi-campaign.yaml"
	multiSeed = "examples/seed/multi-campaign.seed.yaml"
)

// TestSeedThenApplyMultiCampaign is the operator's path: seed the objects
// multi-campaign.yaml adopts, apply, find nothing left to do; seeding
// again changes nothing, even after the plan moved Paul's money.
func TestSeedThenApplyMultiCampaign(t *testing.T) {
	ctx := context.Background()
	embeddedEnv(t)
	chdir(t, workDir(t))
	r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--plan", multiPlan)
	if r.code != exitOK || !strings.Contains(r.stdout, "Seed complete: 4 created, 0 unchanged.") ||
		!strings.Contains(r.stdout, "+ payin         payin_m_01JSEED0000000000000PAUL1") {
		t.Fatalf("sandbox seed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join("examples", ".settle", "sandbox", "state.jsonl")); err != nil {
		t.Errorf("the seed did not go to the plan's embedded state: %v", err)
	}
	if r := runInProcess(ctx, "apply", multiPlan, "--yes"); r.code != exitOK {
		t.Fatalf("apply after seeding: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runInProcess(ctx, "plan", multiPlan, "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan --detailed-exitcode after apply: exit %d\n%s", r.code, r.stdout)
	}
	r = runInProcess(ctx, "sandbox", "seed", multiSeed, "--plan", multiPlan)
	if r.code != exitOK || !strings.Contains(r.stdout, "Seed complete: 0 created, 4 unchanged.") {
		t.Errorf("second sandbox seed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestSeedAfterFailedApply: without the seed the adopted steps fail (exit
// 3); after seeding, the next apply finishes the batch.
func TestSeedAfterFailedApply(t *testing.T) {
	ctx := context.Background()
	embeddedEnv(t)
	chdir(t, workDir(t))
	if r := runInProcess(ctx, "apply", multiPlan, "--yes"); r.code != exitFailedSteps {
		t.Fatalf("apply without seed: exit %d, want %d\n%s", r.code, exitFailedSteps, r.stdout)
	}
	if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--plan", multiPlan); r.code != exitOK {
		t.Fatalf("sandbox seed: exit %d\n%s", r.code, r.stderr)
	}
	if r := runInProcess(ctx, "apply", multiPlan, "--yes"); r.code != exitOK {
		t.Fatalf("apply after seeding: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runInProcess(ctx, "plan", multiPlan, "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan --detailed-exitcode: exit %d\n%s", r.code, r.stdout)
	}
}

// TestSandboxSeedTargets seeds a state folder and a served sandbox, and
// checks conflicts, usage errors and the embedded lock.
func TestSandboxSeedTargets(t *testing.T) {
	ctx := context.Background()
	embeddedEnv(t)
	chdir(t, workDir(t))
	state := filepath.Join(t.TempDir(), "state")
	for _, want := range []string{"4 created, 0 unchanged", "0 created, 4 unchanged"} {
		if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--state", state); r.code != exitOK || !strings.Contains(r.stdout, want) {
			t.Fatalf("seed --state: exit %d, want %q\n%s%s", r.code, want, r.stdout, r.stderr)
		}
	}
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	defer func() { srv.Close(); sb.Close() }()
	if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--base-url", srv.URL); r.code != exitOK || !strings.Contains(r.stdout, "4 created") {
		t.Fatalf("seed --base-url: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := sb.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() after seeding = %v", err)
	}
	data, err := os.ReadFile(multiSeed)
	if err != nil {
		t.Fatal(err)
	}
	conflict := filepath.Join(t.TempDir(), "conflict.yaml")
	if err := os.WriteFile(conflict, []byte(strings.Replace(string(data), "amount: 2000", "amount: 2500", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, target := range [][]string{{"--base-url", srv.URL}, {"--state", state}} {
		r := runInProcess(ctx, append([]string{"sandbox", "seed", conflict}, target...)...)
		if r.code != exitError || !strings.Contains(r.stderr, "conflicts with existing objects") ||
			!strings.Contains(r.stderr, "payins.payin_m_01JSEED0000000000000PAUL2: exists with other content: DebitedFunds.Amount is 2000, the seed says 2500") {
			t.Errorf("conflicting seed %v: exit %d\n%s", target, r.code, r.stderr)
		}
	}
	usage := [][]string{{multiSeed}, {multiSeed, "--state", state, "--plan", multiPlan}, {"--plan", multiPlan}}
	for _, args := range usage {
		if r := runInProcess(ctx, append([]string{"sandbox", "seed"}, args...)...); r.code != exitError || !strings.Contains(r.stderr, "exactly one of") {
			t.Errorf("sandbox seed %v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--base-url", "http://example.org"); r.code != exitError || !strings.Contains(r.stderr, "loopback") {
		t.Errorf("seed to a remote http URL: exit %d\n%s", r.code, r.stderr)
	}
	for _, base := range []string{"https://api.mangopay.com", "https://API-MTLS.mangopay.com.", "https://api.sandbox.mangopay.com"} {
		if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--base-url", base); r.code != exitError || !strings.Contains(r.stderr, "is MANGOPAY's own API") {
			t.Errorf("seed to %s: exit %d\n%s", base, r.code, r.stderr)
		}
	}
	conn, err := connect(ctx, targetSpec{Name: targetEmbedded, ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey}, "examples", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if r := runInProcess(ctx, "sandbox", "seed", multiSeed, "--plan", multiPlan); r.code != exitError || !strings.Contains(r.stderr, "locked by another settle run") {
		t.Errorf("seed while a run holds the embedded sandbox: exit %d\n%s", r.code, r.stderr)
	}
}

// TestSeedJSON checks the YAML to JSON conversion of seed files: dates
// stay dates, unquoted card numbers stay exact, and the result parses.
func TestSeedJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s.yaml")
	yml := "users:\n  user_m_A: {type: natural, category: owner, first_name: A, last_name: B, email: a@b.example,\n" +
		"    birthday: 1980-01-02, nationality: FR, country_of_residence: FR}\n" +
		"payins:\n  payin_m_A: {wallet: wlt_m_A, card_number: 4970107111111119, amount: 100}\n"
	if err := os.WriteFile(file, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := seedJSON(file)
	if err != nil {
		t.Fatalf("seedJSON() = %v", err)
	}
	doc, err := sandbox.ParseSeed(data)
	if err != nil {
		t.Fatalf("ParseSeed(%s) = %v", data, err)
	}
	if got := doc.Users["user_m_A"].Birthday; got != "1980-01-02" {
		t.Errorf("birthday = %q, want 1980-01-02", got)
	}
	if got := doc.PayIns["payin_m_A"].CardNumber; got != "4970107111111119" {
		t.Errorf("card_number = %q, want 4970107111111119", got)
	}
	if err := os.WriteFile(file, []byte("users: [unclosed\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := seedJSON(file); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("seedJSON(bad YAML) = %v, want an error naming the file", err)
	}
}

// TestSeedDatedBankAccount: a seed can date a legacy bank account
// (created), as one a platform registered before 2026-04-30, which
// MANGOPAY still pays out to; `settle sandbox seed` carries the YAML date.
func TestSeedDatedBankAccount(t *testing.T) {
	sb, err := sandbox.New(sandbox.Options{BasicAuth: true, LegacyBankCutoff: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := serveTestSandbox(t, sb)
	file := filepath.Join(t.TempDir(), "s.yaml")
	yml := "users:\n  user_m_OWNER: {type: natural, category: owner, first_name: Ines, last_name: Moreau, email: ines.moreau@example.org,\n" +
		"    birthday: 1980-01-02, nationality: FR, country_of_residence: FR,\n" +
		"    address: {line1: 1 rue de la Paix, city: Paris, postal_code: '75002', country: FR}}\n" +
		"bank_accounts:\n  ba_m_OLD: {owner: user_m_OWNER, iban: FR7630004000031234567890143, created: 2025-03-01}\n" +
		"  ba_m_NEW: {owner: user_m_OWNER, iban: FR7630004000031234567890143}\n"
	if err := os.WriteFile(file, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if r := runInProcess(ctx, "sandbox", "seed", file, "--base-url", srv.url); r.code != exitOK {
		t.Fatalf("sandbox seed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for id, want := range map[string]bool{"ba_m_OLD": true, "ba_m_NEW": false} {
		req, _ := http.NewRequest(http.MethodGet, srv.url+"/v2.01/sandbox/users/user_m_OWNER/bankaccounts/"+id, nil)
		req.SetBasicAuth(sandbox.DefaultClientID, sandbox.DefaultAPIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b struct{ CreationDate int64 }
		err = json.NewDecoder(resp.Body).Decode(&b)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		old := b.CreationDate == time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Unix()
		if old != want {
			t.Errorf("%s CreationDate = %s, want 2025-03-01: %v", id, time.Unix(b.CreationDate, 0).UTC(), want)
		}
	}
	// Seeding again changes nothing; another date is a conflict.
	if r := runInProcess(ctx, "sandbox", "seed", file, "--base-url", srv.url); r.code != exitOK || !strings.Contains(r.stdout, "0 created, 3 unchanged") {
		t.Errorf("second seed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(yml, "2025-03-01", "2025-04-01", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runInProcess(ctx, "sandbox", "seed", file, "--base-url", srv.url); r.code == exitOK || !strings.Contains(r.stdout+r.stderr, "CreationDate") {
		t.Errorf("seed with another date: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
