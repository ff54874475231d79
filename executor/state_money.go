package executor

import (
	"context"
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// searchWallet is the wallet step whose transaction list holds a money
// step's transaction, and whether payouts alone need listing there.
func searchWallet(s *plan.Step) (key string, payoutsOnly bool) {
	switch s.Kind {
	case plan.KindPayIn:
		return s.Credited, false
	case plan.KindTransfer, plan.KindPayInRefund:
		return s.Debited, false
	case plan.KindTransferRefund:
		if s.Credited != "" {
			return s.Credited, false
		}
		return s.Debited, false
	}
	return s.Debited, true
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
		if s.Kind != plan.KindTransferRefund && s.Kind != plan.KindPayInRefund || s.Original == "" {
			continue
		}
		orig := r.st.found[s.Original]
		if orig == nil || !orig.Exists {
			continue
		}
		if os := r.g.byKey[s.Original]; os != nil && os.AdoptedID != "" {
			if !listed[s.Original] {
				listed[s.Original] = true
				if err := r.listRefunds(ctx, os, orig); err != nil {
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

// listRefunds sums the SUCCEEDED refunds of an adopted transaction.
func (r *reader) listRefunds(ctx context.Context, s *plan.Step, orig *found) error {
	seq := r.c.Transfers.Refunds(ctx, orig.ID, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	if s.Kind == plan.KindPayIn {
		seq = r.c.PayIns.Refunds(ctx, orig.ID, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	}
	n, err := countPages(seq, func(rf mangopay.Refund) {
		if rf.Status == mangopay.StatusSucceeded {
			orig.Refunded += rf.DebitedFunds.Amount
		}
	})
	r.count(n)
	return err
}

// walletDescription is the Description a managed wallet is created with:
// MANGOPAY requires one, so a plan without it gets its key.
func walletDescription(s *plan.Step) string {
	if s.Wallet != nil && s.Wallet.Description != "" {
		return s.Wallet.Description
	}
	return "settle wallet " + strings.TrimPrefix(s.Key, string(plan.KindWallet)+"/")
}

// userDrift lists the declared user fields MANGOPAY disagrees with. Only
// declared (non-empty) fields are compared.
func userDrift(u *mangopay.User, d *plan.User) []string {
	if d == nil {
		return nil
	}
	var out []string
	cmp := func(field, plan, mp string) {
		if plan != "" && plan != mp {
			out = append(out, fmt.Sprintf("%s: plan %q, MANGOPAY %q", field, plan, mp))
		}
	}
	if n := u.Natural; n != nil {
		cmp("Email", d.Email, n.Email)
		cmp("FirstName", d.FirstName, n.FirstName)
		cmp("LastName", d.LastName, n.LastName)
		cmp("Nationality", d.Nationality, string(n.Nationality))
		cmp("CountryOfResidence", d.CountryOfResidence, string(n.CountryOfResidence))
	}
	if l := u.Legal; l != nil {
		cmp("Email", d.Email, l.Email)
		cmp("Name", d.Name, l.Name)
		cmp("CompanyNumber", d.CompanyNumber, string(l.CompanyNumber))
	}
	if cat := u.Summary().UserCategory; d.Category != "" && !strings.EqualFold(d.Category, cat) {
		out = append(out, fmt.Sprintf("UserCategory: plan %s, MANGOPAY %s", d.Category, cat))
	}
	return out
}
