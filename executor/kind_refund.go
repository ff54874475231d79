package executor

import (
	"context"

	"settle/mangopay"
	"settle/plan"
)

// Refund steps give a failed campaign's money back: a transfer refund from
// the project wallet to the payer's wallet, then a pay-in refund from the
// payer's wallet to the card. Each refunds its Original step, at most its
// refundable rest (the pre-flight's checkMove), and is found in the
// wallet it moves money in.
func init() {
	register(plan.KindTransferRefund, refundKind(moneyKind{from: projectWallet, to: payerWallet}, &stepKind{
		search: func(s *plan.Step) (string, bool) {
			if s.Credited != "" {
				return s.Credited, false
			}
			return s.Debited, false
		},
		refunds: func(c *mangopay.Client) refundLister { return c.Transfers.Refunds },
	}, func(c *mangopay.Client) refundSend { return c.Transfers.Refund }))
	register(plan.KindPayInRefund, refundKind(moneyKind{from: payerWallet, to: payerCard}, &stepKind{
		refunds: func(c *mangopay.Client) refundLister { return c.PayIns.Refunds },
		flow:    func(s *plan.Step) string { return shortKey(s.Debited) + " -> " + cardOf(s) },
	}, func(c *mangopay.Client) refundSend { return c.PayIns.Refund }))
}

// refundSend refunds the transaction with the given Id.
type refundSend func(ctx context.Context, id string, p *mangopay.RefundCreateParams) (*mangopay.Refund, error)

// refundKind completes the row of a refund kind, with row as its money
// row, whose refunds send makes.
func refundKind(row moneyKind, sk *stepKind, send func(*mangopay.Client) refundSend) *stepKind {
	sk.create = func(a *attempt, ctx context.Context) outcome {
		x, s := a.x, a.s
		p := refundParams(s, x.author(x.g.byKey[s.Original]))
		return postMoney(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.Refund, error) {
			return send(x.cfg.Client)(ctx, x.id(s.Original), p)
		}, refundTx)
	}
	return movement(row, getRefund, sk)
}

// getRefund GETs a refund.
func getRefund(c *mangopay.Client, ctx context.Context, id string) (*mangopay.Transaction, error) {
	r, err := c.Refunds.Get(ctx, id)
	return txOf(r, refundTx), err
}

func refundTx(r *mangopay.Refund) *mangopay.Transaction { return &r.Transaction }

// refundParams builds a transfer or pay-in refund (always with explicit
// amounts, so that a partial refund is exact).
func refundParams(s *plan.Step, author string) *mangopay.RefundCreateParams {
	d, f := funds(s, s.Amount), funds(s, s.Fees)
	return &mangopay.RefundCreateParams{AuthorId: author, DebitedFunds: &d, Fees: &f, Tag: s.Tag}
}
