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
	mergeRep(u, &legalRepReq{FirstName: r.LegalRepresentativeFirstName, LastName: r.LegalRepresentativeLastName,
		Email: r.LegalRepresentativeEmail, Birthday: r.LegalRepresentativeBirthday,
		Nationality: r.LegalRepresentativeNationality, CountryOfResidence: r.LegalRepresentativeCountryOfResidence})
	setAddress(&u.LegalRepresentativeAddress, r.LegalRepresentativeAddress)
	setNull(&u.CompanyNumber, r.CompanyNumber)
	setNull(&u.Tag, r.Tag)
	setNull(&u.PhoneNumber, r.PhoneNumber)
	setUpperNull(&u.PhoneNumberCountry, r.PhoneNumberCountry)
	if lr := r.LegalRepresentative; lr != nil {
		mergeRep(u, lr)
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

// mergeRep applies the representative's fields that were sent, in the
// flat or the object form, to u (the phone is the object's alone).
func mergeRep(u *mangopay.LegalUser, lr *legalRepReq) {
	setStr(&u.LegalRepresentativeFirstName, lr.FirstName)
	setStr(&u.LegalRepresentativeLastName, lr.LastName)
	setNull(&u.LegalRepresentativeEmail, lr.Email)
	if lr.Birthday != nil {
		u.LegalRepresentativeBirthday = ptr(*lr.Birthday)
	}
	setUpperNull(&u.LegalRepresentativeNationality, lr.Nationality)
	setUpperNull(&u.LegalRepresentativeCountryOfResidence, lr.CountryOfResidence)
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

// check: the representative's fields are named as the body sent them
// (repField); through /sca/users/legal an OWNER's representative needs an
// Email (MANGOPAY enrols the representative in SCA through it).
func (r *legalReq) check(f fieldErrs, rec *userRec, category string, sca bool) {
	u, nested := rec.Legal, r.LegalRepresentative != nil
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
func (s *Server) createLegal(c *call) (int, any) { return s.createUser(c, &legalReq{}) }

// updateLegal is PUT /users/legal/{id} (and /sca/users/legal/{id}).
func (s *Server) updateLegal(c *call) (int, any) { return s.updateUser(c, &legalReq{}) }

func (*legalReq) person() string { return mangopay.PersonLegal }

func (r *legalReq) terms() (*string, *bool) { return r.UserCategory, r.TermsAndConditionsAccepted }

func (*legalReq) fresh() *userRec { return &userRec{Legal: &mangopay.LegalUser{}} }

func (r *legalReq) apply(u *userRec) { r.merge(u) }

func (*legalReq) blankPayer(u *userRec) { blankLegalPayer(u.Legal) }

// identityChanged: LegalPersonType, or the representative's names,
// Nationality or Birthday.
func (*legalReq) identityChanged(old, u *userRec) bool {
	a, b := old.Legal, u.Legal
	return a.LegalPersonType != b.LegalPersonType || a.LegalRepresentativeFirstName != b.LegalRepresentativeFirstName ||
		a.LegalRepresentativeLastName != b.LegalRepresentativeLastName ||
		a.LegalRepresentativeNationality != b.LegalRepresentativeNationality ||
		!sameInt(a.LegalRepresentativeBirthday, b.LegalRepresentativeBirthday)
}
