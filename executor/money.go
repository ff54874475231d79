package executor

import (
	"settle/mangopay"
	"settle/plan"
)

// The money model: one row per money step kind (stepKind.money, in the
// kind's file) says where its money comes from and where it goes; every figure settle prints (the
// pre-flight's wallet replay, plan --json, the apply summary, report and
// its reconciliation) is derived from it, so they cannot disagree.
//
// A money step debits Amount from its source, the platform takes Fees
// (negative on a refund that hands fees back: they leave FEES_<currency>),
// and its destination receives Amount − Fees, MANGOPAY's CreditedFunds.
// A source or destination is a wallet (named by the step's Debited or
// Credited wallet step) or a person's account outside MANGOPAY: a payer's
// card or the owner's bank.

// end is where money is before or after a step.
type end int

const (
	payerCard     end = iota + 1 // a payer's card, outside MANGOPAY
	payerWallet                  // a payer's wallet (Debited or Credited)
	projectWallet                // a campaign's project wallet (Debited or Credited)
	ownerBank                    // the project owner's bank account, outside MANGOPAY
)

// isWallet reports whether money at e is in a MANGOPAY wallet.
func (e end) isWallet() bool { return e == payerWallet || e == projectWallet }

// moneyKind is what the steps of one kind do with money.
type moneyKind struct {
	from, to end
	// processedLater: a transaction of this kind still CREATED moves its
	// money when MANGOPAY processes it (a payout: the wallet is debited
	// and the fee taken at processing); other CREATED transactions wait
	// for a person (a 3DS challenge) and may never move anything.
	processedLater bool
}

// moneyOf returns the money row of kind k (stepKind.money, declared in
// the kind's file); ok is false for a kind that moves no money.
func moneyOf(k plan.Kind) (row moneyKind, ok bool) {
	if sk := kindOf(k); sk != nil && sk.money != nil {
		return *sk.money, true
	}
	return moneyKind{}, false
}

// IsMoney reports whether steps of kind k move money (their amounts are
// in the machine outputs).
func IsMoney(k plan.Kind) bool { return isMoney(k) }

// isMoney reports whether a step of kind k moves money.
func isMoney(k plan.Kind) bool {
	_, ok := moneyOf(k)
	return ok
}

// MoneyFields returns a step's amount, fees and currency as the machine
// outputs (plan --json, apply --json) carry them: nil, nil and "" for a
// step that moves no money.
func MoneyFields(s *plan.Step) (amount, fees *int64, currency string) {
	if !isMoney(s.Kind) {
		return nil, nil, ""
	}
	a, f := s.Amount, s.Fees
	return &a, &f, s.Currency
}

// walletsOf returns the wallet steps a money step debits and credits
// ("" for a card or bank side, and for steps that move no money).
func walletsOf(s *plan.Step) (debited, credited string) {
	k, ok := moneyOf(s.Kind)
	if !ok {
		return "", ""
	}
	if k.from.isWallet() {
		debited = s.Debited
	}
	if k.to.isWallet() {
		credited = s.Credited
	}
	return debited, credited
}

// ownWallet is the wallet step a money step belongs to: the one it takes
// money from or, taking it from a card, the one it credits ("" for a step
// that moves no money). Its owner authors the movement and its
// transaction list holds it.
func ownWallet(s *plan.Step) string {
	debited, credited := walletsOf(s)
	if debited == "" {
		return credited
	}
	return debited
}

// Phase is where a money step stands, as far as its money is concerned.
type Phase int

// Phases of a money step.
const (
	PhaseNone    Phase = iota // not made (not run yet, skipped): moves nothing
	PhaseDone                 // SUCCEEDED: its money moved
	PhasePending              // accepted, not final: a payout still CREATED, a pay-in awaiting 3DS
	PhaseFailed               // FAILED, refused with a final error, or blocked and never sent
	PhaseInDoubt              // written, outcome unknown until the next run resolves it
)

// phaseOf reads a step's phase from its run or journal state and
// MANGOPAY's status. State "" is a step that exists and that this run did
// not write (unchanged or adopted): its status says where it stands.
func phaseOf(state, status string) Phase {
	switch state {
	case StateSucceeded, "":
		switch status {
		case mangopay.StatusCreated:
			return PhasePending
		case mangopay.StatusFailed:
			return PhaseFailed
		}
		return PhaseDone
	case StatePending:
		return PhasePending
	case StateFailed, StateBlocked:
		return PhaseFailed
	case StateInDoubt, StateStarted:
		return PhaseInDoubt
	}
	return PhaseNone
}

// Movement is one money step as it stands: what it debits (Amount), the
// platform's fee (Fees, negative when handed back) and its phase.
type Movement struct {
	Kind     plan.Kind
	Campaign string
	Currency string
	Amount   int64
	Fees     int64
	Phase    Phase
}

// movementOf is a step's movement in the given phase, with the plan's
// amounts.
func movementOf(s *plan.Step, ph Phase) Movement {
	return Movement{Kind: s.Kind, Campaign: s.Campaign, Currency: s.Currency, Amount: s.Amount, Fees: s.Fees, Phase: ph}
}

// CampaignTotals is one campaign's money, in minor units of Currency: what
// reached whom. docs/report.md documents each field; the same fields, in
// the same order, are the columns of the apply summary, `settle report`
// (text, CSV, JSON) and `settle plan --json`. Campaign is empty on a total
// line.
type CampaignTotals struct {
	Campaign string `json:"campaign,omitempty"`
	Currency string `json:"currency"`
	// CollectedFromPayers is what succeeded pay-ins charged to payers'
	// cards (pay-in fees included).
	CollectedFromPayers int64 `json:"collected_from_payers"`
	// MovedToProject is what transfers credited to the project wallet
	// (after transfer fees).
	MovedToProject int64 `json:"moved_to_project"`
	// PlatformFees is the fees the platform took, less the fees refunds
	// handed back.
	PlatformFees int64 `json:"platform_fees"`
	// SentToOwnerBank is what succeeded payouts credited to the owner's
	// bank account (after the payout fee).
	SentToOwnerBank int64 `json:"sent_to_owner_bank"`
	// PendingToOwnerBank is what payouts still CREATED will credit to the
	// owner's bank once MANGOPAY processes them (after the payout fee).
	PendingToOwnerBank int64 `json:"pending_to_owner_bank"`
	// ReturnedToPayerWallets is what transfer refunds put back in payers'
	// wallets (fees handed back included), less what pay-in refunds then
	// took on to their cards: returned money still in the wallets.
	ReturnedToPayerWallets int64 `json:"returned_to_payer_wallets"`
	// ReturnedToPayerCards is what pay-in refunds credited back to payers'
	// cards (pay-in fees handed back included).
	ReturnedToPayerCards int64 `json:"returned_to_payer_cards"`
	// FailedSteps counts money steps that failed or were blocked (never
	// sent); InDoubtSteps those whose outcome is unknown.
	FailedSteps  int `json:"failed_steps"`
	InDoubtSteps int `json:"in_doubt_steps"`
}

// Add adds one money step to the campaign's totals, by where its kind
// takes money from and puts it (see moneyKind).
func (t *CampaignTotals) Add(m Movement) {
	k, ok := moneyOf(m.Kind)
	if !ok {
		return
	}
	net := m.Amount - m.Fees
	switch m.Phase {
	case PhaseDone:
	case PhasePending:
		if k.processedLater && k.to == ownerBank {
			t.PendingToOwnerBank += net
		}
		return
	case PhaseFailed:
		t.FailedSteps++
		return
	case PhaseInDoubt:
		t.InDoubtSteps++
		return
	default:
		return
	}
	t.PlatformFees += m.Fees
	switch {
	case k.from == payerCard:
		t.CollectedFromPayers += m.Amount
	case k.from == payerWallet && k.to == payerCard:
		t.ReturnedToPayerWallets -= m.Amount // returned money taken on to the card
	}
	switch k.to {
	case projectWallet:
		t.MovedToProject += net
	case ownerBank:
		t.SentToOwnerBank += net
	case payerCard:
		t.ReturnedToPayerCards += net
	case payerWallet:
		if k.from == projectWallet {
			t.ReturnedToPayerWallets += net
		}
	}
}

// plus adds another line's figures to t (for total lines).
func (t *CampaignTotals) plus(o CampaignTotals) {
	t.CollectedFromPayers += o.CollectedFromPayers
	t.MovedToProject += o.MovedToProject
	t.PlatformFees += o.PlatformFees
	t.SentToOwnerBank += o.SentToOwnerBank
	t.PendingToOwnerBank += o.PendingToOwnerBank
	t.ReturnedToPayerWallets += o.ReturnedToPayerWallets
	t.ReturnedToPayerCards += o.ReturnedToPayerCards
	t.FailedSteps += o.FailedSteps
	t.InDoubtSteps += o.InDoubtSteps
}

// moneyTotals builds the per-campaign totals of a plan.
type moneyTotals struct {
	rows map[string]*CampaignTotals
}

func newMoneyTotals() *moneyTotals { return &moneyTotals{rows: map[string]*CampaignTotals{}} }

// open makes sure a campaign has a line, even if nothing moved for it.
func (mt *moneyTotals) open(campaign, currency string) *CampaignTotals {
	t := mt.rows[campaign]
	if t == nil {
		t = &CampaignTotals{Campaign: campaign, Currency: currency}
		mt.rows[campaign] = t
	}
	if t.Currency == "" {
		t.Currency = currency
	}
	return t
}

// Add adds a movement to its campaign's line; movements of no campaign
// are left out.
func (mt *moneyTotals) Add(m Movement) {
	if m.Campaign == "" || !isMoney(m.Kind) {
		return
	}
	mt.open(m.Campaign, m.Currency).Add(m)
}

// campaigns returns the lines in plan order: by campaign key, the order
// plan.Expand gives campaigns (and `settle plan` lists their steps in).
func (mt *moneyTotals) campaigns() []CampaignTotals {
	out := make([]CampaignTotals, 0, len(mt.rows))
	for _, k := range sortedKeys(mt.rows) {
		out = append(out, *mt.rows[k])
	}
	return out
}

// SumByCurrency returns the total line of each currency of campaigns,
// sorted by currency (Campaign is empty).
func SumByCurrency(campaigns []CampaignTotals) []CampaignTotals {
	sums := map[string]*CampaignTotals{}
	for _, c := range campaigns {
		t := sums[c.Currency]
		if t == nil {
			t = &CampaignTotals{Currency: c.Currency}
			sums[c.Currency] = t
		}
		t.plus(c)
	}
	out := make([]CampaignTotals, 0, len(sums))
	for _, cur := range sortedKeys(sums) {
		out = append(out, *sums[cur])
	}
	return out
}

// moneyOfRun totals the campaigns as a run left them: each money step as
// its result says, and a step the run did not reach (interrupted, fail
// fast) as the diff found it: in doubt if it was, else as MANGOPAY holds it.
func (x *applier) moneyOfRun(results map[string]*Result) []CampaignTotals {
	mt := newMoneyTotals()
	for _, s := range x.g.order {
		if s.Campaign == "" || !isMoney(s.Kind) {
			continue
		}
		f := x.st.found[s.Key]
		status := ""
		if f != nil && f.Exists {
			status = f.Status
		}
		ph := PhaseNone
		switch r := results[s.Key]; {
		case r != nil && r.State == "":
			ph = phaseOf("", status)
		case r != nil:
			ph = phaseOf(r.State, r.Status)
		case x.changes[s.Key].Action == InDoubt:
			ph = PhaseInDoubt // still unresolved
		case f != nil && f.Exists && !runs(x.changes[s.Key].Action):
			ph = phaseOf("", status)
		}
		mt.Add(movementOf(s, ph))
	}
	return mt.campaigns()
}
