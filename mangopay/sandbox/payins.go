package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"settle/mangopay"
)

// payinRec is a stored card pay-in (direct, or web: payins_web.go).
type payinRec struct {
	Seq int64          `json:"Seq"`
	P   mangopay.PayIn `json:"P"`
}

func (s *Server) putPayin(p *payinRec) {
	s.st.putPayin(p)
	s.save("payin", p.P.Id, p)
}

// putPayin stores a pay-in; it is listed under its card once it has one
// (a web pay-in gets its card when the payment page is completed).
func (st *state) putPayin(p *payinRec) {
	st.seen(p.Seq)
	if st.payins.put(p.P.Id, p.Seq, p) {
		st.indexTx(p.P.Id, p.Seq, &p.P.Transaction)
	}
	if p.P.CardId != "" && !slices.Contains(st.txByCard.ids(p.P.CardId), p.P.Id) {
		st.txByCard.add(p.P.CardId, p.P.Id, p.Seq)
	}
}

// amountTriggers are the sandbox's test amounts (DebitedFunds.Amount in
// cents) that make a card pay-in fail with a given code.
var amountTriggers = map[int64]string{
	33313: "001013", 33314: "105101", 33355: "105103", 33305: "101101", 33351: "101102", 33358: "101103",
	33360: "101104", 33338: "101111", 33361: "101115", 33341: "008002", 33343: "008003", 33363: "008005",
	33334: "008006", 33303: "009103", 33394: "009199", 33391: "009499",
}

// resultMessages are the ResultMessages of the codes the sandbox answers.
var resultMessages = map[string]string{
	"000000": "Success",
	"001001": "Unsufficient wallet balance",
	"001013": "Invalid transaction amount",
	"001999": "Generic Operation error",
	"001014": "CreditedFunds must be more than 0 (DebitedFunds can not equal Fees)",
	"001023": "Author is not the card owner",
	"001401": "The transaction has already been successfully refunded",
	"001403": "The transaction cannot be refunded (too old)",
	"002701": "The user is a PAYER: this operation is not allowed",
	"002998": "Blocked due to the Bank Account User's KYC limitations (maximum debited or credited amount reached)",
	"002999": "Blocked due to the Debited User's KYC limitations (maximum debited or credited amount reached)",
	"005403": "The refund cannot exceed initial transaction amount",
	"005404": "The refund fees cannot exceed the fees of the initial transaction",
	"005405": "Insufficient balance on the fees wallet",
	"005407": "Duplicated operation: you cannot refund the same amount more than once for a transaction during the same day",
	"008002": "Fraud policy error",
	"008003": "Fraud policy error",
	"008005": "Fraud policy error",
	"008006": "Fraud policy error",
	"009103": "PSP configuration error",
	"009199": "PSP technical error",
	"009499": "Bank technical error",
	"101101": "Transaction refused by the bank (Do not honor)",
	"101102": "Transaction refused by the bank (Amount limit)",
	"101103": "Transaction refused by the terminal",
	"101104": "Transaction refused by the bank (card limit reached)",
	"101108": "Transaction refused: the debited and the credited wallets must be different",
	"101111": "Maximum number of attempts reached",
	"101115": "Debit limit exceeded",
	"101301": "Secure mode: 3DSecure authentication has failed",
	"101410": "The card is not active",
	"105101": "Invalid card number",
	"105103": "Invalid PIN code",
	"121002": "The author is not the wallet owner",
	"007101": "Transfer authentication failed. Please retry with a new request.",
	"007102": "Transfer authentication expired. Please initiate a new request.",
	"121006": "The bank account is not active",
	"121012": "Inapproriate bank account type used",
	"121018": "This payout uses a non-SCA compliant bank account. Please create via the recipient endpoint and try again.",
	"121030": "Verification of Payee failed: account name and IBAN do not match. Please provide matching details to proceed with the payout",
}

// failTx sets a FAILED outcome on a transaction.
func failTx(t *mangopay.Transaction, code string) {
	t.Status, t.ResultCode, t.ResultMessage, t.ExecutionDate = mangopay.StatusFailed,
		mangopay.NullString(code), mangopay.NullString(resultMessages[code]), nil
}

// succeedTx sets a SUCCEEDED outcome on a transaction.
func succeedTx(t *mangopay.Transaction, now time.Time) {
	t.Status, t.ResultCode, t.ResultMessage, t.ExecutionDate = mangopay.StatusSucceeded,
		mangopay.ResultSuccess, mangopay.NullString(resultMessages[mangopay.ResultSuccess]), ptr(now.Unix())
}

// challengeCards always ask for a 3DS challenge.
var challengeCards = map[string]bool{
	"4970105181818183": true, "5033951000000004": true, "375989111111119": true,
	"4970105715165150": true, "4970105444347681": true,
}

// createPayin is POST /payins/card/direct.
func (s *Server) createPayin(c *call) (int, any) {
	var req payinReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	mode, category, browser := checkPayin(f, &req)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	author, e := s.user(strings.TrimSpace(*req.AuthorId))
	if e != nil {
		return c.fail(e)
	}
	w, e := s.wallet(strings.TrimSpace(*req.CreditedWalletId))
	if e != nil {
		return c.fail(e)
	}
	card, e := s.card(strings.TrimSpace(*req.CardId))
	if e != nil {
		return c.fail(e)
	}
	if e := payinCurrencies(req.DebitedFunds, req.Fees, w, card); e != nil {
		return c.fail(e)
	}
	p := &payinRec{Seq: s.st.nextSeq(), P: s.newPayin(c, &req, author, w, card)}
	p.P.SecureMode, p.P.PaymentCategory, p.P.BrowserInfo = mode, mangopay.NullString(category), browser
	s.decidePayin(c, p, card, mode)
	return 200, &p.P
}

// payinCurrencies checks that the funds, the wallet and the card share a
// currency; a web pay-in has no card yet (card nil).
func payinCurrencies(debited, fees *mangopay.Money, w *walletRec, card *cardRec) *apiError {
	switch {
	case w.W.Currency != debited.Currency:
		return errCurrency(fmt.Sprintf("The Wallet's currency %s and the DebitedFunds's currency %s must be the same",
			w.W.Currency, debited.Currency))
	case card != nil && card.C.Currency != debited.Currency:
		return errCurrency(fmt.Sprintf("The Card's currency %s and the DebitedFunds's currency %s must be the same",
			card.C.Currency, debited.Currency))
	case fees.Currency != debited.Currency:
		return errCurrency(fmt.Sprintf("The Fees's currency %s and the DebitedFunds's currency %s must be the same",
			fees.Currency, debited.Currency))
	}
	return nil
}

// payinTransaction is the transaction part of a CREATED card pay-in, direct
// or web: debited funds less fees credited to w's owner.
func payinTransaction(c *call, id string, author *userRec, w *walletRec, debited, fees mangopay.Money) mangopay.Transaction {
	return mangopay.Transaction{Id: id, CreationDate: c.Now.Unix(), AuthorId: author.sum().Id,
		CreditedUserId: mangopay.NullString(walletOwner(w)), DebitedFunds: debited, Fees: fees,
		CreditedFunds: mangopay.Money{Currency: debited.Currency, Amount: debited.Amount - fees.Amount},
		Status:        mangopay.StatusCreated, Type: "PAYIN", Nature: "REGULAR", CreditedWalletId: mangopay.NullString(w.W.Id)}
}

// newPayin builds the CREATED pay-in object.
func (s *Server) newPayin(c *call, r *payinReq, author *userRec, w *walletRec, card *cardRec) mangopay.PayIn {
	id := s.newID("payin_m_")
	billing, shipping := billingOf(r, author)
	p := mangopay.PayIn{
		Transaction: payinTransaction(c, id, author, w, *r.DebitedFunds, *r.Fees),
		PaymentType: "CARD", ExecutionType: "DIRECT", CardId: card.C.Id,
		SecureModeReturnURL: withTransactionID(strings.TrimSpace(*r.SecureModeReturnURL), id),
		SecurityInfo:        &mangopay.SecurityInfo{AVSResult: "NO_CHECK"},
		IpAddress:           mangopay.NullString(strings.TrimSpace(*r.IpAddress)), Billing: billing, Shipping: shipping,
		CardInfo: &mangopay.CardInfo{BIN: card.Number[:6], IssuingBank: "SANDBOX BANK", IssuerCountryCode: "FR",
			Type: "CREDIT", Brand: card.C.CardProvider},
	}
	setNull(&p.Tag, r.Tag)
	setNull(&p.StatementDescriptor, r.StatementDescriptor)
	setUpperNull(&p.Culture, r.Culture)
	setUpperNull(&p.PreferredCardNetwork, r.PreferredCardNetwork)
	return p
}

// decidePayin settles a new pay-in: FAILED for the documented reasons,
// CREATED awaiting the 3DS challenge, or SUCCEEDED at once (frictionless).
func (s *Server) decidePayin(c *call, p *payinRec, card *cardRec, mode string) {
	s.putPayin(p)
	s.emit(c.Now, "PAYIN_NORMAL_CREATED", p.P.Id)
	code, cardDecline := "", false
	switch {
	case card.C.UserId != p.P.AuthorId:
		code = "001023"
	case !card.C.Active || card.C.Validity == validityInvalid:
		// A deactivated card, or one whose Validity is INVALID (final:
		// its first payment failed or it sat unused for 24 h).
		code = "101410"
	default:
		code, cardDecline = declineCode(p, card.CVV)
	}
	if code != "" {
		s.finishPayin(c.Now, p, code, cardDecline)
		return
	}
	if mode == "FORCE" || challengeCards[card.Number] {
		p.P.SecureModeNeeded = true
		p.P.SecureModeRedirectURL = mangopay.NullString(s.publicURL(c.Request) + "/3ds/" + p.P.Id)
		p.P.Applied3DSVersion = "V2_1"
		s.putPayin(p)
		return
	}
	p.P.Applied3DSVersion = "V2_1"
	s.finishPayin(c.Now, p, mangopay.ResultSuccess, true)
}

// declineCode is the sandbox's refusal of charging a card with CVV cvv for
// p, direct or web: 001014 when nothing would be credited (not the card's
// fault), else an amount trigger or CVV 999 (the card is declined:
// cardDecline); "" when the card may be charged.
func declineCode(p *payinRec, cvv string) (code string, cardDecline bool) {
	switch {
	case p.P.CreditedFunds.Amount <= 0:
		return "001014", false
	case amountTriggers[p.P.DebitedFunds.Amount] != "":
		return amountTriggers[p.P.DebitedFunds.Amount], true
	case cvv == "999":
		return "101101", true
	}
	return "", false
}

// finishPayin records a pay-in's final status: on success the card's
// DebitedFunds go to the wallet (CreditedFunds) and FEES (Fees). The card's
// Validity follows the first real payment attempt.
func (s *Server) finishPayin(now time.Time, p *payinRec, code string, cardAttempt bool) {
	if code == mangopay.ResultSuccess {
		cur := p.P.DebitedFunds.Currency
		err := s.post(now, p.P.Id, cur,
			posting{acctCard + p.P.CardId, -p.P.DebitedFunds.Amount},
			posting{string(p.P.CreditedWalletId), p.P.CreditedFunds.Amount},
			posting{feesWallet(cur), p.P.Fees.Amount})
		if err != nil {
			code = "001999"
		}
	}
	if code == mangopay.ResultSuccess {
		succeedTx(&p.P.Transaction, now)
	} else {
		failTx(&p.P.Transaction, code)
	}
	s.putPayin(p)
	if cardAttempt {
		s.setValidity(p.P.CardId, code == mangopay.ResultSuccess)
	}
	if code == mangopay.ResultSuccess {
		s.emit(now, "PAYIN_NORMAL_SUCCEEDED", p.P.Id)
	} else {
		s.emit(now, "PAYIN_NORMAL_FAILED", p.P.Id)
	}
}

// getPayin is GET /payins/{id} (and /payins/card/direct/{id},
// /payins/card/web/{id}).
func (s *Server) getPayin(c *call) (int, any) {
	p, ok := s.st.payins.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("PayIn", c.Params["id"]))
	}
	return 200, &p.P
}
