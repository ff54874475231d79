package executor

import (
	"context"
	"fmt"
	"slices"

	"settle/mangopay"
	"settle/plan"
)

// What the journal says is final is not read again (unless
// Config.Refresh): a step whose latest record is a success with an Id and
// a final status (a movement SUCCEEDED, a document VALIDATED, an object
// made) is taken from the journal, through its kind's row like any other,
// except the objects a step still to read depends on (a card a pay-in
// still needs, a wallet a transfer still debits: their live state decides
// the pre-flight) and a user whose declared fields changed since they were
// sent (the kind's sent hash). What settle cannot see this way, something
// done behind its back, shows in the campaigns' wallets: each project
// wallet is read (one GET) and compared with the balance the journal (and
// the movements read live) imply, ExpectedBalances; a campaign whose
// wallet disagrees is read in full. On a resume, an object final in the
// journal whose unfinished dependants need only its Id (a user, her
// wallet for a card) is not read either: only what the unfinished steps'
// pre-flight checks is (stepKind.checked).

// finalStatus reports whether a journalled status never changes.
func finalStatus(status string) bool {
	return status == "" || status == mangopay.StatusSucceeded || status == "VALIDATED"
}

// final reports whether the journal's history of a managed step is a
// final outcome its kind lets the reading trust.
func final(s *plan.Step, h *StepHistory) bool {
	k := kindOf(s.Kind)
	if k == nil || h == nil || h.ID == "" || s.AdoptedID != "" || h.Last.State != StateSucceeded {
		return false
	}
	if k.money != nil && h.Last.Status != mangopay.StatusSucceeded || !finalStatus(h.Last.Status) {
		return false
	}
	return k.sent == nil || k.sent(s) == h.Sent
}

// trustable returns the steps whose outcome the journal holds as final,
// less what the pre-flight of a step still to read checks live
// (checkersOf): the wallets a movement debits or credits (their balances)
// and the objects its kind's row says it checks (a pay-in's card). An
// object a step still to read only needs the Id of (a user, the wallet a
// card is for) stays trusted: the journal holds its Id.
func (r *reader) trustable() map[string]bool {
	done := map[string]bool{}
	for _, s := range r.g.order {
		done[s.Key] = final(s, r.hist[s.Key])
	}
	trust := map[string]bool{}
	for key, ok := range done {
		if ok && !slices.ContainsFunc(r.checkers[key], func(c *plan.Step) bool { return !done[c.Key] }) {
			trust[key] = true
		}
	}
	return trust
}

// assume records the trusted steps as the journal describes them; a
// wallet holds the balance the journal implies.
func (r *reader) assume(trust map[string]bool, recs []Record) {
	balances := ExpectedBalances(recs, r.g.order)
	for key := range trust {
		s, h := r.g.byKey[key], r.hist[key]
		rec := h.Last
		f := takenAsMade(s, h.ID)
		f.Status, f.ResultCode, f.ResultMessage = rec.Status, rec.ResultCode, rec.ResultMessage
		if isMoney(s.Kind) {
			fees := s.Fees
			if rec.Fees != nil {
				fees = *rec.Fees
			}
			cur := rec.Currency
			if cur == "" {
				cur = s.Currency
			}
			f.Debited, f.Fees, f.Credited, f.Currency = rec.Amount, fees, rec.Amount-fees, cur
			f.Drift = moneyDrift(s, &mangopay.Transaction{DebitedFunds: mangopay.Money{Currency: cur, Amount: rec.Amount},
				Fees: mangopay.Money{Currency: cur, Amount: fees}})
		}
		if s.Kind == plan.KindWallet {
			f.Balance = balances[key]
		}
		r.st.found[key] = f
	}
}

// liveRecords describes, as journal records, the movements read from
// MANGOPAY (not trusted, not adopted): what the wallets hold beyond the
// journal's final steps. Their State is "", a step that exists and that
// this run did not write: phaseOf reads where it stands from its Status.
func (r *reader) liveRecords(trust map[string]bool) []Record {
	var out []Record
	for _, s := range r.g.order {
		f := r.st.found[s.Key]
		if trust[s.Key] || !isMoney(s.Kind) || s.AdoptedID != "" || f == nil || !f.Exists {
			continue
		}
		fees := f.Fees
		out = append(out, Record{Step: s.Key, Kind: string(s.Kind), Campaign: s.Campaign,
			Status: f.Status, ID: f.ID, Amount: f.Debited, Fees: &fees, Currency: f.Currency})
	}
	return out
}

// checkCampaigns reads every campaign's project wallet that the journal
// was trusted for (one GET; a wallet read live already is not read again)
// and returns the campaigns whose balance is not what the journal and the
// movements read live imply, and those whose wallet settle cannot know
// the balance of (adopted), in key order.
func (r *reader) checkCampaigns(ctx context.Context, trust map[string]bool, recs []Record) ([]string, error) {
	expected := ExpectedBalances(append(append([]Record(nil), recs...), r.liveRecords(trust)...), r.g.order)
	trusting := map[string]bool{}
	for key := range trust {
		if c := r.g.byKey[key].Campaign; c != "" {
			trusting[c] = true
		}
	}
	var again []string
	for _, c := range sortedKeys(trusting) {
		wk := plan.StepKey(plan.KindWallet, r.p.Campaigns[c].Wallet)
		f := r.st.found[wk]
		want, managed := expected[wk]
		if !managed || f == nil || !f.Exists {
			again = append(again, c)
			continue
		}
		if trust[wk] {
			r.count(1)
			w, err := r.c.Wallets.Get(ctx, f.ID)
			if err != nil && !isNotFound(err) {
				return nil, fmt.Errorf("executor: checking %s: %w", wk, err)
			}
			if err != nil {
				again = append(again, c)
				continue
			}
			f.Balance = w.Balance.Amount
		}
		if f.Balance != want {
			again = append(again, c)
		}
	}
	return again, nil
}

// distrust takes the campaigns' steps, and the objects they depend on, out
// of trust and out of what was found, and returns them in reading order.
func (r *reader) distrust(trust map[string]bool, campaigns []string) []*plan.Step {
	in := map[string]bool{}
	for _, c := range campaigns {
		in[c] = true
	}
	again := map[string]bool{}
	var walk func(key string)
	walk = func(key string) {
		if !trust[key] {
			return
		}
		delete(trust, key)
		delete(r.st.found, key)
		again[key] = true
		for _, d := range r.g.deps(key) {
			walk(d)
		}
	}
	for _, s := range r.g.order {
		if in[s.Campaign] {
			walk(s.Key)
		}
	}
	var out []*plan.Step
	for _, s := range r.g.order {
		if again[s.Key] {
			out = append(out, s)
		}
	}
	return out
}
