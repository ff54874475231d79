package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
)

// transferRec is a stored transfer. Due (Unix ns) is when the SCA link of
// a transfer waiting for its owner expires (scagate.go).
type transferRec struct {
	Seq int64             `json:"Seq"`
	T   mangopay.Transfer `json:"T"`
	Due int64             `json:"Due,omitempty"`
}

func (s *Server) putTransfer(t *transferRec) {
	s.st.putTransfer(t)
	s.save("transfer", t.T.Id, t)
}

func (st *state) putTransfer(t *transferRec) {
	st.seen(t.Seq)
	if st.transfers.put(t.T.Id, t.Seq, t) {
		st.indexTx(t.T.Id, t.Seq, &t.T.Transaction)
	}
	st.pendingTransfers = requeue(st.pendingTransfers, t.T.Id, t.T.PendingUserAction != nil, t.Due)
}

// view is the transfer as the API answers it: a pending SCA link is
// rebuilt under base, the request's public URL (see setPendingAction).
func (t *transferRec) view(base string) *mangopay.Transfer {
	v := t.T
	if v.PendingUserAction != nil {
		v.PendingUserAction = &mangopay.PendingUserAction{RedirectUrl: base + transferPath(v.Id)}
	}
	return &v
}

// transferReq is the body of POST /transfers; CreditedUserId is ignored.
type transferReq struct {
	AuthorId         *string
	DebitedFunds     *mangopay.Money
	Fees             *mangopay.Money
	DebitedWalletId  *string
	CreditedWalletId *string
	ScaContext       *string
	Tag              *string
}

// createTransfer is POST /transfers. Transfers are synchronous: the answer
// is SUCCEEDED or FAILED (HTTP 200), or CREATED with a
// PendingUserAction when the debited owner must authenticate first
// (scagate.go); request errors are 400s.
func (s *Server) createTransfer(c *call) (int, any) {
	var req transferReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	for name, p := range map[string]*string{"AuthorId": req.AuthorId, "DebitedWalletId": req.DebitedWalletId,
		"CreditedWalletId": req.CreditedWalletId} {
		if p == nil || strings.TrimSpace(*p) == "" {
			f.required(name)
		}
	}
	checkMoney(f, "DebitedFunds", req.DebitedFunds, 0)
	checkMoney(f, "Fees", req.Fees, 0)
	if req.Tag != nil {
		checkLen(f, "Tag", *req.Tag, false, apirules.TextMax)
	}
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if _, e := s.user(strings.TrimSpace(*req.AuthorId)); e != nil {
		return c.fail(e)
	}
	dw, e := s.wallet(strings.TrimSpace(*req.DebitedWalletId))
	if e != nil {
		return c.fail(e)
	}
	cw, e := s.wallet(strings.TrimSpace(*req.CreditedWalletId))
	if e != nil {
		return c.fail(e)
	}
	if e := transferChecks(&req, dw, cw); e != nil {
		return c.fail(e)
	}
	t := s.newTransfer(c, &req, dw, cw)
	ctx := ""
	setStr(&ctx, req.ScaContext)
	sca, e := s.transferGate(scaContext(ctx), t, dw, cw)
	if e != nil {
		return c.fail(e)
	}
	if sca {
		t.Due = c.Now.Add(transferSCAExpiry).UnixNano()
		t.T.PendingUserAction = &mangopay.PendingUserAction{RedirectUrl: transferPath(t.T.Id)}
	}
	s.putTransfer(t)
	s.emit(c.Now, "TRANSFER_NORMAL_CREATED", t.T.Id)
	if !sca {
		s.settleTransfer(c.Now, t, dw, cw)
	}
	return 200, t.view(s.publicURL(c.Request))
}

// transferChecks are the 400s of a transfer: currencies and authorship.
func transferChecks(req *transferReq, dw, cw *walletRec) *apiError {
	switch {
	case dw.W.Currency != cw.W.Currency:
		return errCurrency(fmt.Sprintf("The Debited Wallet's currency %s and the Credited Wallet's currency %s must be the same",
			dw.W.Currency, cw.W.Currency))
	case dw.W.Currency != req.DebitedFunds.Currency:
		return errCurrency(fmt.Sprintf("The Wallet's currency %s and the DebitedFunds's currency %s must be the same",
			dw.W.Currency, req.DebitedFunds.Currency))
	case req.Fees.Currency != req.DebitedFunds.Currency:
		return errCurrency(fmt.Sprintf("The Fees's currency %s and the DebitedFunds's currency %s must be the same",
			req.Fees.Currency, req.DebitedFunds.Currency))
	case walletOwner(dw) != strings.TrimSpace(*req.AuthorId):
		return &apiError{Status: 400, Type: "param_error", Message: "Author should be the Debited wallet owner"}
	}
	return nil
}

func (s *Server) newTransfer(c *call, req *transferReq, dw, cw *walletRec) *transferRec {
	t := &transferRec{Seq: s.st.nextSeq(), T: mangopay.Transfer{Transaction: mangopay.Transaction{
		Id: s.newID("xfer_m_"), CreationDate: c.Now.Unix(), AuthorId: strings.TrimSpace(*req.AuthorId),
		CreditedUserId: mangopay.NullString(walletOwner(cw)), DebitedFunds: *req.DebitedFunds, Fees: *req.Fees,
		CreditedFunds: mangopay.Money{Currency: req.DebitedFunds.Currency, Amount: req.DebitedFunds.Amount - req.Fees.Amount},
		Status:        mangopay.StatusCreated, Type: "TRANSFER", Nature: "REGULAR",
		DebitedWalletId: mangopay.NullString(dw.W.Id), CreditedWalletId: mangopay.NullString(cw.W.Id)}}}
	setNull(&t.T.Tag, req.Tag)
	setUpperNull(&t.T.ScaContext, req.ScaContext)
	return t
}

// settleTransfer decides and applies a transfer: FAILED 101108 (same
// wallet), 002701 (a client wallet credited, or a PAYER's wallet credited
// by another user), 001014 (fees above the amount), 001001 (short
// balance); else SUCCEEDED. A user in PENDING_USER_ACTION is no longer
// refused (002704 was lifted in September 2025).
func (s *Server) settleTransfer(now time.Time, t *transferRec, dw, cw *walletRec) {
	code := ""
	creditedOwner := walletOwner(cw)
	switch {
	case dw.W.Id == cw.W.Id:
		code = "101108"
	case creditedOwner == "":
		code = "002701"
	case creditedOwner != walletOwner(dw) && s.isPayer(creditedOwner):
		code = "002701"
	case t.T.CreditedFunds.Amount < 0:
		code = "001014"
	case s.balance(dw.W.Id) < t.T.DebitedFunds.Amount:
		code = "001001"
	}
	if code == "" {
		cur := t.T.DebitedFunds.Currency
		if err := s.post(now, t.T.Id, cur,
			posting{dw.W.Id, -t.T.DebitedFunds.Amount},
			posting{cw.W.Id, t.T.CreditedFunds.Amount},
			posting{feesWallet(cur), t.T.Fees.Amount}); err != nil {
			code = "001999"
		}
	}
	if code == "" {
		succeedTx(&t.T.Transaction, now)
		s.putTransfer(t)
		s.emit(now, "TRANSFER_NORMAL_SUCCEEDED", t.T.Id)
		return
	}
	failTx(&t.T.Transaction, code)
	s.putTransfer(t)
	s.emit(now, "TRANSFER_NORMAL_FAILED", t.T.Id)
}

// isPayer reports whether a user is a PAYER.
func (s *Server) isPayer(userID string) bool {
	u, ok := s.st.users.get(userID)
	return ok && u.sum().UserCategory == mangopay.CategoryPayer
}

// getTransfer is GET /transfers/{id}.
func (s *Server) getTransfer(c *call) (int, any) {
	t, ok := s.st.transfers.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("Transfer", c.Params["id"]))
	}
	return 200, t.view(s.publicURL(c.Request))
}
