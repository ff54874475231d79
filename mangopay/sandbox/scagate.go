package sandbox

import (
	"net/http"
	"strings"
	"time"

	"settle/mangopay"
)

// SCA-gated actions (mangopay-2026.md §3.4, §3.5). Since September 2025 a
// PENDING_USER_ACTION user is no longer refused anything (002704 is gone);
// instead two actions ask the user to authenticate:
//
//   - Reading an OWNER's wallets or transactions (GET /wallets/{id},
//     /users/{id}/wallets, /users/{id}/transactions,
//     /wallets/{id}/transactions), with Options.WalletSCA: ScaContext
//     (query, default USER_PRESENT) USER_PRESENT answers 401 with
//     "WWW-Authenticate: PendingUserAction RedirectUrl=<public>/sca/wallets/<UserId>"
//     unless the owner's Email contains "accept" or the owner completed that
//     page within walletSCAValidity; USER_NOT_PRESENT needs proxy approval
//     and the owner's consent (else 403).
//   - A transfer between two different OWNERs of more than transferSCAAbove
//     with ScaContext USER_PRESENT (the default) answers CREATED with
//     PendingUserAction.RedirectUrl <public>/sca/transfers/<Id>, unless the
//     debited owner's Email contains "accept". Visiting the page settles
//     the transfer (SUCCEEDED, or FAILED as any transfer may);
//     ?outcome=refuse fails it with 007101; a link unvisited for
//     transferSCAExpiry fails it with 007102. USER_NOT_PRESENT on a
//     transfer debiting an OWNER needs proxy approval and consent (else 403).

// Thresholds of the SCA-gated actions.
const (
	walletSCAValidity = 180 * 24 * time.Hour
	transferSCAAbove  = 50000
	transferSCAExpiry = 10 * time.Minute
)

// scaContext reads ScaContext, USER_PRESENT when absent.
func scaContext(v string) string {
	if v = strings.ToUpper(strings.TrimSpace(v)); v == "" {
		return "USER_PRESENT"
	}
	return v
}

// walletPath is the path of an owner's wallet-access SCA page.
func walletPath(userID string) string { return "/sca/wallets/" + userID }

// errWalletSCA is the 401 asking the owner to authenticate at url.
func errWalletSCA(url string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Type: "sca_required",
		Message: "Strong customer authentication is required to access this user's account information",
		Header:  http.Header{"Www-Authenticate": {"PendingUserAction RedirectUrl=" + url}}}
}

// walletGate is the refusal of a wallet read of owner's account, nil when
// the read may proceed.
func (s *Server) walletGate(c *call, owner string) *apiError {
	if !s.opts.WalletSCA || owner == "" {
		return nil
	}
	u, ok := s.st.users.get(owner)
	if !ok || u.sum().UserCategory != mangopay.CategoryOwner {
		return nil
	}
	switch scaContext(c.Query("ScaContext")) {
	case "USER_NOT_PRESENT":
		if !s.hasConsent(u) {
			return errProxyConsent()
		}
		return nil
	case "USER_PRESENT":
	default:
		return errField("ScaContext", "The value "+c.Query("ScaContext")+" is not valid for ScaContext.")
	}
	if scaBypassed(u) || (u.SCA != nil && u.SCA.WalletAccessAt != nil &&
		c.Now.Sub(time.Unix(*u.SCA.WalletAccessAt, 0)) < walletSCAValidity) {
		return nil
	}
	return errWalletSCA(s.publicURL(c.Request) + walletPath(owner))
}

// completeWalletSCA records an owner's wallet-access SCA.
func (s *Server) completeWalletSCA(now time.Time, userID string) *apiError {
	u, e := s.user(userID)
	if e != nil {
		return e
	}
	s.updateSCA(u, func(r *scaRec) { r.WalletAccessAt = ptr(now.Unix()) })
	return nil
}

// serveWalletSCA is GET (or POST) <public>/sca/wallets/<UserId>, the
// RedirectUrl of the 401: visiting it completes the owner's wallet-access
// SCA for walletSCAValidity.
func (s *Server) serveWalletSCA(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/sca/wallets/"), "/")
	s.servePage(w, r, "user "+id, queryAnyCase(r, "returnUrl"), func(now time.Time) *apiError { return s.completeWalletSCA(now, id) }, true)
}

// transferGate decides a new transfer's SCA: a 403 (USER_NOT_PRESENT
// without consent), or whether the debited owner must authenticate first.
func (s *Server) transferGate(ctx string, t *transferRec, dw, cw *walletRec) (bool, *apiError) {
	debited, okD := s.st.users.get(walletOwner(dw))
	credited, okC := s.st.users.get(walletOwner(cw))
	if !okD || debited.sum().UserCategory != mangopay.CategoryOwner {
		return false, nil
	}
	if ctx == "USER_NOT_PRESENT" {
		if !s.hasConsent(debited) {
			return false, errProxyConsent()
		}
		return false, nil
	}
	return ctx == "USER_PRESENT" && okC && credited.sum().UserCategory == mangopay.CategoryOwner &&
		credited.sum().Id != debited.sum().Id && t.T.DebitedFunds.Amount > transferSCAAbove && !scaBypassed(debited), nil
}

// transferPath is the path of a transfer's SCA page.
func transferPath(id string) string { return "/sca/transfers/" + id }

// decideTransferSCA ends a transfer waiting for SCA: settled when
// authenticated, else FAILED with code (007101 refused, 007102 expired).
func (s *Server) decideTransferSCA(now time.Time, id string, authenticated bool, code string) *apiError {
	t, ok := s.st.transfers.get(id)
	switch {
	case !ok:
		return errNotFound("Transfer", id)
	case t.T.Status != mangopay.StatusCreated || t.T.PendingUserAction == nil:
		return errAction("invalid_action", "The transfer is "+t.T.Status+" and waits for no authentication")
	}
	nt := *t
	nt.Due, nt.T.PendingUserAction = 0, nil
	if !authenticated {
		failTx(&nt.T.Transaction, code)
		s.putTransfer(&nt)
		s.emit(now, "TRANSFER_NORMAL_FAILED", id)
		return nil
	}
	dw, _ := s.st.wallets.get(string(nt.T.DebitedWalletId))
	cw, _ := s.st.wallets.get(string(nt.T.CreditedWalletId))
	s.settleTransfer(now, &nt, dw, cw)
	return nil
}

// advanceTransfers fails the transfers whose SCA link expired.
func (s *Server) advanceTransfers(now time.Time) {
	for id := range popDue(&s.st.pendingTransfers, now) {
		if t, ok := s.st.transfers.get(id); ok && t.T.PendingUserAction != nil {
			_ = s.decideTransferSCA(now, id, false, "007102")
		}
	}
}

// serveTransferSCA is GET (or POST) <public>/sca/transfers/<Id>, a
// transfer's PendingUserAction.RedirectUrl.
func (s *Server) serveTransferSCA(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/sca/transfers/"), "/")
	refuse := strings.EqualFold(r.URL.Query().Get("outcome"), "refuse")
	s.servePage(w, r, "transfer "+id, queryAnyCase(r, "returnUrl"), func(now time.Time) *apiError {
		return s.decideTransferSCA(now, id, !refuse, "007101")
	}, !refuse)
}
