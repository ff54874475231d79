package sandbox

import (
	"fmt"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// walletRec is a stored wallet. Its balance lives in the ledger
// (state.balances), never in W.Balance.
type walletRec struct {
	Seq int64           `json:"Seq"`
	W   mangopay.Wallet `json:"W"`
}

// currencies are the client's enabled currencies, upper-case.
func (s *Server) currencies() []string {
	if len(s.opts.Currencies) == 0 {
		return allCurrencies
	}
	out := make([]string, len(s.opts.Currencies))
	for i, c := range s.opts.Currencies {
		out[i] = strings.ToUpper(c)
	}
	return out
}

// allCurrencies are MANGOPAY's currencies, enabled by default.
var allCurrencies = apirules.Currencies()

// currencyEnabled reports whether the client may use cur.
func (s *Server) currencyEnabled(cur string) bool {
	for _, c := range s.currencies() {
		if strings.EqualFold(c, cur) {
			return true
		}
	}
	return false
}

// walletView is the wallet with its current balance.
func (s *Server) walletView(w *walletRec) mangopay.Wallet {
	v := w.W
	v.Balance = mangopay.Money{Currency: v.Currency, Amount: s.st.balances[v.Id]}
	return v
}

// wallet finds a wallet or answers the 404.
func (s *Server) wallet(id string) (*walletRec, *apiError) {
	w, ok := s.st.wallets.get(id)
	if !ok {
		return nil, errNotFound("Wallet", id)
	}
	return w, nil
}

// walletOwner is the single owner of a user wallet ("" for client wallets).
func walletOwner(w *walletRec) string {
	if len(w.W.Owners) == 1 {
		return w.W.Owners[0]
	}
	return ""
}

// putWallet stores and persists a wallet, indexing it when new.
func (s *Server) putWallet(w *walletRec) {
	s.st.putWallet(w)
	s.save("wallet", w.W.Id, w)
}

func (st *state) putWallet(w *walletRec) {
	st.seen(w.Seq)
	if !st.wallets.put(w.W.Id, w.Seq, w) {
		return
	}
	if owner := walletOwner(w); owner != "" {
		st.userWallets.add(owner, w.W.Id, w.Seq)
	} else {
		st.clientWlts.add("", w.W.Id, w.Seq)
	}
}

// clientWallet returns the client wallet with Id FEES_<CUR> or CREDIT_<CUR>,
// creating it on first use.
func (s *Server) clientWallet(now time.Time, id string) *walletRec {
	if w, ok := s.st.wallets.get(id); ok {
		return w
	}
	fundsType, cur, _ := strings.Cut(id, "_")
	w := &walletRec{Seq: s.st.nextSeq(), W: mangopay.Wallet{Id: id, Currency: cur, FundsType: fundsType,
		CreationDate: now.Unix()}}
	s.putWallet(w)
	return w
}

// walletReq is the body of POST /wallets.
type walletReq struct {
	Owners      []string
	Description *string
	Currency    *string
	Tag         *string
}

// createWallet is POST /wallets.
func (s *Server) createWallet(c *call) (int, any) {
	var req walletReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	switch {
	case len(req.Owners) == 0:
		f.required("Owners")
	case len(req.Owners) > 1:
		f.add("Owners", "Owners doesn't support multiple values for the moment")
	}
	desc, cur := "", ""
	setStr(&desc, req.Description)
	setStr(&cur, req.Currency)
	cur = strings.ToUpper(cur)
	checkLen(f, "Description", desc, true, apirules.TextMax)
	switch {
	case cur == "":
		f.required("Currency")
	case !s.currencyEnabled(cur):
		f.add("Currency", fmt.Sprintf("Currency: The currency %s is not available", cur))
	}
	tag := ""
	setStr(&tag, req.Tag)
	checkLen(f, "Tag", tag, false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if _, e := s.user(req.Owners[0]); e != nil {
		return c.fail(e)
	}
	w := &walletRec{Seq: s.st.nextSeq(), W: mangopay.Wallet{Description: desc, Owners: []string{req.Owners[0]},
		Id: s.newID("wlt_m_"), Currency: cur, FundsType: "DEFAULT", Tag: mangopay.NullString(tag), CreationDate: c.Now.Unix()}}
	s.putWallet(w)
	return 200, s.walletView(w)
}

// getWallet is GET /wallets/{id}; client wallet Ids work too.
func (s *Server) getWallet(c *call) (int, any) {
	w, e := s.wallet(c.Params["id"])
	if e == nil {
		e = s.walletGate(c, walletOwner(w))
	}
	if e != nil {
		return c.fail(e)
	}
	return 200, s.walletView(w)
}

// updateWallet is PUT /wallets/{id}: only Description and Tag change.
func (s *Server) updateWallet(c *call) (int, any) {
	w, e := s.wallet(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	if walletOwner(w) == "" {
		return c.fail(errNotFound("Wallet", c.Params["id"]))
	}
	var req struct{ Description, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	nw := *w
	setStr(&nw.W.Description, req.Description)
	setNull(&nw.W.Tag, req.Tag)
	f := fieldErrs{}
	checkLen(f, "Description", nw.W.Description, true, apirules.TextMax)
	checkLen(f, "Tag", string(nw.W.Tag), false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	s.putWallet(&nw)
	return 200, s.walletView(&nw)
}

// listUserWallets is GET /users/{id}/wallets.
func (s *Server) listUserWallets(c *call) (int, any) {
	if _, e := s.user(c.Params["id"]); e != nil {
		return c.fail(e)
	}
	if e := s.walletGate(c, c.Params["id"]); e != nil {
		return c.fail(e)
	}
	return 200, s.walletList(s.st.userWallets.ids(c.Params["id"]), "")
}

// walletList renders wallets, keeping only fundsType when set.
func (s *Server) walletList(ids []string, fundsType string) platform.List {
	out := make([]mangopay.Wallet, 0, len(ids))
	for _, id := range ids {
		w := s.st.wallets.m[id]
		if fundsType == "" || w.W.FundsType == fundsType {
			out = append(out, s.walletView(w))
		}
	}
	return platform.NewList(out, func(w mangopay.Wallet) int64 { return w.CreationDate })
}

// clientFundsType reads the FundsType path parameter (FEES or CREDIT).
func clientFundsType(v string) (string, *apiError) {
	ft := strings.ToUpper(v)
	if ft != "FEES" && ft != "CREDIT" {
		return "", errField("FundsType", fmt.Sprintf("The value '%s' is not valid for FundsType.", v))
	}
	return ft, nil
}

// listClientWallets is GET /clients/wallets and /clients/wallets/{fundstype}.
// The platform's wallets always exist, as at MANGOPAY: CREDIT_<cur> and
// FEES_<cur> of every enabled currency are listed (and stored, as a GET of
// one of them stores it) whether or not money ever reached them.
func (s *Server) listClientWallets(c *call) (int, any) {
	ft, types := "", []string{"CREDIT", "FEES"}
	if v, ok := c.Params["fundstype"]; ok {
		var e *apiError
		if ft, e = clientFundsType(v); e != nil {
			return c.fail(e)
		}
		types = []string{ft}
	}
	for _, cur := range s.currencies() {
		for _, t := range types {
			s.clientWallet(c.Now, t+"_"+cur)
		}
	}
	return 200, s.walletList(s.st.clientWlts.ids(""), ft)
}

// getClientWallet is GET /clients/wallets/{fundstype}/{currency}. The
// wallet of an enabled currency exists from the first read on.
func (s *Server) getClientWallet(c *call) (int, any) {
	ft, e := clientFundsType(c.Params["fundstype"])
	if e != nil {
		return c.fail(e)
	}
	cur := strings.ToUpper(c.Params["currency"])
	if !s.currencyEnabled(cur) {
		return c.fail(errNotFound("Wallet", ft+"_"+cur))
	}
	return 200, s.walletView(s.clientWallet(c.Now, ft+"_"+cur))
}
