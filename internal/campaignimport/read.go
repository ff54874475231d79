package campaignimport

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/sourcegraph/conc/pool"

	"settle/mangopay"
	"settle/plan"
)

// InputError is a project wallet that cannot be imported: unknown, not a
// project wallet, a currency mix, a contribution from a closed wallet.
// Nothing is written when Read returns one.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// Progress is how far Read is: API calls made, and the calls it expects
// in all so far (it grows as Read learns how many pages and wallets
// there are).
type Progress struct {
	Calls, Expected int
}

// Source is what Read found on MANGOPAY about one project wallet.
type Source struct {
	// PlanName and Campaign are those of the plan read for (ReadOptions).
	PlanName, Campaign string
	ReadAt             time.Time
	Wallet             mangopay.Wallet
	Owner              mangopay.User
	// BankAccounts and Recipients are the owner's active ones, newest first.
	BankAccounts []mangopay.BankAccount
	Recipients   []mangopay.Recipient
	// KYCDocuments and Verifications are the owner's identity state.
	KYCDocuments  []mangopay.KYCDocument
	Verifications []mangopay.IdentityVerification
	// Contributions are the SUCCEEDED transfers credited to the wallet, in
	// the order they were made.
	Contributions []*Contribution
	// Payers are the contributors' users by Id.
	Payers map[string]mangopay.UserSummary
	// PayOuts are the payouts debited from the wallet, SUCCEEDED or still
	// CREATED.
	PayOuts []mangopay.Transaction
	// Other are the SUCCEEDED movements of the wallet that are neither
	// contributions, their refunds, nor payouts (a pay-in straight into
	// it, a transfer out): reported, not settled.
	Other []mangopay.Transaction
	// Calls is the number of API calls Read made.
	Calls int

	keys     map[string]string        // contribution key by transfer Id (see contributionKeys)
	byTag    map[string]*Contribution // contribution by the Tag of its refund step in the plan
	refunds  []mangopay.Transaction   // transfer refunds debited from the wallet
	byWallet map[string][]*Contribution
}

// Contribution is one transfer into the project wallet, with what funded
// it and what was refunded of it.
type Contribution struct {
	Transfer mangopay.Transaction
	// PayIn is the pay-in that funded it, when exactly one pay-in can have.
	PayIn *mangopay.Transaction
	// CardPayIn is whether PayIn is a card pay-in (direct or web), and
	// PayInType its payment and execution types ("CARD WEB"); known only
	// when Read was asked to look (refunds to card).
	CardPayIn bool
	PayInType string
	// Candidates are the pay-ins that may have funded it, when there are
	// several (then PayIn is nil).
	Candidates []string
	// Refunds are its SUCCEEDED transfer refunds: amount by refund Id, and
	// whether each carries the Tag of the plan being imported into.
	Refunds []RefundOf
}

// RefundOf is one SUCCEEDED refund of a contribution's transfer.
type RefundOf struct {
	ID     string
	Amount int64
	Own    bool // carries the plan's own Tag: a step of the plan, not history
}

// Credited is what the contribution brought to the project wallet.
func (c *Contribution) Credited() int64 { return c.Transfer.CreditedFunds.Amount }

// RefundedElsewhere is what was refunded of it outside the plan.
func (c *Contribution) RefundedElsewhere() int64 {
	var n int64
	for _, r := range c.Refunds {
		if !r.Own {
			n += r.Amount
		}
	}
	return n
}

// ReadOptions say what to read.
type ReadOptions struct {
	WalletID string
	// PlanName and Campaign are the plan's name and campaign key: a refund
	// or payout carrying the Tag of one of their steps is the plan's own
	// (see the package doc).
	PlanName, Campaign string
	// CardCheck reads each paired pay-in (one GET each) to learn whether it
	// is a card pay-in: needed only to refund to card.
	CardCheck bool
	// Progress, when set, is called after every API call.
	Progress func(Progress)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Parallelism is how many per-wallet and per-pay-in reads Read makes at
// once; the client's rate-limit governor, not this number, keeps them
// within MANGOPAY's limits.
const Parallelism = 8

// reader holds one Read's state. Its per-wallet and per-pay-in reads run
// Parallelism at a time; each touches only its own contributions, and
// what they share is guarded by mu.
type reader struct {
	c *mangopay.Client
	o ReadOptions

	mu  sync.Mutex // guards src.Calls, src.Payers, expected and o.Progress calls
	src *Source
	// expected is the calls expected in all so far (Progress.Expected).
	expected int
}

// Read reads the campaign of the project wallet o.WalletID. It returns an
// [*InputError] when the wallet cannot be imported, any other error when
// MANGOPAY could not be read.
func Read(ctx context.Context, c *mangopay.Client, o ReadOptions) (*Source, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	r := &reader{c: c, o: o, src: &Source{PlanName: o.PlanName, Campaign: o.Campaign, ReadAt: now().UTC(), Payers: map[string]mangopay.UserSummary{}}, expected: 6}
	steps := []func(context.Context) error{r.wallet, r.owner, r.ownerAccounts, r.ownerIdentity, r.walletTransactions,
		r.payers, r.payerWallets, r.refundsElsewhere, r.cardCheck}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return r.src, nil
}

// call counts one API call and reports progress.
func (r *reader) call() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.src.Calls++
	r.expected = max(r.expected, r.src.Calls)
	if r.o.Progress != nil {
		r.o.Progress(Progress{Calls: r.src.Calls, Expected: r.expected})
	}
}

// expect adds n calls to those expected.
func (r *reader) expect(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expected += n
}

// each runs fn on every item, Parallelism at a time, and returns the
// first error (the others are cancelled).
func each[T any](ctx context.Context, items []T, fn func(context.Context, T) error) error {
	p := pool.New().WithContext(ctx).WithMaxGoroutines(Parallelism).WithCancelOnError().WithFirstError()
	for _, it := range items {
		p.Go(func(ctx context.Context) error { return fn(ctx, it) })
	}
	return p.Wait()
}

// pages reads every page of a list call, 100 per page, counting each
// call; fetch reads one page.
func pages[T any](ctx context.Context, r *reader, fetch func(context.Context, *mangopay.ListOptions) (*mangopay.Page[T], error)) ([]T, error) {
	var out []T
	o := &mangopay.ListOptions{Page: 1, PerPage: mangopay.MaxPerPage}
	for {
		p, err := fetch(ctx, o)
		r.call()
		if err != nil {
			return nil, err
		}
		out = append(out, p.Items...)
		if o.Page == 1 && p.TotalPages > 1 {
			r.expect(p.TotalPages - 1)
		}
		if !p.HasNext() {
			return out, nil
		}
		o.Page++
	}
}

// all drains an iterator of a list call the client pages itself, counting
// one call per 100 items (at least one).
func all[T any](r *reader, seq iter.Seq2[T, error]) ([]T, error) {
	out, err := mangopay.Collect(seq)
	for range max(1, (len(out)+mangopay.MaxPerPage-1)/mangopay.MaxPerPage) {
		r.call()
	}
	return out, err
}

// wallet reads the project wallet.
func (r *reader) wallet(ctx context.Context) error {
	w, err := r.c.Wallets.Get(ctx, r.o.WalletID)
	r.call()
	if errors.Is(err, mangopay.ErrNotFound) {
		return inputErrorf("wallet %s not found on MANGOPAY", r.o.WalletID)
	}
	if err != nil {
		return fmt.Errorf("reading wallet %s: %w", r.o.WalletID, err)
	}
	if len(w.Owners) != 1 {
		return inputErrorf("wallet %s is a client wallet (%s), not a project wallet", w.Id, w.FundsType)
	}
	r.src.Wallet = *w
	return nil
}

// owner reads the wallet's owner, who must not be a payer.
func (r *reader) owner(ctx context.Context) error {
	id := r.src.Wallet.Owners[0]
	u, err := r.c.Users.Get(ctx, id)
	r.call()
	if err != nil {
		return fmt.Errorf("reading the owner %s of wallet %s: %w", id, r.src.Wallet.Id, err)
	}
	if cat := u.Summary().UserCategory; cat == mangopay.CategoryPayer {
		return inputErrorf("wallet %s belongs to %s, a PAYER: a project wallet belongs to an OWNER (give the wallet the campaign was collected into)", r.src.Wallet.Id, id)
	}
	r.src.Owner = *u
	return nil
}

// ownerAccounts reads the owner's active bank accounts and Recipients.
func (r *reader) ownerAccounts(ctx context.Context) error {
	id := r.src.Wallet.Owners[0]
	banks, err := pages(ctx, r, func(ctx context.Context, o *mangopay.ListOptions) (*mangopay.Page[mangopay.BankAccount], error) {
		o.Sort = "CreationDate:DESC"
		return r.c.BankAccounts.ListByUserPage(ctx, id, o)
	})
	if err != nil {
		return fmt.Errorf("reading the bank accounts of %s: %w", id, err)
	}
	r.src.BankAccounts = slices.DeleteFunc(banks, func(b mangopay.BankAccount) bool { return !b.Active })
	recs, err := pages(ctx, r, func(ctx context.Context, o *mangopay.ListOptions) (*mangopay.Page[mangopay.Recipient], error) {
		o.Sort = "CreationDate:DESC"
		return r.c.Recipients.ListByUserPage(ctx, id, o)
	})
	// A 404 on the list of an owner just read is a target that does not
	// serve Recipients (an emulator without them): there are none.
	if err != nil && !errors.Is(err, mangopay.ErrNotFound) {
		return fmt.Errorf("reading the recipients of %s: %w", id, err)
	}
	r.src.Recipients = slices.DeleteFunc(recs, func(x mangopay.Recipient) bool { return x.Status != mangopay.RecipientActive })
	return nil
}

// ownerIdentity reads the owner's KYC documents and identity verification
// sessions.
func (r *reader) ownerIdentity(ctx context.Context) error {
	id := r.src.Wallet.Owners[0]
	docs, err := pages(ctx, r, func(ctx context.Context, o *mangopay.ListOptions) (*mangopay.Page[mangopay.KYCDocument], error) {
		return r.c.KYC.ListByUserPage(ctx, id, o)
	})
	if err != nil {
		return fmt.Errorf("reading the KYC documents of %s: %w", id, err)
	}
	r.src.KYCDocuments = docs
	ivs, err := all(r, r.c.IdentityVerifications.ListByUser(ctx, id, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage}))
	if err != nil && !errors.Is(err, mangopay.ErrNotFound) {
		return fmt.Errorf("reading the identity verifications of %s: %w", id, err)
	}
	r.src.Verifications = ivs
	return nil
}

// walletTransactions sorts the project wallet's transactions into
// contributions, their refunds, payouts and the rest.
func (r *reader) walletTransactions(ctx context.Context) error {
	w := r.src.Wallet
	txs, err := pages(ctx, r, func(ctx context.Context, o *mangopay.ListOptions) (*mangopay.Page[mangopay.Transaction], error) {
		o.Sort = "CreationDate:ASC"
		return r.c.Transactions.ListByWalletPage(ctx, w.Id, o)
	})
	if err != nil {
		return fmt.Errorf("reading the transactions of wallet %s: %w", w.Id, err)
	}
	for _, t := range txs {
		if t.Status == mangopay.StatusFailed {
			continue
		}
		if t.DebitedFunds.Currency != w.Currency {
			return inputErrorf("wallet %s holds %s but its transaction %s moved %s: a currency mix cannot be settled as one campaign",
				w.Id, w.Currency, t.Id, t.DebitedFunds.Currency)
		}
		switch {
		case t.Status != mangopay.StatusSucceeded && t.Type != "PAYOUT":
			// a movement still CREATED has moved nothing yet
		case t.Type == "TRANSFER" && t.Nature == "REGULAR" && string(t.CreditedWalletId) == w.Id:
			r.src.Contributions = append(r.src.Contributions, &Contribution{Transfer: t})
		case t.Type == "TRANSFER" && t.Nature == "REFUND" && string(t.DebitedWalletId) == w.Id:
			r.src.refunds = append(r.src.refunds, t)
		case t.Type == "PAYOUT" && t.Nature == "REGULAR" && string(t.DebitedWalletId) == w.Id:
			if t.Status == mangopay.StatusSucceeded || t.Status == mangopay.StatusCreated {
				r.src.PayOuts = append(r.src.PayOuts, t)
			}
		case t.Status == mangopay.StatusSucceeded:
			r.src.Other = append(r.src.Other, t)
		}
	}
	r.src.keys = contributionKeys(r.src.Contributions)
	r.src.byTag = map[string]*Contribution{}
	for _, c := range r.src.Contributions {
		r.src.byTag[stepTag(r.o.PlanName, plan.KindTransferRefund, r.o.Campaign, r.src.keys[c.Transfer.Id])] = c
	}
	return nil
}

// stepTag is the Tag settle gives, in plan name, the step of kind of a
// campaign (keys: the campaign's key, then the contribution's for a
// contribution's step).
func stepTag(name string, kind plan.Kind, keys ...string) string {
	return plan.TagOf(name, plan.StepKey(kind, keys...))
}

// ownPayout reports whether a payout is the plan's own payout step.
func (s *Source) ownPayout(t mangopay.Transaction) bool {
	return string(t.Tag) == stepTag(s.PlanName, plan.KindPayOut, s.Campaign)
}
