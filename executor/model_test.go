package executor_test

import (
	"context"
	"math"
	"sort"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/plan"
)

// ledger is the money a plan implies once applied: every wallet's balance
// (by plan key), the FEES wallet, and what reached bank accounts. It is
// computed here from the plan model alone, independently of plan.Expand
// and of the executor.
type ledger struct {
	Wallets map[string]int64
	Fees    int64
	PaidOut int64 // CreditedFunds of the payouts
}

// fee computes a campaign fee on an amount: percent rounded down, or fixed.
func fee(f *plan.Fees, amount int64) int64 {
	switch {
	case f == nil:
		return 0
	case f.Percent != nil:
		return amount * int64(math.Round(*f.Percent*100)) / 10000
	case f.Fixed != nil:
		return *f.Fixed
	}
	return 0
}

// expected replays the plan's money by the rules of DESIGN §3 and
// mangopay-api.md §18.
func expected(p *plan.Plan) ledger {
	l := ledger{Wallets: map[string]int64{}}
	for k := range p.Wallets {
		l.Wallets[k] = 0
	}
	for _, c := range p.Campaigns {
		onTransfer := c.Fees != nil && c.Fees.On == plan.FeesOnTransfer
		var collected, received int64
		for _, x := range c.Contributions {
			var pf, tf int64
			if x.PayIn != nil {
				pf = x.PayIn.Fees
				l.Wallets[x.From] += x.Amount // debited amount+pf, pf to FEES
				l.Fees += pf
			}
			if onTransfer {
				tf = fee(c.Fees, x.Amount)
			}
			l.Wallets[x.From] -= x.Amount
			l.Wallets[c.Wallet] += x.Amount - tf
			l.Fees += tf
			collected += x.Amount
			received += x.Amount - tf
			if c.Outcome == plan.OutcomeFailed {
				refundContribution(&l, c, x, pf, tf)
			}
		}
		if c.Outcome == plan.OutcomeSucceeded {
			payout := received
			if c.Payout != nil && c.Payout.Amount != nil {
				payout = *c.Payout.Amount
			}
			var pfee int64
			if !onTransfer {
				pfee = fee(c.Fees, collected)
			}
			l.Wallets[c.Wallet] -= payout
			l.Fees += pfee
			l.PaidOut += payout - pfee
		}
	}
	return l
}

// refundContribution: transfer refund (fees handed back on a full one),
// then, refunding to the card, the pay-in refund of what came back.
func refundContribution(l *ledger, c *plan.Campaign, x *plan.Contribution, pf, tf int64) {
	amount, rfee, pinFee := x.Amount-tf, -tf, -pf
	if x.RefundAmount != nil {
		amount, rfee, pinFee = *x.RefundAmount, 0, 0
	}
	l.Wallets[c.Wallet] -= amount
	l.Wallets[x.From] += amount - rfee
	l.Fees += rfee
	if c.Refund != nil && c.Refund.To == plan.RefundToCard && x.PayIn != nil {
		l.Wallets[x.From] -= amount - rfee
		l.Fees += pinFee
	}
}

// actual reads the ledger from the sandbox: wallet balances through Diff
// (the pre-flight's "before"), FEES and the SUCCEEDED payouts.
func (e *env) actual(cfg executor.Config, p *plan.Plan) ledger {
	e.t.Helper()
	pv := e.diff(cfg, p)
	l := ledger{Wallets: map[string]int64{}}
	ids := map[string]string{}
	for _, w := range pv.Wallets {
		if len(w.Key) > 7 && w.Key[:7] == "wallet/" {
			l.Wallets[w.Key[7:]] = w.Before
			ids[w.Key[7:]] = w.ID
		}
	}
	ctx := context.Background()
	fw, err := e.c.ClientWallets.Get(ctx, mangopay.FundsFees, p.Currency)
	if err == nil {
		l.Fees = fw.Balance.Amount
	}
	for _, c := range p.Campaigns {
		txs, err := mangopay.Collect(e.c.Transactions.ListByWallet(ctx, ids[c.Wallet],
			&mangopay.ListOptions{Type: []string{"PAYOUT"}, Nature: []string{"REGULAR"}, Status: []string{"SUCCEEDED"}}))
		if err != nil {
			e.t.Fatalf("listing payouts: %v", err)
		}
		for _, t := range txs {
			l.PaidOut += t.CreditedFunds.Amount
		}
	}
	return l
}

// checkLedger compares the actual ledger with the expected one.
func checkLedger(t *testing.T, got, want ledger) {
	t.Helper()
	keys := map[string]bool{}
	for k := range want.Wallets {
		keys[k] = true
	}
	for k := range got.Wallets {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if got.Wallets[k] != want.Wallets[k] {
			t.Errorf("wallet %s balance = %d, want %d", k, got.Wallets[k], want.Wallets[k])
		}
	}
	if got.Fees != want.Fees {
		t.Errorf("FEES balance = %d, want %d", got.Fees, want.Fees)
	}
	if got.PaidOut != want.PaidOut {
		t.Errorf("paid out = %d, want %d", got.PaidOut, want.PaidOut)
	}
}
