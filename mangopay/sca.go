package mangopay

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// ScaContext values: whether the user is present to authenticate. An
// action MANGOPAY gates by SCA with USER_PRESENT (the default since
// 2025-12-15) may ask for the user's authentication; USER_NOT_PRESENT
// needs MANGOPAY's proxy approval and the user's consent, or is refused
// with a 403 ([ErrProxyConsent]).
const (
	ScaUserPresent    = "USER_PRESENT"
	ScaUserNotPresent = "USER_NOT_PRESENT"
)

// PendingUserAction carries the SCA redirect of a user, a recipient or a
// transfer that needs it. The link expires 10 minutes after it is issued;
// append a percent-encoded returnUrl before sending the user to it.
type PendingUserAction struct {
	RedirectUrl string `json:"RedirectUrl"`
}

// SCAService manages the SCA of users (the /sca/users routes): enrolment,
// proxy consent and status.
type SCAService struct{ c *Client }

// Enroll starts the SCA enrolment of an existing user
// (POST /sca/users/{id}/enrollment); the user completes it at the
// returned RedirectUrl. It does not change the user's UserStatus.
func (s *SCAService) Enroll(ctx context.Context, userID string) (*PendingUserActionResponse, error) {
	return post[PendingUserActionResponse](ctx, s.c, pathf("/sca/users/%s/enrollment", userID), nil, "")
}

// Consent asks the user for proxy consent (POST /sca/users/{id}/consent),
// which lets the platform act with ScaContext USER_NOT_PRESENT; the user
// gives it at the returned RedirectUrl. A platform without proxy approval
// is answered 400 param_error.
func (s *SCAService) Consent(ctx context.Context, userID string) (*PendingUserActionResponse, error) {
	return post[PendingUserActionResponse](ctx, s.c, pathf("/sca/users/%s/consent", userID), nil, "")
}

// Status reads a user's enrolment and consents
// (GET /sca/users/{id}/sca-status).
func (s *SCAService) Status(ctx context.Context, userID string) (*SCAStatus, error) {
	return get[SCAStatus](ctx, s.c, pathf("/sca/users/%s/sca-status", userID))
}

// PendingUserActionResponse is the answer of the enrolment and consent
// calls.
type PendingUserActionResponse struct {
	PendingUserAction *PendingUserAction `json:"PendingUserAction"`
}

// SCAStatus is a user's SCA state. UserStatus ACTIVE does not prove
// enrolment: read IsEnrolled.
type SCAStatus struct {
	UserStatus                string        `json:"UserStatus"`
	IsEnrolled                bool          `json:"IsEnrolled"`
	LastEnrollmentDate        *int64        `json:"LastEnrollmentDate"`
	LastConsentCollectionDate *int64        `json:"LastConsentCollectionDate"`
	ConsentScope              *ConsentScope `json:"ConsentScope"`
}

// ConsentScope holds the state of the user's proxy consent for each of
// the four actions it covers.
type ConsentScope struct {
	ContactInformationUpdate NullString `json:"ContactInformationUpdate"`
	RecipientRegistration    NullString `json:"RecipientRegistration"`
	Transfer                 NullString `json:"Transfer"`
	ViewAccountInformation   NullString `json:"ViewAccountInformation"`
}

type scaContextKey struct{}

// WithScaContext returns a context whose wallet reads (GET /wallets/{id},
// /users/{id}/wallets, /users/{id}/transactions, /wallets/{id}/transactions,
// the four endpoints MANGOPAY gates by SCA) send the query parameter
// ScaContext=sc. Writes that take a ScaContext carry it in their params.
func WithScaContext(ctx context.Context, sc string) context.Context {
	return context.WithValue(ctx, scaContextKey{}, sc)
}

// scaQuery adds the context's ScaContext to the query of a wallet read.
func scaQuery(ctx context.Context, r *request) {
	sc, _ := ctx.Value(scaContextKey{}).(string)
	if sc == "" || r.method != http.MethodGet || !scaGated(r.path) {
		return
	}
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	q.Set("ScaContext", sc)
	r.query = q
}

// scaGated reports the reads MANGOPAY gates by SCA: GET /wallets/{id},
// /wallets/{id}/transactions, /users/{id}/wallets and
// /users/{id}/transactions.
func scaGated(path string) bool {
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch len(seg) {
	case 2:
		return seg[0] == "wallets"
	case 3:
		return (seg[0] == "wallets" && seg[2] == "transactions") ||
			(seg[0] == "users" && (seg[2] == "wallets" || seg[2] == "transactions"))
	}
	return false
}
