package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

// acceptOwner creates a natural OWNER named first last whose Email
// contains "accept" when accept, through the legacy route.
func (x *sbx) owner(first, last string, accept bool) string {
	x.t.Helper()
	email := strings.ToLower(first) + "." + strings.ToLower(last) + "@example.org"
	if accept {
		email = strings.ToLower(first) + "." + strings.ToLower(last) + "+accept@example.org"
	}
	var u mangopay.NaturalUser
	x.ok("POST", "/users/natural", with(ownerBody(), "FirstName", first, "LastName", last, "Email", email), &u)
	return u.Id
}

// recipientBody is the documented VOP example: John Doe's EUR account in
// Germany, with overrides given as dotted path, value pairs.
func recipientBody(kv ...any) map[string]any {
	b := map[string]any{"DisplayName": "John Doe EUR DE account", "PayoutMethodType": "LocalBankTransfer",
		"RecipientType": "Individual", "Currency": "EUR", "Country": "DE",
		"IndividualRecipient": map[string]any{"FirstName": "John", "LastName": "Doe",
			"Address": map[string]any{"AddressLine1": "Oranienburger Str. 87", "City": "Berlin", "PostalCode": "10178", "Country": "DE"}},
		"LocalBankTransfer": map[string]any{"EUR": map[string]any{"IBAN": "DE75512108001245126199"}}}
	for i := 0; i < len(kv); i += 2 {
		setPath(b, kv[i].(string), kv[i+1])
	}
	return b
}

// setPath sets (or, for nil, deletes) a dotted path in a JSON object.
func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	if v == nil {
		delete(m, parts[len(parts)-1])
		return
	}
	m[parts[len(parts)-1]] = v
}

// recipient creates a recipient for user and returns it.
func (x *sbx) recipient(user string, body map[string]any) mangopay.Recipient {
	x.t.Helper()
	m := x.call(http.StatusCreated, "POST", "/users/"+user+"/recipients", body)
	var r mangopay.Recipient
	remarshal(x.t, m, &r)
	return r
}

func (x *sbx) getRecipient(id string) mangopay.Recipient {
	x.t.Helper()
	var r mangopay.Recipient
	x.ok("GET", "/recipients/"+id, nil, &r)
	return r
}

func remarshal(t testing.TB, in, out any) {
	t.Helper()
	data, err := json.Marshal(in)
	if err == nil {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// capErrors is the capitalised Errors object of a recipient error body.
func capErrors(m map[string]any) map[string]string {
	out := map[string]string{}
	errs, _ := m["Errors"].(map[string]any)
	for k, v := range errs {
		out[k], _ = v.(string)
	}
	return out
}

func TestRecipientPayoutMethods(t *testing.T) {
	tests := []struct {
		query     string
		want      string // the methods, comma-separated, or the Errors entry
		wantField string
	}{
		{"Currency=EUR&Country=DE", "LocalBankTransfer,InternationalBankTransfer", ""},
		{"currency=eur&country=fr", "LocalBankTransfer,InternationalBankTransfer", ""}, // as PHP4 sends it
		{"Currency=EUR&Country=BG", "LocalBankTransfer,InternationalBankTransfer", ""}, // euro area since 2026-01-01
		{"Currency=GBP&Country=GB", "LocalBankTransfer,InternationalBankTransfer", ""},
		{"Currency=USD&Country=DE", "InternationalBankTransfer", ""},
		{"Currency=XXX&Country=DE", "UNSUPPORTED_CURRENCY", "Currency"},
		{"Currency=EUR&Country=ZZ", "UNSUPPORTED_COUNTRY", "Country"},
		{"Currency=EUR&Country=KP", "UNSUPPORTED_COUNTRY", "Country"},
		{"Currency=EUR", "REQUIRED", "Country"},
	}
	x := newSbx(t, Options{})
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if tt.wantField == "" {
				var pm mangopay.PayoutMethods
				x.ok("GET", "/recipients/payout-methods?"+tt.query, nil, &pm)
				if got := strings.Join(pm.AvailablePayoutMethods, ","); got != tt.want {
					t.Errorf("methods = %s, want %s", got, tt.want)
				}
				return
			}
			m := x.fails("GET", "/recipients/payout-methods?"+tt.query, nil, 400, "param_error")
			if got := capErrors(m)[tt.wantField]; got != tt.want {
				t.Errorf("Errors = %v, want %s: %s", m["Errors"], tt.wantField, tt.want)
			}
		})
	}
}

func TestRecipientSchema(t *testing.T) {
	tests := []struct {
		name, query string
		field       string // a dotted path the schema must hold
		pattern     string
		required    bool
		errField    string // or the Errors entry of a refused query
		errValue    string
	}{
		{"eur iban", "PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=EUR&Country=DE",
			"LocalBankTransfer.EUR.IBAN", `^[a-zA-Z]{2}\d{2}\s*(\w{4}\s*){2,7}\w{1,4}\s*$`, true, "", ""},
		{"eur city", "PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=EUR&Country=DE",
			"IndividualRecipient.Address.City", `^(?!.*[&,.:_]).{1,80}$`, true, "", ""},
		{"display name", "PayoutMethodType=LocalBankTransfer&RecipientType=Business&Currency=EUR&Country=FR",
			"DisplayName", `^(?!.*[&,'/]).{1,50}$`, true, "", ""},
		{"business name", "PayoutMethodType=LocalBankTransfer&RecipientType=Business&Currency=EUR&Country=FR",
			"BusinessRecipient.BusinessName", `^(?!.*[(),.:/]).{1,255}$`, true, "", ""},
		{"gbp account", "PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=GBP&Country=GB",
			"LocalBankTransfer.GBP.AccountNumber", `^\d{8}$`, true, "", ""},
		{"gbp sort code", "PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=GBP&Country=GB",
			"LocalBankTransfer.GBP.SortCode", `^\d{6}$`, true, "", ""},
		{"international bic optional for an iban country", "PayoutMethodType=InternationalBankTransfer&RecipientType=Individual&Currency=USD&Country=FR",
			"InternationalBankTransfer.BIC", `^[a-zA-Z]{6}\w{2}(\w{3})?$`, false, "", ""},
		{"international bic required elsewhere", "PayoutMethodType=InternationalBankTransfer&RecipientType=Individual&Currency=USD&Country=US",
			"InternationalBankTransfer.BIC", `^[a-zA-Z]{6}\w{2}(\w{3})?$`, true, "", ""},
		{"local usd to germany", "PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=USD&Country=DE",
			"", "", false, "PayoutMethodType", "UNSUPPORTED_PAYOUT_METHOD_FOR_CURRENCY"},
		{"bad type", "PayoutMethodType=LocalBankTransfer&RecipientType=Robot&Currency=EUR&Country=DE",
			"", "", false, "RecipientType", "NOT_IN_ALLOWED_VALUES"},
		{"missing", "PayoutMethodType=LocalBankTransfer&Currency=EUR&Country=DE", "", "", false, "RecipientType", "REQUIRED"},
	}
	x := newSbx(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.errField != "" {
				m := x.fails("GET", "/recipients/schema?"+tt.query, nil, 400, "param_error")
				if got := capErrors(m)[tt.errField]; got != tt.errValue {
					t.Errorf("Errors = %v, want %s: %s", m["Errors"], tt.errField, tt.errValue)
				}
				return
			}
			_, raw := x.do("GET", "/recipients/schema?"+tt.query, nil)
			var nested map[string]any
			if err := json.Unmarshal(raw, &nested); err != nil || nested["DisplayName"] == nil {
				t.Fatalf("schema %s: %v", raw, err)
			}
			var s mangopay.RecipientSchema
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			f, ok := s[tt.field]
			if !ok {
				t.Fatalf("schema has no %s: %s", tt.field, raw)
			}
			if f.Pattern != tt.pattern || f.Required != tt.required {
				t.Errorf("%s = %+v, want pattern %s required %v", tt.field, f, tt.pattern, tt.required)
			}
		})
	}
}

func TestRecipientValidate(t *testing.T) {
	gbp := func(kv ...any) map[string]any {
		b := recipientBody("Currency", "GBP", "Country", "GB", "LocalBankTransfer.EUR", nil,
			"LocalBankTransfer.GBP", map[string]any{"AccountNumber": "12345678", "SortCode": "123456"},
			"IndividualRecipient.Address.Country", "GB", "IndividualRecipient.Address.City", "London",
			"IndividualRecipient.Address.PostalCode", "EC1A 1BB")
		for i := 0; i < len(kv); i += 2 {
			setPath(b, kv[i].(string), kv[i+1])
		}
		return b
	}
	tests := []struct {
		name   string
		owner  string // OWNER (default), PAYER or LEGAL (no representative email)
		body   map[string]any
		field  string // "" when valid
		prefix string // the Errors value's prefix
	}{
		{"valid", "", recipientBody(), "", ""},
		{"valid gbp", "", gbp(), "", ""},
		{"gbp account number", "", gbp("LocalBankTransfer.GBP.AccountNumber", "1234"), "LocalBankTransfer.GBP.AccountNumber", `INVALID_FORMAT. Regex validation: ^\d{8}$`},
		{"gbp sort code", "", gbp("LocalBankTransfer.GBP.SortCode", "12-34-56"), "LocalBankTransfer.GBP.SortCode", `INVALID_FORMAT. Regex validation: ^\d{6}$`},
		{"city with a dot", "", recipientBody("IndividualRecipient.Address.City", "St. Albans"), "IndividualRecipient.Address.City", "INVALID_FORMAT. Regex validation: ^(?!.*[&,.:_]).{1,80}$"},
		{"display name with an ampersand", "", recipientBody("DisplayName", "John & Jane"), "DisplayName", "INVALID_FORMAT"},
		{"display name too long", "", recipientBody("DisplayName", strings.Repeat("a", 51)), "DisplayName", "LENGTH_MORE_THAN_MAX"},
		{"postal code too long", "", recipientBody("IndividualRecipient.Address.PostalCode", "12345678901"), "IndividualRecipient.Address.PostalCode", "LENGTH_MORE_THAN_MAX"},
		{"last name with a comma", "", recipientBody("IndividualRecipient.LastName", "Doe, Jr"), "IndividualRecipient.LastName", "INVALID_FORMAT"},
		{"missing last name", "", recipientBody("IndividualRecipient.LastName", nil), "IndividualRecipient.LastName", "REQUIRED"},
		{"missing iban", "", recipientBody("LocalBankTransfer.EUR", nil), "LocalBankTransfer.EUR.IBAN", "REQUIRED"},
		{"iban checksum", "", recipientBody("LocalBankTransfer.EUR.IBAN", "DE75512108001245126198"), "LocalBankTransfer.EUR.IBAN", "INVALID_IBAN"},
		{"address country", "", recipientBody("IndividualRecipient.Address.Country", "XX"), "IndividualRecipient.Address.Country", "UNSUPPORTED_COUNTRY"},
		{"local usd", "", recipientBody("Currency", "USD"), "PayoutMethodType", "UNSUPPORTED_PAYOUT_METHOD_FOR_CURRENCY"},
		{"payer", "PAYER", recipientBody(), "SCA", "2815488948686553431"},
		{"legal owner without representative email", "LEGAL", recipientBody(), "SCA", "KAR_0042"},
	}
	x := newSbx(t, Options{})
	owner, payer := x.owner("John", "Doe", true), x.natural("PAYER")
	var legal mangopay.LegalUser
	x.ok("POST", "/users/legal", legalBody(), &legal)
	var schema mangopay.RecipientSchema
	x.ok("GET", "/recipients/schema?PayoutMethodType=LocalBankTransfer&RecipientType=Individual&Currency=EUR&Country=DE", nil, &schema)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := map[string]string{"": owner, "PAYER": payer, "LEGAL": legal.Id}[tt.owner]
			path := "/users/" + user + "/recipients/validate"
			if tt.field == "" {
				resp, body := x.api("POST", path, mustJSON(t, tt.body))
				if resp.StatusCode != 200 || len(body) != 0 {
					t.Fatalf("validate = %d %s, want 200 without a body", resp.StatusCode, body)
				}
				return
			}
			if tt.field == "SCA" { // refused on create only (see createRecipient)
				m := x.fails("POST", "/users/"+user+"/recipients", tt.body, 400, "param_error")
				if got := capErrors(m)["SCA"]; got != tt.prefix {
					t.Errorf("create Errors = %v, want SCA %s", m["Errors"], tt.prefix)
				}
				return
			}
			m := x.fails("POST", path, tt.body, 400, "param_error")
			if _, lower := m["errors"]; lower {
				t.Errorf("body has a lowercase errors key: %v", m)
			}
			got := capErrors(m)[tt.field]
			if !strings.HasPrefix(got, tt.prefix) {
				t.Errorf("Errors[%s] = %q (all %v), want prefix %q", tt.field, got, m["Errors"], tt.prefix)
			}
			// The regex quoted is the one the schema shows.
			if p, ok := strings.CutPrefix(got, "INVALID_FORMAT. Regex validation: "); ok && schema[tt.field].Pattern != "" && p != schema[tt.field].Pattern {
				t.Errorf("quoted regex %s, schema says %s", p, schema[tt.field].Pattern)
			}
			// Create refuses what validate refuses, and creates nothing.
			x.fails("POST", "/users/"+user+"/recipients", tt.body, 400, "param_error")
		})
	}
	var list []mangopay.Recipient
	x.ok("GET", "/users/"+owner+"/recipients", nil, &list)
	if len(list) != 0 {
		t.Errorf("recipients after validate and refused creates = %v, want none", list)
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRecipientLifecycle(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		accept  bool
		body    map[string]any
		consent bool
		act     func(x *sbx, r mangopay.Recipient) // what happens after the create
		want    string
		event   string
	}{
		{name: "accept owner at the next request", accept: true, want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
		{name: "accept owner after the delay", opts: Options{RecipientDelay: 5 * time.Second}, accept: true,
			act: func(x *sbx, r mangopay.Recipient) {
				if got := x.getRecipient(r.Id).Status; got != "PENDING" {
					x.t.Errorf("before the delay: %s, want PENDING", got)
				}
				x.clock.advance(5 * time.Second)
			}, want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
		{name: "sca page completed",
			act: func(x *sbx, r mangopay.Recipient) {
				if got := x.getRecipient(r.Id).Status; got != "PENDING" {
					x.t.Errorf("before SCA: %s, want PENDING", got)
				}
				resp, body := x.raw("GET", strings.TrimPrefix(r.PendingUserAction.RedirectUrl, x.ts.URL)+"?ReturnUrl=https%3A%2F%2Fapp.example%2Fback", "", false)
				if resp.StatusCode != 302 || resp.Header.Get("Location") != "https://app.example/back?controlStatus=SUCCEEDED" {
					x.t.Errorf("SCA page = %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
				}
			}, want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
		{name: "sca refused",
			act: func(x *sbx, r mangopay.Recipient) {
				resp, body := x.raw("GET", "/sca/recipients/"+r.Id+"?outcome=refuse", "", false)
				if resp.StatusCode != 200 {
					x.t.Errorf("SCA page = %d %s", resp.StatusCode, body)
				}
			}, want: "CANCELED", event: "RECIPIENT_CANCELED"},
		{name: "sca link expired",
			act: func(x *sbx, r mangopay.Recipient) {
				x.clock.advance(recipientSCAExpiry)
				if resp, _ := x.raw("GET", "/sca/recipients/"+r.Id, "", false); resp.StatusCode != 400 {
					x.t.Errorf("expired SCA page = %d, want 400", resp.StatusCode)
				}
			}, want: "CANCELED", event: "RECIPIENT_CANCELED"},
		{name: "admin activate",
			act: func(x *sbx, r mangopay.Recipient) {
				x.call(204, "POST", "/sandbox/recipients/"+r.Id+"/activate", nil)
				x.call(400, "POST", "/sandbox/recipients/"+r.Id+"/activate", nil)
			}, want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
		{name: "admin cancel",
			act:  func(x *sbx, r mangopay.Recipient) { x.call(204, "POST", "/sandbox/recipients/"+r.Id+"/cancel", nil) },
			want: "CANCELED", event: "RECIPIENT_CANCELED"},
		{name: "proxy with consent", opts: Options{ProxyConsent: true}, consent: true,
			body: recipientBody("ScaContext", "USER_NOT_PRESENT"), want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
		{name: "payin scope needs no SCA", body: recipientBody("RecipientScope", "PAYIN"), want: "ACTIVE", event: "RECIPIENT_ACTIVE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, tt.opts)
			owner := x.owner("John", "Doe", tt.accept)
			if tt.consent {
				x.call(200, "POST", "/sca/users/"+owner+"/consent", nil)
				x.raw("GET", "/sca/"+owner+"/consent", "", false)
			}
			body := tt.body
			if body == nil {
				body = recipientBody()
			}
			r := x.recipient(owner, body)
			if r.Status != "PENDING" || !strings.HasPrefix(r.Id, "rec_") {
				t.Fatalf("created %+v, want PENDING rec_...", r)
			}
			needsSCA := !tt.accept && !tt.consent && body["RecipientScope"] == nil
			if (r.PendingUserAction != nil) != needsSCA {
				t.Fatalf("PendingUserAction = %+v, want one: %v", r.PendingUserAction, needsSCA)
			}
			if needsSCA && r.PendingUserAction.RedirectUrl != x.ts.URL+"/sca/recipients/"+r.Id {
				t.Errorf("RedirectUrl = %s", r.PendingUserAction.RedirectUrl)
			}
			if tt.act != nil {
				tt.act(x, r)
			}
			got := x.getRecipient(r.Id)
			if got.Status != tt.want || got.PendingUserAction != nil {
				t.Errorf("after: %s %+v, want %s without PendingUserAction", got.Status, got.PendingUserAction, tt.want)
			}
			var events []mangopay.Event
			x.ok("GET", "/events?EventType="+tt.event, nil, &events)
			if len(events) != 1 || events[0].ResourceId != r.Id {
				t.Errorf("%s events = %+v", tt.event, events)
			}
		})
	}
}

func TestRecipientProxyWithoutConsent(t *testing.T) {
	for _, opts := range []Options{{}, {ProxyConsent: true}} {
		x := newSbx(t, opts)
		owner := x.owner("John", "Doe", false)
		x.fails("POST", "/users/"+owner+"/recipients", recipientBody("ScaContext", "USER_NOT_PRESENT"), 403, "forbidden_ressource")
	}
}

func TestRecipientRestart(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	owner := x.owner("John", "Doe", false)
	r := x.recipient(owner, recipientBody())
	y := x.restart(Options{StateDir: dir})
	if got := y.getRecipient(r.Id); got.Status != "PENDING" || got.PendingUserAction.RedirectUrl != y.ts.URL+"/sca/recipients/"+r.Id {
		t.Fatalf("restored %+v", got)
	}
	y.clock.advance(recipientSCAExpiry) // the expiry was re-queued
	if got := y.getRecipient(r.Id); got.Status != "CANCELED" {
		t.Errorf("after the expiry: %s, want CANCELED", got.Status)
	}
}

func TestRecipientVOP(t *testing.T) {
	business := func(iban, name string) map[string]any {
		return recipientBody("RecipientType", "Business", "Country", "FR", "IndividualRecipient", nil,
			"BusinessRecipient", map[string]any{"BusinessName": name, "Address": map[string]any{"AddressLine1": "1 rue de la Paix",
				"City": "Paris", "PostalCode": "75002", "Country": "FR"}},
			"LocalBankTransfer.EUR.IBAN", iban)
	}
	tests := []struct {
		name   string
		body   map[string]any
		check  string // "" for a null VOP object
		withID bool
		msg    string
	}{
		{"de match", recipientBody(), "MATCH", true, "Account name fully matches account identifier."},
		{"de close match", recipientBody("IndividualRecipient.LastName", "Dae"), "CLOSE_MATCH", true, "Name returned by check: John Doe"},
		{"de no match", recipientBody("IndividualRecipient.FirstName", "Jane"), "NO_MATCH", true, "does not match"},
		{"fr match", business("FR7630001007941234567890185", "EuroCorp"), "MATCH", true, "fully matches"},
		{"fr close match", business("FR7630001007941234567890185", "EuroCarp"), "CLOSE_MATCH", true, "Name returned by check: EuroCorp"},
		{"fr no match", business("FR7630001007941234567890185", "Acme"), "NO_MATCH", true, "does not match"},
		{"technical error", business("FR1420041010050500013M02606", "Anyone"), "MATCH_NOT_POSSIBLE", true, "could not be verified"},
		{"psp not responding", business("FR7630006000011234567890189", "Anyone"), "MATCH_NOT_POSSIBLE", false, "could not be verified"},
		{"any other pair", business("FR7630004000031234567890143", "EuroCorp"), "MATCH_NOT_POSSIBLE", false, "could not be verified"},
		{"not sepa eur", recipientBody("PayoutMethodType", "InternationalBankTransfer", "Currency", "USD", "LocalBankTransfer", nil,
			"InternationalBankTransfer", map[string]any{"AccountNumber": "DE75512108001245126199"}), "", false, ""},
	}
	x := newSbx(t, Options{})
	owner := x.owner("John", "Doe", true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := x.recipient(owner, tt.body)
			for _, got := range []mangopay.Recipient{r, x.getRecipient(r.Id)} {
				v := got.RecipientVerificationOfPayee
				if tt.check == "" {
					if v != nil {
						t.Errorf("VOP = %+v, want null", v)
					}
					continue
				}
				if v == nil || v.RecipientVerificationCheck != tt.check || (v.RecipientVerificationId != "") != tt.withID ||
					!strings.Contains(v.RecipientVerificationMessage, tt.msg) {
					t.Errorf("VOP = %+v, want %s (id %v) %q", v, tt.check, tt.withID, tt.msg)
				}
			}
		})
	}
}

func TestRecipientViewListDeactivate(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.owner("John", "Doe", true)
	r := x.recipient(owner, recipientBody())
	in := x.recipient(owner, recipientBody("RecipientScope", "PAYIN", "DisplayName", "John Doe pay-in account"))
	bank := x.bank(owner)

	// A legacy bank account reads as a migrated recipient.
	legacy := x.getRecipient(bank)
	if legacy.Id != bank || legacy.Status != "ACTIVE" || legacy.DisplayName != "" || legacy.RecipientScope != "PAYOUT" ||
		legacy.RecipientVerificationOfPayee == nil || legacy.RecipientVerificationOfPayee.RecipientVerificationCheck != "MATCH_NOT_POSSIBLE" ||
		legacy.RecipientVerificationOfPayee.RecipientVerificationId != "" || legacy.LocalBankTransfer["EUR"].IBAN != "FR7630004000031234567890143" {
		t.Errorf("legacy view = %+v", legacy)
	}
	x.fails("GET", "/recipients/rec_missing", nil, 404, "ressource_not_found")

	tests := []struct {
		query string
		want  []string
	}{
		{"?Sort=CreationDate:ASC", []string{r.Id, bank}},
		{"?RecipientScope=PAYIN", []string{in.Id}},
		{"?RecipientScope=PAYOUT&Sort=CreationDate:ASC&per_page=1&page=2", []string{bank}},
	}
	for _, tt := range tests {
		var list []map[string]any
		x.ok("GET", "/users/"+owner+"/recipients"+tt.query, nil, &list)
		var ids []string
		for _, item := range list {
			ids = append(ids, item["Id"].(string))
			for _, k := range []string{"LocalBankTransfer", "IndividualRecipient"} {
				if _, ok := item[k]; ok {
					t.Errorf("list item carries %s: %v", k, item)
				}
			}
		}
		if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
			t.Errorf("list%s = %v, want %v", tt.query, ids, tt.want)
		}
	}
	x.fails("GET", "/users/"+owner+"/recipients?RecipientScope=ALL", nil, 400, "param_error")

	// Deactivation: an ACTIVE recipient or legacy account, once.
	off := map[string]any{"Status": "DEACTIVATED"}
	for _, id := range []string{r.Id, bank} {
		var got mangopay.Recipient
		x.ok("PUT", "/recipients/"+id, off, &got)
		if got.Status != "DEACTIVATED" {
			t.Errorf("deactivate %s = %s", id, got.Status)
		}
		x.fails("PUT", "/recipients/"+id, off, 400, "invalid_action")
	}
	var b mangopay.BankAccount
	x.ok("GET", "/users/"+owner+"/bankaccounts/"+bank, nil, &b)
	if b.Active {
		t.Error("legacy account still active after PUT /recipients/{id}")
	}
	x.fails("PUT", "/recipients/"+in.Id, map[string]any{"Status": "ACTIVE"}, 400, "param_error")
	pending := x.recipient(x.owner("Jane", "Roe", false), recipientBody())
	x.fails("PUT", "/recipients/"+pending.Id, off, 400, "invalid_action")
}
