package sandbox

import (
	"net/http"
	"strings"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// SCA enrolment of users. MANGOPAY's /sca/users routes send an OWNER to an
// enrolment page (PendingUserAction.RedirectUrl) before it may move money;
// its sandbox skips the enrolment when the Email contains "accept". The
// sandbox serves that page itself at GET <public>/sca/<UserId>: visiting it
// completes the enrolment. POST /sca/users/{id}/enrollment and /consent
// hand out that page and the proxy-consent page (<public>/sca/<UserId>/consent);
// GET /sca/users/{id}/sca-status reports both (scaRec).

// needsEnrolment reports whether a user created through /sca/ must enrol:
// an OWNER the "accept" rule does not exempt (scaBypassed).
func needsEnrolment(u *userRec) bool {
	return u.sum().UserCategory == mangopay.CategoryOwner && !scaBypassed(u)
}

// setPendingAction puts a new user in PENDING_USER_ACTION; its Id must
// already be set. The stored PendingUserAction only marks the user pending:
// its RedirectUrl is the path of the enrolment page, and every answer
// rebuilds the absolute URL from its own request (userRec.view), because
// the embedded sandbox gets a new loopback port each run while its state
// folder persists. Records written before this stored an absolute URL,
// possibly with a dead port; view ignores it likewise.
func (s *Server) setPendingAction(u *userRec) {
	sum := u.sum()
	sum.UserStatus = mangopay.UserPendingAction
	pua := &mangopay.PendingUserAction{RedirectUrl: scaPath(sum.Id)}
	if u.Natural != nil {
		u.Natural.PendingUserAction = pua
	} else {
		u.Legal.PendingUserAction = pua
	}
}

// scaPath is the path of a user's enrolment page, served by serveSCA.
func scaPath(userID string) string { return "/sca/" + userID }

// pendingView is the PendingUserAction a user body shows: nil when the user
// is not pending, else the enrolment page under base (the public
// scheme://host[:port] of the request being answered).
func pendingView(stored *mangopay.PendingUserAction, base, userID string) *mangopay.PendingUserAction {
	if stored == nil {
		return nil
	}
	return &mangopay.PendingUserAction{RedirectUrl: base + scaPath(userID)}
}

// completeEnrolment makes a pending user ACTIVE, records the enrolment
// (scaRec) and persists it; it reports whether the user exists.
func (s *Server) completeEnrolment(id string, now time.Time) bool {
	old, ok := s.st.users.get(id)
	if !ok {
		return false
	}
	if old.sum().UserStatus == mangopay.UserPendingAction {
		u := old.clone()
		u.sum().UserStatus = mangopay.UserActive
		if u.Natural != nil {
			u.Natural.PendingUserAction = nil
		} else {
			u.Legal.PendingUserAction = nil
		}
		s.putUser(u)
		old = u
	}
	if old.SCA == nil || !old.SCA.Enrolled {
		s.markEnrolled(old, now.Unix())
	}
	return true
}

// completeConsent records the proxy consent of a user; it reports whether
// the user exists.
func (s *Server) completeConsent(id string, now time.Time) bool {
	u, ok := s.st.users.get(id)
	if ok {
		s.markConsent(u, now.Unix())
	}
	return ok
}

// serveSCA is GET (or POST) <public>/sca/<UserId>, the RedirectUrl of a
// user's SCA enrolment, and <public>/sca/<UserId>/consent, that of its
// proxy consent. They need no authentication. Visiting one completes the
// enrolment (or records the consent), then redirects (302) to the
// returnUrl query parameter (its name in any case, as on the other SCA
// pages) when given, else answers a short text page. Visiting the
// enrolment page again changes nothing.
func (s *Server) serveSCA(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/sca/"), "/")
	id, consent := strings.CutSuffix(id, "/consent")
	what := "SCA enrolment"
	if consent {
		what = "SCA proxy consent"
	}
	var ok bool
	if !s.visitPage(w, r, func(now time.Time) {
		if consent {
			ok = s.completeConsent(id, now)
		} else {
			ok = s.completeEnrolment(id, now)
		}
	}) {
		return
	}
	if !ok {
		http.Error(w, "unknown "+what, http.StatusNotFound)
		return
	}
	if ret := queryAnyCase(r, "returnUrl"); ret != "" {
		http.Redirect(w, r, ret, http.StatusFound)
		return
	}
	platform.WriteText(w, what+" complete for user "+id+"\n")
}

// scaRec is what the sandbox knows of a user's SCA: whether and when it
// completed an enrolment, and when it last gave proxy consent (what
// GET /sca/users/{id}/sca-status reports).
type scaRec struct {
	Enrolled   bool   `json:"Enrolled"`
	EnrolledAt *int64 `json:"EnrolledAt,omitempty"`
	ConsentAt  *int64 `json:"ConsentAt,omitempty"`
	// WalletAccessAt is when the user last completed a wallet-access SCA
	// (scagate.go).
	WalletAccessAt *int64 `json:"WalletAccessAt,omitempty"`
}

// scaBypassed reports MANGOPAY's sandbox "accept" rule: the Email (for a
// legal user with one, its LegalRepresentative's Email) contains "accept".
func scaBypassed(u *userRec) bool {
	email := u.sum().Email
	if u.Legal != nil && u.Legal.LegalRepresentativeEmail != "" {
		email = string(u.Legal.LegalRepresentativeEmail)
	}
	return strings.Contains(strings.ToLower(email), "accept")
}

// enrolUser is POST /sca/users/{id}/enrollment (no body): an OWNER gets the
// enrolment page as PendingUserAction.RedirectUrl (visiting it completes
// the enrolment); an "accept" user is enrolled at once and gets a null
// PendingUserAction. The UserStatus does not change. A PAYER cannot enrol.
func (s *Server) enrolUser(c *call) (int, any) {
	u, e := s.user(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	if u.sum().UserCategory != mangopay.CategoryOwner {
		return c.fail(errField("UserCategory", "Only a user with UserCategory OWNER can be enrolled in SCA"))
	}
	if scaBypassed(u) {
		s.markEnrolled(u, c.Now.Unix())
		return 200, mangopay.PendingUserActionResponse{}
	}
	return 200, mangopay.PendingUserActionResponse{PendingUserAction: &mangopay.PendingUserAction{RedirectUrl: s.publicURL(c.Request) + scaPath(u.sum().Id)}}
}

// consentUser is POST /sca/users/{id}/consent (no body): the proxy-consent
// page as PendingUserAction.RedirectUrl, or the documented 400 when the
// client has no proxy approval (Options.ProxyConsent).
func (s *Server) consentUser(c *call) (int, any) {
	u, e := s.user(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	if !s.opts.ProxyConsent {
		return c.fail(errField("Invalid SCA request", "Consent cannot be given when no proxy is required by the client."))
	}
	return 200, mangopay.PendingUserActionResponse{PendingUserAction: &mangopay.PendingUserAction{RedirectUrl: s.publicURL(c.Request) + scaPath(u.sum().Id) + "/consent"}}
}

// markEnrolled records a completed enrolment at unix time at and persists
// the user.
func (s *Server) markEnrolled(old *userRec, at int64) {
	s.updateSCA(old, func(r *scaRec) { r.Enrolled, r.EnrolledAt = true, ptr(at) })
}

// markConsent records proxy consent given at unix time at.
func (s *Server) markConsent(old *userRec, at int64) {
	s.updateSCA(old, func(r *scaRec) { r.ConsentAt = ptr(at) })
}

// updateSCA stores a copy of old whose SCA record change made.
func (s *Server) updateSCA(old *userRec, change func(*scaRec)) {
	u := old.clone()
	rec := scaRec{}
	if u.SCA != nil {
		rec = *u.SCA
	}
	change(&rec)
	u.SCA = &rec
	s.putUser(u)
}

// consentGiven is the state of each ConsentScope entry once the user gave
// proxy consent on its page (MANGOPAY's values are unconfirmed; its
// webhooks are SCA_*_CONSENT_GIVEN / _REVOKED).
const consentGiven = "GIVEN"

// scaStatus is GET /sca/users/{id}/sca-status: the user's status, its
// enrolment and its proxy consent (null scopes before any consent).
func (s *Server) scaStatus(c *call) (int, any) {
	u, e := s.user(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	st := &mangopay.SCAStatus{UserStatus: u.sum().UserStatus}
	if r := u.SCA; r != nil {
		st.IsEnrolled, st.LastEnrollmentDate, st.LastConsentCollectionDate = r.Enrolled, r.EnrolledAt, r.ConsentAt
		if r.ConsentAt != nil {
			st.ConsentScope = &mangopay.ConsentScope{ContactInformationUpdate: consentGiven,
				RecipientRegistration: consentGiven, Transfer: consentGiven, ViewAccountInformation: consentGiven}
		}
	}
	return 200, st
}
