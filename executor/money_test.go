package executor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// TestCampaignTotalsAdd checks each money step kind's row of the money
// model: where its amount comes from, what reaches whom, and the phases
// that move nothing.
func TestCampaignTotalsAdd(t *testing.T) {
	mv := func(k plan.Kind, amount, fees int64, ph executor.Phase) executor.Movement {
		return executor.Movement{Kind: k, Campaign: "c", Currency: "EUR", Amount: amount, Fees: fees, Phase: ph}
	}
	done := executor.PhaseDone
	tests := []struct {
		name string
		m    executor.Movement
		want executor.CampaignTotals
	}{
		{"pay-in: the card is charged amount, fees included", mv(plan.KindPayIn, 5100, 100, done),
			executor.CampaignTotals{CollectedFromPayers: 5100, PlatformFees: 100}},
		{"transfer: the project gets amount - fees", mv(plan.KindTransfer, 5000, 250, done),
			executor.CampaignTotals{MovedToProject: 4750, PlatformFees: 250}},
		{"payout: the bank gets amount - fees", mv(plan.KindPayOut, 12000, 960, done),
			executor.CampaignTotals{SentToOwnerBank: 11040, PlatformFees: 960}},
		{"payout still CREATED: pending, no fee taken yet", mv(plan.KindPayOut, 12000, 960, executor.PhasePending),
			executor.CampaignTotals{PendingToOwnerBank: 11040}},
		{"transfer refund: the wallet gets the fee back too", mv(plan.KindTransferRefund, 4750, -250, done),
			executor.CampaignTotals{ReturnedToPayerWallets: 5000, PlatformFees: -250}},
		{"pay-in refund: from the wallet on to the card, fee back", mv(plan.KindPayInRefund, 5000, -100, done),
			executor.CampaignTotals{ReturnedToPayerWallets: -5000, ReturnedToPayerCards: 5100, PlatformFees: -100}},
		{"pay-in awaiting 3DS moves nothing", mv(plan.KindPayIn, 5000, 0, executor.PhasePending), executor.CampaignTotals{}},
		{"failed", mv(plan.KindTransfer, 5000, 0, executor.PhaseFailed), executor.CampaignTotals{FailedSteps: 1}},
		{"in doubt", mv(plan.KindPayOut, 5000, 0, executor.PhaseInDoubt), executor.CampaignTotals{InDoubtSteps: 1}},
		{"not made", mv(plan.KindTransfer, 5000, 0, executor.PhaseNone), executor.CampaignTotals{}},
		{"not a money step", mv(plan.KindWallet, 5000, 0, done), executor.CampaignTotals{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got executor.CampaignTotals
			got.Add(tt.m)
			if got != tt.want {
				t.Errorf("Add(%+v) = %+v, want %+v", tt.m, got, tt.want)
			}
		})
	}
}

// TestMoneyOfExamples applies every example on a fresh sandbox (seeding
// what it adopts) and checks that the one money model gives the same
// campaigns, in the same order, everywhere: the plan's projection before
// the apply, the apply summary, `settle report` from the journal, and
// `settle plan --json` after it, adopted pay-ins included. The report is
// golden-tested in each format.
func TestMoneyOfExamples(t *testing.T) {
	for _, path := range examples(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			p := e.load(path)
			cfg := e.cfg("j.jsonl")
			projected := e.diff(cfg, p).Money
			sum := e.apply(context.Background(), cfg, p)
			if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 || sum.Interrupted {
				t.Fatalf("Apply() = %s", describe(sum))
			}
			records, err := executor.ReadJournal(cfg.JournalPath)
			if err != nil {
				t.Fatal(err)
			}
			steps, err := plan.Expand(p)
			if err != nil {
				t.Fatal(err)
			}
			rep := executor.AuditReportOf(records, steps)
			rep.Plan = p.Name
			planJSON := previewJSON(t, e.diff(cfg, p))
			if len(rep.Campaigns) != len(p.Campaigns) {
				t.Errorf("report has %d campaigns, the plan %d", len(rep.Campaigns), len(p.Campaigns))
			}
			for _, other := range []struct {
				what string
				got  []executor.CampaignTotals
			}{
				{"pre-flight before apply", projected},
				{"apply summary", sum.Money},
				{"plan --json after apply", planJSON.Campaigns},
			} {
				if !reflect.DeepEqual(other.got, rep.Campaigns) {
					t.Errorf("%s = %+v,\nreport = %+v", other.what, other.got, rep.Campaigns)
				}
			}
			if !reflect.DeepEqual(planJSON.Totals, rep.Totals) {
				t.Errorf("plan --json totals = %+v, report totals = %+v", planJSON.Totals, rep.Totals)
			}
			if !rep.FeesKnown {
				t.Errorf("report FeesKnown = false after a fresh apply (the journal carries fees)")
			}
			// A journal alone gives the same figures.
			if alone := executor.AuditReportOf(records, nil); !reflect.DeepEqual(alone.Campaigns, rep.Campaigns) || !alone.FeesKnown {
				t.Errorf("report of the journal alone = %+v (fees known %v), with the plan %+v",
					alone.Campaigns, alone.FeesKnown, rep.Campaigns)
			}
			checkMoneyBalances(t, p, rep)
			for format, ext := range map[string]string{"text": "txt", "csv": "csv", "json": "json"} {
				var buf bytes.Buffer
				if err := executor.WriteReport(&buf, rep, format); err != nil {
					t.Fatal(err)
				}
				executor.CheckGolden(t, "report-"+name+"."+ext+".golden", buf.Bytes())
			}
		})
	}
}

// previewJSON is what `settle plan --json` prints for pv, read back.
func previewJSON(t *testing.T, pv *executor.Preview) executor.PreviewJSON {
	t.Helper()
	var buf bytes.Buffer
	if err := executor.WritePreviewJSON(&buf, pv, "embedded"); err != nil {
		t.Fatal(err)
	}
	var out executor.PreviewJSON
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkMoneyBalances checks the report against what each campaign of the
// plan declares: everything collected is accounted for (moved to the
// project, or taken as a pay-in or transfer fee), and a failed campaign
// refunded in full returns everything its payers paid.
func checkMoneyBalances(t *testing.T, p *plan.Plan, rep *executor.AuditReport) {
	t.Helper()
	for _, c := range rep.Campaigns {
		pc := p.Campaigns[c.Campaign]
		var paid, partial int64
		for _, x := range pc.Contributions {
			paid += x.Amount
			if x.PayIn != nil {
				paid += x.PayIn.Fees
			}
			if x.RefundAmount != nil {
				partial++
			}
		}
		if c.CollectedFromPayers != paid {
			t.Errorf("%s: collected from payers %d, the plan's contributions %d", c.Campaign, c.CollectedFromPayers, paid)
		}
		if pc.Outcome == plan.OutcomeFailed && partial == 0 && c.ReturnedToPayerWallets+c.ReturnedToPayerCards != paid {
			t.Errorf("%s: returned %d + %d, want everything collected (%d)", c.Campaign,
				c.ReturnedToPayerWallets, c.ReturnedToPayerCards, paid)
		}
		if pc.Outcome == plan.OutcomeFailed && partial == 0 && c.PlatformFees != 0 {
			t.Errorf("%s: platform fees %d on a campaign refunded in full, want 0", c.Campaign, c.PlatformFees)
		}
		if pc.Outcome == plan.OutcomeSucceeded && c.SentToOwnerBank+c.PlatformFees != c.CollectedFromPayers {
			t.Errorf("%s: sent %d + fees %d, want everything collected (%d)", c.Campaign,
				c.SentToOwnerBank, c.PlatformFees, c.CollectedFromPayers)
		}
	}
}

// TestMoneyFailedCampaignWithFees: a failed campaign refunded to cards,
// with pay-in fees and a fee on each transfer. The payers get back
// everything their cards were charged, fees included, and the platform
// keeps nothing; the report says so in those words (it used to print
// "refunded" and "refunded to card" amounts that differed, and neither was
// what the payers got).
func TestMoneyFailedCampaignWithFees(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	src, err := os.ReadFile("../examples/failed-to-card.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "    refund: {to: card}\n", "    refund: {to: card}\n    fees: {percent: 5, on: transfer}\n", 1)
	text = strings.ReplaceAll(text, "payin: {card: diane-visa}", "payin: {card: diane-visa, fees: 150}")
	path := filepath.Join(e.dir, "failed-fees.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	p := e.load(path)
	cfg := e.cfg("j.jsonl")
	sum := e.apply(context.Background(), cfg, p)
	if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
		t.Fatalf("Apply() = %s", describe(sum))
	}
	// Cards charged 4150 + 2500 + 6150; transfers took 5% of 4000, 2500
	// and 6000 (200 + 125 + 300); refunds hand every fee back.
	want := executor.CampaignTotals{Campaign: "tour-2026", Currency: "EUR", CollectedFromPayers: 12800,
		MovedToProject: 11875, ReturnedToPayerCards: 12800}
	if len(sum.Money) != 1 || sum.Money[0] != want {
		t.Errorf("summary money = %+v, want %+v", sum.Money, want)
	}
	records, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	if rep := executor.AuditReportOf(records, nil); len(rep.Campaigns) != 1 || rep.Campaigns[0] != want {
		t.Errorf("report of the journal = %+v, want %+v", rep.Campaigns, want)
	}
	checkLedger(t, e.actual(cfg, p), expected(p))
}

// TestMoneyOfInterruptedRun: the summary of a run cancelled part-way
// gives the same figures as the report of the journal it left, steps in
// doubt included.
func TestMoneyOfInterruptedRun(t *testing.T) {
	for _, path := range []string{"../examples/multi-campaign.yaml", "../examples/failed-to-card.yaml"} {
		for _, n := range []int{1, 9, 15} {
			t.Run(fmt.Sprintf("%s/after-%d", filepath.Base(path), n), func(t *testing.T) {
				e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 2 * time.Millisecond}})
				p := e.load(path)
				cfg := e.cfg("j.jsonl")
				sum := e.interrupted(cfg, p, n)
				if !sum.Interrupted {
					t.Fatalf("Apply() was not interrupted after %d steps", n)
				}
				records, err := executor.ReadJournal(cfg.JournalPath)
				if err != nil {
					t.Fatal(err)
				}
				steps, err := plan.Expand(p)
				if err != nil {
					t.Fatal(err)
				}
				if rep := executor.AuditReportOf(records, steps); !reflect.DeepEqual(sum.Money, rep.Campaigns) {
					t.Errorf("summary = %+v,\nreport  = %+v", sum.Money, rep.Campaigns)
				}
			})
		}
	}
}
