package sandbox

import (
	"fmt"

	"settle/internal/apirules"
	"settle/mangopay"
)

// naturalReq is the body of POST and PUT /users/natural; pointers tell
// which fields were sent. PersonType and other read-only fields are ignored.
type naturalReq struct {
	UserCategory               *string
	TermsAndConditionsAccepted *bool
	FirstName                  *string
	LastName                   *string
	Email                      *string
	Birthday                   *int64
	Nationality                *string
	CountryOfResidence         *string
	Address                    *mangopay.Address
	Occupation                 *string
	IncomeRange                *int64
	Tag                        *string
	PhoneNumber                *string
	PhoneNumberCountry         *string
}

// merge applies the fields that were sent.
func (r *naturalReq) merge(u *mangopay.NaturalUser) {
	setStr(&u.FirstName, r.FirstName)
	setStr(&u.LastName, r.LastName)
	setStr(&u.Email, r.Email)
	if r.Birthday != nil {
		u.Birthday = ptr(*r.Birthday)
	}
	setUpperNull(&u.Nationality, r.Nationality)
	setUpperNull(&u.CountryOfResidence, r.CountryOfResidence)
	setAddress(&u.Address, r.Address)
	setNull(&u.Occupation, r.Occupation)
	if r.IncomeRange != nil {
		u.IncomeRange = ptr(*r.IncomeRange)
	}
	setNull(&u.Tag, r.Tag)
	setNull(&u.PhoneNumber, r.PhoneNumber)
	setUpperNull(&u.PhoneNumberCountry, r.PhoneNumberCountry)
}

// checkNatural validates a natural user as it would be stored.
func checkNatural(f fieldErrs, u *mangopay.NaturalUser, category string) {
	checkLen(f, "FirstName", u.FirstName, true, apirules.UserNameMax)
	checkLen(f, "LastName", u.LastName, true, apirules.UserNameMax)
	checkEmail(f, "Email", u.Email, true)
	owner := category == mangopay.CategoryOwner
	if owner {
		if u.Birthday == nil {
			f.required("Birthday")
		}
		checkNationality(f, "Nationality", string(u.Nationality))
		checkOwnerIdentity(f, u)
		checkCountry(f, "CountryOfResidence", string(u.CountryOfResidence), true, true)
		if u.IncomeRange != nil && (*u.IncomeRange < apirules.IncomeRangeMin || *u.IncomeRange > apirules.IncomeRangeMax) {
			f.add("IncomeRange", fmt.Sprintf("The field IncomeRange must be between %d and %d.", apirules.IncomeRangeMin, apirules.IncomeRangeMax))
		}
		checkLen(f, "Occupation", string(u.Occupation), false, apirules.TextMax)
	}
	if !u.Address.IsZero() {
		checkAddress(f, "Address", u.Address, true)
	}
	checkLen(f, "Tag", string(u.Tag), false, apirules.TextMax)
}

// blankNaturalPayer nulls what a PAYER never carries.
func blankNaturalPayer(u *mangopay.NaturalUser) {
	u.Birthday, u.Nationality, u.CountryOfResidence = nil, "", ""
	u.Occupation, u.IncomeRange = "", nil
}

// createNatural is POST /users/natural (and /sca/users/natural).
func (s *Server) createNatural(c *call) (int, any) {
	var req naturalReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	u := &mangopay.NaturalUser{Capacity: "NORMAL"}
	req.merge(u)
	category, accepted, inferred := s.categoryOf(f, req.UserCategory, req.TermsAndConditionsAccepted, func() bool {
		return passes(func(f fieldErrs) { checkNatural(f, u, mangopay.CategoryOwner) })
	})
	checkNatural(f, u, category)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted && !inferred {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		blankNaturalPayer(u)
	}
	setCategory(&u.UserSummary, category, accepted, c.Now)
	return s.createUser(c, &userRec{Natural: u}, mangopay.PersonNatural)
}

// updateNatural is PUT /users/natural/{id} (and /sca/users/natural/{id}).
func (s *Server) updateNatural(c *call) (int, any) {
	old, e := s.user(c.Params["id"])
	if e == nil && old.Natural == nil {
		e = errNotFound("User", c.Params["id"])
	}
	if e != nil {
		return c.fail(e)
	}
	var req naturalReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	if req.UserCategory == nil && s.opts.LenientCategory {
		req.UserCategory = ptr(old.Natural.UserCategory)
	}
	category, accepted, _ := s.categoryOf(f, req.UserCategory, req.TermsAndConditionsAccepted, nil)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if e := updateChecks(&old.Natural.UserSummary, category, accepted); e != nil {
		return c.fail(e)
	}
	u := old.clone()
	req.merge(u.Natural)
	checkNatural(f, u.Natural, category)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		blankNaturalPayer(u.Natural)
	}
	setCategory(&u.Natural.UserSummary, category, accepted, c.Now)
	if naturalIdentityChanged(old.Natural, u.Natural) {
		s.downgradeKYC(c.Now, u)
	}
	return s.finishUpdate(c, old, u)
}

// naturalIdentityChanged reports a change that invalidates a REGULAR KYC.
func naturalIdentityChanged(a, b *mangopay.NaturalUser) bool {
	return a.FirstName != b.FirstName || a.LastName != b.LastName || a.Nationality != b.Nationality ||
		!sameInt(a.Birthday, b.Birthday)
}

func sameInt(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
