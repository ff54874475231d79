package executor

import (
	"context"
	"fmt"
	"slices"

	"settle/mangopay"
	"settle/plan"
)

// ReportFormatVersion is the format_version of `settle report --format
// json` ([AuditReport]). It changes only when a field is removed or
// changes meaning (docs/report.md).
const ReportFormatVersion = 1

// AuditReport is what `settle report` prints: every campaign's money as
// the journal (and, given the plan, its adopted steps) says it stands, in
// the money model's columns (see [CampaignTotals]), with a total line per
// currency; with reconciliation, the drift between the balances the
// journal implies and the live ones. Its JSON is documented in
// docs/report.md.
type AuditReport struct {
	FormatVersion int    `json:"format_version"`
	Plan          string `json:"plan,omitempty"`
	// FeesKnown is false when a journal alone, written before fees were
	// journalled, is all there is: platform fees then count as zero and
	// amounts after fees are before them.
	FeesKnown bool             `json:"fees_known"`
	Campaigns []CampaignTotals `json:"campaigns"`
	Totals    []CampaignTotals `json:"totals"`
	// Reconciled is true when Wallets holds live balances.
	Reconciled bool           `json:"reconciled"`
	Wallets    []WalletReport `json:"wallets,omitempty"`
	// Warnings are what the journal's latest records say the operator
	// should know: each bank account's Verification of Payee result
	// other than MATCH ("bank_account/k: Verification of Payee ..."), by
	// step key.
	Warnings []string `json:"warnings,omitempty"`
}

// Drifting counts the wallets whose live balance differs from the one
// the journal implies (none unless the report is reconciled).
func (r *AuditReport) Drifting() int {
	n := 0
	for _, w := range r.Wallets {
		if w.Drift != 0 {
			n++
		}
	}
	return n
}

// WalletReport compares a wallet's expected balance with its live one.
type WalletReport struct {
	Wallet   string `json:"wallet"` // plan key
	ID       string `json:"id"`
	Currency string `json:"currency"`
	Expected int64  `json:"expected"`
	Actual   int64  `json:"actual"`
	Drift    int64  `json:"drift"` // actual - expected
}

// AuditReportOf folds journal records into per-campaign totals. steps, from the
// expanded plan, may be nil (a report from a journal alone); with them
// every campaign of the plan has a line, and adopted steps, which settle
// never wrote, count as done.
func AuditReportOf(records []Record, steps []*plan.Step) *AuditReport {
	mt := newMoneyTotals()
	feesKnown := true
	for _, m := range journalMovements(records, steps) {
		mt.Add(m.Movement)
		feesKnown = feesKnown && m.feesKnown
	}
	rep := &AuditReport{FormatVersion: ReportFormatVersion, FeesKnown: feesKnown, Campaigns: mt.campaigns()}
	rep.Totals = SumByCurrency(rep.Campaigns)
	for _, r := range Latest(records) {
		if w := vopWarningOf(r.ResultCode, r.ResultMessage); r.Kind == string(plan.KindBankAccount) && w != "" {
			rep.Warnings = append(rep.Warnings, r.Step+": "+w)
		}
	}
	slices.Sort(rep.Warnings)
	return rep
}

// journalMovement is a money step as the journal and the plan say it
// stands.
type journalMovement struct {
	Movement
	step      *plan.Step // nil for a step the plan does not hold
	feesKnown bool
}

// journalMovements returns the money steps of the journal and the plan:
// the journal's in order of first appearance, then the plan's never
// journalled. Steps of no campaign are left out.
func journalMovements(records []Record, steps []*plan.Step) []journalMovement {
	latest := map[string]Record{}
	var order []string
	for _, r := range Latest(records) {
		latest[r.Step] = r
		order = append(order, r.Step)
	}
	byKey := map[string]*plan.Step{}
	for _, s := range steps {
		byKey[s.Key] = s
		if _, ok := latest[s.Key]; !ok {
			order = append(order, s.Key)
		}
	}
	var out []journalMovement
	for _, key := range order {
		rec, journalled := latest[key]
		m := movementFromJournal(rec, journalled, byKey[key])
		if m.Campaign != "" && isMoney(m.Kind) {
			out = append(out, m)
		}
	}
	return out
}

// movementFromJournal merges a step's latest record with its plan
// declaration, the plan's amounts first. A step never journalled counts
// as done when adopted (settle never writes it) and as not made otherwise.
func movementFromJournal(rec Record, journalled bool, s *plan.Step) journalMovement {
	m := journalMovement{Movement: Movement{Kind: plan.Kind(rec.Kind), Campaign: rec.Campaign, Currency: rec.Currency,
		Amount: rec.Amount}, step: s, feesKnown: rec.Fees != nil}
	if rec.Fees != nil {
		m.Fees = *rec.Fees
	}
	state, status := rec.State, rec.Status
	if s != nil {
		m.Kind, m.Fees, m.feesKnown = s.Kind, s.Fees, true
		if m.Campaign == "" {
			m.Campaign = s.Campaign
		}
		if m.Currency == "" {
			m.Currency = s.Currency
		}
		if m.Amount == 0 {
			m.Amount = s.Amount
		}
		if !journalled && s.AdoptedID != "" {
			state, status, journalled = StateSucceeded, mangopay.StatusSucceeded, true
		}
	}
	if journalled {
		m.Phase = phaseOf(state, status)
	}
	return m
}

// ExpectedBalances replays the journal's done money steps (and the plan's
// adopted ones) on the managed wallets, which settle created empty, and
// returns each wallet step's expected balance by step key: the money
// model's wallets (see moneyKind) lose the amount and gain amount − fees.
// A payout still CREATED has moved nothing yet. Adopted wallets are left
// out: their opening balance is not settle's to know.
func ExpectedBalances(records []Record, steps []*plan.Step) map[string]int64 {
	out := map[string]int64{}
	for _, s := range steps {
		if s.Kind == plan.KindWallet && s.AdoptedID == "" {
			out[s.Key] = 0
		}
	}
	add := func(wallet string, v int64) {
		if _, managed := out[wallet]; managed {
			out[wallet] += v
		}
	}
	for _, m := range journalMovements(records, steps) {
		if m.step == nil || m.Phase != PhaseDone {
			continue
		}
		debited, credited := walletsOf(m.step)
		add(debited, -m.Amount)
		add(credited, m.Amount-m.Fees)
	}
	return out
}

// Reconcile reads the live balance of every managed wallet the journal
// knows the Id of, and fills r.Wallets with the drift from the balances
// the journal implies. It needs the plan's steps.
func Reconcile(ctx context.Context, c *mangopay.Client, r *AuditReport, records []Record, steps []*plan.Step) error {
	expected := ExpectedBalances(records, steps)
	hist := Fold(records)
	r.Wallets = []WalletReport{}
	for _, k := range sortedKeys(expected) {
		h := hist[k]
		if h == nil || h.ID == "" {
			continue // never created: nothing to compare
		}
		w, err := c.Wallets.Get(ctx, h.ID)
		if err != nil {
			return fmt.Errorf("executor: reconcile %s: %w", k, err)
		}
		actual := w.Balance.Amount
		r.Wallets = append(r.Wallets, WalletReport{Wallet: shortKey(k), ID: h.ID, Currency: w.Balance.Currency,
			Expected: expected[k], Actual: actual, Drift: actual - expected[k]})
	}
	r.Reconciled = true
	return nil
}
