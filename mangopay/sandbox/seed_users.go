package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
)

// SeedAddress is an address of a seed document.
type SeedAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"`
}

// SeedPerson is the legal representative of a seeded legal user.
type SeedPerson struct {
	FirstName          string       `json:"first_name"`
	LastName           string       `json:"last_name"`
	Email              string       `json:"email,omitempty"`
	Birthday           string       `json:"birthday,omitempty"` // YYYY-MM-DD
	Nationality        string       `json:"nationality,omitempty"`
	CountryOfResidence string       `json:"country_of_residence,omitempty"`
	Address            *SeedAddress `json:"address,omitempty"`
}

// SeedUser is a seeded user, with the fields of a plan's user: type
// natural or legal, category payer or owner; terms_accepted defaults to
// true. Address is a natural user's address or a legal user's headquarters.
type SeedUser struct {
	Type                string       `json:"type"`
	Category            string       `json:"category"`
	TermsAccepted       *bool        `json:"terms_accepted,omitempty"`
	Email               string       `json:"email"`
	FirstName           string       `json:"first_name,omitempty"`
	LastName            string       `json:"last_name,omitempty"`
	Birthday            string       `json:"birthday,omitempty"` // YYYY-MM-DD
	Nationality         string       `json:"nationality,omitempty"`
	CountryOfResidence  string       `json:"country_of_residence,omitempty"`
	Occupation          string       `json:"occupation,omitempty"`
	Address             *SeedAddress `json:"address,omitempty"`
	Name                string       `json:"name,omitempty"`
	LegalPersonType     string       `json:"legal_person_type,omitempty"`
	CompanyNumber       string       `json:"company_number,omitempty"`
	LegalRepresentative *SeedPerson  `json:"legal_representative,omitempty"`
	Tag                 string       `json:"tag,omitempty"`
}

// userObj is a seeded user: POST /users/natural or /users/legal.
func (sd *seeder) userObj(id string, u SeedUser) seedObj {
	old, exists := sd.s.st.users.get(id)
	return seedObj{kind: "user", id: id, exists: exists,
		check: func(f fieldErrs) {
			switch u.Type {
			case "natural", "legal":
			default:
				f.add("type", fmt.Sprintf("type %q: want natural or legal", u.Type))
			}
			switch u.Category {
			case "payer", "owner":
			default:
				f.add("category", fmt.Sprintf("category %q: want payer or owner", u.Category))
			}
			if _, err := u.body(); err != nil {
				f.add("birthday", err.Error())
			}
		},
		diff: func(d *diffs) { u.diff(d, old) },
		create: func(sd *seeder) *apiError {
			body, _ := u.body()
			h := sd.s.createNatural
			if u.Type == "legal" {
				h = sd.s.createLegal
			}
			var out json.RawMessage
			return sd.create(h, map[string]string{}, "user_m_", id, body, &out)
		},
	}
}

// body is the user's POST body (NaturalUserParams or LegalUserParams).
func (u SeedUser) body() (any, error) {
	terms := true
	if u.TermsAccepted != nil {
		terms = *u.TermsAccepted
	}
	bd, err := seedDate(u.Birthday)
	if err != nil {
		return nil, err
	}
	if u.Type != "legal" {
		return &mangopay.NaturalUserParams{UserCategory: strings.ToUpper(u.Category), TermsAndConditionsAccepted: terms,
			FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Birthday: bd, Nationality: u.Nationality,
			CountryOfResidence: u.CountryOfResidence, Address: u.Address.params(), Occupation: u.Occupation, Tag: u.Tag}, nil
	}
	p := &mangopay.LegalUserParams{UserCategory: strings.ToUpper(u.Category), TermsAndConditionsAccepted: terms,
		LegalPersonType: u.LegalPersonType, Name: u.Name, Email: u.Email, HeadquartersAddress: u.Address.params(),
		CompanyNumber: u.CompanyNumber, Tag: u.Tag}
	if r := u.LegalRepresentative; r != nil {
		if p.LegalRepresentativeBirthday, err = seedDate(r.Birthday); err != nil {
			return nil, err
		}
		p.LegalRepresentativeFirstName, p.LegalRepresentativeLastName = r.FirstName, r.LastName
		p.LegalRepresentativeEmail, p.LegalRepresentativeNationality = r.Email, r.Nationality
		p.LegalRepresentativeCountryOfResidence, p.LegalRepresentativeAddress = r.CountryOfResidence, r.Address.params()
	}
	return p, nil
}

// diff compares the user the seed would create with the existing one,
// through the handlers' own merge (so normalisation is the same); only
// what the seed declares is compared, type and category always.
func (u SeedUser) diff(d *diffs, old *userRec) {
	sum := old.sum()
	d.str("PersonType", strings.ToUpper(u.Type), sum.PersonType)
	d.str("UserCategory", strings.ToUpper(u.Category), sum.UserCategory)
	body, _ := u.body()
	raw, _ := json.Marshal(body)
	if u.Type == "legal" && old.Legal != nil {
		var req legalReq
		_ = json.Unmarshal(raw, &req)
		want := &mangopay.LegalUser{}
		req.merge(&userRec{Legal: want})
		if u.Category == "payer" {
			blankLegalPayer(want)
		}
		diffLegal(d, want, old.Legal)
		return
	}
	if old.Natural != nil {
		var req naturalReq
		_ = json.Unmarshal(raw, &req)
		want := &mangopay.NaturalUser{}
		req.merge(want)
		if u.Category == "payer" {
			blankNaturalPayer(want)
		}
		diffNatural(d, want, old.Natural)
	}
}

func diffNatural(d *diffs, want, got *mangopay.NaturalUser) {
	d.str("FirstName", want.FirstName, got.FirstName)
	d.str("LastName", want.LastName, got.LastName)
	d.str("Email", want.Email, got.Email)
	d.str("Nationality", string(want.Nationality), string(got.Nationality))
	d.str("CountryOfResidence", string(want.CountryOfResidence), string(got.CountryOfResidence))
	d.str("Occupation", string(want.Occupation), string(got.Occupation))
	d.str("Tag", string(want.Tag), string(got.Tag))
	d.date("Birthday", want.Birthday, got.Birthday)
	d.address("Address", want.Address, got.Address)
}

func diffLegal(d *diffs, want, got *mangopay.LegalUser) {
	d.str("Name", want.Name, got.Name)
	d.str("LegalPersonType", want.LegalPersonType, got.LegalPersonType)
	d.str("Email", want.Email, got.Email)
	d.str("CompanyNumber", string(want.CompanyNumber), string(got.CompanyNumber))
	d.str("Tag", string(want.Tag), string(got.Tag))
	d.address("HeadquartersAddress", want.HeadquartersAddress, got.HeadquartersAddress)
	d.str("LegalRepresentativeFirstName", want.LegalRepresentativeFirstName, got.LegalRepresentativeFirstName)
	d.str("LegalRepresentativeLastName", want.LegalRepresentativeLastName, got.LegalRepresentativeLastName)
	d.str("LegalRepresentativeEmail", string(want.LegalRepresentativeEmail), string(got.LegalRepresentativeEmail))
	d.str("LegalRepresentativeNationality", string(want.LegalRepresentativeNationality), string(got.LegalRepresentativeNationality))
	d.str("LegalRepresentativeCountryOfResidence", string(want.LegalRepresentativeCountryOfResidence),
		string(got.LegalRepresentativeCountryOfResidence))
	d.date("LegalRepresentativeBirthday", want.LegalRepresentativeBirthday, got.LegalRepresentativeBirthday)
	d.address("LegalRepresentativeAddress", want.LegalRepresentativeAddress, got.LegalRepresentativeAddress)
}

// date records a difference when want is declared and differs.
func (d *diffs) date(field string, want, got *int64) {
	if want != nil && (got == nil || *got != *want) {
		g := "null"
		if got != nil {
			g = time.Unix(*got, 0).UTC().Format("2006-01-02")
		}
		*d = append(*d, fmt.Sprintf("%s is %s, the seed says %s", field, g, time.Unix(*want, 0).UTC().Format("2006-01-02")))
	}
}

// address records a difference when want is declared and differs.
func (d *diffs) address(field string, want, got mangopay.Address) {
	if !want.IsZero() && want != got {
		*d = append(*d, fmt.Sprintf("%s is %s, the seed says %s", field, addressText(got), addressText(want)))
	}
}

func addressText(a mangopay.Address) string {
	parts := []string{}
	for _, v := range []mangopay.NullString{a.AddressLine1, a.AddressLine2, a.PostalCode, a.City, a.Region, a.Country} {
		if v != "" {
			parts = append(parts, string(v))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// params converts an address to the API's (nil stays nil).
func (a *SeedAddress) params() *mangopay.AddressParams {
	if a == nil {
		return nil
	}
	return &mangopay.AddressParams{AddressLine1: a.Line1, AddressLine2: a.Line2, City: a.City, Region: a.Region,
		PostalCode: a.PostalCode, Country: a.Country}
}

// seedDate converts YYYY-MM-DD (or an RFC 3339 time at midnight, as a
// YAML timestamp converted to JSON reads) to Unix seconds at midnight UTC.
func seedDate(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return nil, fmt.Errorf("date %q: want YYYY-MM-DD", s)
		}
	}
	n := t.UTC().Truncate(24 * time.Hour).Unix()
	return &n, nil
}
