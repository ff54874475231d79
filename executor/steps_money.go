package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// hashOf is a short content hash, for page keys.
func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// author is the AuthorId of a money step: the declared author, else the
// owner of the wallet it takes from (or, for a pay-in, credits).
func (x *applier) author(s *plan.Step) string {
	if s.Author != "" {
		return x.id(s.Author)
	}
	w := s.Debited
	if s.Kind == plan.KindPayIn {
		w = s.Credited
	}
	if o := x.g.byKey[s.Original]; w == "" && o != nil {
		return x.author(o)
	}
	if ws := x.g.byKey[w]; ws != nil {
		return x.id(ws.Owner)
	}
	return ""
}

// createMoney makes a pay-in, transfer, refund or payout.
func (a *attempt) createMoney(ctx context.Context) outcome {
	x, s, c := a.x, a.s, a.x.cfg.Client
	var tx *mangopay.Transaction
	var o outcome
	switch s.Kind {
	case plan.KindPayIn:
		p := payInParams(s, x.author(s), x.id(s.Credited), x.id(s.Card))
		o = a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			r, err := c.PayIns.CreateCardDirect(ctx, p)
			tx = txOf(r, func(r *mangopay.PayIn) *mangopay.Transaction { return &r.Transaction })
			return idOrEmpty(tx, txID), err
		})
	case plan.KindTransfer:
		p := &mangopay.TransferCreateParams{AuthorId: x.author(s), DebitedFunds: funds(s, s.Amount), Fees: funds(s, s.Fees),
			DebitedWalletId: x.id(s.Debited), CreditedWalletId: x.id(s.Credited), Tag: s.Tag}
		o = a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			r, err := c.Transfers.Create(ctx, p)
			tx = txOf(r, func(r *mangopay.Transfer) *mangopay.Transaction { return &r.Transaction })
			return idOrEmpty(tx, txID), err
		})
	case plan.KindTransferRefund, plan.KindPayInRefund:
		p := refundParams(s, x.author(x.g.byKey[s.Original]))
		refund := c.Transfers.Refund
		if s.Kind == plan.KindPayInRefund {
			refund = c.PayIns.Refund
		}
		o = a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			r, err := refund(ctx, x.id(s.Original), p)
			tx = txOf(r, func(r *mangopay.Refund) *mangopay.Transaction { return &r.Transaction })
			return idOrEmpty(tx, txID), err
		})
	case plan.KindPayOut:
		return a.createPayOut(ctx)
	default:
		return outcome{State: StateFailed, Err: fmt.Errorf("unknown step kind %q", s.Kind)}
	}
	if o.State != StateSucceeded || tx == nil {
		return o
	}
	t := txOutcome(tx)
	t.Replayed = o.Replayed
	return t
}

func txID(t *mangopay.Transaction) string { return t.Id }

func txOf[T any](v *T, tx func(*T) *mangopay.Transaction) *mangopay.Transaction {
	if v == nil {
		return nil
	}
	return tx(v)
}

// createPayOut checks that the owner is KYC REGULAR (a payout of a
// non-REGULAR owner is accepted as CREATED and FAILS later, so the check
// saves a doomed write), creates the payout and polls it.
func (a *attempt) createPayOut(ctx context.Context) outcome {
	x, s, c := a.x, a.s, a.x.cfg.Client
	author := x.author(s)
	u, err := c.Users.Get(ctx, author)
	if err != nil {
		return errOutcome(fmt.Errorf("reading the owner: %w", err))
	}
	if lvl := u.Summary().KYCLevel; lvl != mangopay.KYCRegular {
		return outcome{State: StateFailed, Err: fmt.Errorf("owner %s is KYC %s, not REGULAR: no payout", author, lvl)}
	}
	p := &mangopay.PayOutBankWireCreateParams{AuthorId: author, DebitedFunds: funds(s, s.Amount), Fees: funds(s, s.Fees),
		DebitedWalletId: x.id(s.Debited), BankAccountId: x.id(s.BankAccount), BankWireRef: s.WireRef, Tag: s.Tag}
	var po *mangopay.PayOut
	o := a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
		r, err := c.PayOuts.CreateBankWire(ctx, p)
		po = r
		return idOrEmpty(r, func(r *mangopay.PayOut) string { return r.Id }), err
	})
	if o.State != StateSucceeded {
		return o
	}
	x.setID(s.Key, po.Id)
	t := x.pollPayOut(ctx, po.Id, txOutcome(&po.Transaction))
	t.Replayed = o.Replayed
	return t
}

// pollPayOut polls a CREATED payout until it is final or Config.Wait ends.
func (x *applier) pollPayOut(ctx context.Context, id string, o outcome) outcome {
	err := x.poll(ctx, func() (bool, error) {
		if o.State != StatePending {
			return true, nil
		}
		po, err := x.cfg.Client.PayOuts.Get(ctx, id)
		if err != nil {
			return false, err
		}
		o = txOutcome(&po.Transaction)
		return o.State != StatePending, nil
	})
	if err != nil && o.State == StatePending {
		o.Err = fmt.Errorf("payout %s still %s: %w", id, o.Status, err)
	}
	return o
}

// waitKYC polls a submitted document until VALIDATED (succeeded), REFUSED
// (failed) or Config.Wait ends (pending).
func (x *applier) waitKYC(ctx context.Context, s *plan.Step, id string) outcome {
	o := outcome{ID: id, State: StatePending, Status: mangopay.KYCStatusValidationAsked}
	err := x.poll(ctx, func() (bool, error) {
		d, err := x.cfg.Client.KYC.Get(ctx, id)
		if err != nil {
			return false, err
		}
		o.Status = d.Status
		switch d.Status {
		case mangopay.KYCStatusValidated:
			o.State = StateSucceeded
		case mangopay.KYCStatusRefused, mangopay.KYCStatusOutOfDate:
			o.State, o.ResultCode, o.ResultMessage = StateFailed, string(d.RefusedReasonType), string(d.RefusedReasonMessage)
			o.Err = fmt.Errorf("KYC document %s %s: %s", id, d.Status, d.RefusedReasonType)
		default:
			return false, nil
		}
		return true, nil
	})
	if err != nil && o.State == StatePending {
		o.Err = fmt.Errorf("KYC document %s still %s: %w", id, o.Status, err)
	}
	return o
}

// poll calls check with capped exponential backoff until it reports done,
// fails, Config.Wait passes or ctx ends; every wait races ctx.
func (x *applier) poll(ctx context.Context, check func() (bool, error)) error {
	deadline := time.Now().Add(x.cfg.Wait)
	wait := 50 * time.Millisecond
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("not final after %s", x.cfg.Wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}
