package sandbox

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// Recipients, the endpoints that replace the legacy bank accounts
// (mangopay-2026.md §1). A recipient is created PENDING in every case.
// One that needs no SCA (a PAYIN one, an owner whose Email contains
// "accept", USER_NOT_PRESENT with proxy consent) becomes ACTIVE after
// Options.RecipientDelay (zero: at the next request). Any other PAYOUT
// recipient waits for its owner at PendingUserAction.RedirectUrl, the page
// <public>/sca/recipients/<Id> this sandbox serves: visiting it activates
// the recipient, ?outcome=refuse cancels it, and a link left unvisited for
// recipientSCAExpiry cancels it too (CANCELED: a new one must be created).
// The admin API can activate or cancel it as well. Legacy bank accounts
// are readable, listable and deactivatable here by their own Id, as
// MANGOPAY shows migrated accounts.

// recipientSCAExpiry is how long a recipient's SCA link stays valid.
const recipientSCAExpiry = 10 * time.Minute

// recipientRec is a stored recipient. While PENDING, Due (Unix ns) is when
// the clock decides it: CANCELED when AwaitsSCA (the link expired), else
// ACTIVE. VOPTest tells that its VOP result came from the sandbox test
// table; payouts to it carry that result (others carry null, as MANGOPAY's
// sandbox does).
type recipientRec struct {
	Seq       int64              `json:"Seq"`
	R         mangopay.Recipient `json:"R"`
	Due       int64              `json:"Due,omitempty"`
	AwaitsSCA bool               `json:"AwaitsSCA,omitempty"`
	VOPTest   bool               `json:"VOPTest,omitempty"`
}

func (s *Server) putRecipient(r *recipientRec) {
	s.st.putRecipient(r)
	s.save("recipient", r.R.Id, r)
}

func (st *state) putRecipient(r *recipientRec) {
	st.seen(r.Seq)
	if st.recipients.put(r.R.Id, r.Seq, r) {
		st.userRecipients.add(r.R.UserId, r.R.Id, r.Seq)
	}
	st.pendingRecipients = requeue(st.pendingRecipients, r.R.Id, r.R.Status == mangopay.RecipientPending, r.Due)
}

// recipientPath is the path of a recipient's SCA page (serveRecipientSCA).
func recipientPath(id string) string { return "/sca/recipients/" + id }

// view is the recipient as the API answers it; a pending SCA link is
// rebuilt from base, the request's public URL (see setPendingAction).
func (r *recipientRec) view(base string) *mangopay.Recipient {
	v := r.R
	if v.PendingUserAction != nil {
		v.PendingUserAction = &mangopay.PendingUserAction{RedirectUrl: base + recipientPath(v.Id)}
	}
	return &v
}

// errRecipient is the 400 of a recipient's data: capitalised Errors keyed
// by dotted paths.
func errRecipient(errs map[string]string) *apiError {
	return &apiError{Status: 400, Type: "param_error", Message: platform.MsgParamError, Errors: errs, CapitalErrors: true}
}

// errProxyConsent is the 403 to USER_NOT_PRESENT without proxy approval or
// the user's consent (MANGOPAY's body is undocumented).
func errProxyConsent() *apiError {
	return &apiError{Status: http.StatusForbidden, Type: "forbidden_ressource",
		Message: "ScaContext USER_NOT_PRESENT requires proxy approval and the user's consent"}
}

// hasConsent reports whether USER_NOT_PRESENT may act for u: the client
// has proxy approval and the user gave consent.
func (s *Server) hasConsent(u *userRec) bool {
	return s.opts.ProxyConsent && u.SCA != nil && u.SCA.ConsentAt != nil
}

// payoutMethodsRoute is GET /recipients/payout-methods?Currency=&Country=.
func (s *Server) payoutMethodsRoute(c *call) (int, any) {
	cur, ctry := strings.ToUpper(c.Query("Currency")), strings.ToUpper(c.Query("Country"))
	if e := requiredQuery(map[string]string{"Currency": cur, "Country": ctry}); e != nil {
		return c.fail(e)
	}
	methods, bad := payoutMethods(cur, ctry)
	if bad != nil {
		return c.fail(errRecipient(bad))
	}
	return 200, mangopay.PayoutMethods{AvailablePayoutMethods: methods}
}

// requiredQuery is the 400 naming the query parameters that are empty.
func requiredQuery(q map[string]string) *apiError {
	errs := map[string]string{}
	for k, v := range q {
		if v == "" {
			errs[k] = recRequired
		}
	}
	if len(errs) > 0 {
		return errRecipient(errs)
	}
	return nil
}

// schemaRoute is GET /recipients/schema with PayoutMethodType,
// RecipientType, Currency and Country: the rules create applies.
func (s *Server) schemaRoute(c *call) (int, any) {
	q := recipientReq{PayoutMethodType: c.Query("PayoutMethodType"), RecipientType: c.Query("RecipientType"),
		Currency: c.Query("Currency"), Country: c.Query("Country")}
	q.normalize()
	if bad := q.checkSelectors(); len(bad) > 0 {
		return c.fail(errRecipient(bad))
	}
	out := mangopay.RecipientSchema{}
	for path, r := range recipientRules(q.PayoutMethodType, q.RecipientType, q.Currency, q.Country) {
		out[path] = r.schemaField()
	}
	return 200, out
}

// recipientInput reads and checks the body of create and validate for the
// user in the path against the schema.
func (s *Server) recipientInput(c *call) (*userRec, *recipientReq, *apiError) {
	u, e := s.user(c.Params["userid"])
	if e != nil {
		return nil, nil, e
	}
	var q recipientReq
	if e := c.decodeBody(&q); e != nil {
		return nil, nil, e
	}
	q.normalize()
	if errs := q.check(); len(errs) > 0 {
		return nil, nil, errRecipient(errs)
	}
	if q.ScaContext == "USER_NOT_PRESENT" && !s.hasConsent(u) {
		return nil, nil, errProxyConsent()
	}
	return u, &q, nil
}

// validateRecipient is POST /users/{userid}/recipients/validate: 200
// without a body when create would accept the data.
func (s *Server) validateRecipient(c *call) (int, any) {
	if _, _, e := s.recipientInput(c); e != nil {
		return c.fail(e)
	}
	return 200, nil
}

// createRecipient is POST /users/{userid}/recipients: 201 PENDING. Only
// an OWNER may hold a PAYOUT recipient (a legal one needs its
// representative's Email for SCA); MANGOPAY documents these refusals on
// create, and its SDK's tests validate a PAYOUT recipient for a PAYER, so
// validate does not apply them.
func (s *Server) createRecipient(c *call) (int, any) {
	u, q, e := s.recipientInput(c)
	if e == nil && q.RecipientScope == mangopay.ScopePayout {
		switch {
		case u.sum().UserCategory != mangopay.CategoryOwner:
			e = errRecipient(map[string]string{"SCA": "2815488948686553431"})
		case u.Legal != nil && u.Legal.LegalRepresentativeEmail == "":
			e = errRecipient(map[string]string{"SCA": "KAR_0042"})
		}
	}
	if e != nil {
		return c.fail(e)
	}
	r := &recipientRec{Seq: s.st.nextSeq(), R: mangopay.Recipient{Id: s.newID("rec_"), Tag: mangopay.NullString(q.Tag),
		CreationDate: c.Now.Unix(), Status: mangopay.RecipientPending, DisplayName: mangopay.NullString(q.DisplayName),
		PayoutMethodType: q.PayoutMethodType, RecipientType: q.RecipientType, Currency: q.Currency,
		Country: mangopay.NullString(q.Country), UserId: u.sum().Id, RecipientScope: q.RecipientScope}}
	if q.RecipientScope == mangopay.ScopePayout {
		r.R.ScaContext = mangopay.NullString(q.ScaContext)
		if q.ScaContext == "" {
			r.R.ScaContext = "USER_PRESENT"
		}
	}
	q.fillAccount(&r.R)
	if q.PayoutMethodType == mangopay.PayoutLocalBankTransfer && q.Currency == "EUR" && apirules.LocalTransfer(q.Country, "EUR") {
		r.R.RecipientVerificationOfPayee, r.VOPTest = verifyPayee(q.LocalBankTransfer["EUR"].IBAN, holderName(&r.R))
	}
	needsSCA := q.RecipientScope == mangopay.ScopePayout && !scaBypassed(u) && q.ScaContext != "USER_NOT_PRESENT"
	if needsSCA {
		r.AwaitsSCA, r.Due = true, c.Now.Add(recipientSCAExpiry).UnixNano()
		r.R.PendingUserAction = &mangopay.PendingUserAction{RedirectUrl: recipientPath(r.R.Id)}
	} else {
		r.Due = c.Now.Add(s.opts.RecipientDelay).UnixNano()
	}
	s.putRecipient(r)
	return http.StatusCreated, r.view(s.publicURL(c.Request))
}

// fillAccount copies the holder and account blocks, normalised: IBANs
// without spaces, the BIC derived from an IBAN.
func (q *recipientReq) fillAccount(r *mangopay.Recipient) {
	if q.RecipientType == mangopay.RecipientBusiness {
		b := *q.BusinessRecipient
		b.Address = copyAddress(b.Address)
		r.BusinessRecipient = &b
	} else {
		i := *q.IndividualRecipient
		i.Address = copyAddress(i.Address)
		r.IndividualRecipient = &i
	}
	if q.PayoutMethodType == mangopay.PayoutInternationalBankTransfer {
		i := *q.InternationalBankTransfer
		if _, iban := q.ibanField(); iban != "" {
			i.AccountNumber = normIBAN(iban)
			i.BIC = bicOf(i.AccountNumber)
		}
		r.InternationalBankTransfer = &i
		return
	}
	a := q.LocalBankTransfer[q.Currency]
	if a.IBAN != "" {
		a.IBAN = normIBAN(a.IBAN)
		a.BIC = bicOf(a.IBAN)
	}
	r.LocalBankTransfer = mangopay.LocalBankTransfer{q.Currency: a}
}

func copyAddress(a *mangopay.AddressParams) *mangopay.AddressParams {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}

// bicOf is the BIC MANGOPAY derives from an IBAN: the documented one for
// the VOP test IBAN, else a sandbox BIC of the IBAN's country.
func bicOf(iban string) string {
	if b, ok := vopBICs[iban]; ok {
		return b
	}
	return "SBOX" + iban[:2] + "PPXXX"
}

// holderName is the account holder's name as VOP compares it.
func holderName(r *mangopay.Recipient) string {
	if r.BusinessRecipient != nil {
		return r.BusinessRecipient.BusinessName
	}
	return r.IndividualRecipient.FirstName + " " + r.IndividualRecipient.LastName
}

// getRecipient is GET /recipients/{id}: a recipient, or a legacy bank
// account by its Id.
func (s *Server) getRecipient(c *call) (int, any) {
	v, e := s.recipientByID(c, c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	return 200, v
}

// recipientByID answers a recipient or a legacy bank account as a recipient.
func (s *Server) recipientByID(c *call, id string) (*mangopay.Recipient, *apiError) {
	if r, ok := s.st.recipients.get(id); ok {
		return r.view(s.publicURL(c.Request)), nil
	}
	if b, ok := s.st.banks.get(id); ok {
		return s.legacyRecipient(b), nil
	}
	return nil, errNotFound("Recipient", id)
}

// legacyRecipient shows a legacy IBAN account as MANGOPAY shows a migrated
// one: its own Id, a null DisplayName, ACTIVE or DEACTIVATED, PAYOUT
// scope, and a VOP MATCH_NOT_POSSIBLE with a null Id. A euro-area IBAN is
// a LocalBankTransfer in EUR, any other an InternationalBankTransfer in
// EUR (legacy accounts have no currency; inferred).
func (s *Server) legacyRecipient(b *bankRec) *mangopay.Recipient {
	ctry := b.B.IBAN[:2]
	r := &mangopay.Recipient{Id: b.B.Id, Tag: b.B.Tag, CreationDate: b.B.CreationDate, Status: mangopay.RecipientActive,
		PayoutMethodType: mangopay.PayoutInternationalBankTransfer, RecipientType: mangopay.RecipientIndividual,
		Currency: "EUR", Country: mangopay.NullString(ctry), UserId: b.B.UserId, RecipientScope: mangopay.ScopePayout,
		RecipientVerificationOfPayee: vopResult(mangopay.VOPMatchNotPossible, "", false)}
	if !b.B.Active {
		r.Status = mangopay.RecipientDeactivated
	}
	bic := string(b.B.BIC)
	if bic == "" {
		bic = bicOf(b.B.IBAN)
	}
	a := &mangopay.AddressParams{AddressLine1: string(b.B.OwnerAddress.AddressLine1), AddressLine2: string(b.B.OwnerAddress.AddressLine2),
		City: string(b.B.OwnerAddress.City), Region: string(b.B.OwnerAddress.Region),
		PostalCode: string(b.B.OwnerAddress.PostalCode), Country: string(b.B.OwnerAddress.Country)}
	if u, ok := s.st.users.get(b.B.UserId); ok && u.Legal != nil {
		r.RecipientType = mangopay.RecipientBusiness
		r.BusinessRecipient = &mangopay.BusinessRecipient{BusinessName: b.B.OwnerName, Address: a}
	} else {
		first, last, _ := strings.Cut(b.B.OwnerName, " ")
		r.IndividualRecipient = &mangopay.IndividualRecipient{FirstName: first, LastName: last, Address: a}
	}
	if apirules.LocalCurrency(ctry) == "EUR" {
		r.PayoutMethodType = mangopay.PayoutLocalBankTransfer
		r.LocalBankTransfer = mangopay.LocalBankTransfer{"EUR": {IBAN: b.B.IBAN, BIC: bic}}
	} else {
		r.InternationalBankTransfer = &mangopay.InternationalBankTransfer{AccountNumber: b.B.IBAN, BIC: bic}
	}
	return r
}

// listRecipients is GET /users/{userid}/recipients: summaries (no holder
// or account blocks) of the PAYOUT recipients, or of the PAYIN ones with
// RecipientScope=PAYIN; legacy bank accounts are PAYOUT ones.
func (s *Server) listRecipients(c *call) (int, any) {
	if _, e := s.user(c.Params["userid"]); e != nil {
		return c.fail(e)
	}
	scope := strings.ToUpper(c.Query("RecipientScope"))
	switch scope {
	case "":
		scope = mangopay.ScopePayout
	case mangopay.ScopePayout, mangopay.ScopePayin:
	default:
		return c.fail(errRecipient(map[string]string{"RecipientScope": recNotAllowed}))
	}
	// Recipients and legacy accounts, merged in creation order.
	type item struct {
		seq int64
		r   mangopay.Recipient
	}
	var items []item
	base := s.publicURL(c.Request)
	for _, id := range s.st.userRecipients.ids(c.Params["userid"]) {
		if r := s.st.recipients.m[id]; r.R.RecipientScope == scope {
			items = append(items, item{r.Seq, summary(r.view(base))})
		}
	}
	if scope == mangopay.ScopePayout {
		for _, id := range s.st.userBanks.ids(c.Params["userid"]) {
			b := s.st.banks.m[id]
			items = append(items, item{b.Seq, summary(s.legacyRecipient(b))})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].seq < items[j].seq })
	out := make([]mangopay.Recipient, len(items))
	for i, it := range items {
		out[i] = it.r
	}
	return 200, platform.NewList(out, func(r mangopay.Recipient) int64 { return r.CreationDate })
}

// summary drops what a list item does not carry.
func summary(r *mangopay.Recipient) mangopay.Recipient {
	v := *r
	v.IndividualRecipient, v.BusinessRecipient, v.LocalBankTransfer, v.InternationalBankTransfer = nil, nil, nil, nil
	return v
}

// deactivateRecipient is PUT /recipients/{id} with {"Status":"DEACTIVATED"};
// the recipient (or legacy account) must be ACTIVE (400 invalid_action
// otherwise; MANGOPAY's body is unconfirmed).
func (s *Server) deactivateRecipient(c *call) (int, any) {
	var req struct{ Status *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	if req.Status == nil || strings.ToUpper(strings.TrimSpace(*req.Status)) != mangopay.RecipientDeactivated {
		return c.fail(errRecipient(map[string]string{"Status": recNotAllowed}))
	}
	id := c.Params["id"]
	if b, ok := s.st.banks.get(id); ok {
		if !b.B.Active {
			return c.fail(errAction("invalid_action", "Only an ACTIVE recipient can be deactivated"))
		}
		nb := *b
		nb.B.Active = false
		s.putBank(&nb)
		return 200, s.legacyRecipient(&nb)
	}
	r, ok := s.st.recipients.get(id)
	switch {
	case !ok:
		return c.fail(errNotFound("Recipient", id))
	case r.R.Status != mangopay.RecipientActive:
		return c.fail(errAction("invalid_action", "Only an ACTIVE recipient can be deactivated"))
	}
	nr := *r
	nr.R.Status = mangopay.RecipientDeactivated
	s.putRecipient(&nr)
	s.emit(c.Now, "RECIPIENT_DEACTIVATED", nr.R.Id)
	return 200, nr.view(s.publicURL(c.Request))
}

// advanceRecipients decides the pending recipients whose time has come.
func (s *Server) advanceRecipients(now time.Time) {
	for id := range popDue(&s.st.pendingRecipients, now) {
		if r, ok := s.st.recipients.get(id); ok {
			_ = s.decideRecipient(now, r.R.Id, !r.AwaitsSCA)
		}
	}
}

// decideRecipient ends a PENDING recipient: ACTIVE when activate, else
// CANCELED. It is what the SCA page, the clock and the admin API do; a
// recipient that is no longer PENDING is a 400 invalid_action.
func (s *Server) decideRecipient(now time.Time, id string, activate bool) *apiError {
	r, ok := s.st.recipients.get(id)
	switch {
	case !ok:
		return errNotFound("Recipient", id)
	case r.R.Status != mangopay.RecipientPending:
		return errAction("invalid_action", "The recipient is "+r.R.Status+", not PENDING")
	}
	nr := *r
	nr.Due, nr.AwaitsSCA, nr.R.PendingUserAction = 0, false, nil
	ev := "RECIPIENT_ACTIVE"
	nr.R.Status = mangopay.RecipientActive
	if !activate {
		nr.R.Status, ev = mangopay.RecipientCanceled, "RECIPIENT_CANCELED"
	}
	s.putRecipient(&nr)
	s.emit(now, ev, id)
	return nil
}

// serveRecipientSCA is GET (or POST) <public>/sca/recipients/<Id>, a
// recipient's PendingUserAction.RedirectUrl: visiting it completes the
// owner's SCA and activates the recipient; ?outcome=refuse fails it and
// cancels the recipient. Then it redirects to returnUrl (ReturnUrl) with
// controlStatus appended, or answers a short text page.
func (s *Server) serveRecipientSCA(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/sca/recipients/"), "/")
	refuse := strings.EqualFold(r.URL.Query().Get("outcome"), "refuse")
	s.servePage(w, r, "recipient "+id, queryAnyCase(r, "returnUrl"), func(now time.Time) *apiError {
		return s.decideRecipient(now, id, !refuse)
	}, !refuse)
}
