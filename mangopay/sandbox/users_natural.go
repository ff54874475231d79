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

// blankNaturalPayer nulls what a PAYER never carries.
func blankNaturalPayer(u *mangopay.NaturalUser) {
	u.Birthday, u.Nationality, u.CountryOfResidence = nil, "", ""
	u.Occupation, u.IncomeRange = "", nil
}

// createNatural is POST /users/natural (and /sca/users/natural).
func (s *Server) createNatural(c *call) (int, any) { return s.createUser(c, &naturalReq{}) }

// updateNatural is PUT /users/natural/{id} (and /sca/users/natural/{id}).
func (s *Server) updateNatural(c *call) (int, any) { return s.updateUser(c, &naturalReq{}) }

func (*naturalReq) person() string { return mangopay.PersonNatural }

func (r *naturalReq) terms() (*string, *bool) { return r.UserCategory, r.TermsAndConditionsAccepted }

func (*naturalReq) fresh() *userRec {
	return &userRec{Natural: &mangopay.NaturalUser{Capacity: "NORMAL"}}
}

func (r *naturalReq) apply(u *userRec) { r.merge(u.Natural) }

func (*naturalReq) check(f fieldErrs, rec *userRec, category string, _ bool) {
	u := rec.Natural
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

func (*naturalReq) blankPayer(u *userRec) { blankNaturalPayer(u.Natural) }

// identityChanged: the names, Nationality or Birthday.
func (*naturalReq) identityChanged(old, u *userRec) bool {
	a, b := old.Natural, u.Natural
	return a.FirstName != b.FirstName || a.LastName != b.LastName || a.Nationality != b.Nationality ||
		!sameInt(a.Birthday, b.Birthday)
}

func sameInt(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
