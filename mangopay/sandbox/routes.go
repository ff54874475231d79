package sandbox

import (
	"net/http"
	"time"
)

// Resource behaviour: decisions taken where MANGOPAY's documentation is
// silent or unconfirmed (see shared/mangopay-api.md).
//
//   - Users: UserCategory and TermsAndConditionsAccepted are required on
//     every POST and PUT (Options.LenientCategory relaxes this: a user
//     without UserCategory is an OWNER when it has every OWNER field, else
//     a PAYER). The /sca
//     twins behave like the legacy routes, except that an OWNER created
//     there whose Email lacks "accept" is PENDING_USER_ACTION until
//     GET <public>/sca/<UserId> completes its enrolment (sca.go); it is
//     refused nothing meanwhile (002704 was lifted in September 2025).
//     A natural OWNER's Email must be personal and its names free of
//     legal-entity markers (2026-02-19, validate.go). Changing the
//     identity of a REGULAR user downgrades it to LIGHT and makes its
//     validated documents OUT_OF_DATE.
//   - Referenced objects that do not exist (an Owner, AuthorId, CardId,
//     wallet or bank account in a body) answer the 404 of that object.
//   - KYC: a document needs at least one page to be submitted. Its verdict
//     follows the Tag given at creation ("accept", "refuse_*"); any other Tag
//     waits for the admin API. A PAYER's document is always REFUSED
//     (SPECIFIC_CASE). UBO declarations are out of scope: a legal BUSINESS or
//     ORGANIZATION user becomes REGULAR with IDENTITY_PROOF,
//     REGISTRATION_PROOF and ARTICLES_OF_ASSOCIATION validated; PARTNERSHIP
//     and SOLETRADER with IDENTITY_PROOF and REGISTRATION_PROOF.
//   - Card registration: tokens and registrations expire after 20 minutes
//     (105299 / errorCode=02631); a registration that is no longer CREATED
//     cannot be finished again (400 invalid_action). Any card with
//     SecureMode DEFAULT or NO_CHOICE is frictionless except the documented
//     challenge cards; FORCE always challenges. GET <SecureModeRedirectURL>
//     completes the challenge (add ?outcome=fail to fail it with 101301).
//   - Amount triggers (33305 ...) and CVV 999 apply to direct pay-ins.
//   - Refunds: caps apply to the sum of succeeded refunds; a full refund
//     refunds what is left. A transfer refund over the fee cap is a 400; a
//     pay-in refund over it FAILS with 005404; a pay-in refund over what
//     is left FAILS with 005403, or 001401 when nothing is left (only one
//     above the pay-in's CreditedFunds is a 400).
//   - Card web pay-ins are paid on the page the sandbox serves
//     (payins_web.go); the platform's wallets always exist (wallets.go).
//   - Payouts are not reserved while CREATED; the wallet is debited when the
//     payout is processed (see ledger.go). INSTANT_PAYMENT is processed as
//     STANDARD; INSTANT_PAYMENT_ONLY and RTGS_PAYMENT are refused.
//   - Fees are never transactions of their own, so the FEES wallet's
//     transaction list stays empty in this flow.
//   - GET /events takes EventType as an optional filter.
//   - Recipients, Verification of Payee, SCA-gated wallet reads and
//     transfers, and identity verification sessions have their decisions
//     at the top of recipients.go, vop.go, scagate.go and idv.go; payouts
//     to recipients and the 121006/121012/121018/121030 codes at
//     accountCode (payouts.go).
//   - Card Validity and payout refunds (a bank returning a payout) have
//     their decisions at the top of cardvalidity.go and bounce.go.

// registerRoutes declares every resource route below /v2.01/{ClientId}.
// Literal routes come before parameter routes of the same length, since
// the first match wins.
func (s *Server) registerRoutes() {
	s.userRoutes()
	s.moneyRoutes()
	s.handle("GET", "/users/{id}/transactions", s.listUserTx)
	s.handle("GET", "/wallets/{id}/transactions", s.listWalletTx)
	s.handle("GET", "/cards/{id}/transactions", s.listCardTx)
	s.handle("GET", "/bankaccounts/{id}/transactions", s.listBankTx)
	s.handle("GET", "/users/{userid}/bankaccounts/{id}/transactions", s.listBankTx)
	s.handle("GET", "/clients/wallets/{fundstype}/{currency}/transactions", s.listClientWalletTx)
	s.handle("GET", "/events", s.listEvents)
	s.handle("POST", "/hooks", s.createHook)
	s.handle("GET", "/hooks", s.listHooks)
	s.handle("GET", "/hooks/{id}", s.getHook)
	s.handle("PUT", "/hooks/{id}", s.updateHook)
}

// userRoutes: users (legacy and /sca twins), wallets, bank accounts,
// recipients, KYC documents and identity verification sessions,
// card registrations and cards.
func (s *Server) userRoutes() {
	for _, pre := range []string{"", "/sca"} {
		s.handle("POST", pre+"/users/natural", s.createNatural)
		s.handle("POST", pre+"/users/legal", s.createLegal)
		s.handle("GET", pre+"/users/natural/{id}", s.getNatural)
		s.handle("GET", pre+"/users/legal/{id}", s.getLegal)
		s.handle("PUT", pre+"/users/natural/{id}", s.updateNatural)
		s.handle("PUT", pre+"/users/legal/{id}", s.updateLegal)
		s.handle("GET", pre+"/users/{id}", s.getUser)
	}
	s.handle("POST", "/sca/users/{id}/enrollment", s.enrolUser)
	s.handle("POST", "/sca/users/{id}/consent", s.consentUser)
	s.handle("GET", "/sca/users/{id}/sca-status", s.scaStatus)
	s.handle("GET", "/users", s.listUsers)
	s.handle("POST", "/wallets", s.createWallet)
	s.handle("GET", "/wallets/{id}", s.getWallet)
	s.handle("PUT", "/wallets/{id}", s.updateWallet)
	s.handle("GET", "/users/{id}/wallets", s.listUserWallets)
	s.handle("GET", "/clients", s.getClient)
	s.handle("GET", "/clients/wallets", s.listClientWallets)
	s.handle("GET", "/clients/wallets/{fundstype}", s.listClientWallets)
	s.handle("GET", "/clients/wallets/{fundstype}/{currency}", s.getClientWallet)
	s.handle("POST", "/users/{userid}/bankaccounts/iban", s.createIBAN)
	s.handle("POST", "/users/{userid}/bankaccounts", s.createBankTyped)
	s.handle("GET", "/users/{userid}/bankaccounts", s.listBanks)
	s.handle("GET", "/users/{userid}/bankaccounts/{id}", s.getBank)
	s.handle("PUT", "/users/{userid}/bankaccounts/{id}", s.updateBank)
	s.handle("GET", "/recipients/payout-methods", s.payoutMethodsRoute)
	s.handle("GET", "/recipients/schema", s.schemaRoute)
	s.handle("GET", "/recipients/{id}", s.getRecipient)
	s.handle("PUT", "/recipients/{id}", s.deactivateRecipient)
	s.handle("POST", "/users/{userid}/recipients/validate", s.validateRecipient)
	s.handle("POST", "/users/{userid}/recipients", s.createRecipient)
	s.handle("GET", "/users/{userid}/recipients", s.listRecipients)
	s.handle("POST", "/users/{userid}/identity-verifications", s.createIDV)
	s.handle("GET", "/users/{userid}/identity-verifications", s.listIDVs)
	s.handle("GET", "/identity-verifications/{id}", s.getIDV)
	s.handle("POST", "/users/{userid}/kyc/documents", s.createKYC)
	s.handle("GET", "/users/{userid}/kyc/documents", s.listKYC)
	s.handle("GET", "/users/{userid}/kyc/documents/{id}", s.getKYC)
	s.handle("PUT", "/users/{userid}/kyc/documents/{id}", s.submitKYC)
	s.handle("POST", "/users/{userid}/kyc/documents/{id}/pages", s.addKYCPage)
	s.handle("GET", "/kyc/documents", s.listKYC)
	s.handle("GET", "/kyc/documents/{id}", s.getKYC)
	s.handle("POST", "/cardregistrations", s.createCardReg)
	s.handle("GET", "/cardregistrations/{id}", s.getCardReg)
	s.handle("PUT", "/cardregistrations/{id}", s.updateCardReg)
	s.handle("GET", "/cards/{id}", s.getCard)
	s.handle("PUT", "/cards/{id}", s.updateCard)
	s.handle("GET", "/users/{id}/cards", s.listUserCards)
}

// moneyRoutes: pay-ins, transfers, refunds and payouts.
func (s *Server) moneyRoutes() {
	s.handle("POST", "/payins/card/direct", s.createPayin)
	s.handle("GET", "/payins/card/direct/{id}", s.getPayin)
	s.handle("POST", "/payins/card/web", s.createWebPayin)
	s.handle("GET", "/payins/card/web/{id}", s.getPayin)
	s.handle("GET", "/payins/{id}", s.getPayin)
	s.handle("POST", "/payins/{id}/refunds", s.createPayinRefund)
	s.handle("GET", "/payins/{id}/refunds", s.listPayinRefunds)
	s.handle("POST", "/transfers", s.createTransfer)
	s.handle("GET", "/transfers/{id}", s.getTransfer)
	s.handle("POST", "/transfers/{id}/refunds", s.createTransferRefund)
	s.handle("GET", "/transfers/{id}/refunds", s.listTransferRefunds)
	s.handle("GET", "/refunds/{id}", s.getRefund)
	s.handle("POST", "/payouts/bankwire", s.createPayout)
	s.handle("GET", "/payouts/bankwire/{id}", s.getPayout)
	s.handle("GET", "/payouts/{id}", s.getPayout)
	s.handle("GET", "/payouts/{id}/refunds", s.listPayoutRefunds)
}

// advance processes what is due at now: KYC verdicts after
// Options.KYCDelay, recipients after Options.RecipientDelay or their SCA
// link's expiry, transfers whose SCA link expired, identity verification
// sessions left PENDING too long, payouts after Options.PayoutDelay and
// cards still UNKNOWN past their validity deadline (cardvalidity.go). The platform
// calls it with s.mu held before every API request and inside every Commit
// (admin API, browser pages, seeds).
func (s *Server) advance(now time.Time) {
	s.advanceKYC(now)
	s.advanceRecipients(now)
	s.advanceTransfers(now)
	s.advanceIDVs(now)
	s.advancePayouts(now)
	s.advanceCards(now)
}

// dashboardRoutes declares the dashboard (dashboard.go): its pages, its
// login, and one POST route per back-office action (backoffice.go).
func (s *Server) dashboardRoutes(mux *http.ServeMux) {
	page := func(name string, build func(q *dashReq, now time.Time) (any, string)) http.HandlerFunc {
		return s.dashHandler(true, func(q *dashReq) {
			s.dashView(q, name, func(now time.Time) (any, string) { return build(q, now) })
		})
	}
	mux.Handle("GET /dashboard", http.RedirectHandler("/dashboard/", http.StatusMovedPermanently))
	mux.HandleFunc("GET /dashboard/{$}", page("overview", func(q *dashReq, now time.Time) (any, string) {
		return s.overview(q.r, now), ""
	}))
	mux.HandleFunc("GET /dashboard/users/{id}", page("user", func(q *dashReq, _ time.Time) (any, string) {
		return s.userPage(q.r.PathValue("id"))
	}))
	mux.HandleFunc("GET /dashboard/wallets/{id}", page("wallet", func(q *dashReq, _ time.Time) (any, string) {
		return s.walletPageView(q.r, q.r.PathValue("id"))
	}))
	mux.HandleFunc("GET /dashboard/queues", page("queues", func(*dashReq, time.Time) (any, string) {
		return queuesView{Queues: s.queues()}, ""
	}))
	mux.HandleFunc("GET /dashboard/search", page("search", func(q *dashReq, _ time.Time) (any, string) {
		return s.search(q.r.URL.Query().Get("q")), ""
	}))
	mux.HandleFunc("GET /dashboard/faults", page("faults", func(_ *dashReq, now time.Time) (any, string) {
		return s.faultsPage(now), ""
	}))
	mux.HandleFunc("GET /dashboard/kyc/{id}/pages/{n}", s.dashHandler(true, s.dashKYCPage))
	mux.HandleFunc("POST /dashboard/faults", s.dashHandler(true, s.dashFaults))
	for _, act := range backofficeActions {
		mux.HandleFunc("POST /dashboard/act/"+act.path, s.dashHandler(true, s.dashAction(act)))
	}
	mux.HandleFunc("POST /dashboard/login", s.dashHandler(false, s.dashLogin))
	mux.HandleFunc("POST /dashboard/logout", s.dashHandler(false, s.dashLogout))
	mux.HandleFunc("GET /dashboard/assets/{file}", s.dashAsset)
	mux.HandleFunc("/dashboard/", s.dashHandler(true, func(q *dashReq) {
		s.dashProblem(q, http.StatusNotFound, "No dashboard page at "+q.r.URL.Path+".")
	}))
}
