package executor

import (
	"context"
	"fmt"
	"sort"

	"settle/mangopay"
	"settle/plan"
)

// AuditReport is what `settle report` prints: per campaign, the money the
// journal says moved, and with reconciliation the drift between the
// balances the journal implies and the live ones.
type AuditReport struct {
	Plan      string           `json:"plan,omitempty"`
	Campaigns []CampaignReport `json:"campaigns"`
	// FeesKnown is false when the report was made from a journal alone:
	// fees are declared in the plan, not journalled.
	FeesKnown bool `json:"fees_known"`
	// Reconciled is true when Wallets holds live balances.
	Reconciled bool           `json:"reconciled"`
	Wallets    []WalletReport `json:"wallets,omitempty"`
}

// CampaignReport sums one campaign's money, in minor units.
type CampaignReport struct {
	Campaign      string `json:"campaign"`
	Currency      string `json:"currency"`
	Contributions int64  `json:"contributions"`    // pay-ins succeeded (created or adopted)
	Transferred   int64  `json:"transferred"`      // transfers into the project wallet succeeded (debited)
	Fees          int64  `json:"fees"`             // fees of the succeeded steps (refunds hand fees back)
	PaidOut       int64  `json:"paid_out"`         // payouts SUCCEEDED (debited)
	Refunded      int64  `json:"refunded"`         // transfer refunds succeeded (debited from the project wallet)
	RefundedCard  int64  `json:"refunded_to_card"` // pay-in refunds succeeded (debited from contributor wallets)
	Pending       int64  `json:"pending"`          // payouts still CREATED
	Failed        int    `json:"failed_steps"`
	InDoubt       int    `json:"in_doubt_steps"`
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

// Report folds journal records into per-campaign totals. steps, from the
// expanded plan, may be nil (a report from a journal alone); with them the
// fees are known and adopted steps, which settle never wrote, count as done.
func Report(records []Record, steps []*plan.Step) *AuditReport {
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
	rep := &AuditReport{FeesKnown: steps != nil, Campaigns: []CampaignReport{}}
	index := map[string]int{}
	for _, key := range order {
		rec, journalled := latest[key]
		m := moneyOf(key, rec, journalled, byKey[key])
		if m.campaign == "" {
			continue
		}
		i, ok := index[m.campaign]
		if !ok {
			i = len(rep.Campaigns)
			index[m.campaign] = i
			rep.Campaigns = append(rep.Campaigns, CampaignReport{Campaign: m.campaign, Currency: m.currency})
		}
		m.addTo(&rep.Campaigns[i])
	}
	return rep
}

// stepMoney is one money step as the report sees it.
type stepMoney struct {
	kind       plan.Kind
	campaign   string
	currency   string
	amount     int64
	fees       int64
	state      string // the journal state; StateSucceeded for adopted steps
	status     string
	journalled bool
}

// moneyOf merges a step's latest record with its plan declaration.
// campaign is "" for steps that move no money or that neither the journal
// nor the plan places in a campaign.
func moneyOf(key string, rec Record, journalled bool, s *plan.Step) stepMoney {
	m := stepMoney{kind: plan.Kind(rec.Kind), campaign: rec.Campaign, currency: rec.Currency,
		amount: rec.Amount, state: rec.State, status: rec.Status, journalled: journalled}
	if s != nil {
		m.kind, m.fees = s.Kind, s.Fees
		if m.campaign == "" {
			m.campaign = s.Campaign
		}
		if m.currency == "" {
			m.currency = s.Currency
		}
		if m.amount == 0 {
			m.amount = s.Amount
		}
		if !journalled && s.AdoptedID != "" {
			m.state, m.status = StateSucceeded, mangopay.StatusSucceeded
		}
	}
	if !isMoney(m.kind) {
		m.campaign = ""
	}
	return m
}

// addTo adds the step to its campaign's totals.
func (m stepMoney) addTo(c *CampaignReport) {
	switch m.state {
	case StateFailed:
		c.Failed++
		return
	case StateInDoubt, StateStarted:
		c.InDoubt++
		return
	case StatePending:
		if m.kind == plan.KindPayOut {
			c.Pending += m.amount
		}
		return
	case StateSucceeded:
	default:
		return
	}
	switch m.kind {
	case plan.KindPayIn:
		c.Contributions += m.amount
	case plan.KindTransfer:
		c.Transferred += m.amount
	case plan.KindTransferRefund:
		c.Refunded += m.amount
	case plan.KindPayInRefund:
		c.RefundedCard += m.amount
	case plan.KindPayOut:
		if m.status != "" && m.status != mangopay.StatusSucceeded {
			c.Pending += m.amount
			return
		}
		c.PaidOut += m.amount
	}
	c.Fees += m.fees
}

// ExpectedBalances replays the journal's succeeded money steps (and the
// plan's adopted ones) on the managed wallets, which settle created empty,
// and returns each wallet step's expected balance by step key. Adopted
// wallets are left out: their opening balance is not settle's to know.
func ExpectedBalances(records []Record, steps []*plan.Step) map[string]int64 {
	latest := map[string]Record{}
	for _, r := range Latest(records) {
		latest[r.Step] = r
	}
	out := map[string]int64{}
	managed := map[string]bool{}
	for _, s := range steps {
		if s.Kind == plan.KindWallet && s.AdoptedID == "" {
			managed[s.Key] = true
			out[s.Key] = 0
		}
	}
	add := func(wallet string, v int64) {
		if managed[wallet] {
			out[wallet] += v
		}
	}
	for _, s := range steps {
		rec, ok := latest[s.Key]
		m := moneyOf(s.Key, rec, ok, s)
		if !isMoney(s.Kind) || m.state != StateSucceeded {
			continue
		}
		applyMovement(s, m, add)
	}
	return out
}

// applyMovement applies one succeeded money step (DESIGN mangopay-api §18):
// the debited wallet loses the amount, the credited one gains amount−fees.
func applyMovement(s *plan.Step, m stepMoney, add func(string, int64)) {
	switch s.Kind {
	case plan.KindPayIn:
		add(s.Credited, m.amount-s.Fees)
	case plan.KindTransfer, plan.KindTransferRefund:
		add(s.Debited, -m.amount)
		add(s.Credited, m.amount-s.Fees)
	case plan.KindPayInRefund:
		add(s.Debited, -m.amount)
	case plan.KindPayOut:
		if m.status == "" || m.status == mangopay.StatusSucceeded {
			add(s.Debited, -m.amount)
		}
	}
}

// Reconcile reads the live balance of every managed wallet the journal
// knows the Id of, and fills r.Wallets with the drift from the balances
// the journal implies. It needs the plan's steps.
func Reconcile(ctx context.Context, c *mangopay.Client, r *AuditReport, records []Record, steps []*plan.Step) error {
	expected := ExpectedBalances(records, steps)
	hist := Fold(records)
	currency := map[string]string{}
	for _, s := range steps {
		currency[s.Key] = s.Currency
	}
	keys := make([]string, 0, len(expected))
	for k := range expected {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	r.Wallets = []WalletReport{}
	for _, k := range keys {
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
