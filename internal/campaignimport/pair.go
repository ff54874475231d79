package campaignimport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"settle/mangopay"
)

// payers reads the contributors' users: one GET each, or the whole user
// list when its pages are fewer than the users to read (a first page tells
// how many there are). A CLOSED payer is an input error: its wallet is
// closed, and nothing can be refunded to it.
func (r *reader) payers(ctx context.Context) error {
	var want []string
	seen := map[string]bool{}
	for _, c := range r.src.Contributions {
		if id := c.Transfer.AuthorId; !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return nil
	}
	r.expect(1)
	first, err := r.c.Users.ListPage(ctx, &mangopay.ListOptions{Page: 1, PerPage: mangopay.MaxPerPage})
	r.call()
	if err != nil {
		return fmt.Errorf("listing users: %w", err)
	}
	r.keepUsers(first.Items, seen)
	if first.TotalPages > 0 && first.TotalPages-1 <= len(want)-len(r.src.Payers) {
		r.expect(first.TotalPages - 1)
		for p := 2; p <= first.TotalPages; p++ {
			page, err := r.c.Users.ListPage(ctx, &mangopay.ListOptions{Page: p, PerPage: mangopay.MaxPerPage})
			r.call()
			if err != nil {
				return fmt.Errorf("listing users: %w", err)
			}
			r.keepUsers(page.Items, seen)
		}
	}
	return r.payersByID(ctx, want)
}

// keepUsers keeps the users of items that are payers.
func (r *reader) keepUsers(items []mangopay.UserSummary, payers map[string]bool) {
	for _, u := range items {
		if payers[u.Id] {
			r.src.Payers[u.Id] = u
		}
	}
}

// payersByID GETs the payers the user list did not give, and checks that
// none is closed.
func (r *reader) payersByID(ctx context.Context, want []string) error {
	var missing []string
	for _, id := range want {
		if _, ok := r.src.Payers[id]; !ok {
			missing = append(missing, id)
		}
	}
	r.expect(len(missing))
	err := each(ctx, missing, func(ctx context.Context, id string) error {
		u, err := r.c.Users.Get(ctx, id)
		r.call()
		if errors.Is(err, mangopay.ErrNotFound) {
			return inputErrorf("contributor %s (%s) not found on MANGOPAY: its wallet was closed", id, r.transferOf(id))
		}
		if err != nil {
			return fmt.Errorf("reading contributor %s: %w", id, err)
		}
		r.mu.Lock()
		r.src.Payers[id] = u.Summary()
		r.mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range want {
		if r.src.Payers[id].UserStatus == "CLOSED" {
			return inputErrorf("transfer %s was debited from a wallet of %s, whose account is CLOSED: its wallet was closed, so nothing can be refunded to it",
				r.transferOf(id), id)
		}
	}
	return nil
}

// transferOf names the first contribution of payer id, for messages.
func (r *reader) transferOf(id string) string {
	for _, c := range r.src.Contributions {
		if c.Transfer.AuthorId == id {
			return "transfer " + c.Transfer.Id
		}
	}
	return ""
}

// payerWallets lists the transactions of every contributor wallet (100
// per page) and pairs each contribution with the pay-in that funded it.
func (r *reader) payerWallets(ctx context.Context) error {
	r.src.byWallet = map[string][]*Contribution{}
	var order []string
	for _, c := range r.src.Contributions {
		w := string(c.Transfer.DebitedWalletId)
		if r.src.byWallet[w] == nil {
			order = append(order, w)
		}
		r.src.byWallet[w] = append(r.src.byWallet[w], c)
	}
	r.expect(len(order))
	return each(ctx, order, func(ctx context.Context, w string) error {
		txs, err := pages(ctx, r, func(ctx context.Context, o *mangopay.ListOptions) (*mangopay.Page[mangopay.Transaction], error) {
			return r.c.Transactions.ListByWalletPage(ctx, w, o)
		})
		if errors.Is(err, mangopay.ErrNotFound) {
			return inputErrorf("transfer %s was debited from wallet %s, which is closed (not found on MANGOPAY): nothing can be refunded to it",
				r.src.byWallet[w][0].Transfer.Id, w)
		}
		if err != nil {
			return fmt.Errorf("reading the transactions of wallet %s: %w", w, err)
		}
		pair(r.src.byWallet[w], payInsOf(w, txs))
		return nil
	})
}

// payInsOf keeps the SUCCEEDED pay-ins credited to wallet w.
func payInsOf(w string, txs []mangopay.Transaction) []mangopay.Transaction {
	var out []mangopay.Transaction
	for _, t := range txs {
		if t.Type == "PAYIN" && t.Nature == "REGULAR" && t.Status == mangopay.StatusSucceeded && string(t.CreditedWalletId) == w {
			out = append(out, t)
		}
	}
	return out
}

// pair pairs the contributions of one wallet with its pay-ins. A pay-in
// can have funded a contribution when it credited the wallet exactly the
// amount the transfer debited, no later than the transfer. A contribution
// is paired when exactly one pay-in can have funded it and that pay-in
// can have funded no other contribution of the wallet: each pay-in is
// used once, and a pairing that is a guess is not made. Otherwise the
// candidates are kept, to be said in the plan.
func pair(contribs []*Contribution, payins []mangopay.Transaction) {
	byTime := func(a, b mangopay.Transaction) int {
		return cmp.Or(cmp.Compare(a.CreationDate, b.CreationDate), cmp.Compare(a.Id, b.Id))
	}
	slices.SortFunc(payins, byTime)
	cands := make([][]int, len(contribs))
	uses := make([]int, len(payins))
	for i, c := range contribs {
		for j, p := range payins {
			if p.CreditedFunds.Amount == c.Transfer.DebitedFunds.Amount && p.CreationDate <= c.Transfer.CreationDate {
				cands[i] = append(cands[i], j)
				uses[j]++
			}
		}
	}
	for i, c := range contribs {
		if len(cands[i]) == 1 && uses[cands[i][0]] == 1 {
			p := payins[cands[i][0]]
			c.PayIn = &p
			continue
		}
		for _, j := range cands[i] {
			c.Candidates = append(c.Candidates, payins[j].Id)
		}
	}
}

// refundsElsewhere attributes each transfer refund to its contribution:
// by its Tag for the plan's own refund steps, else by reading it (list
// items do not say which transfer a refund refunds).
func (r *reader) refundsElsewhere(ctx context.Context) error {
	byID := map[string]*Contribution{}
	for _, c := range r.src.Contributions {
		byID[c.Transfer.Id] = c
	}
	for _, t := range r.src.refunds {
		if r.src.byTag[string(t.Tag)] == nil {
			r.expect(1)
		}
	}
	for _, t := range r.src.refunds {
		if c := r.src.byTag[string(t.Tag)]; c != nil {
			c.Refunds = append(c.Refunds, RefundOf{ID: t.Id, Amount: t.DebitedFunds.Amount, Own: true})
			continue
		}
		rf, err := r.c.Refunds.Get(ctx, t.Id)
		r.call()
		if err != nil {
			return fmt.Errorf("reading refund %s: %w", t.Id, err)
		}
		c := byID[rf.InitialTransactionId]
		if c == nil {
			r.src.Other = append(r.src.Other, t)
			continue
		}
		c.Refunds = append(c.Refunds, RefundOf{ID: t.Id, Amount: t.DebitedFunds.Amount})
	}
	return nil
}

// cardCheck reads every paired pay-in to learn whether it is a card pay-in
// (list items do not carry the payment type), when asked.
func (r *reader) cardCheck(ctx context.Context) error {
	if !r.o.CardCheck {
		return nil
	}
	var paired []*Contribution
	for _, c := range r.src.Contributions {
		if c.PayIn != nil {
			paired = append(paired, c)
		}
	}
	r.expect(len(paired))
	return each(ctx, paired, func(ctx context.Context, c *Contribution) error {
		p, err := r.c.PayIns.Get(ctx, c.PayIn.Id)
		r.call()
		if err != nil {
			return fmt.Errorf("reading pay-in %s: %w", c.PayIn.Id, err)
		}
		c.CardPayIn, c.PayInType = p.PaymentType == "CARD", p.PaymentType+" "+p.ExecutionType
		return nil
	})
}
