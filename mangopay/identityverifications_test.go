package mangopay

import (
	"context"
	"testing"
)

// TestIdentityVerifications drives create, view and list against the
// documented answers.
func TestIdentityVerifications(t *testing.T) {
	created := `{"Id":"idnver_01JH2ZK1MKAMG5H2Q20M5K6020","Tag":"settle:t/idv/o","CreationDate":1736340768,
 "HostedUrl":"https://user-verification.sandbox.mangopay.com/66ebfacebd780d434e8e6a9d?sessionId=677e75212400002f00a6edd0&redirectURL=https%3A%2F%2Fexample.com",
 "Status":"PENDING","ReturnUrl":"https://example.com"}`
	refused := `{"Id":"idnver_2","Status":"REFUSED","UserId":"u1","HostedUrl":"https://h","ReturnUrl":"https://example.com","Tag":null,
 "CreationDate":1,"LastUpdate":2,"Checks":[{"CheckId":"c1","Type":"IDENTITY_DOCUMENT_VERIFICATION","CheckStatus":"REFUSED",
 "CreationDate":1,"LastUpdate":2,"Reasons":[{"Type":"DOCUMENT_EXPIRED","Value":""}],"Data":[]},
 {"Type":"IDV_AGE_CHECK","CheckStatus":"VALIDATED","CreationDate":1,"Reasons":[],"Data":[{"Type":"AGE","Value":"34"}]}]}`
	api := &fakeAPI{routes: map[string]answer{
		"POST /users/u1/identity-verifications": {200, created, nil},
		"GET /identity-verifications/idnver_2":  {200, refused, nil},
		"GET /users/u1/identity-verifications":  {200, "[" + created + "," + refused + "]", nil},
	}}
	c, _ := newTestClient(t, api)
	ctx := context.Background()
	v, err := c.IdentityVerifications.Create(ctx, "u1", &IdentityVerificationCreateParams{
		Params: Params{IdempotencyKey: "idv-key-0000000001"}, ReturnUrl: "https://example.com", Tag: "settle:t/idv/o"})
	if err != nil || v.Status != IDVPending || v.HostedUrl == "" || v.Id != "idnver_01JH2ZK1MKAMG5H2Q20M5K6020" {
		t.Fatalf("Create() = %+v, %v", v, err)
	}
	sameJSON(t, "create body", api.last(t, "POST /users/u1/identity-verifications").body,
		`{"ReturnUrl":"https://example.com","Tag":"settle:t/idv/o"}`)
	g, err := c.IdentityVerifications.Get(ctx, "idnver_2")
	if err != nil || g.Status != IDVRefused || len(g.Checks) != 2 {
		t.Fatalf("Get() = %+v, %v", g, err)
	}
	if got, want := g.Reason(), "IDENTITY_DOCUMENT_VERIFICATION REFUSED: DOCUMENT_EXPIRED"; got != want {
		t.Errorf("Reason() = %q, want %q", got, want)
	}
	if v.Reason() != "" {
		t.Errorf("Reason() of a pending session = %q, want none", v.Reason())
	}
	list, err := Collect(c.IdentityVerifications.ListByUser(ctx, "u1", nil))
	if err != nil || len(list) != 2 || list[1].Id != "idnver_2" {
		t.Errorf("ListByUser() = %+v, %v", list, err)
	}
}
