package sandbox

import (
	"time"

	"settle/mangopay"
)

// cardRefundWindow is how long a card pay-in can be refunded (11 months).
const cardRefundWindow = 334 * 24 * time.Hour

// sameAmountWindow is the window of the "same amount twice" rule (005407).
const sameAmountWindow = 24 * time.Hour

// createTransferRefund is POST /transfers/{id}/refunds: Type TRANSFER,
// Nature REFUND, the wallets of the original swapped, RefundReason OTHER.
func (s *Server) createTransferRefund(c *call) (int, any) {
	t, ok := s.st.transfers.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("Transfer", c.Params["id"]))
	}
	var req refundReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	plan, e := s.checkRefund(&req, &t.T.Transaction, "transfer")
	if e != nil {
		return c.fail(e)
	}
	if plan.exhausted {
		return c.fail(errField("TransferId", "Original transaction has already been successfully refunded"))
	}
	r := s.newRefund(c.Now, &req, &t.T.Transaction, plan)
	r.R.Type = "TRANSFER"
	r.R.CreditedWalletId = t.T.DebitedWalletId
	r.R.RefundReason = mangopay.RefundReason{RefundReasonType: "OTHER"}
	s.putRefund(r)
	s.emit(c.Now, "TRANSFER_REFUND_CREATED", r.R.Id)
	s.settleRefund(c.Now, r, "", string(t.T.DebitedWalletId), "TRANSFER")
	return 200, &r.R
}

// createPayinRefund is POST /payins/{id}/refunds: Type PAYOUT, Nature
// REFUND, CreditedWalletId null, RefundReasonType INITIALIZED_BY_CLIENT;
// CreditedFunds go back to the card. Synchronous, as for cards.
func (s *Server) createPayinRefund(c *call) (int, any) {
	p, ok := s.st.payins.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("PayIn", c.Params["id"]))
	}
	var req refundReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	plan, e := s.checkRefund(&req, &p.P.Transaction, "payin")
	if e != nil {
		return c.fail(e)
	}
	r := s.newRefund(c.Now, &req, &p.P.Transaction, plan)
	r.R.Type = "PAYOUT"
	r.R.RefundReason = mangopay.RefundReason{RefundReasonType: "INITIALIZED_BY_CLIENT"}
	code := s.payinRefundCode(c.Now, p, plan)
	s.putRefund(r)
	s.emit(c.Now, "PAYIN_REFUND_CREATED", r.R.Id)
	s.settleRefund(c.Now, r, code, acctCard+p.P.CardId, "PAYIN")
	return 200, &r.R
}

// payinRefundCode is the FAILED code a pay-in refund gets before any
// balance check: 001401 nothing left (a full refund, or any refund of a
// fully refunded pay-in), 005403 more than what is left, 001403 too old,
// 005404 fees above the initial fees, 005407 the same amount refunded in
// the last 24 hours. MANGOPAY answers these with the refund object (HTTP
// 200, FAILED), not a 400; only a single refund above the pay-in's
// CreditedFunds is a 400 (checkRefund).
func (s *Server) payinRefundCode(now time.Time, p *payinRec, plan *refundPlan) string {
	switch {
	case plan.exhausted, plan.overRest && plan.left <= 0:
		return "001401"
	case plan.overRest:
		return "005403"
	case p.P.ExecutionDate != nil && now.Sub(time.Unix(*p.P.ExecutionDate, 0)) > cardRefundWindow:
		return "001403"
	case plan.feesOver:
		return "005404"
	}
	for _, id := range s.st.refundsOf.ids(p.P.Id) {
		r := s.st.refunds.m[id].R
		if r.Status == mangopay.StatusSucceeded && r.DebitedFunds.Amount == plan.debited.Amount &&
			now.Unix()-r.CreationDate < int64(sameAmountWindow/time.Second) {
			return "005407"
		}
	}
	return ""
}
