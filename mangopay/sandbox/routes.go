package sandbox

import (
	"time"
)

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

// userRoutes: users (legacy and /sca twins), wallets, bank accounts, KYC,
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
	s.handle("GET", "/users", s.listUsers)
	s.handle("POST", "/wallets", s.createWallet)
	s.handle("GET", "/wallets/{id}", s.getWallet)
	s.handle("PUT", "/wallets/{id}", s.updateWallet)
	s.handle("GET", "/users/{id}/wallets", s.listUserWallets)
	s.handle("GET", "/clients/wallets", s.listClientWallets)
	s.handle("GET", "/clients/wallets/{fundstype}", s.listClientWallets)
	s.handle("GET", "/clients/wallets/{fundstype}/{currency}", s.getClientWallet)
	s.handle("POST", "/users/{userid}/bankaccounts/iban", s.createIBAN)
	s.handle("POST", "/users/{userid}/bankaccounts", s.createBankTyped)
	s.handle("GET", "/users/{userid}/bankaccounts", s.listBanks)
	s.handle("GET", "/users/{userid}/bankaccounts/{id}", s.getBank)
	s.handle("PUT", "/users/{userid}/bankaccounts/{id}", s.updateBank)
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
// Options.KYCDelay and payouts after Options.PayoutDelay. The platform
// calls it with s.mu held before every API request and from the admin API.
func (s *Server) advance(now time.Time) {
	s.advanceKYC(now)
	s.advancePayouts(now)
}
