package sandbox

import (
	"sort"
	"strings"
	"time"

	"settle/mangopay"
)

// Payout refunds (shared/mangopay-api.md §10.4). MANGOPAY alone creates
// them, when the bank sends a SUCCEEDED payout's money back; the payout
// stays SUCCEEDED. The admin API stands in for the bank:
//
//	POST /sandbox/payouts/{id}/bounce?reason=BANKACCOUNT_INCORRECT
//
// creates the refund and answers it (200, the Refund as GET /refunds/{id}
// shows it). The money comes back into the payout's wallet through one
// ledger entry (bank account -> wallet). Decisions on what MANGOPAY leaves
// unsaid:
//   - The bank returns what it received, the payout's CreditedFunds: the
//     refund's DebitedFunds and CreditedFunds are that amount and its Fees
//     0; the payout's fees stay in FEES_<CUR>.
//   - Type is PAYIN (money coming in, as a pay-in refund, money going out
//     to a card, is Type PAYOUT), Nature REFUND, InitialTransactionType
//     PAYOUT; CreditedWalletId is the payout's wallet, CreditedUserId its
//     owner, DebitedWalletId null; RefundReason.RefundReasonType is the
//     bank's reason, RefundReasonMessage null.
//   - A payout is returned at most once, in full: a second bounce is 400
//     invalid_action; a payout that is not SUCCEEDED is 400
//     original_transaction_must_be_succeeded; reason defaults to
//     BANKACCOUNT_INCORRECT and must be one of the four bank reasons.
//   - Events PAYOUT_REFUND_CREATED then PAYOUT_REFUND_SUCCEEDED, with the
//     refund's Id as ResourceId.

// payoutRefundReasons are the RefundReasonTypes of a returned payout.
var payoutRefundReasons = map[string]bool{
	"BANKACCOUNT_INCORRECT":                     true,
	"BANKACCOUNT_HAS_BEEN_CLOSED":               true,
	"OWNER_DO_NOT_MATCH_BANKACCOUNT":            true,
	"WITHDRAWAL_IMPOSSIBLE_ON_SAVINGS_ACCOUNTS": true,
}

// defaultBounceReason is the reason of a bounce that names none.
const defaultBounceReason = "BANKACCOUNT_INCORRECT"

// bouncePayout returns a SUCCEEDED payout's money from the bank: it
// creates, settles and returns (a copy of) the payout refund. Called with
// s.mu held.
func (s *Server) bouncePayout(now time.Time, id, reason string) (*mangopay.Refund, *apiError) {
	reason = strings.ToUpper(strings.TrimSpace(reason))
	if reason == "" {
		reason = defaultBounceReason
	}
	if !payoutRefundReasons[reason] {
		return nil, errField("reason", "reason must be one of "+strings.Join(bounceReasons(), ", "))
	}
	p, ok := s.st.payouts.get(id)
	switch {
	case !ok:
		return nil, errNotFound("PayOut", id)
	case p.P.Status != mangopay.StatusSucceeded:
		return nil, &apiError{Status: 400, Type: "original_transaction_must_be_succeeded",
			Message: "The original transaction must have a SUCCEEDED Status to be refunded", CapitalErrors: true}
	case len(s.st.refundsOf.ids(id)) > 0:
		return nil, errAction("invalid_action", "The payout has already been returned by the bank")
	}
	r := s.newPayoutRefund(now, p, reason)
	s.putRefund(r)
	s.emit(now, "PAYOUT_REFUND_CREATED", r.R.Id)
	s.settlePayoutRefund(now, r, p.P.BankAccountId)
	out := r.R
	return &out, nil
}

// settlePayoutRefund moves the returned money from the bank account back
// into the wallet and records the outcome (the entry cannot be refused: it
// only credits a wallet; 001999 stands for a programmer error).
func (s *Server) settlePayoutRefund(now time.Time, r *refundRec, bankAccountID string) {
	err := s.post(now, r.R.Id, r.R.CreditedFunds.Currency,
		posting{acctBank + bankAccountID, -r.R.DebitedFunds.Amount},
		posting{string(r.R.CreditedWalletId), r.R.CreditedFunds.Amount})
	if err != nil {
		failTx(&r.R.Transaction, "001999")
		s.putRefund(r)
		s.emit(now, "PAYOUT_REFUND_FAILED", r.R.Id)
		return
	}
	succeedTx(&r.R.Transaction, now)
	s.putRefund(r)
	s.emit(now, "PAYOUT_REFUND_SUCCEEDED", r.R.Id)
}

// newPayoutRefund builds the CREATED refund of payout p.
func (s *Server) newPayoutRefund(now time.Time, p *payoutRec, reason string) *refundRec {
	back := p.P.CreditedFunds
	owner := ""
	if w, ok := s.st.wallets.get(string(p.P.DebitedWalletId)); ok {
		owner = walletOwner(w)
	}
	return &refundRec{Seq: s.st.nextSeq(), R: mangopay.Refund{Transaction: mangopay.Transaction{
		Id: s.newID("refund_m_"), CreationDate: now.Unix(), AuthorId: p.P.AuthorId,
		CreditedUserId: mangopay.NullString(owner), DebitedFunds: back, CreditedFunds: back,
		Fees:   mangopay.Money{Currency: back.Currency, Amount: 0},
		Status: mangopay.StatusCreated, Type: "PAYIN", Nature: "REFUND", CreditedWalletId: p.P.DebitedWalletId},
		InitialTransactionId: p.P.Id, InitialTransactionType: p.P.Type, InitialTransactionNature: p.P.Nature,
		RefundReason: mangopay.RefundReason{RefundReasonType: reason},
	}}
}

// bounceReasons lists the accepted reasons in order.
func bounceReasons() []string {
	out := make([]string, 0, len(payoutRefundReasons))
	for k := range payoutRefundReasons {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
