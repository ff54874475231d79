package sandbox

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

// newDoc creates a document with one valid page.
func (x *sbx) newDoc(user, docType, tag string) mangopay.KYCDocument {
	x.t.Helper()
	var d mangopay.KYCDocument
	x.ok("POST", "/users/"+user+"/KYC/documents/", map[string]any{"Type": docType, "Tag": tag}, &d)
	if st, body := x.do("POST", "/users/"+user+"/kyc/documents/"+d.Id+"/pages", map[string]any{"File": page(40 << 10)}); st != 204 || len(body) != 0 {
		x.t.Fatalf("page = %d %q, want 204 and no body", st, body)
	}
	return d
}

func (x *sbx) submit(user, id string) mangopay.KYCDocument {
	x.t.Helper()
	var d mangopay.KYCDocument
	x.ok("PUT", "/users/"+user+"/kyc/documents/"+id, map[string]any{"Status": "VALIDATION_ASKED", "Id": "ignored", "Type": "X"}, &d)
	return d
}

func TestKYCDocumentCreate(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("OWNER")
	d := x.obj("POST", "/users/"+u+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": "accept"})
	flags, _ := d["Flags"].([]any)
	if d["Status"] != "CREATED" || flags == nil || len(flags) != 0 || d["ProcessedDate"] != nil || d["RefusedReasonType"] != nil ||
		!strings.HasPrefix(d["Id"].(string), "kyc_") || d["UserId"] != u {
		t.Errorf("document = %v", d)
	}
	legal := x.obj("POST", "/users/legal", legalBody())["Id"].(string)
	sole := x.obj("POST", "/users/legal", with(legalBody(), "LegalPersonType", "SOLETRADER"))["Id"].(string)
	tests := []struct{ name, user, typ, msg string }{
		{"natural registration", u, "REGISTRATION_PROOF", "REGISTRATION_PROOF cannot be submitted for NATURAL_PERSON user"},
		{"business address", legal, "ADDRESS_PROOF", "ADDRESS_PROOF cannot be submitted for BUSINESS user"},
		{"soletrader articles", sole, "ARTICLES_OF_ASSOCIATION", "ARTICLES_OF_ASSOCIATION cannot be submitted for SOLETRADER user"},
		{"unknown type", u, "SELFIE", "The value SELFIE is not valid for Type."},
		{"no type", u, "", "The Type field is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", "/users/"+tt.user+"/kyc/documents", map[string]any{"Type": tt.typ}, 400, "param_error")
			if got := fieldErr(m, "Type"); got != tt.msg {
				t.Errorf("errors.Type = %q, want %q", got, tt.msg)
			}
		})
	}
	x.fails("POST", "/users/user_m_none/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF"}, 404, "ressource_not_found")
}

func TestKYCPages(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("OWNER")
	d := x.obj("POST", "/users/"+u+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF"})
	path := "/users/" + u + "/kyc/documents/" + d["Id"].(string) + "/pages"
	pdf := base64.StdEncoding.EncodeToString(append([]byte("%PDF-1.4"), make([]byte, 40<<10)...))
	tests := []struct {
		name   string
		body   any
		status int
		typ    string
		field  string
	}{
		{"bad base64", map[string]any{"File": "abc"}, 400, "param_error", "File"},
		{"too small", map[string]any{"File": page(2 << 10)}, 400, "param_error", "File"},
		{"not an image", map[string]any{"File": base64.StdEncoding.EncodeToString(make([]byte, 40<<10))}, 415, "unsupported_media_type", ""},
		{"no file", map[string]any{}, 400, "param_error", "File"},
		{"empty body", "", 411, "empty_body", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", path, tt.body, tt.status, tt.typ)
			if tt.field != "" && fieldErr(m, tt.field) == "" {
				t.Errorf("body %v has no errors.%s", m, tt.field)
			}
		})
	}
	for i := 0; i < 5; i++ {
		if st, body := x.do("POST", path, map[string]any{"File": pdf}); st != 204 {
			t.Fatalf("page %d = %d %s", i, st, body)
		}
	}
	m := x.fails("POST", path, map[string]any{"File": pdf}, 400, "max_page_number")
	if m["Message"] != "Maximum number of pages exceeded. You can only add up to 5 pages to this document" {
		t.Errorf("max pages body = %v", m)
	}
	// Other types accept 1 KB pages.
	a := x.obj("POST", "/users/"+u+"/kyc/documents", map[string]any{"Type": "ADDRESS_PROOF"})
	if st, body := x.do("POST", "/users/"+u+"/kyc/documents/"+a["Id"].(string)+"/pages", map[string]any{"File": page(2 << 10)}); st != 204 {
		t.Errorf("2 KB address proof page = %d %s", st, body)
	}
}

func TestKYCVerdictByTag(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("OWNER")
	refused := x.newDoc(u, "IDENTITY_PROOF", "refuse_underage")
	if d := x.submit(u, refused.Id); d.Status != "VALIDATION_ASKED" {
		t.Fatalf("submit answer Status = %s, want VALIDATION_ASKED", d.Status)
	}
	var d mangopay.KYCDocument
	x.ok("GET", "/kyc/documents/"+refused.Id, nil, &d)
	if d.Status != "REFUSED" || d.RefusedReasonType != "UNDERAGE_PERSON" || d.ProcessedDate == nil {
		t.Errorf("refused document = %+v", d)
	}
	x.fails("PUT", "/users/"+u+"/kyc/documents/"+refused.Id, map[string]any{"Status": "VALIDATION_ASKED"}, 400, "invalid_action")
	x.fails("POST", "/users/"+u+"/kyc/documents/"+refused.Id+"/pages", map[string]any{"File": page(40 << 10)}, 400, "invalid_action")
	pendingDoc := x.newDoc(u, "IDENTITY_PROOF", "whatever")
	x.submit(u, pendingDoc.Id)
	x.ok("GET", "/users/"+u+"/kyc/documents/"+pendingDoc.Id, nil, &d)
	if d.Status != "VALIDATION_ASKED" {
		t.Errorf("untagged document = %s, want VALIDATION_ASKED until decided", d.Status)
	}
	x.regular(u)
	var user mangopay.NaturalUser
	x.ok("GET", "/users/natural/"+u, nil, &user)
	if user.ProofOfIdentity == "" {
		t.Errorf("ProofOfIdentity not set")
	}
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=USER_KYC_REGULAR,KYC_FAILED&per_page=100", nil, &events)
	if len(events) != 2 {
		t.Errorf("events = %+v, want USER_KYC_REGULAR and KYC_FAILED", events)
	}
	x.ok("GET", "/kyc/documents?Status=VALIDATED,refused&type=identity_proof", nil, &events)
	if len(events) != 2 {
		t.Errorf("filtered documents = %d, want 2", len(events))
	}
}

func TestKYCSubmitErrors(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("OWNER")
	var d mangopay.KYCDocument
	x.ok("POST", "/users/"+u+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": "accept"}, &d)
	x.fails("PUT", "/users/"+u+"/kyc/documents/"+d.Id, map[string]any{"Status": "VALIDATION_ASKED"}, 400, "param_error")
	x.fails("PUT", "/users/"+u+"/kyc/documents/"+d.Id, map[string]any{"Status": "VALIDATED"}, 400, "param_error")
	other := x.natural("OWNER")
	x.fails("PUT", "/users/"+other+"/kyc/documents/"+d.Id, map[string]any{"Status": "VALIDATION_ASKED"}, 404, "ressource_not_found")
	x.fails("GET", "/kyc/documents/kyc_missing", nil, 404, "ressource_not_found")
	tagged := x.obj("PUT", "/users/"+u+"/kyc/documents/"+d.Id, map[string]any{"Tag": "new tag"})
	if tagged["Tag"] != "new tag" || tagged["Status"] != "CREATED" {
		t.Errorf("Tag update = %v", tagged)
	}
}

func TestKYCPayerRefused(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	d := x.newDoc(u, "IDENTITY_PROOF", "accept")
	x.submit(u, d.Id)
	x.ok("GET", "/kyc/documents/"+d.Id, nil, &d)
	if d.Status != "REFUSED" {
		t.Errorf("PAYER document = %s, want REFUSED", d.Status)
	}
}

func TestKYCManualAndDelay(t *testing.T) {
	x := newSbx(t, Options{ManualKYC: true})
	u := x.natural("OWNER")
	d := x.newDoc(u, "IDENTITY_PROOF", "accept")
	x.submit(u, d.Id)
	x.ok("GET", "/kyc/documents/"+d.Id, nil, &d)
	if d.Status != "VALIDATION_ASKED" {
		t.Fatalf("manual KYC: Status = %s", d.Status)
	}
	x.s.mu.Lock()
	e := x.s.decideKYC(x.clock.now(), d.Id, false, "document_falsified")
	e2 := x.s.decideKYC(x.clock.now(), d.Id, true, "")
	e3 := x.s.decideKYC(x.clock.now(), "kyc_none", true, "")
	x.s.mu.Unlock()
	if e != nil || e2 == nil || e2.Type != "invalid_action" || e3 == nil || e3.Status != 404 {
		t.Errorf("decideKYC = %v, %v, %v", e, e2, e3)
	}
	x.ok("GET", "/kyc/documents/"+d.Id, nil, &d)
	if d.Status != "REFUSED" || d.RefusedReasonType != "DOCUMENT_FALSIFIED" {
		t.Errorf("after decideKYC = %+v", d)
	}

	y := newSbx(t, Options{KYCDelay: time.Hour})
	v := y.natural("OWNER")
	d = y.newDoc(v, "IDENTITY_PROOF", "accept")
	y.submit(v, d.Id)
	y.clock.advance(59 * time.Minute)
	y.ok("GET", "/kyc/documents/"+d.Id, nil, &d)
	if d.Status != "VALIDATION_ASKED" {
		t.Errorf("before the delay: %s", d.Status)
	}
	y.clock.advance(time.Minute)
	y.ok("GET", "/kyc/documents/"+d.Id, nil, &d)
	if d.Status != "VALIDATED" {
		t.Errorf("after the delay: %s", d.Status)
	}
}

func TestKYCLegalRegular(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/users/legal", legalBody())["Id"].(string)
	for i, typ := range []string{"IDENTITY_PROOF", "REGISTRATION_PROOF", "ARTICLES_OF_ASSOCIATION"} {
		d := x.newDoc(u, typ, "accept")
		x.submit(u, d.Id)
		var l mangopay.LegalUser
		x.ok("GET", "/users/legal/"+u, nil, &l)
		if want := map[bool]string{true: "REGULAR", false: "LIGHT"}[i == 2]; l.KYCLevel != want {
			t.Errorf("after %s: KYCLevel = %s, want %s", typ, l.KYCLevel, want)
		}
	}
	var l mangopay.LegalUser
	x.ok("GET", "/users/"+u, nil, &l)
	if l.Statute == "" || l.ProofOfRegistration == "" || l.LegalRepresentativeProofOfIdentity == "" {
		t.Errorf("legal proofs = %+v", l)
	}
}
