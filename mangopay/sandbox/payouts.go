package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/internal/apirules"
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
		st.txByBank.add(payoutAccount(&p.P), p.P.Id, p.Seq)
	}
}

// payoutAccount is the Id a payout pays to: its recipient, else its
// legacy bank account.
func payoutAccount(p *mangopay.PayOut) string {
	if p.RecipientId != "" {
		return string(p.RecipientId)
	}
	return p.BankAccountId
}

// payoutReq is the body of POST /payouts/bankwire; CreditedUserId and
// PaymentType are ignored. The account paid is RecipientId or
// BankAccountId, either of which may hold a recipient's or a legacy bank
// account's Id (MANGOPAY accepts both since 2026-01-27).
type payoutReq struct {
	AuthorId            *string
	DebitedFunds        *mangopay.Money
	Fees                *mangopay.Money
	DebitedWalletId     *string
	RecipientId         *string
	BankAccountId       *string
	ChargeBearer        *string
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
	acct := req.account()
	rec, isRec := s.st.recipients.get(acct)
	_, isBank := s.st.banks.get(acct)
	switch {
	case !isRec && !isBank && req.RecipientId != nil && strings.TrimSpace(*req.RecipientId) != "":
		return c.fail(errNotFound("Recipient", acct))
	case !isRec && !isBank:
		return c.fail(errNotFound("BankAccount", acct))
	case isRec && rec.R.PayoutMethodType == mangopay.PayoutLocalBankTransfer && rec.R.Currency != req.DebitedFunds.Currency:
		return c.fail(errCurrency(fmt.Sprintf("A LocalBankTransfer recipient only receives its local currency %s, not %s",
			rec.R.Currency, req.DebitedFunds.Currency)))
	}
	switch {
	case w.W.Currency != req.DebitedFunds.Currency:
		return c.fail(errCurrency(fmt.Sprintf("The Wallet's currency %s and the DebitedFunds's currency %s must be the same",
			w.W.Currency, req.DebitedFunds.Currency)))
	case req.Fees.Currency != req.DebitedFunds.Currency:
		return c.fail(errCurrency(fmt.Sprintf("The Fees's currency %s and the DebitedFunds's currency %s must be the same",
			req.Fees.Currency, req.DebitedFunds.Currency)))
	}
	p := s.newPayout(c.Now, &req, w, acct, mode)
	if isRec {
		// BankAccountId keeps what was sent (null for a RecipientId).
		p.P.BankAccountId = ""
		if req.BankAccountId != nil {
			p.P.BankAccountId = strings.TrimSpace(*req.BankAccountId)
		}
		p.P.RecipientId = mangopay.NullString(acct)
		if rec.VOPTest {
			p.P.RecipientVerificationOfPayee = rec.R.RecipientVerificationOfPayee
		}
	}
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
	for name, p := range map[string]*string{"AuthorId": req.AuthorId, "DebitedWalletId": req.DebitedWalletId} {
		if p == nil || strings.TrimSpace(*p) == "" {
			f.required(name)
		}
	}
	if req.account() == "" {
		f.required("BankAccountId")
	}
	if req.ChargeBearer != nil && *req.ChargeBearer != "" && !strings.EqualFold(*req.ChargeBearer, "OUR") {
		f.add("ChargeBearer", fmt.Sprintf("The value %s is not valid for ChargeBearer.", *req.ChargeBearer))
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
		checkLen(f, "Tag", *req.Tag, false, apirules.TextMax)
	}
	return mode, f.err()
}

// account is the Id of the account paid: RecipientId, else BankAccountId.
func (req *payoutReq) account() string {
	if req.RecipientId != nil && strings.TrimSpace(*req.RecipientId) != "" {
		return strings.TrimSpace(*req.RecipientId)
	}
	if req.BankAccountId != nil {
		return strings.TrimSpace(*req.BankAccountId)
	}
	return ""
}

func (s *Server) newPayout(now time.Time, req *payoutReq, w *walletRec, acct string, mode string) *payoutRec {
	p := &payoutRec{Seq: s.st.nextSeq(), P: mangopay.PayOut{Transaction: mangopay.Transaction{
		Id: s.newID("po_m_"), CreationDate: now.Unix(), AuthorId: strings.TrimSpace(*req.AuthorId),
		DebitedFunds: *req.DebitedFunds, Fees: *req.Fees,
		CreditedFunds: mangopay.Money{Currency: req.DebitedFunds.Currency, Amount: req.DebitedFunds.Amount - req.Fees.Amount},
		Status:        mangopay.StatusCreated, Type: "PAYOUT", Nature: "REGULAR", DebitedWalletId: mangopay.NullString(w.W.Id)},
		PaymentType: "BANK_WIRE", ModeRequested: mangopay.NullString(mode),
		ModeApplied: "PENDING_RESPONSE", EndToEndId: mangopay.NullString(randomHex(16)),
	}}
	p.P.BankAccountId = acct
	setNull(&p.P.Tag, req.Tag)
	setNull(&p.P.BankWireRef, req.BankWireRef)
	setUpperNull(&p.P.ChargeBearer, req.ChargeBearer)
	if !s.opts.ManualPayouts {
		p.Due = now.Add(s.opts.PayoutDelay).UnixNano()
	}
	return p
}

// advancePayouts processes the payouts whose delay is over.
func (s *Server) advancePayouts(now time.Time) {
	for id := range popDue(&s.st.pendingPayouts, now) {
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
	code := s.payoutCode(p, w)
	cur := p.P.DebitedFunds.Currency
	if code == "" {
		if err := s.post(now, p.P.Id, cur,
			posting{w.W.Id, -p.P.DebitedFunds.Amount},
			posting{feesWallet(cur), p.P.Fees.Amount},
			posting{acctBank + payoutAccount(&p.P), p.P.CreditedFunds.Amount}); err != nil {
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
// wallet), 002701 (a PAYER's wallet), the account's code (accountCode),
// 002998 and 002999 (KYC, see payoutKYCCode), 001014 (fees above the
// amount), 001001 (short balance).
func (s *Server) payoutCode(p *payoutRec, w *walletRec) string {
	owner := walletOwner(w)
	u, _ := s.st.users.get(owner)
	switch {
	case owner != p.P.AuthorId:
		return "121002"
	case u == nil || u.sum().UserCategory == mangopay.CategoryPayer:
		return "002701"
	}
	acctOwner, code := s.accountCode(p)
	if code != "" {
		return code
	}
	if code := s.payoutKYCCode(u, acctOwner); code != "" {
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
func (s *Server) payoutKYCCode(debited *userRec, acctOwnerID string) string {
	if acctOwner, ok := s.st.users.get(acctOwnerID); !ok || acctOwner.sum().KYCLevel != mangopay.KYCRegular {
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

// legacyCutoff is the end of 2026-04-30 (UTC): a payout to a bank account
// created through the legacy endpoint after it fails with 121018
// (Options.LegacyBankCutoff).
var legacyCutoff = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC).Unix()

// accountCode checks the account a payout pays to and returns its owner,
// or the FAILED code: 121006 for an inactive account or a recipient that
// is not ACTIVE (PENDING, CANCELED or DEACTIVATED; inferred from the
// bank-account code), 121012 for a PAYIN-scope recipient (not usable for
// payouts; inferred), 121018 for a legacy account created after the
// cutoff (Options.LegacyBankCutoff), 121030 for a payout whose
// Verification of Payee is NO_MATCH or MATCH_NOT_POSSIBLE
// (Options.VOPBlocksPayouts).
func (s *Server) accountCode(p *payoutRec) (string, string) {
	if r, ok := s.st.recipients.get(payoutAccount(&p.P)); ok {
		switch {
		case r.R.Status != mangopay.RecipientActive:
			return r.R.UserId, "121006"
		case r.R.RecipientScope != mangopay.ScopePayout:
			return r.R.UserId, "121012"
		}
		if v := p.P.RecipientVerificationOfPayee; s.opts.VOPBlocksPayouts && v != nil &&
			(v.RecipientVerificationCheck == mangopay.VOPNoMatch || v.RecipientVerificationCheck == mangopay.VOPMatchNotPossible) {
			return r.R.UserId, mangopay.ResultVOPFailed
		}
		return r.R.UserId, ""
	}
	ba := s.st.banks.m[payoutAccount(&p.P)]
	switch {
	case !ba.B.Active:
		return ba.B.UserId, "121006"
	case s.opts.LegacyBankCutoff && ba.B.CreationDate >= legacyCutoff:
		return ba.B.UserId, mangopay.ResultNonSCABankAccount
	}
	return ba.B.UserId, ""
}
