package mangopay

import (
	"context"
	"encoding/json"
	"iter"
	"strings"
)

// Person types, user categories, KYC levels and user statuses.
const (
	PersonNatural = "NATURAL"
	PersonLegal   = "LEGAL"

	CategoryOwner = "OWNER"
	CategoryPayer = "PAYER"

	KYCLight   = "LIGHT"
	KYCRegular = "REGULAR"

	// UserActive is the UserStatus of a usable user; UserPendingAction that
	// of an OWNER whose SCA enrolment is not complete.
	UserActive        = "ACTIVE"
	UserPendingAction = "PENDING_USER_ACTION"
)

// UserService manages natural and legal users.
type UserService struct{ c *Client }

// usersPath is "/users" or, with Config.SCAUserRoutes, "/sca/users".
func (s *UserService) usersPath() string {
	if s.c.scaUsers {
		return "/sca/users"
	}
	return "/users"
}

// CreateNatural creates a natural user (POST /users/natural).
func (s *UserService) CreateNatural(ctx context.Context, p *NaturalUserParams) (*NaturalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[NaturalUser](ctx, s.c, s.usersPath()+"/natural", p, p.IdempotencyKey)
}

// CreateLegal creates a legal user (POST /users/legal).
func (s *UserService) CreateLegal(ctx context.Context, p *LegalUserParams) (*LegalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[LegalUser](ctx, s.c, s.usersPath()+"/legal", p, p.IdempotencyKey)
}

// UpdateNatural updates a natural user (PUT /users/natural/{id});
// UserCategory and TermsAndConditionsAccepted are required on every update.
func (s *UserService) UpdateNatural(ctx context.Context, id string, p *NaturalUserParams) (*NaturalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[NaturalUser](ctx, s.c, s.usersPath()+pathf("/natural/%s", id), p, idempotentPut)
}

// UpdateLegal updates a legal user (PUT /users/legal/{id}).
func (s *UserService) UpdateLegal(ctx context.Context, id string, p *LegalUserParams) (*LegalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[LegalUser](ctx, s.c, s.usersPath()+pathf("/legal/%s", id), p, idempotentPut)
}

// Get reads a user of either kind (GET /users/{id}); switch on which of
// Natural and Legal is set.
func (s *UserService) Get(ctx context.Context, id string) (*User, error) {
	return get[User](ctx, s.c, s.usersPath()+pathf("/%s", id))
}

// GetNatural reads a natural user (GET /users/natural/{id}).
func (s *UserService) GetNatural(ctx context.Context, id string) (*NaturalUser, error) {
	return get[NaturalUser](ctx, s.c, s.usersPath()+pathf("/natural/%s", id))
}

// GetLegal reads a legal user (GET /users/legal/{id}).
func (s *UserService) GetLegal(ctx context.Context, id string) (*LegalUser, error) {
	return get[LegalUser](ctx, s.c, s.usersPath()+pathf("/legal/%s", id))
}

// List iterates over every user (GET /users), in summary form.
func (s *UserService) List(ctx context.Context, opts *ListOptions) iter.Seq2[UserSummary, error] {
	return listAll[UserSummary](ctx, s.c, "/users", opts)
}

// ListPage reads one page of GET /users.
func (s *UserService) ListPage(ctx context.Context, opts *ListOptions) (*Page[UserSummary], error) {
	return listPage[UserSummary](ctx, s.c, "/users", opts)
}

// UserSummary is the shape of GET /users list items; every user object
// begins with these fields.
type UserSummary struct {
	Id                             string     `json:"Id"`
	Tag                            NullString `json:"Tag"`
	CreationDate                   int64      `json:"CreationDate"`
	PersonType                     string     `json:"PersonType"`
	Email                          string     `json:"Email"`
	KYCLevel                       string     `json:"KYCLevel"`
	TermsAndConditionsAccepted     bool       `json:"TermsAndConditionsAccepted"`
	TermsAndConditionsAcceptedDate *int64     `json:"TermsAndConditionsAcceptedDate"`
	UserCategory                   string     `json:"UserCategory"`
	UserStatus                     string     `json:"UserStatus"`
}

// NaturalUser is a natural person.
type NaturalUser struct {
	Address            Address    `json:"Address"`
	FirstName          string     `json:"FirstName"`
	LastName           string     `json:"LastName"`
	Birthday           *int64     `json:"Birthday"`
	Nationality        NullString `json:"Nationality"`
	CountryOfResidence NullString `json:"CountryOfResidence"`
	Occupation         NullString `json:"Occupation"`
	IncomeRange        *int64     `json:"IncomeRange"`
	ProofOfIdentity    NullString `json:"ProofOfIdentity"`
	ProofOfAddress     NullString `json:"ProofOfAddress"`
	Capacity           string     `json:"Capacity"`
	PhoneNumber        NullString `json:"PhoneNumber"`
	PhoneNumberCountry NullString `json:"PhoneNumberCountry"`
	// PendingUserAction is set while an OWNER created through the /sca/
	// routes has to complete its SCA enrolment (UserStatus
	// PENDING_USER_ACTION); absent from legacy responses.
	PendingUserAction *PendingUserAction `json:"PendingUserAction,omitempty"`
	UserSummary
}

// LegalUser is a legal person (company, partnership, organization, sole trader).
type LegalUser struct {
	HeadquartersAddress                   Address    `json:"HeadquartersAddress"`
	LegalPersonType                       string     `json:"LegalPersonType"`
	Name                                  string     `json:"Name"`
	LegalRepresentativeAddress            Address    `json:"LegalRepresentativeAddress"`
	LegalRepresentativeBirthday           *int64     `json:"LegalRepresentativeBirthday"`
	LegalRepresentativeCountryOfResidence NullString `json:"LegalRepresentativeCountryOfResidence"`
	LegalRepresentativeNationality        NullString `json:"LegalRepresentativeNationality"`
	LegalRepresentativeEmail              NullString `json:"LegalRepresentativeEmail"`
	LegalRepresentativeFirstName          string     `json:"LegalRepresentativeFirstName"`
	LegalRepresentativeLastName           string     `json:"LegalRepresentativeLastName"`
	CompanyNumber                         NullString `json:"CompanyNumber"`
	ProofOfRegistration                   NullString `json:"ProofOfRegistration"`
	ShareholderDeclaration                NullString `json:"ShareholderDeclaration"`
	Statute                               NullString `json:"Statute"`
	LegalRepresentativeProofOfIdentity    NullString `json:"LegalRepresentativeProofOfIdentity"`
	PhoneNumber                           NullString `json:"PhoneNumber"`
	PhoneNumberCountry                    NullString `json:"PhoneNumberCountry"`
	// PendingUserAction is set while an OWNER created through the /sca/
	// routes has to complete its SCA enrolment; absent from legacy responses.
	PendingUserAction *PendingUserAction `json:"PendingUserAction,omitempty"`
	// LegalRepresentative is the representative as one object, as the /sca/
	// user routes take and answer it; absent from legacy responses, which
	// carry the flat LegalRepresentative* fields.
	LegalRepresentative *LegalRepresentative `json:"LegalRepresentative,omitempty"`
	UserSummary
}

// LegalRepresentative is the legal representative object of the /sca/ user
// routes.
type LegalRepresentative struct {
	FirstName          string     `json:"FirstName"`
	LastName           string     `json:"LastName"`
	Email              NullString `json:"Email"`
	Birthday           *int64     `json:"Birthday"`
	Nationality        NullString `json:"Nationality"`
	CountryOfResidence NullString `json:"CountryOfResidence"`
	PhoneNumber        NullString `json:"PhoneNumber"`
	PhoneNumberCountry NullString `json:"PhoneNumberCountry"`
}

// User is what GET /users/{id} returns: exactly one of Natural and Legal is
// set, chosen by PersonType.
type User struct {
	Natural *NaturalUser
	Legal   *LegalUser
}

// Summary returns the fields common to both kinds of user.
func (u *User) Summary() UserSummary {
	switch {
	case u.Natural != nil:
		return u.Natural.UserSummary
	case u.Legal != nil:
		return u.Legal.UserSummary
	}
	return UserSummary{}
}

// UnmarshalJSON decodes by PersonType.
func (u *User) UnmarshalJSON(b []byte) error {
	var probe struct{ PersonType string }
	if err := json.Unmarshal(b, &probe); err != nil {
		return err
	}
	*u = User{}
	if strings.EqualFold(probe.PersonType, PersonLegal) {
		u.Legal = new(LegalUser)
		return json.Unmarshal(b, u.Legal)
	}
	u.Natural = new(NaturalUser)
	return json.Unmarshal(b, u.Natural)
}

// MarshalJSON encodes whichever kind is set.
func (u User) MarshalJSON() ([]byte, error) {
	if u.Legal != nil {
		return json.Marshal(u.Legal)
	}
	return json.Marshal(u.Natural)
}

// NaturalUserParams creates (POST) or updates (PUT) a natural user.
// UserCategory and TermsAndConditionsAccepted are required on both.
type NaturalUserParams struct {
	Params
	UserCategory               string         `json:"UserCategory"`
	TermsAndConditionsAccepted bool           `json:"TermsAndConditionsAccepted"`
	FirstName                  string         `json:"FirstName,omitempty"`
	LastName                   string         `json:"LastName,omitempty"`
	Email                      string         `json:"Email,omitempty"`
	Birthday                   *int64         `json:"Birthday,omitempty"`
	Nationality                string         `json:"Nationality,omitempty"`
	CountryOfResidence         string         `json:"CountryOfResidence,omitempty"`
	Address                    *AddressParams `json:"Address,omitempty"`
	Occupation                 string         `json:"Occupation,omitempty"`
	IncomeRange                *int64         `json:"IncomeRange,omitempty"`
	Tag                        string         `json:"Tag,omitempty"`
	// ScaContext USER_NOT_PRESENT (proxy only) creates or updates an OWNER
	// without the user present; the /sca/users routes take it.
	ScaContext string `json:"ScaContext,omitempty"`
	// PhoneNumber and PhoneNumberCountry (alpha-2) are asked for by the
	// /sca/users routes.
	PhoneNumber        string `json:"PhoneNumber,omitempty"`
	PhoneNumberCountry string `json:"PhoneNumberCountry,omitempty"`
}

// LegalUserParams creates (POST) or updates (PUT) a legal user.
type LegalUserParams struct {
	Params
	UserCategory                          string         `json:"UserCategory"`
	TermsAndConditionsAccepted            bool           `json:"TermsAndConditionsAccepted"`
	LegalPersonType                       string         `json:"LegalPersonType,omitempty"`
	Name                                  string         `json:"Name,omitempty"`
	Email                                 string         `json:"Email,omitempty"`
	HeadquartersAddress                   *AddressParams `json:"HeadquartersAddress,omitempty"`
	LegalRepresentativeFirstName          string         `json:"LegalRepresentativeFirstName,omitempty"`
	LegalRepresentativeLastName           string         `json:"LegalRepresentativeLastName,omitempty"`
	LegalRepresentativeEmail              string         `json:"LegalRepresentativeEmail,omitempty"`
	LegalRepresentativeBirthday           *int64         `json:"LegalRepresentativeBirthday,omitempty"`
	LegalRepresentativeNationality        string         `json:"LegalRepresentativeNationality,omitempty"`
	LegalRepresentativeCountryOfResidence string         `json:"LegalRepresentativeCountryOfResidence,omitempty"`
	LegalRepresentativeAddress            *AddressParams `json:"LegalRepresentativeAddress,omitempty"`
	CompanyNumber                         string         `json:"CompanyNumber,omitempty"`
	Tag                                   string         `json:"Tag,omitempty"`
	// ScaContext USER_NOT_PRESENT (proxy only) creates or updates an OWNER
	// without the user present; the /sca/users routes take it.
	ScaContext string `json:"ScaContext,omitempty"`
	// PhoneNumber and PhoneNumberCountry (alpha-2) are asked for by the
	// /sca/users routes.
	PhoneNumber        string `json:"PhoneNumber,omitempty"`
	PhoneNumberCountry string `json:"PhoneNumberCountry,omitempty"`
}
