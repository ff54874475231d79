package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// refundRec is a stored refund (of a transfer or of a pay-in).
type refundRec struct {
	Seq int64           `json:"Seq"`
	R   mangopay.Refund `json:"R"`
}

func (s *Server) putRefund(r *refundRec) {
	s.st.putRefund(r)
	s.save("refund", r.R.Id, r)
}

func (st *state) putRefund(r *refundRec) {
	st.seen(r.Seq)
	if st.refunds.put(r.R.Id, r.Seq, r) {
		st.indexTx(r.R.Id, r.Seq, &r.R.Transaction)
		st.refundsOf.add(r.R.InitialTransactionId, r.R.Id, r.Seq)
	}
}

// refundReq is the body of POST /transfers/{id}/refunds and /payins/{id}/refunds.
type refundReq struct {
	AuthorId     *string
	DebitedFunds *mangopay.Money
	Fees         *mangopay.Money
	Tag          *string
}

// refundPlan is a checked refund request against its original.
type refundPlan struct {
	debited, fees mangopay.Money
	full          bool
	exhausted     bool // a full refund with nothing left to refund
	overRest      bool // a pay-in refund above what is left to refund (FAILED, not a 400)
	left          int64
	feesOver      bool // the fees handed back would exceed the original's
}

// refunded sums the succeeded refunds of a transaction: DebitedFunds and
// the fees handed back (-Fees).
func (s *Server) refunded(origID string) (debited, feesBack int64) {
	for _, id := range s.st.refundsOf.ids(origID) {
		r := s.st.refunds.m[id].R
		if r.Status == mangopay.StatusSucceeded {
			debited += r.DebitedFunds.Amount
			feesBack -= r.Fees.Amount
		}
	}
	return debited, feesBack
}

// checkRefund validates the body of a refund of orig (kind "transfer" or
// "payin") and plans its amounts. The cap on DebitedFunds is the original's
// CreditedFunds, over the sum of all succeeded refunds; the fees handed back
// are capped by the original's Fees. A full refund (no amounts) refunds
// what is left: DebitedFunds = CreditedFunds left, Fees = -Fees left.
func (s *Server) checkRefund(req *refundReq, orig *mangopay.Transaction, kind string) (*refundPlan, *apiError) {
	switch {
	case req.AuthorId == nil || strings.TrimSpace(*req.AuthorId) == "":
		return nil, errRequired("AuthorId")
	case req.DebitedFunds != nil && req.Fees == nil:
		return nil, errField("Fees", "if DebitedFunds are defined, Fees must be defined")
	case req.Fees != nil && req.DebitedFunds == nil:
		return nil, errField("DebitedFunds", "if Fees are defined, DebitedFunds must be defined")
	case strings.TrimSpace(*req.AuthorId) != orig.AuthorId:
		return nil, errField("AuthorId", "Author of the refund is not the author of the initial "+kind)
	case orig.Status != mangopay.StatusSucceeded:
		return nil, &apiError{Status: 400, Type: "original_transaction_must_be_succeeded",
			Message: "The original transaction must have a SUCCEEDED Status to be refunded", CapitalErrors: true}
	}
	doneD, doneF := s.refunded(orig.Id)
	cur := orig.DebitedFunds.Currency
	if req.DebitedFunds == nil {
		plan := &refundPlan{full: true, debited: mangopay.Money{Currency: cur, Amount: orig.CreditedFunds.Amount - doneD},
			fees: mangopay.Money{Currency: cur, Amount: -(orig.Fees.Amount - doneF)}}
		plan.exhausted = plan.debited.Amount <= 0 && plan.fees.Amount >= 0
		return plan, nil
	}
	d, f := *req.DebitedFunds, *req.Fees
	switch {
	case d.Currency != cur || f.Currency != cur:
		return nil, errCurrency(fmt.Sprintf("The initial transaction's currency %s and the refund's currency %s must be the same", cur, d.Currency))
	case d.Amount < 1:
		return nil, errField("DebitedFunds", "The DebitedFunds amount must be at least 1")
	case d.Amount > orig.CreditedFunds.Amount && kind == "payin":
		return nil, errField("DebitedFunds", "DebitedFunds cannot be superior the CreditedFunds of the initial PayIn")
	case doneD+d.Amount > orig.CreditedFunds.Amount && kind == "transfer":
		return nil, errField("DebitedFunds", "DebitedFunds cannot be higher than CreditedFunds of the initial transfer")
	case f.Amount > d.Amount:
		return nil, errField("Fees", "Fees cannot be higher than DebitedFunds")
	}
	plan := &refundPlan{debited: d, fees: f, feesOver: doneF-f.Amount > orig.Fees.Amount,
		overRest: doneD+d.Amount > orig.CreditedFunds.Amount, left: orig.CreditedFunds.Amount - doneD}
	if plan.feesOver && kind == "transfer" {
		return nil, errField("Fees", "The fees refunded cannot be higher than the Fees of the initial transfer")
	}
	return plan, nil
}

// newRefund builds the CREATED refund of orig.
func (s *Server) newRefund(now time.Time, req *refundReq, orig *mangopay.Transaction, plan *refundPlan) *refundRec {
	r := &refundRec{Seq: s.st.nextSeq(), R: mangopay.Refund{Transaction: mangopay.Transaction{
		Id: s.newID("refund_m_"), CreationDate: now.Unix(), AuthorId: orig.AuthorId,
		DebitedFunds: plan.debited, Fees: plan.fees,
		CreditedFunds: mangopay.Money{Currency: plan.debited.Currency, Amount: plan.debited.Amount - plan.fees.Amount},
		Status:        mangopay.StatusCreated, Nature: "REFUND", DebitedWalletId: orig.CreditedWalletId},
		InitialTransactionId: orig.Id, InitialTransactionType: orig.Type, InitialTransactionNature: orig.Nature,
	}}
	setNull(&r.R.Tag, req.Tag)
	return r
}

// settleRefund applies a refund or fails it: 001001 when the wallet to
// debit is short, 005405 when FEES cannot hand the fees back. to is the
// account credited with CreditedFunds.
func (s *Server) settleRefund(now time.Time, r *refundRec, code, to, event string) {
	cur := r.R.DebitedFunds.Currency
	from := string(r.R.DebitedWalletId)
	switch {
	case code != "":
	case s.balance(from) < r.R.DebitedFunds.Amount:
		code = "001001"
	case r.R.Fees.Amount < 0 && s.balance(feesWallet(cur)) < -r.R.Fees.Amount:
		code = "005405"
	}
	if code == "" {
		if err := s.post(now, r.R.Id, cur,
			posting{from, -r.R.DebitedFunds.Amount},
			posting{feesWallet(cur), r.R.Fees.Amount},
			posting{to, r.R.CreditedFunds.Amount}); err != nil {
			code = "001999"
		}
	}
	if code == "" {
		succeedTx(&r.R.Transaction, now)
		s.putRefund(r)
		s.emit(now, event+"_REFUND_SUCCEEDED", r.R.Id)
		return
	}
	failTx(&r.R.Transaction, code)
	s.putRefund(r)
	s.emit(now, event+"_REFUND_FAILED", r.R.Id)
}

// getRefund is GET /refunds/{id}.
func (s *Server) getRefund(c *call) (int, any) {
	r, ok := s.st.refunds.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("Refund", c.Params["id"]))
	}
	return 200, &r.R
}

// listRefundsOf lists the refunds of a pay-in, transfer or payout, with
// the Status and ResultCode filters.
func (s *Server) listRefundsOf(c *call, id string) (int, any) {
	var out []*mangopay.Refund
	for _, rid := range s.st.refundsOf.ids(id) {
		r := &s.st.refunds.m[rid].R
		if c.Accepts("Status", r.Status) && c.Accepts("ResultCode", string(r.ResultCode)) {
			out = append(out, r)
		}
	}
	return 200, platform.NewList(out, func(r *mangopay.Refund) int64 { return r.CreationDate })
}

// listPayinRefunds is GET /payins/{id}/refunds.
func (s *Server) listPayinRefunds(c *call) (int, any) {
	if _, ok := s.st.payins.get(c.Params["id"]); !ok {
		return c.fail(errNotFound("PayIn", c.Params["id"]))
	}
	return s.listRefundsOf(c, c.Params["id"])
}

// listTransferRefunds is GET /transfers/{id}/refunds.
func (s *Server) listTransferRefunds(c *call) (int, any) {
	if _, ok := s.st.transfers.get(c.Params["id"]); !ok {
		return c.fail(errNotFound("Transfer", c.Params["id"]))
	}
	return s.listRefundsOf(c, c.Params["id"])
}

// listPayoutRefunds is GET /payouts/{id}/refunds. Payout refunds come from
// banks returning funds: POST /sandbox/payouts/{id}/bounce (bounce.go).
func (s *Server) listPayoutRefunds(c *call) (int, any) {
	if _, ok := s.st.payouts.get(c.Params["id"]); !ok {
		return c.fail(errNotFound("PayOut", c.Params["id"]))
	}
	return s.listRefundsOf(c, c.Params["id"])
}
