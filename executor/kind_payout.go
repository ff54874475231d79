package executor

import (
	"context"
	"errors"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// A payout step sends a succeeded campaign's project wallet to the
// owner's bank account. Only a KYC REGULAR owner can be paid out (the
// pre-flight asks ownerRegular, the write checks again); MANGOPAY accepts
// a payout as CREATED and processes it later, so it is polled until final
// or Config.Wait ends (pending), and found among the project wallet's
// payouts alone.
func init() {
	register(plan.KindPayOut, movement(moneyKind{from: projectWallet, to: ownerBank, processedLater: true}, getPayOut, &stepKind{
		calls: func(_ *plan.Step, a Action) int {
			if a == Update {
				return 1
			}
			return 3 // owner check, create, one poll (a recipient's check besides)
		},
		check:   (*preflight).checkPayOut,
		checked: checkedByPayOut,
		create:  (*attempt).createPayOut,
		polls:   payOutProcessing,
		await: func(x *applier, ctx context.Context, _ *plan.Step, f *found) (outcome, bool, bool) {
			if !payOutProcessing(f) {
				return outcome{}, false, false
			}
			return x.pollPayOut(ctx, f.ID, outcome{ID: f.ID, Status: f.Status, State: StatePending}), true, true
		},
		flow: func(s *plan.Step) string { return shortKey(s.Debited) + " -> bank " + shortKey(s.BankAccount) },
	}))
}

// payOutProcessing reports a payout MANGOPAY has yet to process: still
// CREATED, it is polled.
func payOutProcessing(f *found) bool { return f.Status == mangopay.StatusCreated }

// getPayOut GETs a payout.
func getPayOut(c *mangopay.Client, ctx context.Context, id string) (*mangopay.Transaction, error) {
	p, err := c.PayOuts.Get(ctx, id)
	return txOf(p, func(p *mangopay.PayOut) *mangopay.Transaction { return &p.Transaction }), err
}

// checkedByPayOut is what checkPayOut reads live: the bank account and
// the owner of the debited wallet (her KYC level).
func checkedByPayOut(g *graph, s *plan.Step) []string {
	out := []string{s.BankAccount}
	if w := g.byKey[s.Debited]; w != nil && w.Owner != "" {
		out = append(out, w.Owner)
	}
	return out
}

// checkPayOut checks the bank account, the wallet's currency, the owner's
// KYC and the wallet's balance.
func (pf *preflight) checkPayOut(s *plan.Step) string {
	if f := pf.st.found[s.BankAccount]; f != nil && f.Exists {
		bank := pf.g.byKey[s.BankAccount]
		switch {
		case f.Status == mangopay.RecipientPending && bank != nil && bank.AdoptedID != "":
			// An adopted recipient is not waited for: its payout would FAIL.
			return "bank account " + s.BankAccount + " is PENDING: " + approvalWanted(f.SCAURL)
		case !f.Active && f.Status != mangopay.RecipientPending: // a PENDING recipient's step ends pending first
			return "bank account " + s.BankAccount + " is inactive"
		}
		if reason := vopBlocks(pf.g.byKey[s.BankAccount], f.VOP); reason != "" {
			return reason
		}
	}
	if reason := pf.walletCurrency(s, "payout"); reason != "" {
		return reason
	}
	if w := pf.g.byKey[s.Debited]; w != nil {
		if reason := pf.ownerRegular(w.Owner); reason != "" {
			return reason
		}
	}
	return pf.shortBalance(s)
}

// createPayOut checks that the owner is KYC REGULAR (a payout of a
// non-REGULAR owner is accepted as CREATED and FAILS later, so the check
// saves a doomed write), creates the payout and polls it.
func (a *attempt) createPayOut(ctx context.Context) outcome {
	x, s, c := a.x, a.s, a.x.cfg.Client
	author := x.author(s)
	u, err := c.Users.Get(ctx, author)
	if err != nil {
		return errOutcome(fmt.Errorf("reading the owner: %w", err))
	}
	if lvl := u.Summary().KYCLevel; lvl != mangopay.KYCRegular {
		return outcome{State: StateFailed, Err: fmt.Errorf("owner %s is KYC %s, not REGULAR: no payout", author, lvl)}
	}
	p := &mangopay.PayOutBankWireCreateParams{AuthorId: author, DebitedFunds: funds(s, s.Amount), Fees: funds(s, s.Fees),
		DebitedWalletId: x.id(s.Debited), BankWireRef: s.WireRef, Tag: s.Tag}
	if bank := x.id(s.BankAccount); isRecipientID(bank) {
		rc, err := c.Recipients.Get(ctx, bank)
		if err != nil {
			return errOutcome(fmt.Errorf("reading the recipient: %w", err))
		}
		if reason := vopBlocks(x.g.byKey[s.BankAccount], verification(rc)); reason != "" {
			return outcome{State: StateBlocked, Err: errors.New(reason)}
		}
		p.RecipientId = bank
	} else {
		p.BankAccountId = bank
	}
	po, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.PayOut, error) {
		return c.PayOuts.CreateBankWire(ctx, p)
	}, func(r *mangopay.PayOut) string { return r.Id })
	if o.State != StateSucceeded {
		return o
	}
	x.setID(s.Key, po.Id)
	t := x.pollPayOut(ctx, po.Id, payOutOutcome(&po.Transaction))
	t.Replayed = o.Replayed
	return t
}

// payOutOutcome is a payout's outcome; a FAILED one says what the
// operator must do when its result code has a remedy
// (mangopay.PayoutRemedy: 121018, 121019, 121030).
func payOutOutcome(t *mangopay.Transaction) outcome {
	o := txOutcome(t)
	if r := mangopay.PayoutRemedy(o.ResultCode); o.State == StateFailed && r != "" {
		o.Err = fmt.Errorf("%w: %s", o.Err, r)
	}
	return o
}

// verification is a recipient's Verification of Payee check, "" without one.
func verification(rc *mangopay.Recipient) string {
	if v := rc.RecipientVerificationOfPayee; v != nil {
		return v.RecipientVerificationCheck
	}
	return ""
}

// pollPayOut polls a CREATED payout until it is final or Config.Wait ends.
func (x *applier) pollPayOut(ctx context.Context, id string, o outcome) outcome {
	err := x.poll(ctx, func() (bool, error) {
		if o.State != StatePending {
			return true, nil
		}
		po, err := x.cfg.Client.PayOuts.Get(ctx, id)
		if err != nil {
			return false, err
		}
		o = payOutOutcome(&po.Transaction)
		return o.State != StatePending, nil
	})
	if err != nil && o.State == StatePending {
		o.Err = fmt.Errorf("payout %s still %s: %w", id, o.Status, err)
	}
	return o
}
