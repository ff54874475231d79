package mangopay

import (
	"context"
	"testing"
)

// TestSCAEndpoints drives enrolment, consent and status against the
// documented answers.
func TestSCAEndpoints(t *testing.T) {
	redirect := `{"PendingUserAction":{"RedirectUrl":"https://sca.sandbox.mangopay.com/?token=sca_1"}}`
	api := &fakeAPI{routes: map[string]answer{
		"POST /sca/users/u1/enrollment": {200, redirect, nil},
		"POST /sca/users/u1/consent":    {200, redirect, nil},
		"GET /sca/users/u1/sca-status": {200, `{"UserStatus":"ACTIVE","IsEnrolled":true,"LastEnrollmentDate":1767225600,
 "LastConsentCollectionDate":null,"ConsentScope":{"ContactInformationUpdate":"GIVEN","RecipientRegistration":null,
 "Transfer":"REVOKED","ViewAccountInformation":"GIVEN"}}`, nil},
	}}
	c, _ := newTestClient(t, api)
	ctx := context.Background()
	for name, call := range map[string]func(context.Context, string) (*PendingUserActionResponse, error){
		"POST /sca/users/u1/enrollment": c.SCA.Enroll, "POST /sca/users/u1/consent": c.SCA.Consent} {
		r, err := call(ctx, "u1")
		if err != nil || r.PendingUserAction == nil || r.PendingUserAction.RedirectUrl != "https://sca.sandbox.mangopay.com/?token=sca_1" {
			t.Errorf("%s = %+v, %v", name, r, err)
		}
		if b := api.last(t, name).body; b != "" {
			t.Errorf("%s body = %q, want none", name, b)
		}
	}
	st, err := c.SCA.Status(ctx, "u1")
	if err != nil || !st.IsEnrolled || st.UserStatus != UserActive || *st.LastEnrollmentDate != 1767225600 ||
		st.LastConsentCollectionDate != nil || st.ConsentScope.Transfer != "REVOKED" || st.ConsentScope.RecipientRegistration != "" {
		t.Errorf("Status() = %+v, %v", st, err)
	}
}

// TestWithScaContext: the context's ScaContext goes in the query of the
// four wallet reads MANGOPAY gates by SCA, and of no other call.
func TestWithScaContext(t *testing.T) {
	api := &fakeAPI{routes: map[string]answer{
		"GET /wallets/w1":              {200, `{"Id":"w1"}`, nil},
		"GET /users/u1/wallets":        {200, `[]`, nil},
		"GET /users/u1/transactions":   {200, `[]`, nil},
		"GET /wallets/w1/transactions": {200, `[]`, nil},
		"GET /users/u1":                {200, `{"Id":"u1","PersonType":"NATURAL"}`, nil},
		"GET /clients/wallets/FEES":    {200, `[]`, nil},
		"GET /transfers/t1":            {200, `{"Id":"t1"}`, nil},
	}}
	c, _ := newTestClient(t, api)
	ctx := WithScaContext(context.Background(), ScaUserNotPresent)
	c.Wallets.Get(ctx, "w1")
	Collect(c.Wallets.ListByUser(ctx, "u1", nil))
	Collect(c.Transactions.ListByUser(ctx, "u1", &ListOptions{Status: []string{"SUCCEEDED"}}))
	Collect(c.Transactions.ListByWallet(ctx, "w1", nil))
	c.Users.Get(ctx, "u1")
	Collect(c.ClientWallets.ListByFundsType(ctx, FundsFees, nil))
	c.Transfers.Get(ctx, "t1")
	for _, route := range []string{"GET /wallets/w1", "GET /users/u1/wallets", "GET /users/u1/transactions", "GET /wallets/w1/transactions"} {
		if q := api.last(t, route).query; q.Get("ScaContext") != ScaUserNotPresent {
			t.Errorf("%s query = %v, want ScaContext USER_NOT_PRESENT", route, q)
		}
	}
	if q := api.last(t, "GET /users/u1/transactions").query; q.Get("Status") != "SUCCEEDED" {
		t.Errorf("transactions query = %v, lost its Status filter", q)
	}
	for _, route := range []string{"GET /users/u1", "GET /clients/wallets/FEES", "GET /transfers/t1"} {
		if q := api.last(t, route).query; q.Has("ScaContext") {
			t.Errorf("%s query = %v, want no ScaContext", route, q)
		}
	}
	c.Wallets.Get(context.Background(), "w1")
	if q := api.last(t, "GET /wallets/w1").query; q.Has("ScaContext") {
		t.Errorf("wallet read without WithScaContext: query %v", q)
	}
}
