package executor

import (
	"context"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// An identity verification step is an owner's hosted identity check
// (identity_verification: hosted): MANGOPAY's identity verification
// session, which new integrations use instead of KYC documents. The step
// opens a session and ends pending with its HostedUrl, which the owner
// must visit; the owner's payouts depend on the step and so wait until a
// later apply finds the session VALIDATED (which makes the owner KYC
// REGULAR). A REFUSED, EXPIRED or OUT_OF_DATE session fails the step with
// MANGOPAY's reason. The session is found among the owner's sessions by
// the journal's Id, else by the step's Tag.
func init() {
	register(plan.KindIdentityVerification, identityVerifications.row(&stepKind{
		classify: classifyIDV,
		create:   (*attempt).createIDV,
		await: func(_ *applier, _ context.Context, _ *plan.Step, f *found) (outcome, bool, bool) {
			if f.Status == mangopay.IDVValidated {
				return outcome{}, false, false
			}
			o := idvOutcome(f.ID, f.Status, f.URL, f.ResultMessage)
			return o, o.State == StateFailed, true
		},
	}))
}

// idvReturnURL is where MANGOPAY's hosted page sends the owner back when
// the check is done; settle serves no page of its own, so it names none of
// the platform's.
const idvReturnURL = "https://settle.invalid/identity-verification-done"

// identityVerifications are listed per owner.
var identityVerifications = owned[mangopay.IdentityVerification]{
	list: func(c *mangopay.Client) listByUser[mangopay.IdentityVerification] {
		return c.IdentityVerifications.ListByUser
	},
	get: byID(func(c *mangopay.Client) func(context.Context, string) (*mangopay.IdentityVerification, error) {
		return c.IdentityVerifications.Get
	}),
	idTag:    func(v mangopay.IdentityVerification) (string, string) { return v.Id, string(v.Tag) },
	describe: idvFound,
}

// idvFound describes a session: its status, HostedUrl and, refused, why.
func idvFound(v *mangopay.IdentityVerification, _ *plan.Step, tagged int) *found {
	return &found{ID: v.Id, Exists: true, Status: v.Status, URL: v.HostedUrl, ResultMessage: v.Reason(),
		Created: v.CreationDate, Dups: max(0, tagged-1)}
}

// classifyIDV says what an existing session waits for.
func classifyIDV(_ *plan.Step, f *found, ch *Change) {
	switch f.Status {
	case mangopay.IDVPending, mangopay.IDVReview:
		ch.Reason = "pending: " + errIDV(f.URL).Error()
	case mangopay.IDVRefused, mangopay.IDVExpired, mangopay.IDVOutOfDate:
		ch.Reason = idvOutcome(f.ID, f.Status, f.URL, f.ResultMessage).Err.Error()
	}
}

// errIDV is the message of a session the owner has still to complete.
func errIDV(url string) error {
	return fmt.Errorf("owner must complete the identity check: %s", url)
}

// idvOutcome is the outcome of a session in status: succeeded VALIDATED,
// pending (with the HostedUrl) while the owner or MANGOPAY has still to
// act, failed with the reason when it ended otherwise.
func idvOutcome(id, status, url, reason string) outcome {
	o := outcome{ID: id, Status: status}
	switch status {
	case mangopay.IDVValidated:
		o.State = StateSucceeded
	case mangopay.IDVRefused, mangopay.IDVExpired, mangopay.IDVOutOfDate:
		o.State, o.ResultMessage = StateFailed, reason
		if reason == "" {
			reason = "no reason given"
		}
		o.Err = fmt.Errorf("identity verification %s %s: %s (the owner's payouts wait for a VALIDATED check)", id, status, reason)
	case mangopay.IDVReview:
		o.State, o.Err = StatePending, fmt.Errorf("identity verification %s in REVIEW at MANGOPAY", id)
	default:
		o.State, o.Err = StatePending, errIDV(url)
	}
	return o
}

// createIDV opens the owner's session; it ends pending with the HostedUrl
// for the owner to visit.
func (a *attempt) createIDV(ctx context.Context) outcome {
	c := a.x.cfg.Client
	p := &mangopay.IdentityVerificationCreateParams{ReturnUrl: idvReturnURL, Tag: a.s.Tag}
	v, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.IdentityVerification, error) {
		return c.IdentityVerifications.Create(ctx, a.x.id(a.s.Owner), p)
	}, func(v *mangopay.IdentityVerification) string { return v.Id })
	if o.State != StateSucceeded {
		return o
	}
	r := idvOutcome(v.Id, v.Status, v.HostedUrl, v.Reason())
	r.Replayed = o.Replayed
	return r
}

// hostedVerified returns, for an owner whose plan has a hosted identity
// verification, why a payout cannot count on it ("" when it can: VALIDATED
// already, or still to be completed, which the payout waits for as a
// dependant of the step); ok is false when the plan has none.
func (pf *preflight) hostedVerified(userKey string) (reason string, ok bool) {
	for _, s := range pf.g.order {
		if s.Kind != plan.KindIdentityVerification || s.Owner != userKey {
			continue
		}
		f := pf.st.found[s.Key]
		if f == nil || !f.Exists {
			return "", true
		}
		if o := idvOutcome(f.ID, f.Status, f.URL, f.ResultMessage); o.State == StateFailed {
			return fmt.Sprintf("owner %s: %v", userKey, o.Err), true
		}
		return "", true
	}
	return "", false
}
