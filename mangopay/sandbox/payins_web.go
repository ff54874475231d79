package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
)

// Card web pay-ins: POST /payins/card/web answers a CREATED pay-in whose
// RedirectURL is the hosted payment page. The sandbox serves that page
// itself at <public>/pay/<PayInId>, as it serves the card tokenizer and the
// 3DS challenge: the payer enters a card there, the pay-in SUCCEEDS or
// FAILS (the direct pay-in's amount triggers and CVV 999 apply; "Cancel"
// fails it with 001031) and the browser goes back (302) to ReturnURL, which
// carries ?transactionId=<PayInId>. The card entered becomes a card of the
// author (the pay-in's CardId), so that refunds go back to it like those of
// a direct pay-in. POST /sandbox/payins/{id}/complete does the same for
// tests. A web pay-in is stored, listed and refunded like a direct one.

// webCardTypes are the CardType values of a card web pay-in.
var webCardTypes = map[string]bool{"CB_VISA_MASTERCARD": true, "AMEX": true, "DINERS": true, "MAESTRO": true,
	"P24": true, "IDEAL": true, "BCMC": true, "PAYLIB": true}

// webCultures are the languages of the hosted payment page.
var webCultures = map[string]bool{"DE": true, "EN": true, "DA": true, "ES": true, "ET": true, "FI": true, "FR": true,
	"EL": true, "HU": true, "IT": true, "NL": true, "NO": true, "PL": true, "PT": true, "SK": true, "SV": true, "CS": true}

// webPayinReq is the body of POST /payins/card/web.
type webPayinReq struct {
	AuthorId            *string
	CreditedUserId      *string
	CreditedWalletId    *string
	DebitedFunds        *mangopay.Money
	Fees                *mangopay.Money
	ReturnURL           *string
	CardType            *string
	Culture             *string
	SecureMode          *string
	TemplateURL         *string
	StatementDescriptor *string
	Tag                 *string
}

// check validates the body; it returns the normalized CardType, Culture
// and SecureMode.
func (r *webPayinReq) check(f fieldErrs) (cardType, culture, mode string) {
	for name, p := range map[string]*string{"AuthorId": r.AuthorId, "CreditedWalletId": r.CreditedWalletId,
		"ReturnURL": r.ReturnURL, "CardType": r.CardType, "Culture": r.Culture} {
		if p == nil || strings.TrimSpace(*p) == "" {
			f.required(name)
		}
	}
	checkMoney(f, "DebitedFunds", r.DebitedFunds, 0)
	checkMoney(f, "Fees", r.Fees, 0)
	if r.ReturnURL != nil {
		checkLen(f, "ReturnURL", *r.ReturnURL, false, apirules.TextMax)
	}
	if r.CardType != nil && *r.CardType != "" {
		if cardType = strings.ToUpper(strings.TrimSpace(*r.CardType)); !webCardTypes[cardType] {
			f.add("CardType", fmt.Sprintf("The value %s is not valid for CardType.", *r.CardType))
		}
	}
	if r.Culture != nil && *r.Culture != "" {
		if culture = strings.ToUpper(strings.TrimSpace(*r.Culture)); !webCultures[culture] {
			f.add("Culture", fmt.Sprintf("The value %s is not valid for Culture.", *r.Culture))
		}
	}
	mode = checkSecureMode(f, r.SecureMode)
	checkDescriptor(f, r.StatementDescriptor)
	if r.Tag != nil {
		checkLen(f, "Tag", *r.Tag, false, apirules.TextMax)
	}
	return cardType, culture, mode
}

// createWebPayin is POST /payins/card/web.
func (s *Server) createWebPayin(c *call) (int, any) {
	var req webPayinReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	cardType, culture, mode := req.check(f)
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
	if e := payinCurrencies(req.DebitedFunds, req.Fees, w, nil); e != nil {
		return c.fail(e)
	}
	id := s.newID("payin_m_")
	p := &payinRec{Seq: s.st.nextSeq(), P: mangopay.PayIn{
		Transaction: payinTransaction(c, id, author, w, *req.DebitedFunds, *req.Fees),
		PaymentType: "CARD", ExecutionType: "WEB", SecureMode: mode, Culture: mangopay.NullString(culture),
		CardType:    mangopay.NullString(cardType),
		RedirectURL: mangopay.NullString(s.publicURL(c.Request) + "/pay/" + id),
		ReturnURL:   mangopay.NullString(withTransactionID(strings.TrimSpace(*req.ReturnURL), id)),
	}}
	setNull(&p.P.Tag, req.Tag)
	setNull(&p.P.TemplateURL, req.TemplateURL)
	setNull(&p.P.StatementDescriptor, req.StatementDescriptor)
	s.putPayin(p)
	s.emit(c.Now, "PAYIN_NORMAL_CREATED", id)
	return 200, &p.P
}

// webCard is what the payer enters on the payment page.
type webCard struct {
	Number, Expiry, CVV string
}

// defaultWebCard is the frictionless test card the admin API pays with.
var defaultWebCard = webCard{Number: "4970107111111119", Expiry: "1240", CVV: "123"}

// check reports what is wrong with the card, "" when it can be charged.
func (k webCard) check(now time.Time) string {
	switch {
	case !luhn(k.Number):
		return "The card number is not valid."
	case !futureMMYY(k.Expiry, now):
		return "The expiry date (MMYY) is not valid or in the past."
	case !validCVV(k.CVV, strings.HasPrefix(k.Number, "34") || strings.HasPrefix(k.Number, "37")):
		return "The CVV is not valid."
	}
	return ""
}

// completeWebPayin settles a CREATED web pay-in paid with card k (or
// cancelled when k is nil): the card is registered for the author, then
// the pay-in SUCCEEDS or FAILS as a direct one would. A card that cannot
// be charged (webCard.check) changes nothing: its problem is returned,
// "" otherwise. It is what the payment page and the admin API do. Called
// with s.mu held.
func (s *Server) completeWebPayin(now time.Time, p *payinRec, k *webCard) (problem string) {
	if k == nil {
		failTx(&p.P.Transaction, "001031")
		s.putPayin(p)
		s.emit(now, "PAYIN_NORMAL_FAILED", p.P.Id)
		return ""
	}
	if problem := k.check(now); problem != "" {
		return problem
	}
	reg := &cardRegRec{R: mangopay.CardRegistration{UserId: p.P.AuthorId, Currency: p.P.DebitedFunds.Currency,
		CardType: string(p.P.CardType)}}
	card := s.newCard(now, reg, &cardTokenRec{Number: k.Number, Expiry: k.Expiry, CVV: k.CVV}, "")
	p.P.CardId = card.C.Id
	code, _ := declineCode(p, k.CVV)
	if code == "" {
		code = mangopay.ResultSuccess
	}
	s.finishPayin(now, p, code, true)
	return ""
}

// webPayin finds a web pay-in.
func (s *Server) webPayin(id string) (*payinRec, bool) {
	p, ok := s.st.payins.get(id)
	return p, ok && p.P.ExecutionType == "WEB"
}
