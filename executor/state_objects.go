package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// cached returns the list stored under key, listing it with fill the
// first time.
func cached[T any](r *reader, key string, fill func() func(func(T, error) bool)) ([]T, error) {
	r.mu.Lock()
	v, ok := r.lists[key]
	r.mu.Unlock()
	if ok {
		return v.([]T), nil
	}
	var items []T
	n, err := countPages(fill(), func(it T) { items = append(items, it) })
	r.count(n)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.lists[key] = items
	r.mu.Unlock()
	return items, nil
}

// userList lists one kind of a user's objects (cached), for prefetching.
func (r *reader) userList(ctx context.Context, kind plan.Kind, owner string) (any, error) {
	switch kind {
	case plan.KindWallet:
		return r.userWallets(ctx, owner)
	case plan.KindBankAccount:
		return r.userBankAccounts(ctx, owner)
	case plan.KindKYC:
		return r.userKYC(ctx, owner)
	case plan.KindCard:
		return r.userCards(ctx, owner)
	}
	return nil, nil
}

func (r *reader) userWallets(ctx context.Context, owner string) ([]mangopay.Wallet, error) {
	return cached(r, string(plan.KindWallet)+":"+owner, func() func(func(mangopay.Wallet, error) bool) {
		return r.c.Wallets.ListByUser(ctx, owner, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	})
}

func (r *reader) userBankAccounts(ctx context.Context, owner string) ([]mangopay.BankAccount, error) {
	return cached(r, string(plan.KindBankAccount)+":"+owner, func() func(func(mangopay.BankAccount, error) bool) {
		return r.c.BankAccounts.ListByUser(ctx, owner, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	})
}

func (r *reader) userKYC(ctx context.Context, owner string) ([]mangopay.KYCDocument, error) {
	return cached(r, string(plan.KindKYC)+":"+owner, func() func(func(mangopay.KYCDocument, error) bool) {
		return r.c.KYC.ListByUser(ctx, owner, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	})
}

func (r *reader) userCards(ctx context.Context, owner string) ([]mangopay.Card, error) {
	return cached(r, string(plan.KindCard)+":"+owner, func() func(func(mangopay.Card, error) bool) {
		return r.c.Cards.ListByUser(ctx, owner, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	})
}

// pick chooses, among objects, the one with the journalled Id, else those
// carrying tag; it returns the index of the pick (-1 if none) and how
// many carry the tag.
func pick[T any](items []T, jid, tag string, id func(T) string, tagOf func(T) string) (int, int) {
	best, n := -1, 0
	for i, it := range items {
		if jid != "" && id(it) == jid {
			return i, 1
		}
		if tag != "" && tagOf(it) == tag {
			n++
			if best < 0 {
				best = i
			}
		}
	}
	return best, n
}

// readWallet finds a managed wallet in its owner's wallets.
func (r *reader) readWallet(ctx context.Context, s *plan.Step) error {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return nil
	}
	ws, err := r.userWallets(ctx, owner)
	if err != nil {
		return err
	}
	i, n := pick(ws, r.journalID(s.Key), s.Tag, func(w mangopay.Wallet) string { return w.Id },
		func(w mangopay.Wallet) string { return string(w.Tag) })
	if i >= 0 {
		r.setFound(s.Key, walletFound(&ws[i], s, n))
	}
	return nil
}

// walletFound describes a wallet and its drift.
func walletFound(w *mangopay.Wallet, s *plan.Step, tagged int) *found {
	f := &found{ID: w.Id, Exists: true, Balance: w.Balance.Amount, Currency: w.Currency,
		Created: w.CreationDate, Dups: max(0, tagged-1)}
	if d := s.Wallet; d != nil {
		if want := walletDescription(s); d.Description != "" && want != w.Description {
			f.Drift = append(f.Drift, fmt.Sprintf("Description: plan %q, MANGOPAY %q", want, w.Description))
		}
		if d.Currency != "" && d.Currency != w.Currency {
			f.Drift = append(f.Drift, fmt.Sprintf("Currency: plan %s, MANGOPAY %s", d.Currency, w.Currency))
		}
	}
	return f
}

// readBankAccount finds a managed IBAN account in its owner's accounts.
func (r *reader) readBankAccount(ctx context.Context, s *plan.Step) error {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return nil
	}
	bas, err := r.userBankAccounts(ctx, owner)
	if err != nil {
		return err
	}
	i, n := pick(bas, r.journalID(s.Key), s.Tag, func(b mangopay.BankAccount) string { return b.Id },
		func(b mangopay.BankAccount) string { return string(b.Tag) })
	if i >= 0 {
		r.setFound(s.Key, bankFound(&bas[i], s, n))
	}
	return nil
}

// bankFound describes a bank account; IBANs appear masked in drift.
func bankFound(b *mangopay.BankAccount, s *plan.Step, tagged int) *found {
	f := &found{ID: b.Id, Exists: true, Active: b.Active, Created: b.CreationDate, Dups: max(0, tagged-1)}
	if d := s.BankAccountSpec; d != nil && d.IBAN != "" {
		want := strings.ReplaceAll(strings.ToUpper(d.IBAN), " ", "")
		if want != strings.ToUpper(b.IBAN) {
			f.Drift = append(f.Drift, fmt.Sprintf("IBAN: plan %s, MANGOPAY %s", MaskIBAN(want), MaskIBAN(b.IBAN)))
		}
	}
	return f
}

// readKYC finds a managed KYC document among its user's documents: by
// journalled Id, else by Tag when the Tag is settle's, else (sandbox
// outcome tags) the latest document of the same type and Tag.
func (r *reader) readKYC(ctx context.Context, s *plan.Step) error {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return nil
	}
	docs, err := r.userKYC(ctx, owner)
	if err != nil {
		return err
	}
	jid := r.journalID(s.Key)
	best := -1
	for i, d := range docs {
		if jid != "" && d.Id == jid {
			best = i
			break
		}
		if jid == "" && s.KYC != nil && d.Type == s.KYC.Type && string(d.Tag) == s.Tag &&
			(best < 0 || d.CreationDate >= docs[best].CreationDate) {
			best = i
		}
	}
	if best >= 0 {
		d := docs[best]
		r.setFound(s.Key, &found{ID: d.Id, Exists: true, Status: d.Status, Created: d.CreationDate,
			ResultCode: string(d.RefusedReasonType), ResultMessage: string(d.RefusedReasonMessage)})
	}
	return nil
}

// readCard finds a managed card among its user's cards (a card inherits
// its registration's Tag).
func (r *reader) readCard(ctx context.Context, s *plan.Step) error {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return nil
	}
	cards, err := r.userCards(ctx, owner)
	if err != nil {
		return err
	}
	i, n := pick(cards, r.journalID(s.Key), s.Tag, func(c mangopay.Card) string { return c.Id },
		func(c mangopay.Card) string { return string(c.Tag) })
	if i >= 0 {
		r.setFound(s.Key, cardFound(&cards[i], n))
	}
	return nil
}

func cardFound(c *mangopay.Card, tagged int) *found {
	return &found{ID: c.Id, Exists: true, Active: c.Active, Validity: c.Validity, Currency: c.Currency,
		Created: c.CreationDate, Dups: max(0, tagged-1)}
}

// readAdopted reads an adopted object by its Id.
func (r *reader) readAdopted(ctx context.Context, s *plan.Step) error {
	r.count(1)
	f, err := r.getAdopted(ctx, s)
	if errors.Is(err, mangopay.ErrNotFound) {
		r.setFound(s.Key, &found{ID: s.AdoptedID, Missing: true})
		return nil
	}
	if err != nil {
		return err
	}
	r.setFound(s.Key, f)
	return nil
}

// getAdopted GETs one adopted object.
func (r *reader) getAdopted(ctx context.Context, s *plan.Step) (*found, error) {
	id := s.AdoptedID
	switch s.Kind {
	case plan.KindUser:
		u, err := r.c.Users.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return userFound(u, s.User), nil
	case plan.KindWallet:
		w, err := r.c.Wallets.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return walletFound(w, s, 1), nil
	case plan.KindBankAccount:
		b, err := r.c.BankAccounts.Get(ctx, r.idOf(s.Owner), id)
		if err != nil {
			return nil, err
		}
		return bankFound(b, s, 1), nil
	case plan.KindKYC:
		d, err := r.c.KYC.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return &found{ID: d.Id, Exists: true, Status: d.Status, ResultCode: string(d.RefusedReasonType)}, nil
	case plan.KindCard:
		c, err := r.c.Cards.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return cardFound(c, 1), nil
	}
	return r.getAdoptedMoney(ctx, s)
}

// getAdoptedMoney GETs an adopted transaction.
func (r *reader) getAdoptedMoney(ctx context.Context, s *plan.Step) (*found, error) {
	var tx *mangopay.Transaction
	switch s.Kind {
	case plan.KindPayIn:
		p, err := r.c.PayIns.Get(ctx, s.AdoptedID)
		if err != nil {
			return nil, err
		}
		tx = &p.Transaction
	case plan.KindTransfer:
		t, err := r.c.Transfers.Get(ctx, s.AdoptedID)
		if err != nil {
			return nil, err
		}
		tx = &t.Transaction
	case plan.KindPayOut:
		p, err := r.c.PayOuts.Get(ctx, s.AdoptedID)
		if err != nil {
			return nil, err
		}
		tx = &p.Transaction
	default:
		rf, err := r.c.Refunds.Get(ctx, s.AdoptedID)
		if err != nil {
			return nil, err
		}
		tx = &rf.Transaction
	}
	f := txFound(tx)
	if s.Amount != 0 && tx.DebitedFunds.Amount != s.Amount {
		f.Drift = append(f.Drift, fmt.Sprintf("Amount: plan %d, MANGOPAY %d", s.Amount, tx.DebitedFunds.Amount))
	}
	return f, nil
}

// txFound describes a transaction.
func txFound(t *mangopay.Transaction) *found {
	return &found{ID: t.Id, Exists: true, Status: t.Status, ResultCode: string(t.ResultCode),
		ResultMessage: string(t.ResultMessage), Currency: t.DebitedFunds.Currency, Debited: t.DebitedFunds.Amount,
		Credited: t.CreditedFunds.Amount, Fees: t.Fees.Amount, Created: t.CreationDate}
}
