package sandbox

import (
	"net/http"
	"testing"

	"settle/mangopay"
)

func TestSCAUserCreation(t *testing.T) {
	tests := []struct {
		name, path string
		body       map[string]any
		status     string
		pending    bool
	}{
		{"legacy owner", "/users/natural", ownerBody(), "ACTIVE", false},
		{"legacy legal owner", "/users/legal", legalBody(), "ACTIVE", false},
		{"sca owner", "/sca/users/natural", ownerBody(), "PENDING_USER_ACTION", true},
		{"sca legal owner", "/sca/users/legal", with(legalBody(), "LegalRepresentativeEmail", "jo.doe@acme.test"), "PENDING_USER_ACTION", true},
		{"sca owner accept", "/sca/users/natural", with(ownerBody(), "Email", "john.doe+ACCEPT@example.org"), "ACTIVE", false},
		{"sca legal accept", "/sca/users/legal", with(legalBody(), "LegalRepresentativeEmail", "jo.doe+accept@acme.test"), "ACTIVE", false},
		{"sca payer", "/sca/users/natural", with(ownerBody(), "UserCategory", "PAYER"), "ACTIVE", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			u := x.obj("POST", tt.path, with(tt.body, "PhoneNumber", "+33612345678", "PhoneNumberCountry", "fr"))
			if u["UserStatus"] != tt.status {
				t.Errorf("UserStatus = %v, want %s", u["UserStatus"], tt.status)
			}
			pua, present := u["PendingUserAction"]
			if present != tt.pending {
				t.Fatalf("PendingUserAction present = %v (%v), want %v", present, pua, tt.pending)
			}
			id := u["Id"].(string)
			if tt.pending {
				want := x.ts.URL + "/sca/" + id
				if got := pua.(map[string]any)["RedirectUrl"]; got != want {
					t.Errorf("RedirectUrl = %v, want %s", got, want)
				}
			}
			if u["PhoneNumber"] != "+33612345678" || u["PhoneNumberCountry"] != "FR" {
				t.Errorf("phone = %v %v", u["PhoneNumber"], u["PhoneNumberCountry"])
			}
			if got := x.obj("GET", "/users/"+id, nil); got["UserStatus"] != tt.status {
				t.Errorf("GET UserStatus = %v, want %s", got["UserStatus"], tt.status)
			}
		})
	}
}

// TestSCALegalOwnerNeedsRepresentativeEmail: through /sca/users/legal an
// OWNER's legal representative needs an Email (MANGOPAY enrols the
// representative in SCA through it), in the flat and the nested form; a
// PAYER's and a legacy /users/legal OWNER's do not.
func TestSCALegalOwnerNeedsRepresentativeEmail(t *testing.T) {
	x := newSbx(t, Options{})
	m := x.fails("POST", "/sca/users/legal", legalBody(), 400, "param_error")
	if fieldErr(m, "LegalRepresentativeEmail") != "The LegalRepresentativeEmail field is required." {
		t.Errorf("flat form without the representative's Email: %v", m)
	}
	nested := legalBody()
	for _, k := range []string{"LegalRepresentativeFirstName", "LegalRepresentativeLastName", "LegalRepresentativeBirthday",
		"LegalRepresentativeNationality", "LegalRepresentativeCountryOfResidence"} {
		delete(nested, k)
	}
	nested["LegalRepresentative"] = map[string]any{"FirstName": "Jo", "LastName": "Doe", "Birthday": 652117514,
		"Nationality": "FR", "CountryOfResidence": "FR"}
	m = x.fails("POST", "/sca/users/legal", nested, 400, "param_error")
	if fieldErr(m, "LegalRepresentative.Email") != "The LegalRepresentative.Email field is required." {
		t.Errorf("nested form without the representative's Email: %v", m)
	}
	x.obj("POST", "/sca/users/legal", with(legalBody(), "UserCategory", "PAYER"))
	x.obj("POST", "/users/legal", legalBody())
}

// scaOwner creates a pending OWNER through /sca/ with a wallet.
func (x *sbx) scaOwner() (user, wallet, redirect string) {
	x.t.Helper()
	var u mangopay.NaturalUser
	x.ok("POST", "/sca/users/natural", ownerBody(), &u)
	if u.PendingUserAction == nil {
		x.t.Fatalf("user %s has no PendingUserAction", u.Id)
	}
	return u.Id, x.wallet(u.Id, "EUR"), u.PendingUserAction.RedirectUrl
}

// TestSCATransfersWhilePending: since September 2025 a PENDING_USER_ACTION
// owner is no longer refused transfers (002704 was lifted).
func TestSCATransfersWhilePending(t *testing.T) {
	tests := []struct {
		name     string
		credited bool // the pending owner is credited, else debited
	}{
		{"credited", true},
		{"debited", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			payer, pw, _, _ := x.fundedPayer(5000)
			owner, ow, _ := x.scaOwner()
			body := transferBody(payer, pw, ow, 1000, 0)
			if !tt.credited {
				x.s.mu.Lock()
				x.s.st.users.m[owner].sum().UserStatus = mangopay.UserActive
				x.s.mu.Unlock()
				x.ok("POST", "/transfers", body, nil)
				x.s.mu.Lock()
				x.s.st.users.m[owner].sum().UserStatus = mangopay.UserPendingAction
				x.s.mu.Unlock()
				other := x.natural("OWNER")
				body = transferBody(owner, ow, x.wallet(other, "EUR"), 500, 0)
			}
			m := x.obj("POST", "/transfers", body)
			if m["Status"] != "SUCCEEDED" || m["ResultCode"] != "000000" {
				t.Errorf("transfer = %v, want SUCCEEDED (002704 is lifted)", m)
			}
		})
	}
}

func TestSCAEnrolmentPage(t *testing.T) {
	tests := []struct {
		name, query string
		status      int
		location    string
	}{
		{"plain", "", http.StatusOK, ""},
		{"return url", "?returnUrl=https%3A%2F%2Fapp.example%2Fdone", http.StatusFound, "https://app.example/done"},
		{"return url spelled ReturnUrl", "?ReturnUrl=https%3A%2F%2Fapp.example%2Fdone", http.StatusFound, "https://app.example/done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			x := newSbx(t, Options{StateDir: dir})
			payer, pw, _, _ := x.fundedPayer(5000)
			owner, ow, redirect := x.scaOwner()
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for range 2 { // a second visit changes nothing
				resp, err := noFollow.Get(redirect + tt.query)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
					t.Fatalf("GET %s = %d %q, want %d %q", redirect, resp.StatusCode, resp.Header.Get("Location"),
						tt.status, tt.location)
				}
			}
			u := x.obj("GET", "/sca/users/natural/"+owner, nil)
			if _, present := u["PendingUserAction"]; u["UserStatus"] != "ACTIVE" || present {
				t.Errorf("after enrolment user = %v", u)
			}
			if m := x.obj("POST", "/transfers", transferBody(payer, pw, ow, 1000, 0)); m["Status"] != "SUCCEEDED" {
				t.Errorf("transfer after enrolment = %v", m)
			}
			s2 := x.restart(Options{StateDir: dir}).s
			if got := s2.st.users.m[owner].sum().UserStatus; got != mangopay.UserActive {
				t.Errorf("after restart UserStatus = %s, want ACTIVE", got)
			}
		})
	}
}

func TestSCAEnrolmentUnknownUser(t *testing.T) {
	x := newSbx(t, Options{})
	resp, err := http.Get(x.ts.URL + "/sca/user_m_nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET unknown = %d, want 404", resp.StatusCode)
	}
}

// TestSCARedirectAfterRestart: the embedded sandbox gets a new loopback port
// each run while its state folder persists, so a pending user's RedirectUrl
// is built from the request answering it, not from the stored record, which
// may still hold an absolute URL on the old port (records written before).
func TestSCARedirectAfterRestart(t *testing.T) {
	tests := []struct {
		name      string
		oldRecord bool // rewrite the stored record as it used to be persisted
	}{
		{"stored path", false},
		{"stored absolute url", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			x := newSbx(t, Options{StateDir: dir})
			owner, _, redirect := x.scaOwner()
			if want := x.ts.URL + "/sca/" + owner; redirect != want {
				t.Fatalf("first run RedirectUrl = %s, want %s", redirect, want)
			}
			if tt.oldRecord {
				x.s.mu.Lock()
				u := x.s.st.users.m[owner].clone()
				u.Natural.PendingUserAction = &mangopay.PendingUserAction{RedirectUrl: redirect}
				x.s.putUser(u)
				x.s.mu.Unlock()
			}
			y := x.restart(Options{StateDir: dir})
			want := y.ts.URL + "/sca/" + owner
			for _, path := range []string{"/users/", "/users/natural/", "/sca/users/", "/sca/users/natural/"} {
				u := y.obj("GET", path+owner, nil)
				pua, _ := u["PendingUserAction"].(map[string]any)
				if u["UserStatus"] != "PENDING_USER_ACTION" || pua == nil || pua["RedirectUrl"] != want {
					t.Fatalf("GET %s after restart: UserStatus %v, PendingUserAction %v, want RedirectUrl %s",
						path, u["UserStatus"], u["PendingUserAction"], want)
				}
			}
			resp, err := http.Get(want)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200", want, resp.StatusCode)
			}
			u := y.obj("GET", "/sca/users/natural/"+owner, nil)
			if _, present := u["PendingUserAction"]; u["UserStatus"] != "ACTIVE" || present {
				t.Errorf("after enrolment user = %v", u)
			}
		})
	}
}
