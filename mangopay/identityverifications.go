package mangopay

import (
	"context"
	"iter"
)

// Identity verification session statuses. VALIDATED makes the user's
// KYCLevel REGULAR; REFUSED and EXPIRED end the session, which a new one
// replaces.
const (
	IDVPending   = "PENDING"
	IDVReview    = "REVIEW" // legal users only: a manual review
	IDVValidated = "VALIDATED"
	IDVRefused   = "REFUSED"
	IDVOutOfDate = "OUT_OF_DATE"
	IDVExpired   = "EXPIRED"
)

// IdentityVerificationService runs MANGOPAY's hosted identity checks
// (KYC/KYB IDV sessions), which new integrations use instead of KYC
// documents. Only OWNERs can have one, and MANGOPAY must have activated
// the feature (else 403).
type IdentityVerificationService struct{ c *Client }

// Create opens a session (POST /users/{id}/identity-verifications); the
// user completes it at HostedUrl and is sent back to ReturnUrl.
func (s *IdentityVerificationService) Create(ctx context.Context, userID string, p *IdentityVerificationCreateParams) (*IdentityVerification, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[IdentityVerification](ctx, s.c, pathf("/users/%s/identity-verifications", userID), p, p.IdempotencyKey)
}

// Get reads a session (GET /identity-verifications/{id}).
func (s *IdentityVerificationService) Get(ctx context.Context, id string) (*IdentityVerification, error) {
	return get[IdentityVerification](ctx, s.c, pathf("/identity-verifications/%s", id))
}

// ListByUser iterates over a user's sessions
// (GET /users/{id}/identity-verifications).
func (s *IdentityVerificationService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[IdentityVerification, error] {
	return listAll[IdentityVerification](ctx, s.c, pathf("/users/%s/identity-verifications", userID), opts)
}

// IdentityVerificationCreateParams opens a session. ReturnUrl (at most 500
// characters) is required.
type IdentityVerificationCreateParams struct {
	Params
	ReturnUrl string `json:"ReturnUrl"`
	Tag       string `json:"Tag,omitempty"`
	// SessionLanguage sets the hosted page's language (lng on HostedUrl).
	SessionLanguage string `json:"SessionLanguage,omitempty"`
}

// IdentityVerification is a hosted identity verification session.
type IdentityVerification struct {
	Id           string          `json:"Id"`
	Tag          NullString      `json:"Tag"`
	CreationDate int64           `json:"CreationDate"`
	HostedUrl    string          `json:"HostedUrl"`
	ReturnUrl    string          `json:"ReturnUrl"`
	Status       string          `json:"Status"`
	UserId       string          `json:"UserId,omitempty"`
	LastUpdate   *int64          `json:"LastUpdate,omitempty"`
	Checks       []IdentityCheck `json:"Checks,omitempty"`
}

// IdentityCheck is one check of a session (IDENTITY_DOCUMENT_VERIFICATION,
// IDV_NAME_MATCH_CHECK, IDV_AGE_CHECK, BUSINESS_VERIFICATION, ...):
// CheckStatus VALIDATED or REFUSED, with the reasons of a refusal.
type IdentityCheck struct {
	CheckId      NullString      `json:"CheckId,omitempty"`
	Type         string          `json:"Type"`
	CheckStatus  string          `json:"CheckStatus"`
	CreationDate int64           `json:"CreationDate"`
	LastUpdate   *int64          `json:"LastUpdate,omitempty"`
	Reasons      []IdentityDatum `json:"Reasons"`
	Data         []IdentityDatum `json:"Data"`
}

// IdentityDatum is a reason or a verified datum of a check.
type IdentityDatum struct {
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// Reason returns a short account of why a session did not validate: its
// refused checks and their reasons, "" when there is none.
func (v *IdentityVerification) Reason() string {
	var s string
	for _, c := range v.Checks {
		if c.CheckStatus != IDVRefused {
			continue
		}
		if s != "" {
			s += "; "
		}
		s += c.Type + " " + c.CheckStatus
		for i, r := range c.Reasons {
			sep := ", "
			if i == 0 {
				sep = ": "
			}
			s += sep + r.Type
			if r.Value != "" {
				s += " " + r.Value
			}
		}
	}
	return s
}
