package campaignimport

import (
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// DefaultCampaign is the campaign key when none is given.
const DefaultCampaign = "campaign"

// DefaultName is the plan name when none is given: the same at every
// import of the wallet, so that a re-import finds the plan's own steps.
func DefaultName(walletID string) string { return "import-" + slug(walletID) }

// Keys of the objects that are not keyed by their Id.
const (
	ownerKey   = "owner"
	projectKey = "project"
	accountKey = "owner-account"
)

// Imported is a generated plan and what its comments say.
type Imported struct {
	Plan *plan.Plan
	// Header is the plan's head comment, one line each.
	Header []string
	// Notes are comments on contributions, by contribution key.
	Notes map[string]string
}

// plan state while building.
type builder struct {
	s       *Source
	outcome string
	p       *plan.Plan
	imp     *Imported
	// left is what is left to settle of the contributions in the plan;
	// settled counts those with nothing left, refundedElsewhere sums
	// what was refunded outside the plan.
	left, refundedElsewhere int64
	settled, toCard         int
	// toWallet are the contributions of a failed campaign that cannot go
	// back to a card (see notToCard).
	toWallet []*plan.Contribution
}

// Plan builds the plan that settles what is left of the campaign with
// outcome (open, succeeded or failed).
func (s *Source) Plan(outcome string) (*Imported, error) {
	b := &builder{s: s, outcome: outcome, imp: &Imported{Notes: map[string]string{}}}
	b.p = &plan.Plan{Version: 1, Name: s.PlanName, Currency: s.Wallet.Currency,
		Users: map[string]*plan.User{}, Wallets: map[string]*plan.Wallet{}}
	b.imp.Plan = b.p
	b.owner()
	c := &plan.Campaign{Wallet: projectKey, Outcome: outcome}
	b.p.Campaigns = map[string]*plan.Campaign{s.Campaign: c}
	fees, err := b.transferFees()
	if err != nil {
		return nil, err
	}
	c.Fees = fees
	for _, x := range s.Contributions {
		b.contribution(c, x)
	}
	switch outcome {
	case plan.OutcomeFailed:
		c.Refund = &plan.RefundPolicy{To: plan.RefundToWallet}
		if b.toCard > 0 {
			c.Refund.To = plan.RefundToCard
			for _, pc := range b.toWallet {
				pc.RefundTo = plan.RefundToWallet
			}
		}
	case plan.OutcomeSucceeded:
		if err := b.payout(c); err != nil {
			return nil, err
		}
	}
	b.header()
	return b.imp, nil
}

// owner adds the owner, the project wallet and, for a payout, the
// owner's newest active bank account (the header lists them all).
func (b *builder) owner() {
	sum := b.s.Owner.Summary()
	b.p.Users[ownerKey] = &plan.User{ID: sum.Id, Type: personType(sum.PersonType), Category: "owner"}
	b.p.Wallets[projectKey] = &plan.Wallet{ID: b.s.Wallet.Id, Owner: ownerKey}
	if len(b.s.BankAccounts) > 0 && b.outcome == plan.OutcomeSucceeded {
		b.p.BankAccounts = map[string]*plan.BankAccount{accountKey: {ID: b.s.BankAccounts[0].Id, Owner: ownerKey}}
	}
}

func personType(t string) string {
	if strings.EqualFold(t, mangopay.PersonLegal) {
		return "legal"
	}
	return "natural"
}

// transferFees is the campaign's fee rule, from the fees the transfers
// carried: none, or the same fixed fee on every transfer. The plan format
// has one fee rule per campaign, so transfers with different fees cannot
// be imported.
func (b *builder) transferFees() (*plan.Fees, error) {
	cs := b.s.Contributions
	if len(cs) == 0 {
		return nil, nil
	}
	fee := cs[0].Transfer.Fees.Amount
	for _, c := range cs[1:] {
		if f := c.Transfer.Fees.Amount; f != fee {
			return nil, inputErrorf("transfers %s and %s into wallet %s carry different fees (%d and %d): a plan takes one fee rule per campaign",
				cs[0].Transfer.Id, c.Transfer.Id, b.s.Wallet.Id, fee, f)
		}
	}
	if fee == 0 {
		return nil, nil
	}
	return &plan.Fees{Fixed: &fee, On: plan.FeesOnTransfer}, nil
}

// contribution adds one contribution, its payer and wallet, when
// something of it is left to settle.
func (b *builder) contribution(c *plan.Campaign, x *Contribution) {
	key := b.s.keys[x.Transfer.Id]
	left := x.Credited() - x.RefundedElsewhere()
	b.refundedElsewhere += x.RefundedElsewhere()
	if left <= 0 {
		b.settled++
		return
	}
	b.left += left
	from := b.payer(x)
	pc := &plan.Contribution{Key: key, From: from, Amount: x.Transfer.DebitedFunds.Amount,
		Transfer: &plan.TransferSpec{ID: x.Transfer.Id}}
	var notes []string
	if x.PayIn != nil {
		pc.PayIn = &plan.PayInSpec{ID: x.PayIn.Id, Fees: x.PayIn.Fees.Amount}
	}
	if x.RefundedElsewhere() > 0 {
		notes = append(notes, fmt.Sprintf("%s already refunded outside this plan (%s); %s left",
			cents(x.RefundedElsewhere()), refundIDs(x), cents(left)))
		if b.outcome == plan.OutcomeFailed {
			pc.RefundAmount = &left
		}
	}
	if b.outcome == plan.OutcomeFailed {
		if why := notToCard(x); why != "" {
			notes = append(notes, why+": refunded to the wallet only")
			b.toWallet = append(b.toWallet, pc)
		} else {
			b.toCard++
		}
	} else if x.PayIn == nil {
		notes = append(notes, notToCard(x))
	}
	if len(notes) > 0 {
		b.imp.Notes[key] = strings.Join(notes, "; ")
	}
	c.Contributions = append(c.Contributions, pc)
}

// notToCard says why a contribution cannot go back to a card, "" when it
// can.
func notToCard(x *Contribution) string {
	switch {
	case len(x.Candidates) > 1:
		return fmt.Sprintf("not paired with certainty: pay-ins %s each credited %s", strings.Join(x.Candidates, ", "),
			cents(x.Transfer.DebitedFunds.Amount))
	case len(x.Candidates) == 1:
		return fmt.Sprintf("not paired with certainty: pay-in %s could also have funded another transfer", x.Candidates[0])
	case x.PayIn == nil:
		return fmt.Sprintf("no pay-in of %s into wallet %s before it", cents(x.Transfer.DebitedFunds.Amount), x.Transfer.DebitedWalletId)
	case !x.CardPayIn:
		return fmt.Sprintf("pay-in %s is not a card pay-in", x.PayIn.Id)
	}
	return ""
}

// payer adds the payer and wallet of a contribution and returns the
// wallet's key.
func (b *builder) payer(x *Contribution) string {
	uid, wid := x.Transfer.AuthorId, string(x.Transfer.DebitedWalletId)
	ukey, wkey := b.s.keys[uid], b.s.keys[wid]
	if b.p.Users[ukey] == nil {
		b.p.Users[ukey] = &plan.User{ID: uid, Type: personType(b.s.Payers[uid].PersonType), Category: "payer"}
	}
	if b.p.Wallets[wkey] == nil {
		b.p.Wallets[wkey] = &plan.Wallet{ID: wid, Owner: ukey}
	}
	return wkey
}

// payout adds the payout of what is left: the contributions' rest, less
// the payouts made outside the plan, within the wallet's balance (the
// plan's own payout, found by its Tag, counted back in).
func (b *builder) payout(c *plan.Campaign) error {
	if b.p.BankAccounts == nil {
		return inputErrorf("owner %s has no active bank account to pay out to%s", b.s.Owner.Summary().Id, b.recipientHint())
	}
	avail, inWallet := b.left, b.s.Wallet.Balance.Amount
	for _, t := range b.s.PayOuts {
		switch {
		case b.s.ownPayout(t) && t.Status == mangopay.StatusSucceeded:
			inWallet += t.DebitedFunds.Amount
		case !b.s.ownPayout(t):
			avail -= t.DebitedFunds.Amount
		}
	}
	avail = min(avail, inWallet)
	if avail <= 0 {
		return inputErrorf("wallet %s has nothing left to pay out: payouts made outside this plan took what the contributions left", b.s.Wallet.Id)
	}
	c.Payout = &plan.Payout{BankAccount: accountKey, Amount: &avail}
	return nil
}

// recipientHint mentions the owner's active Recipients, which the plan
// format cannot name yet.
func (b *builder) recipientHint() string {
	if len(b.s.Recipients) == 0 {
		return ""
	}
	return fmt.Sprintf(" (it has %d active Recipient(s), e.g. %s, which a plan cannot name yet)", len(b.s.Recipients), b.s.Recipients[0].Id)
}

// refundIDs lists the refunds of x made outside the plan.
func refundIDs(x *Contribution) string {
	var ids []string
	for _, r := range x.Refunds {
		if !r.Own {
			ids = append(ids, r.ID)
		}
	}
	return strings.Join(ids, ", ")
}

// cents formats an amount in minor units.
func cents(n int64) string { return fmt.Sprintf("%d", n) }
