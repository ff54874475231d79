package sandbox

import (
	"strings"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// txList renders the transactions ids, filtered by Status, Type, Nature
// and ResultCode (comma lists or repeated keys, any case).
func (s *Server) txList(c *call, ids []string) platform.List {
	out := make([]mangopay.Transaction, 0, len(ids))
	for _, id := range ids {
		t, ok := s.st.transaction(id)
		if !ok {
			continue
		}
		if c.Accepts("Status", t.Status) && c.Accepts("Type", t.Type) && c.Accepts("Nature", t.Nature) &&
			c.Accepts("ResultCode", string(t.ResultCode)) {
			out = append(out, t)
		}
	}
	return platform.NewList(out, func(t mangopay.Transaction) int64 { return t.CreationDate })
}

// listUserTx is GET /users/{id}/transactions: what the user authored or
// what moved on its wallets.
func (s *Server) listUserTx(c *call) (int, any) {
	if _, e := s.user(c.Params["id"]); e != nil {
		return c.fail(e)
	}
	if e := s.walletGate(c, c.Params["id"]); e != nil {
		return c.fail(e)
	}
	return 200, s.txList(c, s.st.txByUser.ids(c.Params["id"]))
}

// listWalletTx is GET /wallets/{id}/transactions.
func (s *Server) listWalletTx(c *call) (int, any) {
	w, e := s.wallet(c.Params["id"])
	if e == nil {
		e = s.walletGate(c, walletOwner(w))
	}
	if e != nil {
		return c.fail(e)
	}
	return 200, s.txList(c, s.st.txByWallet.ids(c.Params["id"]))
}

// listCardTx is GET /cards/{id}/transactions: the card's pay-ins.
func (s *Server) listCardTx(c *call) (int, any) {
	if _, e := s.card(c.Params["id"]); e != nil {
		return c.fail(e)
	}
	return 200, s.txList(c, s.st.txByCard.ids(c.Params["id"]))
}

// listBankTx is GET /bankaccounts/{id}/transactions and
// /users/{userid}/bankaccounts/{id}/transactions: the account's payouts.
// With the user in the path the account must be theirs, as for getBank.
func (s *Server) listBankTx(c *call) (int, any) {
	if _, scoped := c.Params["userid"]; scoped {
		if _, e := s.userBank(c); e != nil {
			return c.fail(e)
		}
	} else if _, ok := s.st.banks.get(c.Params["id"]); !ok {
		return c.fail(errNotFound("BankAccount", c.Params["id"]))
	}
	return 200, s.txList(c, s.st.txByBank.ids(c.Params["id"]))
}

// listClientWalletTx is GET /clients/wallets/{fundstype}/{currency}/transactions.
// Fees are not transactions of their own: only movements made directly on
// the client wallet are listed, and the crowdfunding flow makes none.
func (s *Server) listClientWalletTx(c *call) (int, any) {
	ft, e := clientFundsType(c.Params["fundstype"])
	if e != nil {
		return c.fail(e)
	}
	id := ft + "_" + strings.ToUpper(c.Params["currency"])
	return 200, s.txList(c, s.st.txByWallet.ids(id))
}
