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
// completes the enrolment.

// needsEnrolment reports whether a user created through /sca/ must enrol.
func needsEnrolment(sum *mangopay.UserSummary) bool {
	return sum.UserCategory == mangopay.CategoryOwner &&
		!strings.Contains(strings.ToLower(sum.Email), "accept")
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

// isPendingAction reports whether a user is in PENDING_USER_ACTION.
func (s *Server) isPendingAction(userID string) bool {
	u, ok := s.st.users.get(userID)
	return ok && u.sum().UserStatus == mangopay.UserPendingAction
}

// completeEnrolment makes a pending user ACTIVE and persists it; it reports
// whether the user exists.
func (s *Server) completeEnrolment(id string) bool {
	old, ok := s.st.users.get(id)
	if !ok {
		return false
	}
	if old.sum().UserStatus != mangopay.UserPendingAction {
		return true
	}
	u := old.clone()
	u.sum().UserStatus = mangopay.UserActive
	if u.Natural != nil {
		u.Natural.PendingUserAction = nil
	} else {
		u.Legal.PendingUserAction = nil
	}
	s.putUser(u)
	return true
}

// serveSCA is GET (or POST) <public>/sca/<UserId>, the RedirectUrl of a
// user's SCA enrolment. It needs no authentication. Visiting it completes
// the enrolment, then redirects (302) to the returnUrl query parameter when
// given, else answers a short text page. Visiting it again changes nothing.
func (s *Server) serveSCA(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/sca/"), "/")
	var ok bool
	if err := s.api.Commit(func(time.Time) { ok = s.completeEnrolment(id) }); err != nil {
		http.Error(w, "state log failure", http.StatusInternalServerError)
		return
	}
	if !ok {
		http.Error(w, "unknown SCA enrolment", http.StatusNotFound)
		return
	}
	if ret := r.URL.Query().Get("returnUrl"); ret != "" {
		http.Redirect(w, r, ret, http.StatusFound)
		return
	}
	platform.WriteText(w, "SCA enrolment complete for user "+id+"\n")
}
