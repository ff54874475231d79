package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
)

// payoutRec is a stored bank-wire payout; Due (Unix ns) is when it is
// processed, 0 when it waits for the admin API (Options.ManualPayouts).
type payoutRec struct {
	Seq int64           `json:"Seq"`
	P   mangopay.PayOut `json:"P"`
	Due int64           `json:"Due"`
}

func (s *Server) putPayout(p *payoutRec) {
	s.st.putPayout(p)
	s.save("payout", p.P.Id, p)
}

func (st *state) putPayout(p *payoutRec) {
	st.seen(p.Seq)
	if st.payouts.put(p.P.Id, p.Seq, p) {
		st.indexTx(p.P.Id, p.Seq, &p.P.Transaction)
		st.txByBank.add(p.P.BankAccountId, p.P.Id, p.Seq)
	}
}

// payoutReq is the body of POST /payouts/bankwire; CreditedUserId and
// PaymentType are ignored.
type payoutReq struct {
	AuthorId            *string
	DebitedFunds        *mangopay.Money
	Fees                *mangopay.Money
	DebitedWalletId     *string
	BankAccountId       *string
	BankWireRef         *string
	PayoutModeRequested *string
	Tag                 *string
}

// createPayout is POST /payouts/bankwire. It always answers CREATED: the
// checks (balance, KYC, account, category) happen when the payout is
// processed, after Options.PayoutDelay or through the admin API.
func (s *Server) createPayout(c *call) (int, any) {
	var req payoutReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	mode, e := checkPayout(&req)
	if e != nil {
		return c.fail(e)
	}
	if _, e := s.user(strings.TrimSpace(*req.AuthorId)); e != nil {
		return c.fail(e)
	}
	w, e := s.wallet(strings.TrimSpace(*req.DebitedWalletId))
	if e != nil {
		return c.fail(e)
	}
	ba, ok := s.st.banks.get(strings.TrimSpace(*req.BankAccountId))
	if !ok {
		return c.fail(errNotFound("BankAccount", strings.TrimSpace(*req.BankAccountId)))
	}
	switch {
	case w.W.Currency != req.DebitedFunds.Currency:
		return c.fail(errCurrency(fmt.Sprintf("The Wallet's currency %s and the DebitedFunds's currency %s must be the same",
			w.W.Currency, req.DebitedFunds.Currency)))
	case req.Fees.Currency != req.DebitedFunds.Currency:
		return c.fail(errCurrency(fmt.Sprintf("The Fees's currency %s and the DebitedFunds's currency %s must be the same",
			req.Fees.Currency, req.DebitedFunds.Currency)))
	}
	p := s.newPayout(c.Now, &req, w, ba, mode)
	s.putPayout(p)
	if !s.opts.ManualPayouts {
		s.st.pendingPayouts = addPending(s.st.pendingPayouts, pending{ID: p.P.Id, Due: p.Due})
	}
	s.emit(c.Now, "PAYOUT_NORMAL_CREATED", p.P.Id)
	return 200, &p.P
}

// checkPayout validates the body and returns the requested mode. Only
// STANDARD (and INSTANT_PAYMENT, processed as standard) is enabled.
func checkPayout(req *payoutReq) (string, *apiError) {
	f := fieldErrs{}
	for name, p := range map[string]*string{"AuthorId": req.AuthorId, "DebitedWalletId": req.DebitedWalletId,
		"BankAccountId": req.BankAccountId} {
		if p == nil || strings.TrimSpace(*p) == "" {
			f.required(name)
		}
	}
	checkMoney(f, "DebitedFunds", req.DebitedFunds, 0)
	checkMoney(f, "Fees", req.Fees, 0)
	mode := ""
	setStr(&mode, req.PayoutModeRequested)
	switch mode = strings.ToUpper(mode); mode {
	case "", "STANDARD", "INSTANT_PAYMENT":
	case "INSTANT_PAYMENT_ONLY", "RTGS_PAYMENT":
		f.add("PayoutModeRequested", "InstantPayment is disabled")
	default:
		f.add("PayoutModeRequested", fmt.Sprintf("The value %s is not valid for PayoutModeRequested.", mode))
	}
	if req.Tag != nil {
		checkLen(f, "Tag", *req.Tag, false, 255)
	}
	return mode, f.err()
}

func (s *Server) newPayout(now time.Time, req *payoutReq, w *walletRec, ba *bankRec, mode string) *payoutRec {
	p := &payoutRec{Seq: s.st.nextSeq(), P: mangopay.PayOut{Transaction: mangopay.Transaction{
		Id: s.newID("po_m_"), CreationDate: now.Unix(), AuthorId: strings.TrimSpace(*req.AuthorId),
		DebitedFunds: *req.DebitedFunds, Fees: *req.Fees,
		CreditedFunds: mangopay.Money{Currency: req.DebitedFunds.Currency, Amount: req.DebitedFunds.Amount - req.Fees.Amount},
		Status:        mangopay.StatusCreated, Type: "PAYOUT", Nature: "REGULAR", DebitedWalletId: mangopay.NullString(w.W.Id)},
		PaymentType: "BANK_WIRE", BankAccountId: ba.B.Id, ModeRequested: mangopay.NullString(mode),
		ModeApplied: "PENDING_RESPONSE", EndToEndId: mangopay.NullString(randomHex(16)),
	}}
	setNull(&p.P.Tag, req.Tag)
	setNull(&p.P.BankWireRef, req.BankWireRef)
	if !s.opts.ManualPayouts {
		p.Due = now.Add(s.opts.PayoutDelay).UnixNano()
	}
	return p
}

// advancePayouts processes the payouts whose delay is over.
func (s *Server) advancePayouts(now time.Time) {
	for len(s.st.pendingPayouts) > 0 && s.st.pendingPayouts[0].Due <= now.UnixNano() {
		id := s.st.pendingPayouts[0].ID
		s.st.pendingPayouts = s.st.pendingPayouts[1:]
		if p, ok := s.st.payouts.get(id); ok && p.P.Status == mangopay.StatusCreated {
			s.processPayout(now, p)
		}
	}
}

// processPayouts processes every CREATED payout now, whatever its delay,
// and returns how many it processed. Called with s.mu held.
func (s *Server) processPayouts(now time.Time) int {
	n := 0
	for _, id := range s.st.payouts.order.ids {
		if p := s.st.payouts.m[id]; p.P.Status == mangopay.StatusCreated {
			s.processPayout(now, p)
			n++
		}
	}
	s.st.pendingPayouts = nil
	return n
}

// processPayout decides a payout (see payoutCode): FAILED with the code,
// or SUCCEEDED, debiting the wallet, crediting FEES with the fees and the
// bank account with CreditedFunds.
func (s *Server) processPayout(now time.Time, p *payoutRec) {
	w, _ := s.st.wallets.get(string(p.P.DebitedWalletId))
	ba, _ := s.st.banks.get(p.P.BankAccountId)
	code := s.payoutCode(p, w, ba)
	cur := p.P.DebitedFunds.Currency
	if code == "" {
		if err := s.post(now, p.P.Id, cur,
			posting{w.W.Id, -p.P.DebitedFunds.Amount},
			posting{feesWallet(cur), p.P.Fees.Amount},
			posting{acctBank + ba.B.Id, p.P.CreditedFunds.Amount}); err != nil {
			code = "001999"
		}
	}
	np := *p
	np.Due = 0
	np.P.ModeApplied = "STANDARD"
	if code == "" {
		succeedTx(&np.P.Transaction, now)
		s.putPayout(&np)
		s.emit(now, "PAYOUT_NORMAL_SUCCEEDED", np.P.Id)
		return
	}
	failTx(&np.P.Transaction, code)
	s.putPayout(&np)
	s.emit(now, "PAYOUT_NORMAL_FAILED", np.P.Id)
}

// payoutCode is the FAILED code of a payout being processed, "" when it
// can succeed, checked in this order: 121002 (the author does not own the
// wallet), 002701 (a PAYER's wallet), 121006 (inactive account), 002998 and
// 002999 (KYC, see payoutKYCCode), 001014 (fees above the amount), 001001
// (short balance).
func (s *Server) payoutCode(p *payoutRec, w *walletRec, ba *bankRec) string {
	owner := walletOwner(w)
	u, _ := s.st.users.get(owner)
	switch {
	case owner != p.P.AuthorId:
		return "121002"
	case u == nil || u.sum().UserCategory == mangopay.CategoryPayer:
		return "002701"
	case !ba.B.Active:
		return "121006"
	}
	if code := s.payoutKYCCode(u, ba); code != "" {
		return code
	}
	switch {
	case p.P.CreditedFunds.Amount < 0:
		return "001014"
	case s.balance(w.W.Id) < p.P.DebitedFunds.Amount:
		return "001001"
	}
	return ""
}

// payoutKYCCode applies the payment-services rule of §11 (no payout unless
// KYC REGULAR) to both users a payout involves. MANGOPAY documents 002998
// for a bank account owner who is not KYC-verified and 002999 for a debited
// user who is not; its sandbox answers 002998 when one non-KYC user owns
// both the wallet and the account (MANGOPAY's Node SDK issue #248), so the
// bank account owner is checked first and 002999 is left for a REGULAR
// account owner paid from the wallet of a user who is not.
func (s *Server) payoutKYCCode(debited *userRec, ba *bankRec) string {
	if acctOwner, ok := s.st.users.get(ba.B.UserId); !ok || acctOwner.sum().KYCLevel != mangopay.KYCRegular {
		return "002998"
	}
	if debited.sum().KYCLevel != mangopay.KYCRegular {
		return "002999"
	}
	return ""
}

// getPayout is GET /payouts/{id} and /payouts/bankwire/{id}.
func (s *Server) getPayout(c *call) (int, any) {
	p, ok := s.st.payouts.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("PayOut", c.Params["id"]))
	}
	return 200, &p.P
}
