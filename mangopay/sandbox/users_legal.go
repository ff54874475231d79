package sandbox

import (
	"strings"

	"settle/internal/apirules"
	"settle/mangopay"
)

// legalReq is the body of POST and PUT /users/legal.
type legalReq struct {
	UserCategory                          *string
	TermsAndConditionsAccepted            *bool
	LegalPersonType                       *string
	Name                                  *string
	Email                                 *string
	HeadquartersAddress                   *mangopay.Address
	LegalRepresentativeFirstName          *string
	LegalRepresentativeLastName           *string
	LegalRepresentativeEmail              *string
	LegalRepresentativeBirthday           *int64
	LegalRepresentativeNationality        *string
	LegalRepresentativeCountryOfResidence *string
	LegalRepresentativeAddress            *mangopay.Address
	CompanyNumber                         *string
	Tag                                   *string
	PhoneNumber                           *string
	PhoneNumberCountry                    *string
	// LegalRepresentative is the object form the /sca/ routes (and both
	// SDKs) send; its fields win over the flat ones.
	LegalRepresentative *legalRepReq
}

// legalRepReq is the LegalRepresentative object of a legal user body.
type legalRepReq struct {
	FirstName          *string
	LastName           *string
	Email              *string
	Birthday           *int64
	Nationality        *string
	CountryOfResidence *string
	PhoneNumber        *string
	PhoneNumberCountry *string
}

// merge applies the fields that were sent to rec, a legal user.
func (r *legalReq) merge(rec *userRec) {
	u := rec.Legal
	if r.LegalPersonType != nil {
		u.LegalPersonType = strings.ToUpper(strings.TrimSpace(*r.LegalPersonType))
	}
	setStr(&u.Name, r.Name)
	setStr(&u.Email, r.Email)
	setAddress(&u.HeadquartersAddress, r.HeadquartersAddress)
	setStr(&u.LegalRepresentativeFirstName, r.LegalRepresentativeFirstName)
	setStr(&u.LegalRepresentativeLastName, r.LegalRepresentativeLastName)
	setNull(&u.LegalRepresentativeEmail, r.LegalRepresentativeEmail)
	if r.LegalRepresentativeBirthday != nil {
		u.LegalRepresentativeBirthday = ptr(*r.LegalRepresentativeBirthday)
	}
	setUpperNull(&u.LegalRepresentativeNationality, r.LegalRepresentativeNationality)
	setUpperNull(&u.LegalRepresentativeCountryOfResidence, r.LegalRepresentativeCountryOfResidence)
	setAddress(&u.LegalRepresentativeAddress, r.LegalRepresentativeAddress)
	setNull(&u.CompanyNumber, r.CompanyNumber)
	setNull(&u.Tag, r.Tag)
	setNull(&u.PhoneNumber, r.PhoneNumber)
	setUpperNull(&u.PhoneNumberCountry, r.PhoneNumberCountry)
	if lr := r.LegalRepresentative; lr != nil {
		setStr(&u.LegalRepresentativeFirstName, lr.FirstName)
		setStr(&u.LegalRepresentativeLastName, lr.LastName)
		setNull(&u.LegalRepresentativeEmail, lr.Email)
		if lr.Birthday != nil {
			u.LegalRepresentativeBirthday = ptr(*lr.Birthday)
		}
		setUpperNull(&u.LegalRepresentativeNationality, lr.Nationality)
		setUpperNull(&u.LegalRepresentativeCountryOfResidence, lr.CountryOfResidence)
		if lr.PhoneNumber != nil || lr.PhoneNumberCountry != nil {
			phone := repPhone{}
			if rec.RepPhone != nil {
				phone = *rec.RepPhone
			}
			setNull(&phone.PhoneNumber, lr.PhoneNumber)
			setUpperNull(&phone.PhoneNumberCountry, lr.PhoneNumberCountry)
			rec.RepPhone = &phone
		}
	}
}

// repPhone is the legal representative's phone, which only the
// LegalRepresentative object carries.
type repPhone struct {
	PhoneNumber        mangopay.NullString `json:"PhoneNumber"`
	PhoneNumberCountry mangopay.NullString `json:"PhoneNumberCountry"`
}

// legalRepView is the LegalRepresentative object of a legal user.
func legalRepView(rec *userRec) *mangopay.LegalRepresentative {
	u := rec.Legal
	lr := &mangopay.LegalRepresentative{FirstName: u.LegalRepresentativeFirstName, LastName: u.LegalRepresentativeLastName,
		Email: u.LegalRepresentativeEmail, Birthday: u.LegalRepresentativeBirthday,
		Nationality: u.LegalRepresentativeNationality, CountryOfResidence: u.LegalRepresentativeCountryOfResidence}
	if rec.RepPhone != nil {
		lr.PhoneNumber, lr.PhoneNumberCountry = rec.RepPhone.PhoneNumber, rec.RepPhone.PhoneNumberCountry
	}
	return lr
}

// repField names a representative field in errors the way the body sent
// it: "LegalRepresentative.FirstName" for the object form,
// repField(nested, "FirstName") for the flat one.
func repField(nested bool, name string) string {
	if nested {
		return "LegalRepresentative." + name
	}
	return "LegalRepresentative" + name
}

// checkLegal validates a legal user as it would be stored; nested tells
// that the body used the LegalRepresentative object (see repField), sca
// that it came through /sca/users/legal, where an OWNER's representative
// needs an Email (MANGOPAY enrols the representative in SCA through it).
func checkLegal(f fieldErrs, u *mangopay.LegalUser, category string, nested, sca bool) {
	switch {
	case u.LegalPersonType == "":
		f.required("LegalPersonType")
	case !apirules.IsLegalPersonType(u.LegalPersonType):
		f.add("LegalPersonType", "The value "+u.LegalPersonType+" is not valid for LegalPersonType.")
	}
	checkLen(f, "Name", u.Name, true, apirules.TextMax)
	checkEmail(f, "Email", u.Email, true)
	checkLen(f, repField(nested, "FirstName"), u.LegalRepresentativeFirstName, true, apirules.UserNameMax)
	checkLen(f, repField(nested, "LastName"), u.LegalRepresentativeLastName, true, apirules.UserNameMax)
	checkEmail(f, repField(nested, "Email"), string(u.LegalRepresentativeEmail), false)
	if !u.LegalRepresentativeAddress.IsZero() {
		checkAddress(f, "LegalRepresentativeAddress", u.LegalRepresentativeAddress, true)
	}
	checkLen(f, "Tag", string(u.Tag), false, apirules.TextMax)
	if category != mangopay.CategoryOwner {
		return
	}
	if u.HeadquartersAddress.IsZero() {
		f.required("HeadquartersAddress")
	} else {
		checkAddress(f, "HeadquartersAddress", u.HeadquartersAddress, true)
	}
	if u.LegalRepresentativeBirthday == nil {
		f.required(repField(nested, "Birthday"))
	}
	if sca && u.LegalRepresentativeEmail == "" {
		f.required(repField(nested, "Email"))
	}
	checkNationality(f, repField(nested, "Nationality"), string(u.LegalRepresentativeNationality))
	checkCountry(f, repField(nested, "CountryOfResidence"), string(u.LegalRepresentativeCountryOfResidence), true, true)
	if u.LegalPersonType == "BUSINESS" && u.CompanyNumber == "" {
		f.required("CompanyNumber")
	}
}

// blankLegalPayer nulls the OWNER-only fields of a PAYER.
func blankLegalPayer(u *mangopay.LegalUser) {
	u.HeadquartersAddress = mangopay.Address{}
	u.LegalRepresentativeBirthday = nil
	u.LegalRepresentativeNationality, u.LegalRepresentativeCountryOfResidence = "", ""
	u.CompanyNumber = ""
}

// createLegal is POST /users/legal (and /sca/users/legal).
func (s *Server) createLegal(c *call) (int, any) {
	var req legalReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	u := &mangopay.LegalUser{}
	rec := &userRec{Legal: u}
	req.merge(rec)
	nested := req.LegalRepresentative != nil
	category, accepted, inferred := s.categoryOf(f, req.UserCategory, req.TermsAndConditionsAccepted, func() bool {
		return passes(func(f fieldErrs) { checkLegal(f, u, mangopay.CategoryOwner, nested, c.sca) })
	})
	checkLegal(f, u, category, nested, c.sca)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted && !inferred {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		blankLegalPayer(u)
	}
	setCategory(&u.UserSummary, category, accepted, c.Now)
	return s.createUser(c, rec, mangopay.PersonLegal)
}

// updateLegal is PUT /users/legal/{id} (and /sca/users/legal/{id}).
func (s *Server) updateLegal(c *call) (int, any) {
	old, e := s.user(c.Params["id"])
	if e == nil && old.Legal == nil {
		e = errNotFound("User", c.Params["id"])
	}
	if e != nil {
		return c.fail(e)
	}
	var req legalReq
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	if req.UserCategory == nil && s.opts.LenientCategory {
		req.UserCategory = ptr(old.Legal.UserCategory)
	}
	category, accepted, _ := s.categoryOf(f, req.UserCategory, req.TermsAndConditionsAccepted, nil)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if e := updateChecks(&old.Legal.UserSummary, category, accepted); e != nil {
		return c.fail(e)
	}
	u := old.clone()
	req.merge(u)
	checkLegal(f, u.Legal, category, req.LegalRepresentative != nil, c.sca)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	if category == mangopay.CategoryOwner && !accepted {
		return c.fail(errTerms())
	}
	if category == mangopay.CategoryPayer {
		blankLegalPayer(u.Legal)
	}
	setCategory(&u.Legal.UserSummary, category, accepted, c.Now)
	a, b := old.Legal, u.Legal
	if a.LegalPersonType != b.LegalPersonType || a.LegalRepresentativeFirstName != b.LegalRepresentativeFirstName ||
		a.LegalRepresentativeLastName != b.LegalRepresentativeLastName ||
		a.LegalRepresentativeNationality != b.LegalRepresentativeNationality ||
		!sameInt(a.LegalRepresentativeBirthday, b.LegalRepresentativeBirthday) {
		s.downgradeKYC(c.Now, u)
	}
	return s.finishUpdate(c, old, u)
}
