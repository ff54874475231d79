package executor

import (
	"context"
	"errors"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// SCA enrolment: an OWNER created through MANGOPAY's /sca/users routes
// (mangopay.Config.SCAUserRoutes) comes back PENDING_USER_ACTION until the
// person visits its PendingUserAction.RedirectUrl. Its step ends pending,
// which skips its dependants this run; the next apply reads the user again
// and carries on once it is ACTIVE. MANGOPAY refuses no transfer or payout
// of such a user any more (002704 was lifted in September 2025): what it
// still gates by SCA (wallet reads, recipients, OWNER-to-OWNER transfers)
// answers with a link of its own.

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

// classifyUser is a user's classification (updateDrift), its reason
// naming the enrolment a PENDING_USER_ACTION owner still owes. Only the
// user's step waits for it: MANGOPAY lifted in September 2025 the 002704
// refusal of transfers touching such a user, so no money step is blocked
// on it; its dependants wait as dependants of a pending step.
func classifyUser(s *plan.Step, f *found, ch *Change) {
	updateDrift(s, f, ch)
	if f.UserStatus == mangopay.UserPendingAction && ch.Reason == "" {
		ch.Reason = "pending: " + errSCA(f.SCAURL).Error()
	}
}

// Owner wallet reads. MANGOPAY gates reading an OWNER's wallets and their
// transactions by SCA (since 2025-12-15): a read made without the owner
// present answers 401 with the page where the owner must authenticate
// (mangopay.ErrSCARequired), unless the platform holds proxy consent and
// says so (Config.ProxyConsent: the reads then send ScaContext
// USER_NOT_PRESENT, and a 403 means the consent is missing). settle finds
// an owner's wallets and movements through those reads, so such a 401
// ends the run as pending on the owner (exit 5 in the CLI), never as an
// authentication failure.

// scaContext is the context of a run's calls: with Config.ProxyConsent,
// the reads MANGOPAY gates by SCA send ScaContext USER_NOT_PRESENT.
func (c Config) scaContext(ctx context.Context) context.Context {
	if !c.ProxyConsent {
		return ctx
	}
	return mangopay.WithScaContext(ctx, mangopay.ScaUserNotPresent)
}

// ownerUpdateContext is the ScaContext of an update of user u: with
// Config.ProxyConsent, USER_NOT_PRESENT for an owner (MANGOPAY gates an
// OWNER's contact-detail changes by SCA; the proxy acts without them),
// else none (MANGOPAY's default).
func (x *applier) ownerUpdateContext(u *plan.User) string {
	if x.cfg.ProxyConsent && u != nil && u.Category == "owner" {
		return mangopay.ScaUserNotPresent
	}
	return ""
}

// OwnerSCAError is a state read that MANGOPAY refused until an owner
// authenticates at URL: the run waits on a person, like a pending step.
type OwnerSCAError struct {
	URL string
	Err error // the read's error, matching mangopay.ErrSCARequired
}

func (e *OwnerSCAError) Error() string {
	return fmt.Sprintf("pending: an owner must authenticate on MANGOPAY before settle can read their wallet: %s "+
		"(or, with MANGOPAY's proxy approval and the owners' consent, run with --proxy-consent); then run again", e.URL)
}

func (e *OwnerSCAError) Unwrap() error { return e.Err }

// accessError explains a state read refused for SCA or for a missing
// proxy consent; other errors are returned as they are.
func accessError(err error) error {
	var me *mangopay.Error
	switch {
	case errors.Is(err, mangopay.ErrSCARequired) && errors.As(err, &me):
		return &OwnerSCAError{URL: me.RedirectURL, Err: err}
	case errors.Is(err, mangopay.ErrProxyConsent):
		return fmt.Errorf("%w (--proxy-consent or MANGOPAY_PROXY_CONSENT declared a consent MANGOPAY does not hold: "+
			"have the owner give it on the page of POST /sca/users/{id}/consent, or run without it while the owner is present)", err)
	}
	return err
}
