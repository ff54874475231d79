package sandbox

import (
	"strings"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// userRec is a stored user: exactly one of Natural and Legal is set.
type userRec struct {
	Seq     int64                 `json:"Seq"`
	Natural *mangopay.NaturalUser `json:"Natural,omitempty"`
	Legal   *mangopay.LegalUser   `json:"Legal,omitempty"`
	// RepPhone is a legal user's representative phone (LegalRepresentative
	// object only).
	RepPhone *repPhone `json:"RepPhone,omitempty"`
	// SCA is the user's SCA enrolment and consent record (sca.go).
	SCA *scaRec `json:"SCA,omitempty"`
}

// sum returns the common fields, which the caller may change.
func (u *userRec) sum() *mangopay.UserSummary {
	if u.Legal != nil {
		return &u.Legal.UserSummary
	}
	return &u.Natural.UserSummary
}

// view is the full object as the API answers it (GET /users/{id}, the
// natural and legal routes, their /sca/ twins, POST and PUT): every user
// body is made here. base is the public scheme://host[:port] of the request
// being answered; a pending user's PendingUserAction.RedirectUrl is built
// from it, never taken from the stored record, since a state folder outlives
// the (random) port it was written on (see setPendingAction).
func (u *userRec) view(base string) any {
	if u.Legal != nil {
		l := *u.Legal
		l.PendingUserAction = pendingView(l.PendingUserAction, base, l.Id)
		return &l
	}
	n := *u.Natural
	n.PendingUserAction = pendingView(n.PendingUserAction, base, n.Id)
	return &n
}

// userBody is the user object a call answers: the /sca/ routes add the
// LegalRepresentative object to a legal user.
func (s *Server) userBody(c *call, u *userRec) any {
	v := u.view(s.publicURL(c.Request))
	if l, ok := v.(*mangopay.LegalUser); ok && c.sca {
		l.LegalRepresentative = legalRepView(u)
	}
	return v
}

// clone returns a deep enough copy for an update to work on.
func (u *userRec) clone() *userRec {
	c := &userRec{Seq: u.Seq, RepPhone: u.RepPhone, SCA: u.SCA}
	if u.Natural != nil {
		n := *u.Natural
		c.Natural = &n
	}
	if u.Legal != nil {
		l := *u.Legal
		c.Legal = &l
	}
	return c
}

// putUser stores a user and persists it.
func (s *Server) putUser(u *userRec) {
	s.st.users.put(u.sum().Id, u.Seq, u)
	s.save("user", u.sum().Id, u)
}

// user finds a user or answers the 404.
func (s *Server) user(id string) (*userRec, *apiError) {
	u, ok := s.st.users.get(id)
	if !ok {
		return nil, errNotFound("User", id)
	}
	return u, nil
}

// userOf finds a user of a PersonType or answers the 404: a legal user is
// not found on the natural routes, nor a natural one on the legal routes.
func (s *Server) userOf(id, person string) (*userRec, *apiError) {
	u, e := s.user(id)
	if e == nil && u.sum().PersonType != person {
		return nil, errNotFound("User", id)
	}
	return u, e
}

// categoryOf reads UserCategory and TermsAndConditionsAccepted, which are
// required on every user POST and PUT. Options.LenientCategory defaults a
// missing T&C to false and a missing UserCategory to what the body is
// (inferred reports that): owner tells whether the user would pass as an
// OWNER, as MANGOPAY's own SDK tests expect for a body carrying every OWNER
// field; otherwise it is a PAYER.
func (s *Server) categoryOf(f fieldErrs, cat *string, tc *bool, owner func() bool) (category string, accepted, inferred bool) {
	switch {
	case cat == nil || *cat == "":
		if !s.opts.LenientCategory {
			f.required("UserCategory")
			break
		}
		inferred, category = true, mangopay.CategoryPayer
		if owner != nil && owner() {
			category = mangopay.CategoryOwner
		}
	default:
		category = strings.ToUpper(*cat)
		if category != mangopay.CategoryPayer && category != mangopay.CategoryOwner {
			f.add("UserCategory", "The value "+*cat+" is not valid for UserCategory.")
		}
	}
	switch {
	case tc != nil:
		accepted = *tc
	case !s.opts.LenientCategory:
		f.required("TermsAndConditionsAccepted")
	}
	return category, accepted, inferred
}

// passes reports whether check finds nothing to object to.
func passes(check func(fieldErrs)) bool {
	f := fieldErrs{}
	check(f)
	return len(f) == 0
}

// errTerms is the 403 for an OWNER that has not accepted the T&C.
func errTerms() *apiError {
	return &apiError{Status: 403, Type: "user_hasnt_accepted_terms_and_conditions",
		Message: "User must accept the terms and conditions before account creation or modification."}
}

// setCategory applies category and T&C to a user's summary: the T&C date is
// set when an OWNER first accepts and is null for a PAYER.
func setCategory(sum *mangopay.UserSummary, category string, accepted bool, now time.Time) {
	sum.UserCategory = category
	sum.TermsAndConditionsAccepted = accepted
	switch {
	case category == mangopay.CategoryPayer:
		sum.TermsAndConditionsAcceptedDate = nil
	case accepted && sum.TermsAndConditionsAcceptedDate == nil:
		sum.TermsAndConditionsAcceptedDate = ptr(now.Unix())
	}
}

// userReq is the body of a user POST or PUT, naturalReq or legalReq: what
// the two person types do differently. createUser and updateUser do the
// rest, in the same order for both.
type userReq interface {
	// person is the PersonType the body's routes serve.
	person() string
	// terms returns UserCategory and TermsAndConditionsAccepted as sent.
	terms() (category *string, accepted *bool)
	// fresh returns the user a POST starts from.
	fresh() *userRec
	// apply merges the fields that were sent into u, a user of the type.
	apply(u *userRec)
	// check validates u as it would be stored in category; sca tells that
	// the call came through an /sca/ route.
	check(f fieldErrs, u *userRec, category string, sca bool)
	// blankPayer nulls what a PAYER never carries.
	blankPayer(u *userRec)
	// identityChanged reports a change from old to u that invalidates a
	// REGULAR KYC.
	identityChanged(old, u *userRec) bool
}

// createUser is POST /users/natural and /users/legal (and their /sca/
// twins, where an OWNER must enrol): req is the route's empty body. The
// category and the fields are reported together; an inferred OWNER
// (categoryOf) needs no T&C.
func (s *Server) createUser(c *call, req userReq) (int, any) {
	if e := c.decodeBody(req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	u := req.fresh()
	req.apply(u)
	cat, tc := req.terms()
	category, accepted, inferred := s.categoryOf(f, cat, tc, func() bool {
		return passes(func(f fieldErrs) { req.check(f, u, mangopay.CategoryOwner, c.sca) })
	})
	req.check(f, u, category, c.sca)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted && !inferred {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		req.blankPayer(u)
	}
	sum := u.sum()
	setCategory(sum, category, accepted, c.Now)
	sum.Id = s.newID("user_m_")
	sum.CreationDate = c.Now.Unix()
	sum.PersonType = req.person()
	sum.KYCLevel = mangopay.KYCLight
	sum.UserStatus = mangopay.UserActive
	if c.sca && needsEnrolment(u) {
		s.setPendingAction(u)
	}
	u.Seq = s.st.nextSeq()
	s.putUser(u)
	return 200, s.userBody(c, u)
}

// updateUser is PUT /users/natural/{id} and /users/legal/{id} (and their
// /sca/ twins): req is the route's empty body. It answers the first error
// of: the user (of the route's type), the body, UserCategory and T&C
// (LenientCategory keeps the stored category), updateChecks, the fields,
// the OWNER's T&C. An identity change downgrades a REGULAR KYC.
func (s *Server) updateUser(c *call, req userReq) (int, any) {
	old, e := s.userOf(c.Params["id"], req.person())
	if e != nil {
		return c.fail(e)
	}
	if e := c.decodeBody(req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	cat, tc := req.terms()
	if cat == nil && s.opts.LenientCategory {
		cat = ptr(old.sum().UserCategory)
	}
	category, accepted, _ := s.categoryOf(f, cat, tc, nil)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if e := updateChecks(old.sum(), category, accepted); e != nil {
		return c.fail(e)
	}
	u := old.clone()
	req.apply(u)
	req.check(f, u, category, c.sca)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		req.blankPayer(u)
	}
	setCategory(u.sum(), category, accepted, c.Now)
	if req.identityChanged(old, u) {
		s.downgradeKYC(c.Now, u)
	}
	if old.sum().UserCategory == mangopay.CategoryPayer && category == mangopay.CategoryOwner {
		s.emit(c.Now, "USER_CATEGORY_UPDATED_TO_OWNER", u.sum().Id)
	}
	s.putUser(u)
	return 200, s.userBody(c, u)
}

// updateChecks applies the rules every user PUT shares: no OWNER->PAYER,
// no T&C revocation.
func updateChecks(old *mangopay.UserSummary, category string, accepted bool) *apiError {
	if old.UserCategory == mangopay.CategoryOwner && category == mangopay.CategoryPayer {
		return errField("UserCategory", "A User OWNER can't be modified to a user PAYER")
	}
	if old.TermsAndConditionsAccepted && !accepted {
		return errAction("invalid_action", "The user cannot revoke the terms and conditions acceptance")
	}
	return nil
}

// getUser is GET /users/{id} (and /sca/users/{id}).
func (s *Server) getUser(c *call) (int, any) {
	u, e := s.user(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	return 200, s.userBody(c, u)
}

// getNatural is GET /users/natural/{id}.
func (s *Server) getNatural(c *call) (int, any) { return s.getUserOf(c, mangopay.PersonNatural) }

// getLegal is GET /users/legal/{id}.
func (s *Server) getLegal(c *call) (int, any) { return s.getUserOf(c, mangopay.PersonLegal) }

// getUserOf answers a user of a PersonType (userOf).
func (s *Server) getUserOf(c *call, person string) (int, any) {
	u, e := s.userOf(c.Params["id"], person)
	if e != nil {
		return c.fail(e)
	}
	return 200, s.userBody(c, u)
}

// listUsers is GET /users: summary items only.
func (s *Server) listUsers(c *call) (int, any) {
	out := make([]mangopay.UserSummary, 0, len(s.st.users.order.ids))
	for _, id := range s.st.users.order.ids {
		out = append(out, *s.st.users.m[id].sum())
	}
	return 200, platform.NewList(out, func(u mangopay.UserSummary) int64 { return u.CreationDate })
}
