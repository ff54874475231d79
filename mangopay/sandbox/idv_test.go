package sandbox

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

func TestIdentityVerificationCreate(t *testing.T) {
	tests := []struct {
		name   string
		user   string // OWNER, PAYER or PARTNERSHIP
		body   map[string]any
		status int
		typ    string
	}{
		{"owner", "OWNER", map[string]any{"ReturnUrl": "https://app.example/kyc?x=1", "Tag": "t", "SessionLanguage": "FR"}, 200, ""},
		{"payer", "PAYER", map[string]any{"ReturnUrl": "https://app.example/kyc"}, 400, "invalid_action"},
		{"partnership", "PARTNERSHIP", map[string]any{"ReturnUrl": "https://app.example/kyc"}, 400, "invalid_action"},
		{"no return url", "OWNER", map[string]any{"Tag": "t"}, 400, "param_error"},
		{"relative return url", "OWNER", map[string]any{"ReturnUrl": "/kyc"}, 400, "param_error"},
		{"long return url", "OWNER", map[string]any{"ReturnUrl": "https://app.example/" + strings.Repeat("a", 500)}, 400, "param_error"},
	}
	x := newSbx(t, Options{})
	users := map[string]string{"OWNER": x.owner("John", "Doe", false), "PAYER": x.natural("PAYER")}
	var legal mangopay.LegalUser
	x.ok("POST", "/users/legal", with(legalBody(), "LegalPersonType", "PARTNERSHIP"), &legal)
	users["PARTNERSHIP"] = legal.Id
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/users/" + users[tt.user] + "/identity-verifications"
			if tt.status != 200 {
				x.fails("POST", path, tt.body, tt.status, tt.typ)
				return
			}
			var v mangopay.IdentityVerification
			x.ok("POST", path, tt.body, &v)
			want := x.ts.URL + "/idv/" + v.Id + "?" + url.Values{"lng": {"fr"}, "redirectURL": {"https://app.example/kyc?x=1"}}.Encode()
			if !strings.HasPrefix(v.Id, "idnver_") || v.Status != "PENDING" || v.HostedUrl != want || v.ReturnUrl != "https://app.example/kyc?x=1" ||
				v.Tag != "t" || v.UserId != users[tt.user] {
				t.Errorf("session = %+v, HostedUrl want %s", v, want)
			}
			var got mangopay.IdentityVerification
			x.ok("GET", "/identity-verifications/"+v.Id, nil, &got)
			var list []mangopay.IdentityVerification
			x.ok("GET", path, nil, &list)
			if got.Id != v.Id || got.HostedUrl != v.HostedUrl || len(list) != 1 || list[0].Id != v.Id {
				t.Errorf("view %+v, list %+v", got, list)
			}
		})
	}
	x.fails("GET", "/identity-verifications/idnver_missing", nil, 404, "ressource_not_found")
}

func TestIdentityVerificationOutcome(t *testing.T) {
	tests := []struct {
		name    string
		decide  func(x *sbx, v mangopay.IdentityVerification)
		status  string
		reason  string // the refused check's reason
		regular bool
		event   string
	}{
		{name: "hosted page", decide: func(x *sbx, v mangopay.IdentityVerification) {
			resp, body := x.raw("GET", strings.TrimPrefix(v.HostedUrl, x.ts.URL), "", false)
			if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://app.example/kyc?controlStatus=SUCCEEDED" {
				x.t.Errorf("hosted page = %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
		}, status: "VALIDATED", regular: true, event: "IDENTITY_VERIFICATION_VALIDATED"},
		{name: "hosted page refused", decide: func(x *sbx, v mangopay.IdentityVerification) {
			x.raw("GET", "/idv/"+v.Id+"?outcome=refused&reason=document_falsified", "", false)
		}, status: "REFUSED", reason: "DOCUMENT_FALSIFIED", event: "IDENTITY_VERIFICATION_FAILED"},
		{name: "admin validated", decide: func(x *sbx, v mangopay.IdentityVerification) {
			x.call(204, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=VALIDATED", nil)
		}, status: "VALIDATED", regular: true, event: "IDENTITY_VERIFICATION_VALIDATED"},
		{name: "admin refused", decide: func(x *sbx, v mangopay.IdentityVerification) {
			x.call(400, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=REFUSED&reason=BAD_LUCK", nil)
			x.call(400, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=REVIEW", nil)
			x.call(204, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=REFUSED&reason=UNDERAGE_PERSON", nil)
			x.call(400, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=VALIDATED", nil)
		}, status: "REFUSED", reason: "UNDERAGE_PERSON", event: "IDENTITY_VERIFICATION_FAILED"},
		{name: "admin expired", decide: func(x *sbx, v mangopay.IdentityVerification) {
			x.call(204, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=EXPIRED", nil)
		}, status: "EXPIRED", event: "IDENTITY_VERIFICATION_EXPIRED"},
		{name: "left pending", decide: func(x *sbx, v mangopay.IdentityVerification) { x.clock.advance(idvExpiry) },
			status: "EXPIRED", event: "IDENTITY_VERIFICATION_EXPIRED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			owner := x.owner("John", "Doe", false)
			var v mangopay.IdentityVerification
			x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &v)
			tt.decide(x, v)
			x.ok("GET", "/identity-verifications/"+v.Id, nil, &v)
			if v.Status != tt.status {
				t.Fatalf("Status = %s, want %s", v.Status, tt.status)
			}
			if tt.status == "EXPIRED" && len(v.Checks) != 0 || tt.status != "EXPIRED" && len(v.Checks) != 3 {
				t.Errorf("Checks = %+v", v.Checks)
			}
			if tt.reason != "" && (v.Checks[0].CheckStatus != "REFUSED" || v.Checks[0].Reasons[0].Type != tt.reason || !strings.Contains(v.Reason(), tt.reason)) {
				t.Errorf("refused check = %+v, Reason() = %q", v.Checks[0], v.Reason())
			}
			var u mangopay.NaturalUser
			x.ok("GET", "/users/"+owner, nil, &u)
			if (u.KYCLevel == "REGULAR") != tt.regular {
				t.Errorf("KYCLevel = %s, want REGULAR: %v", u.KYCLevel, tt.regular)
			}
			var events []mangopay.Event
			x.ok("GET", "/events?EventType="+tt.event, nil, &events)
			if len(events) != 1 || events[0].ResourceId != v.Id {
				t.Errorf("%s events = %+v", tt.event, events)
			}
		})
	}
}

// TestIdentityVerificationOutdated: a change of identity makes a
// VALIDATED session OUT_OF_DATE and the user LIGHT again; a restart keeps
// a pending session's expiry.
func TestIdentityVerificationOutdated(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	owner := x.owner("John", "Doe", false)
	var v, w mangopay.IdentityVerification
	x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &v)
	x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &w)
	x.raw("GET", "/idv/"+v.Id, "", false)
	x.ok("PUT", "/users/natural/"+owner, with(ownerBody(), "FirstName", "Johnny", "LastName", "Doe", "Email", "john.doe@example.org"), nil)
	y := x.restart(Options{StateDir: dir})
	y.ok("GET", "/identity-verifications/"+v.Id, nil, &v)
	var u mangopay.NaturalUser
	y.ok("GET", "/users/"+owner, nil, &u)
	if v.Status != "OUT_OF_DATE" || u.KYCLevel != "LIGHT" {
		t.Errorf("after the change: session %s, user %s; want OUT_OF_DATE, LIGHT", v.Status, u.KYCLevel)
	}
	y.clock.advance(idvExpiry - time.Second)
	y.ok("GET", "/identity-verifications/"+w.Id, nil, &w)
	if w.Status != "PENDING" {
		t.Fatalf("before the expiry: %s", w.Status)
	}
	y.clock.advance(time.Second)
	y.ok("GET", "/identity-verifications/"+w.Id, nil, &w)
	if w.Status != "EXPIRED" {
		t.Errorf("after the expiry: %s", w.Status)
	}
}
