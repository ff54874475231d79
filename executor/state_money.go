package executor

import (
	"context"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// searchWallet is the wallet step whose transaction list holds a money
// step's transaction, and whether payouts alone need listing there: its
// kind's search, else the wallet it takes money from (or, taken from a
// card, the one it credits), where only the kind's own transactions need
// listing when MANGOPAY processes them later (payouts).
func searchWallet(s *plan.Step) (key string, payoutsOnly bool) {
	if k := kindOf(s.Kind); k != nil && k.search != nil {
		return k.search(s)
	}
	row, _ := moneyOf(s.Kind)
	return ownWallet(s), row.processedLater
}

// prefetchMoney is the prefetch of a movement: its wallet's transactions,
// once the wallet exists.
func (r *reader) prefetchMoney(s *plan.Step) (string, func(context.Context) error) {
	wk, payoutsOnly := searchWallet(s)
	wid := r.idOf(wk)
	if wid == "" {
		return "", nil
	}
	return "tx:" + wid, func(ctx context.Context) error {
		_, err := r.walletTransactions(ctx, wid, payoutsOnly)
		return err
	}
}

// walletTransactions lists a wallet's transactions once: all of them, or
// its regular payouts only when nothing else is searched there.
func (r *reader) walletTransactions(ctx context.Context, walletID string, payoutsOnly bool) ([]mangopay.Transaction, error) {
	r.mu.Lock()
	v, ok := r.lists["tx:"+walletID]
	r.mu.Unlock()
	if ok {
		return v.([]mangopay.Transaction), nil
	}
	if !payoutsOnly || r.needsAllTransactions(walletID) {
		return cached(r, "tx:"+walletID, func() func(func(mangopay.Transaction, error) bool) {
			return r.c.Transactions.ListByWallet(ctx, walletID, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
		})
	}
	return cached(r, "payouts:"+walletID, func() func(func(mangopay.Transaction, error) bool) {
		return r.c.Transactions.ListByWallet(ctx, walletID, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage,
			Type: []string{"PAYOUT"}, Nature: []string{"REGULAR"}})
	})
}

// needsAllTransactions reports whether a non-payout step searches walletID.
func (r *reader) needsAllTransactions(walletID string) bool {
	for _, s := range r.g.order {
		if !isMoney(s.Kind) || s.AdoptedID != "" {
			continue
		}
		if k, po := searchWallet(s); !po && r.idOf(k) == walletID {
			return true
		}
	}
	return false
}

// readMoney finds a managed money step's transaction by Tag in its
// wallet's transactions: a SUCCEEDED or CREATED one wins over FAILED ones,
// which are counted (they make the step's key generation).
func (r *reader) readMoney(ctx context.Context, s *plan.Step) error {
	wk, payoutsOnly := searchWallet(s)
	wid := r.idOf(wk)
	if wid == "" {
		return nil
	}
	txs, err := r.walletTransactions(ctx, wid, payoutsOnly)
	if err != nil {
		return err
	}
	var best *mangopay.Transaction
	failed, live := 0, 0
	for i := range txs {
		t := &txs[i]
		if string(t.Tag) != s.Tag || s.Tag == "" {
			continue
		}
		if t.Status == mangopay.StatusFailed {
			failed++
			if best == nil {
				best = t
			}
			continue
		}
		live++
		if best == nil || best.Status == mangopay.StatusFailed {
			best = t
		}
	}
	if best == nil {
		return nil
	}
	f := txFound(best)
	f.Failed, f.Dups = failed, max(0, live-1)
	if best.Status != mangopay.StatusFailed {
		f.Drift = moneyDrift(s, best)
	}
	r.setFound(s.Key, f)
	return nil
}

// moneyDrift lists how a movement found under a step's Tag differs from
// the step (the plan was edited after it was made): its amount, fees or
// currency.
func moneyDrift(s *plan.Step, t *mangopay.Transaction) []string {
	var out []string
	if t.DebitedFunds.Amount != s.Amount {
		out = append(out, fmt.Sprintf("Amount: plan %d, MANGOPAY %d", s.Amount, t.DebitedFunds.Amount))
	}
	if t.Fees.Amount != s.Fees {
		out = append(out, fmt.Sprintf("Fees: plan %d, MANGOPAY %d", s.Fees, t.Fees.Amount))
	}
	if s.Currency != "" && t.DebitedFunds.Currency != s.Currency {
		out = append(out, fmt.Sprintf("Currency: plan %s, MANGOPAY %s", s.Currency, t.DebitedFunds.Currency))
	}
	return out
}

// readRefunded sums, for every transaction a refund step refunds, what was
// already refunded: for adopted originals from MANGOPAY's refund list of
// that transaction (refunds made outside settle included), for managed
// ones from the refund steps found by Tag.
func (r *reader) readRefunded(ctx context.Context) error {
	listed := map[string]bool{}
	for _, s := range r.g.order {
		if !isMoney(s.Kind) || s.Original == "" { // not a refund
			continue
		}
		orig := r.st.found[s.Original]
		if orig == nil || !orig.Exists {
			continue
		}
		if os := r.g.byKey[s.Original]; os != nil && os.AdoptedID != "" {
			if !listed[s.Original] {
				listed[s.Original] = true
				if err := r.listRefunds(ctx, s, orig); err != nil {
					return fmt.Errorf("executor: refunds of %s: %w", s.Original, err)
				}
			}
			continue
		}
		if f := r.st.found[s.Key]; f != nil && f.Exists && f.Status == mangopay.StatusSucceeded {
			orig.Refunded += f.Debited
		}
	}
	return nil
}

// listRefunds sums the SUCCEEDED refunds of the adopted transaction a
// refund step refunds, listed as its kind says.
func (r *reader) listRefunds(ctx context.Context, s *plan.Step, orig *found) error {
	k := kindOf(s.Kind)
	if k == nil || k.refunds == nil {
		return nil // not a refund
	}
	seq := k.refunds(r.c)(ctx, orig.ID, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	n, err := countPages(seq, func(rf mangopay.Refund) {
		if rf.Status == mangopay.StatusSucceeded {
			orig.Refunded += rf.DebitedFunds.Amount
		}
	})
	r.count(n)
	return err
}

// adoptedTx returns the get of a money kind: an adopted transaction by
// its Id, with get, and the drift of its amount from the step's.
func adoptedTx(get func(*mangopay.Client, context.Context, string) (*mangopay.Transaction, error)) func(*reader, context.Context, *plan.Step) (*found, error) {
	return func(r *reader, ctx context.Context, s *plan.Step) (*found, error) {
		t, err := get(r.c, ctx, s.AdoptedID)
		if err != nil {
			return nil, err
		}
		f := txFound(t)
		if s.Amount != 0 && t.DebitedFunds.Amount != s.Amount {
			f.Drift = append(f.Drift, fmt.Sprintf("Amount: plan %d, MANGOPAY %d", s.Amount, t.DebitedFunds.Amount))
		}
		return f, nil
	}
}

// txFound describes a transaction.
func txFound(t *mangopay.Transaction) *found {
	return &found{ID: t.Id, Exists: true, Status: t.Status, ResultCode: string(t.ResultCode),
		ResultMessage: string(t.ResultMessage), Currency: t.DebitedFunds.Currency, Debited: t.DebitedFunds.Amount,
		Credited: t.CreditedFunds.Amount, Fees: t.Fees.Amount, Created: t.CreationDate}
}
