package executor

import (
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// SCA enrolment: an OWNER created through MANGOPAY's /sca/users routes
// (mangopay.Config.SCAUserRoutes) comes back PENDING_USER_ACTION until the
// person visits its PendingUserAction.RedirectUrl. Its step ends pending,
// which skips its dependants this run; the next apply reads the user again
// and carries on once it is ACTIVE.

// scaURL is the RedirectUrl of a user's PendingUserAction, "" when none.
func scaURL(n *mangopay.NaturalUser, l *mangopay.LegalUser) string {
	switch {
	case n != nil && n.PendingUserAction != nil:
		return n.PendingUserAction.RedirectUrl
	case l != nil && l.PendingUserAction != nil:
		return l.PendingUserAction.RedirectUrl
	}
	return ""
}

// errSCA is the message of a user waiting for its SCA enrolment.
func errSCA(url string) error {
	return fmt.Errorf("owner must complete SCA enrolment: %s", url)
}

// scaPendingOutcome turns the outcome of a user step into pending when the
// user is PENDING_USER_ACTION.
func scaPendingOutcome(o outcome, status, url string) outcome {
	if status != mangopay.UserPendingAction || (o.State != StateSucceeded && o.State != "") {
		return o
	}
	o.State, o.Status, o.Err = StatePending, status, errSCA(url)
	return o
}

// foundPending is the pending outcome of an existing user step still
// PENDING_USER_ACTION; ok is false otherwise.
func foundPending(f *found) (outcome, bool) {
	if f == nil || !f.Exists || f.UserStatus != mangopay.UserPendingAction { // only users have a UserStatus
		return outcome{}, false
	}
	return scaPendingOutcome(outcome{ID: f.ID}, f.UserStatus, f.SCAURL), true
}

// scaBlocked returns why a money step cannot run while the owner of a
// wallet it moves money from or to is PENDING_USER_ACTION, or "".
func (pf *preflight) scaBlocked(s *plan.Step) string {
	debited, credited := walletsOf(s)
	for _, w := range []string{debited, credited} {
		ws := pf.g.byKey[w]
		if ws == nil || ws.Owner == "" {
			continue
		}
		if f := pf.st.found[ws.Owner]; f != nil && f.Exists && f.UserStatus == mangopay.UserPendingAction {
			return fmt.Sprintf("%s: %v", ws.Owner, errSCA(f.SCAURL))
		}
	}
	return ""
}
