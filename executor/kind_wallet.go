package executor

import (
	"context"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// A wallet step is a user's wallet: found in its owner's wallets, updated
// when its description drifted. The pre-flight replays the money steps on
// the wallets' balances.
func init() {
	register(plan.KindWallet, wallets.row(&stepKind{
		classify: updateDrift,
		create:   (*attempt).createWallet,
		update: func(a *attempt, ctx context.Context, id string) outcome {
			_, err := a.x.cfg.Client.Wallets.Update(ctx, id, &mangopay.WalletUpdateParams{Description: walletDescription(a.s)})
			return updated(id, err)
		},
	}))
}

// wallets are listed per owner.
var wallets = owned[mangopay.Wallet]{
	list:     func(c *mangopay.Client) listByUser[mangopay.Wallet] { return c.Wallets.ListByUser },
	get:      byID(func(c *mangopay.Client) func(context.Context, string) (*mangopay.Wallet, error) { return c.Wallets.Get }),
	idTag:    func(w mangopay.Wallet) (string, string) { return w.Id, string(w.Tag) },
	describe: walletFound,
}

// createWallet creates a wallet in the step's currency, else the plan's.
func (a *attempt) createWallet(ctx context.Context) outcome {
	p := &mangopay.WalletCreateParams{Owners: []string{a.x.id(a.s.Owner)}, Description: walletDescription(a.s),
		Currency: a.currency(), Tag: a.s.Tag}
	_, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.Wallet, error) {
		return a.x.cfg.Client.Wallets.Create(ctx, p)
	}, func(w *mangopay.Wallet) string { return w.Id })
	return o
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

// walletDescription is the Description a managed wallet is created with:
// MANGOPAY requires one, so a plan without it gets its key.
func walletDescription(s *plan.Step) string {
	if s.Wallet != nil && s.Wallet.Description != "" {
		return s.Wallet.Description
	}
	return "settle wallet " + shortKey(s.Key)
}
