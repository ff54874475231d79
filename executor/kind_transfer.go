package executor

import (
	"context"

	"settle/mangopay"
	"settle/plan"
)

// A transfer step moves a payer's money from the payer's wallet to the
// campaign's project wallet; it is found in the debited wallet's
// transactions. It sends no ScaContext: MANGOPAY asks for one on the
// transfers an OWNER's wallet pays, and the plan refuses contributions from
// an owner's wallet (plan/check_campaign.go), so a payer's wallet always
// pays (mangopay-2026.md §3.4: PAYER-initiated transfers need none).
func init() {
	register(plan.KindTransfer, movement(moneyKind{from: payerWallet, to: projectWallet}, getTransfer, &stepKind{
		create: func(a *attempt, ctx context.Context) outcome {
			x, s := a.x, a.s
			p := &mangopay.TransferCreateParams{AuthorId: x.author(s), DebitedFunds: funds(s, s.Amount), Fees: funds(s, s.Fees),
				DebitedWalletId: x.id(s.Debited), CreditedWalletId: x.id(s.Credited), Tag: s.Tag}
			return postMoney(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.Transfer, error) {
				return x.cfg.Client.Transfers.Create(ctx, p)
			}, transferTx)
		},
	}))
}

func transferTx(t *mangopay.Transfer) *mangopay.Transaction { return &t.Transaction }

// getTransfer GETs a transfer.
func getTransfer(c *mangopay.Client, ctx context.Context, id string) (*mangopay.Transaction, error) {
	t, err := c.Transfers.Get(ctx, id)
	return txOf(t, transferTx), err
}
