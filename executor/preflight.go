package executor

import (
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// preflight replays the steps that will run on a copy of the balances
// read from MANGOPAY, in graph order, and blocks what would fail. It is
// the dry run's fidelity: MANGOPAY has no dry-run endpoint.
type preflight struct {
	cfg     Config
	g       *graph
	st      *state
	changes map[string]*Change
	bal     map[string]int64 // wallet step key -> balance
	cur     map[string]string
	fees    map[string]int64 // currency -> FEES balance
	credit  map[string]int64 // transaction step -> CreditedFunds
	refund  map[string]int64 // transaction step -> refunded so far
	root    map[string]string
}

// runPreflight sets Blocked actions and reasons on changes and returns
// the wallets' balances before and after, and the campaigns' money once
// the run is done.
func runPreflight(cfg Config, p *plan.Plan, g *graph, st *state, changes map[string]*Change) ([]WalletBalance, []CampaignTotals) {
	pf := &preflight{cfg: cfg, g: g, st: st, changes: changes, bal: map[string]int64{}, cur: map[string]string{},
		fees: map[string]int64{}, credit: map[string]int64{}, refund: map[string]int64{}, root: map[string]string{}}
	var before []WalletBalance
	for _, s := range g.order {
		if s.Kind == plan.KindWallet {
			wb := pf.openWallet(p, s)
			before = append(before, wb)
		}
	}
	for c, v := range st.fees {
		pf.fees[c] = v
	}
	feesBefore := map[string]int64{}
	for c, v := range pf.fees {
		feesBefore[c] = v
	}
	for _, s := range g.order {
		pf.step(s)
	}
	for i := range before {
		before[i].After = pf.bal[before[i].Key]
	}
	for _, c := range sortedKeys(pf.fees) {
		before = append(before, WalletBalance{Key: "FEES_" + c, ID: "FEES_" + c, Currency: c,
			Before: feesBefore[c], After: pf.fees[c]})
	}
	return before, pf.money()
}

// money totals the campaigns as the run will leave them: the steps it
// writes succeeded, a step it blocks failed (its dependants skipped),
// existing steps as MANGOPAY holds them.
func (pf *preflight) money() []CampaignTotals {
	mt := newMoneyTotals()
	for _, s := range pf.g.order {
		if s.Campaign == "" || !isMoney(s.Kind) {
			continue
		}
		ch, ph := pf.changes[s.Key], PhaseNone
		switch f := pf.st.found[s.Key]; {
		case ch.Action == Blocked && pf.root[s.Key] == s.Key:
			ph = PhaseFailed
		case ch.Action == Blocked:
		case runs(ch.Action):
			ph = PhaseDone
		case f != nil && f.Exists:
			ph = phaseOf("", f.Status)
		}
		mt.Add(movementOf(s, ph))
	}
	return mt.campaigns()
}

// openWallet reads a wallet's starting balance and currency.
func (pf *preflight) openWallet(p *plan.Plan, s *plan.Step) WalletBalance {
	wb := WalletBalance{Key: s.Key, Currency: p.Currency}
	if s.Wallet != nil && s.Wallet.Currency != "" {
		wb.Currency = s.Wallet.Currency
	}
	if f := pf.st.found[s.Key]; f != nil && f.Exists {
		wb.ID, wb.Before, wb.Currency = f.ID, f.Balance, f.Currency
	}
	pf.bal[s.Key], pf.cur[s.Key] = wb.Before, wb.Currency
	return wb
}

// runs reports whether the step will make writes in this run.
func runs(a Action) bool { return a == Create || a == Update || a == InDoubt }

// step blocks s if a dependency is blocked or its own check fails, and
// otherwise applies its effect on the balances.
func (pf *preflight) step(s *plan.Step) {
	ch := pf.changes[s.Key]
	for _, d := range pf.g.deps(s.Key) {
		if r, ok := pf.root[d]; ok {
			pf.block(ch, r, "upstream blocked: "+r)
			return
		}
	}
	if ch.Action == Blocked {
		pf.root[s.Key] = s.Key
		return
	}
	f := pf.st.found[s.Key]
	if !runs(ch.Action) {
		pf.settled(s, f)
		return
	}
	if reason := pf.check(s); reason != "" {
		pf.block(ch, s.Key, reason)
		return
	}
	pf.apply(s, s.Amount, s.Fees)
}

// block marks a change blocked with root as its root cause.
func (pf *preflight) block(ch *Change, root, reason string) {
	ch.Action, ch.Reason, ch.Calls = Blocked, reason, 0
	pf.root[ch.Step.Key] = root
}

// settled records what an existing transaction means for the replay: its
// CreditedFunds and refunds (for later refund caps) and, for a kind whose
// CREATED transactions MANGOPAY processes later (a payout), the movement
// it makes then.
func (pf *preflight) settled(s *plan.Step, f *found) {
	if f == nil || !f.Exists || !isMoney(s.Kind) {
		return
	}
	pf.credit[s.Key], pf.refund[s.Key] = f.Credited, f.Refunded
	if k, _ := moneyOf(s.Kind); k.processedLater && f.Status == mangopay.StatusCreated {
		pf.move(s, f.Currency, f.Debited, f.Fees)
	}
}

// apply moves money as a SUCCEEDED transaction of the step would.
func (pf *preflight) apply(s *plan.Step, amount, fees int64) {
	if !isMoney(s.Kind) {
		return
	}
	pf.move(s, s.Currency, amount, fees)
	pf.credit[s.Key] = amount - fees
	if s.Original != "" {
		pf.refund[s.Original] += amount
	}
}

// move debits amount from the wallet s debits, credits amount − fees to
// the one it credits (see moneyKind) and fees to FEES_<currency>.
func (pf *preflight) move(s *plan.Step, currency string, amount, fees int64) {
	debited, credited := walletsOf(s)
	if debited != "" {
		pf.bal[debited] -= amount
	}
	if credited != "" {
		pf.bal[credited] += amount - fees
	}
	pf.fees[currency] += fees
}

// check returns why the step would fail, or "": its kind's check.
func (pf *preflight) check(s *plan.Step) string {
	if k := kindOf(s.Kind); k != nil && k.check != nil {
		return k.check(pf, s)
	}
	return ""
}

// sandboxTarget reports a target whose KYC verdicts follow document Tags
// and which accepts raw test card numbers.
func sandboxTarget(target string) bool {
	return target == "" || target == "embedded" || target == "sandbox"
}

// checkMove checks transfers and refunds: currencies, refundable rest,
// the debited wallet's balance and, for refunds handing fees back, the
// FEES wallet.
func (pf *preflight) checkMove(s *plan.Step) string {
	if reason := pf.walletCurrency(s, string(s.Kind)); reason != "" {
		return reason
	}
	if s.Original != "" {
		rest := pf.credit[s.Original] - pf.refund[s.Original]
		if s.Amount > rest {
			return fmt.Sprintf("refund above the refundable rest: %s of %s, %s refundable", FormatMoney(s.Amount, s.Currency),
				s.Original, FormatMoney(rest, s.Currency))
		}
	}
	if reason := pf.shortBalance(s); reason != "" {
		return reason
	}
	if s.Fees < 0 && pf.fees[s.Currency] < -s.Fees {
		return fmt.Sprintf("FEES_%s holds %s, cannot hand back %s", s.Currency,
			FormatMoney(pf.fees[s.Currency], s.Currency), FormatMoney(-s.Fees, s.Currency))
	}
	return ""
}

// walletCurrency returns why the wallets s debits and credits (walletsOf)
// cannot take its money: one holds another currency than the step's
// (noun names the step in the reason), or "".
func (pf *preflight) walletCurrency(s *plan.Step, noun string) string {
	debited, credited := walletsOf(s)
	for _, w := range []string{debited, credited} {
		if c := pf.cur[w]; w != "" && c != "" && c != s.Currency {
			return fmt.Sprintf("currency mismatch: wallet %s is %s, %s is %s", w, c, noun, s.Currency)
		}
	}
	return ""
}

// shortBalance returns why the wallet s debits (walletsOf) cannot pay its
// amount as the replay stands, or "".
func (pf *preflight) shortBalance(s *plan.Step) string {
	if debited, _ := walletsOf(s); debited != "" && pf.bal[debited] < s.Amount {
		return fmt.Sprintf("short balance: wallet %s holds %s, needs %s", debited,
			FormatMoney(pf.bal[debited], s.Currency), FormatMoney(s.Amount, s.Currency))
	}
	return ""
}
