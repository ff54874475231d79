package executor

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"settle/plan"
)

// The -update flag may already be defined by another test file of this
// package; define it only when it is not.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// updateGolden reports whether -update was given.
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// CheckGolden is checkGolden, for the tests of package executor_test.
var CheckGolden = checkGolden

// checkGolden compares got with testdata/render/<name>, rewriting it
// under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "render", name)
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test ./executor -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s mismatch:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		name     string
		minor    int64
		currency string
		want     string
	}{
		{"zero", 0, "EUR", "0.00"},
		{"cents", 5, "EUR", "0.05"},
		{"euros", 5000, "EUR", "50.00"},
		{"mixed", 123456, "GBP", "1234.56"},
		{"negative", -640, "EUR", "-6.40"},
		{"negative cents", -5, "EUR", "-0.05"},
		{"yen has no decimals", 5000, "JPY", "5000"},
		{"max", math.MaxInt64, "EUR", "92233720368547758.07"},
		{"min", math.MinInt64, "EUR", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatAmount(tt.minor, tt.currency); got != tt.want {
				t.Errorf("FormatAmount(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
			}
		})
	}
}

// samplePreview is a preview with every action and a blocked payout.
func samplePreview() *Preview {
	step := func(key string, kind plan.Kind) *plan.Step {
		return &plan.Step{Key: key, Kind: kind, Currency: "EUR"}
	}
	owner, alice := step("user/cyrano", plan.KindUser), step("user/alice", plan.KindUser)
	bob := step("user/bob", plan.KindUser)
	wGarden, wAlice := step("wallet/garden", plan.KindWallet), step("wallet/alice", plan.KindWallet)
	payin := &plan.Step{Key: "payin/garden-2026/alice-1", Kind: plan.KindPayIn, Campaign: "garden-2026",
		Contribution: "alice-1", Card: "card/alice-visa", Credited: "wallet/alice", Amount: 5000, Currency: "EUR",
		Deps: []string{"wallet/alice", "card/alice-visa"}}
	xfer := &plan.Step{Key: "transfer/garden-2026/alice-1", Kind: plan.KindTransfer, Campaign: "garden-2026",
		Contribution: "alice-1", Debited: "wallet/alice", Credited: "wallet/garden", Amount: 5000, Fees: 400,
		Currency: "EUR", Deps: []string{"payin/garden-2026/alice-1"}}
	payout := &plan.Step{Key: "payout/garden-2026", Kind: plan.KindPayOut, Campaign: "garden-2026",
		Debited: "wallet/garden", BankAccount: "bank_account/cyrano-iban", Amount: 4600, Currency: "EUR",
		Deps: []string{"transfer/garden-2026/alice-1"}}
	return &Preview{
		Plan: &plan.Plan{Name: "spring-2026"},
		Changes: []*Change{
			{Step: owner, Action: Update, ID: "user_m_1", Drift: []string{"Email: plan c@new.example, MANGOPAY c@old.example"}, Calls: 1},
			{Step: alice, Action: Unchanged, ID: "user_m_2"},
			{Step: bob, Action: Adopt, ID: "user_m_01HVBOB"},
			{Step: wGarden, Action: Unchanged, ID: "wlt_m_1"},
			{Step: wAlice, Action: InDoubt, Reason: "started 2026-11-23 22:00:00, outcome unknown", Calls: 1},
			{Step: payin, Action: Create, Calls: 1},
			{Step: xfer, Action: Create, Calls: 1},
			{Step: payout, Action: Blocked, Reason: "owner cyrano is not KYC REGULAR"},
		},
		Wallets: []WalletBalance{
			{Key: "alice", Currency: "EUR", Before: 0, After: 0},
			{Key: "garden", ID: "wlt_m_1", Currency: "EUR", Before: 1200, After: 5800},
			{Key: "FEES_EUR", Currency: "EUR", Before: 0, After: 400},
		},
		// As the pre-flight totals it: the pay-in and the transfer done,
		// the payout blocked.
		Money: []CampaignTotals{{Campaign: "garden-2026", Currency: "EUR", CollectedFromPayers: 5000,
			MovedToProject: 4600, PlatformFees: 400, FailedSteps: 1}},
		Calls:       4,
		MinDuration: 1500 * time.Millisecond,
		Reads:       6,
		Reading:     ReadRefresh,
	}
}

func TestRenderPreview(t *testing.T) {
	tests := []struct {
		name   string
		opts   RenderOptions
		golden string
	}{
		{"plain", RenderOptions{Target: "embedded"}, "preview.golden"},
		{"color", RenderOptions{Color: true}, "preview-color.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := RenderPreview(&buf, samplePreview(), tt.opts); err != nil {
				t.Fatalf("RenderPreview() = %v", err)
			}
			checkGolden(t, tt.golden, buf.Bytes())
			hasESC := bytes.Contains(buf.Bytes(), []byte("\x1b["))
			if hasESC != tt.opts.Color {
				t.Errorf("RenderPreview(Color: %v) wrote escape codes: %v", tt.opts.Color, hasESC)
			}
		})
	}
}

func TestRenderPreviewLastLine(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderPreview(&buf, samplePreview(), RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	got := lines[len(lines)-1]
	want := "Plan: 2 to create, 1 to update, 3 unchanged, 1 blocked, 1 in doubt."
	if got != want {
		t.Errorf("last line = %q, want %q", got, want)
	}
}

func TestWritePreviewJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePreviewJSON(&buf, samplePreview(), "embedded"); err != nil {
		t.Fatalf("WritePreviewJSON() = %v", err)
	}
	checkGolden(t, "preview.json.golden", buf.Bytes())
	var got PreviewJSON
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if got.FormatVersion != 3 || !got.HasChanges || len(got.Changes) != 8 {
		t.Errorf("format_version %d, has_changes %v, %d changes; want 3, true, 8",
			got.FormatVersion, got.HasChanges, len(got.Changes))
	}
	want := []CampaignTotals{{Campaign: "garden-2026", Currency: "EUR", CollectedFromPayers: 5000, MovedToProject: 4600,
		PlatformFees: 400, FailedSteps: 1}}
	if len(got.Campaigns) != 1 || got.Campaigns[0] != want[0] {
		t.Errorf("campaigns = %+v, want %+v", got.Campaigns, want)
	}
	total := want[0]
	total.Campaign = ""
	if len(got.Totals) != 1 || got.Totals[0] != total {
		t.Errorf("totals = %+v, want %+v", got.Totals, total)
	}
}

func TestRenderSummary(t *testing.T) {
	p := samplePreview()
	steps := map[string]*plan.Step{}
	for _, c := range p.Changes {
		steps[c.Step.Key] = c.Step
	}
	s := &Summary{
		Results: []*Result{
			{Step: steps["payin/garden-2026/alice-1"], Action: Create, State: StateSucceeded, ID: "payin_m_1", Status: "SUCCEEDED"},
			{Step: steps["transfer/garden-2026/alice-1"], Action: Create, State: StateFailed, Status: "FAILED",
				ResultCode: "001001", ResultMessage: "Unsufficient wallet balance"},
			{Step: steps["payout/garden-2026"], Action: Create, State: StateSkipped,
				Err: errors.New("skipped: upstream transfer/garden-2026/alice-1 failed")},
			{Step: steps["wallet/alice"], Action: InDoubt, State: StateInDoubt, Err: errors.New("context canceled")},
		},
		Done: 1, Failed: 1, Skipped: 1, InDoubt: 1, Unchanged: 4,
		Money: []CampaignTotals{{Campaign: "garden-2026", Currency: "EUR", CollectedFromPayers: 5000, FailedSteps: 1}},
	}
	var buf bytes.Buffer
	if err := RenderSummary(&buf, s, RenderOptions{}); err != nil {
		t.Fatalf("RenderSummary() = %v", err)
	}
	checkGolden(t, "summary.golden", buf.Bytes())
}
