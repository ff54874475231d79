package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

// Tests of requests exactly as the official SDKs send them (raw JSON over
// HTTP) and of MANGOPAY's answers to them: what its lenient binder accepts,
// and what it still refuses.

// raw sends body as is to path (absolute, from the server root), with the
// sandbox's Basic credentials when auth is set; it returns the response.
func (x *sbx) raw(method, path, body string, auth bool) (*http.Response, []byte) {
	x.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, x.ts.URL+path, rd)
	if err != nil {
		x.t.Fatalf("NewRequest: %v", err)
	}
	if auth {
		req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := *x.ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		x.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

// pythonNatural is the body the Python SDK's NaturalUser model sends:
// every boolean as 1 or 0.
const pythonNatural = `{"FirstName": "Victor", "LastName": "Hugo", "Email": "victor@hugo.com",
 "Birthday": 1231432, "Nationality": "FR", "CountryOfResidence": "FR", "Occupation": "Writer",
 "IncomeRange": "6", "UserCategory": "OWNER", "TermsAndConditionsAccepted": 1,
 "Address": {"AddressLine1": "AddressLine1", "AddressLine2": "AddressLine2", "City": "City",
 "Region": "Region", "PostalCode": 11222, "Country": "FR"}, "PersonType": "NATURAL"}`

func TestSDKBooleansAsNumbers(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/users/natural", pythonNatural)
	if u["TermsAndConditionsAccepted"] != true || u["UserCategory"] != "OWNER" || u["IncomeRange"] != 6.0 {
		t.Errorf("user = %v", u)
	}
	if a := u["Address"].(map[string]any); a["PostalCode"] != "11222" {
		t.Errorf("Address.PostalCode = %#v, want \"11222\"", a["PostalCode"])
	}
	payer := x.obj("POST", "/users/natural", `{"FirstName":"A","LastName":"B","Email":"a@b.co","UserCategory":"PAYER","TermsAndConditionsAccepted":0}`)
	if payer["TermsAndConditionsAccepted"] != false {
		t.Errorf("TermsAndConditionsAccepted 0 = %v, want false", payer["TermsAndConditionsAccepted"])
	}
	id := u["Id"].(string)
	bank := x.bank(id)
	b := x.obj("PUT", "/users/"+id+"/bankaccounts/"+bank, `{"Active": 0}`)
	if b["Active"] != false {
		t.Errorf("Active 0 = %v, want false", b["Active"])
	}
	// What MANGOPAY still refuses: other numbers, other strings, objects.
	for _, bad := range []string{`2`, `"yes"`, `{"v":true}`} {
		body := strings.Replace(pythonNatural, `"TermsAndConditionsAccepted": 1`, `"TermsAndConditionsAccepted": `+bad, 1)
		m := x.fails("POST", "/users/natural", body, 400, "param_error")
		if !strings.Contains(fieldErr(m, "TermsAndConditionsAccepted"), "expected bool") {
			t.Errorf("TermsAndConditionsAccepted %s: %v", bad, m["errors"])
		}
	}
	m := x.fails("POST", "/users/natural", strings.Replace(pythonNatural, `"UserCategory": "OWNER"`, `"UserCategory": "BOSS"`, 1), 400, "param_error")
	if fieldErr(m, "UserCategory") != "The value BOSS is not valid for UserCategory." {
		t.Errorf("unknown enum: %v", m["errors"])
	}
}

// sdkLegalBody is a legal OWNER as both SDKs send it (CompanyNumber a number,
// as the Python fixtures have it).
const sdkLegalBody = `{"PersonType":"LEGAL","UserCategory":"OWNER","TermsAndConditionsAccepted":true,
 "LegalPersonType":"BUSINESS","Name":"MartixSampleOrg","Email":"mango@mangopay.com","CompanyNumber":123456789,
 "HeadquartersAddress":{"AddressLine1":"1 Mangopay Street","City":"Paris","PostalCode":"75001","Country":"FR"},
 "LegalRepresentativeFirstName":"Mango","LegalRepresentativeLastName":"Pay","LegalRepresentativeBirthday":1188301600,
 "LegalRepresentativeNationality":"FR","LegalRepresentativeCountryOfResidence":"FR"}`

func TestSDKNumbersForStrings(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/users/legal", sdkLegalBody)
	if u["CompanyNumber"] != "123456789" {
		t.Errorf("CompanyNumber = %#v, want \"123456789\"", u["CompanyNumber"])
	}
	id := u["Id"].(string)
	u = x.obj("PUT", "/users/legal/"+id, `{"UserCategory":"OWNER","TermsAndConditionsAccepted":true,"CompanyNumber":987654321,"Name":12}`)
	if u["CompanyNumber"] != "987654321" || u["Name"] != "12" {
		t.Errorf("PUT: CompanyNumber = %#v, Name = %#v", u["CompanyNumber"], u["Name"])
	}
	m := x.fails("PUT", "/users/legal/"+id, `{"UserCategory":"OWNER","TermsAndConditionsAccepted":true,"CompanyNumber":{"n":1}}`, 400, "param_error")
	if !strings.Contains(fieldErr(m, "CompanyNumber"), "expected string") {
		t.Errorf("object for a string: %v", m["errors"])
	}
	m = x.fails("POST", "/wallets", `{"Owners":"`+id+`","Currency":"EUR","Description":"d"}`, 400, "param_error")
	if fieldErr(m, "Owners") == "" {
		t.Errorf("string for an array: %v", m["errors"])
	}
}

// scaLegal is POST /sca/users/legal as the Node SDK's UserLegalSca and the
// PHP SDK's UserLegalSca send it.
const scaLegal = `{"UserCategory":"OWNER","TermsAndConditionsAccepted":true,"LegalPersonType":"BUSINESS",
 "Name":"Mango SCA","Email":"legal.sca@sample.org","CompanyNumber":"12345678",
 "HeadquartersAddress":{"AddressLine1":"4101 Reservoir Rd NW","City":"Washington","Region":"District of Columbia","PostalCode":"20007","Country":"US"},
 "LegalRepresentative":{"FirstName":"John","LastName":"Doe","Email":"john.doe.sca+accept@sample.org","Birthday":652117514,
 "Nationality":"FR","CountryOfResidence":"FR","PhoneNumber":"+33611111111","PhoneNumberCountry":"FR"}}`

func TestSDKNestedLegalRepresentative(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.obj("POST", "/sca/users/legal", scaLegal)
	want := map[string]any{"FirstName": "John", "LastName": "Doe", "Email": "john.doe.sca+accept@sample.org",
		"Birthday": 652117514.0, "Nationality": "FR", "CountryOfResidence": "FR", "PhoneNumber": "+33611111111",
		"PhoneNumberCountry": "FR"}
	check := func(where string, u map[string]any) {
		t.Helper()
		lr, _ := u["LegalRepresentative"].(map[string]any)
		for k, v := range want {
			if lr[k] != v {
				t.Errorf("%s: LegalRepresentative.%s = %#v, want %#v", where, k, lr[k], v)
			}
		}
	}
	check("POST", u)
	if u["UserStatus"] != "ACTIVE" || u["PendingUserAction"] != nil {
		t.Errorf("an accept representative skips enrolment: %v %v", u["UserStatus"], u["PendingUserAction"])
	}
	id := u["Id"].(string)
	check("GET /sca/users/legal", x.obj("GET", "/sca/users/legal/"+id, nil))
	check("GET /sca/users", x.obj("GET", "/sca/users/"+id, nil))
	legacy := x.obj("GET", "/users/legal/"+id, nil)
	if _, ok := legacy["LegalRepresentative"]; ok || legacy["LegalRepresentativeFirstName"] != "John" {
		t.Errorf("legacy view: LegalRepresentative %v, flat first name %v", legacy["LegalRepresentative"], legacy["LegalRepresentativeFirstName"])
	}
	want["LastName"] = "Doe-Martin"
	check("PUT", x.obj("PUT", "/sca/users/legal/"+id, `{"UserCategory":"OWNER","TermsAndConditionsAccepted":true,"LegalRepresentative":{"LastName":"Doe-Martin"}}`))
	m := x.fails("POST", "/sca/users/legal", strings.Replace(scaLegal, `"FirstName":"John",`, "", 1), 400, "param_error")
	if fieldErr(m, "LegalRepresentative.FirstName") != "The LegalRepresentative.FirstName field is required." {
		t.Errorf("missing nested first name: %v", m["errors"])
	}
	m = x.fails("POST", "/sca/users/legal", strings.Replace(scaLegal, `"LegalRepresentative":{`, `"LegalRepresentative":"John Doe","X":{`, 1), 400, "param_error")
	if fieldErr(m, "LegalRepresentative") == "" {
		t.Errorf("a string for the object: %v", m["errors"])
	}
}

func TestSDKEmptyPathSegment(t *testing.T) {
	x := newSbx(t, Options{})
	req, _ := http.NewRequest("POST", x.ts.URL+"/v2.01/sandbox/users/natural", strings.NewReader(pythonNatural))
	req.SetBasicAuth("sandbox", "sandbox-api-key")
	req.Header.Set("Idempotency-Key", "python-sdk-key-0001")
	if st, body := x.send(req); st != 200 {
		t.Fatalf("POST = %d %s", st, body)
	}
	resp, body := x.raw("GET", "/v2.01/sandbox/responses//python-sdk-key-0001", "", true)
	var got mangopay.IdempotencyResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || got.StatusCode != "200" {
		t.Errorf("GET /responses//{key} = %d %s", resp.StatusCode, body)
	}
}

func TestSDKPageZero(t *testing.T) {
	x := newSbx(t, Options{})
	first, second := x.natural("PAYER"), x.natural("PAYER")
	resp, body := x.raw("GET", "/v2.01/sandbox/users?page=0&per_page=1&Sort=CreationDate:ASC", "", true)
	var users []mangopay.UserSummary
	if resp.StatusCode != 200 || json.Unmarshal(body, &users) != nil || len(users) != 1 || users[0].Id != first {
		t.Fatalf("page=0 = %d %s, want the first page (%s, then %s)", resp.StatusCode, body, first, second)
	}
	if link := resp.Header.Get("Link"); !strings.Contains(link, "page=2&per_page=1>; rel=\"next\"") {
		t.Errorf("Link = %s, want page 2 next", link)
	}
	x.fails("GET", "/users?page=-1", nil, 400, "param_error")
}

func TestSDKClientWallets(t *testing.T) {
	x := newSbx(t, Options{})
	var all, fees, credit []mangopay.Wallet
	x.ok("GET", "/clients/wallets/?per_page=100", nil, &all)
	x.ok("GET", "/clients/wallets/FEES?per_page=100", nil, &fees)
	x.ok("GET", "/clients/wallets/CREDIT?per_page=100", nil, &credit)
	if len(all) != 2*len(allCurrencies) || len(fees) != len(allCurrencies) || len(credit) != len(allCurrencies) {
		t.Fatalf("fresh server: %d client wallets, %d FEES, %d CREDIT; want %d, %d, %d",
			len(all), len(fees), len(credit), 2*len(allCurrencies), len(allCurrencies), len(allCurrencies))
	}
	ids := map[string]bool{}
	for _, w := range all {
		ids[w.Id] = w.Balance.Amount == 0 && len(w.Owners) == 0
	}
	if !ids["FEES_EUR"] || !ids["CREDIT_EUR"] || !ids["FEES_GBP"] {
		t.Errorf("client wallets = %v", ids)
	}
	c := x.obj("GET", "/clients", nil)
	if c["ClientId"] != "sandbox" || c["Name"] != "sandbox" {
		t.Errorf("GET /clients = %v", c)
	}
}

func TestSDKPayinRefundAfterFullRefund(t *testing.T) {
	x := newSbx(t, Options{})
	payer := x.natural("PAYER")
	w := x.wallet(payer, "EUR")
	p := x.payin(payer, w, x.card(payer, "EUR", "4970107111111119"), 1000, 100)
	path := "/payins/" + p.Id + "/refunds"
	var full mangopay.Refund
	x.ok("POST", path, `{"AuthorId":"`+payer+`"}`, &full)
	if full.Status != "SUCCEEDED" || full.DebitedFunds.Amount != 900 {
		t.Fatalf("full refund = %+v", full.Transaction)
	}
	// The Node SDK's helper refunds with explicit amounts.
	m := x.obj("POST", path, `{"AuthorId":"`+payer+`","DebitedFunds":{"Currency":"EUR","Amount":900},"Fees":{"Currency":"EUR","Amount":0}}`)
	if m["Status"] != "FAILED" || m["ResultCode"] != "001401" || m["Type"] != "PAYOUT" || m["Nature"] != "REFUND" ||
		m["ResultMessage"] != "The transaction has already been successfully refunded" {
		t.Errorf("refund after a full refund = %v", m)
	}
	if x.balance(w) != 0 {
		t.Errorf("balance = %d, want 0", x.balance(w))
	}
	x.checkLedger()
}

func TestSDKKYCPageBodyFirst(t *testing.T) {
	x := newSbx(t, Options{ManualKYC: true})
	u := x.natural("OWNER")
	var d mangopay.KYCDocument
	x.ok("POST", "/users/"+u+"/kyc/documents", `{"Type":"IDENTITY_PROOF"}`, &d)
	pages := "/users/" + u + "/kyc/documents/" + d.Id + "/pages"
	if st, body := x.do("POST", pages, `{"File":"`+page(33<<10)+`"}`); st != 204 {
		t.Fatalf("page = %d %s", st, body)
	}
	x.ok("PUT", "/users/"+u+"/kyc/documents/"+d.Id, `{"Status":"VALIDATION_ASKED"}`, nil)
	m := x.fails("POST", pages, `{"File":""}`, 400, "param_error")
	if fieldErr(m, "File") != "The File field is required." {
		t.Errorf("empty File on a submitted document = %v", m)
	}
	x.fails("POST", pages, `{"File":"`+page(33<<10)+`"}`, 400, "invalid_action")
}

// nodeNatural is the Node SDK's getUserNatural fixture: no UserCategory,
// T&C false, every OWNER field.
const nodeNatural = `{"FirstName":"John NodejsSDK","LastName":"Doe NodejsSDK","Email":"john.doe@sample.org",
 "Address":{"AddressLine1":"4101 Reservoir Rd NW","AddressLine2":"","City":"Washington","Region":"District of Columbia","PostalCode":"20007","Country":"US"},
 "Birthday":188301600,"Nationality":"FR","CountryOfResidence":"FR","Occupation":"programmer","IncomeRange":3,
 "PersonType":"NATURAL","TermsAndConditionsAccepted":false}`

func TestSDKLenientOwner(t *testing.T) {
	x := newSbx(t, Options{LenientCategory: true})
	u := x.obj("POST", "/users/natural", nodeNatural)
	if u["UserCategory"] != "OWNER" || u["Birthday"] != 188301600.0 {
		t.Errorf("UserCategory = %v, Birthday = %v; want OWNER with its Birthday", u["UserCategory"], u["Birthday"])
	}
	l := x.obj("POST", "/users/legal", strings.Replace(sdkLegalBody, `"UserCategory":"OWNER",`, "", 1))
	if l["UserCategory"] != "OWNER" {
		t.Errorf("legal UserCategory = %v, want OWNER", l["UserCategory"])
	}
	p := x.obj("POST", "/users/natural", `{"FirstName":"A","LastName":"B","Email":"a@b.co","Birthday":188301600}`)
	if p["UserCategory"] != "PAYER" || p["Birthday"] != nil {
		t.Errorf("without Nationality: UserCategory = %v, Birthday = %v; want PAYER without it", p["UserCategory"], p["Birthday"])
	}
	strict := newSbx(t, Options{})
	strict.fails("POST", "/users/natural", nodeNatural, 400, "param_error")
}

func TestSDKEnrolmentAndConsent(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.natural("OWNER")
	resp, body := x.raw("POST", "/v2.01/sandbox/sca/users/"+owner+"/enrollment", "", true)
	var got mangopay.PendingUserActionResponse
	if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || got.PendingUserAction == nil ||
		got.PendingUserAction.RedirectUrl != x.ts.URL+"/sca/"+owner {
		t.Fatalf("enrollment = %d %s", resp.StatusCode, body)
	}
	if u := x.obj("GET", "/users/"+owner, nil); u["UserStatus"] != "ACTIVE" {
		t.Errorf("enrollment changed UserStatus to %v", u["UserStatus"])
	}
	if resp, _ := x.raw("GET", strings.TrimPrefix(got.PendingUserAction.RedirectUrl, x.ts.URL), "", false); resp.StatusCode != 200 {
		t.Fatalf("enrolment page = %d", resp.StatusCode)
	}
	var status mangopay.SCAStatus
	x.ok("GET", "/sca/users/"+owner+"/sca-status", nil, &status)
	if !status.IsEnrolled || status.LastEnrollmentDate == nil || status.UserStatus != "ACTIVE" ||
		status.LastConsentCollectionDate != nil || status.ConsentScope != nil {
		t.Errorf("after the page: sca-status = %+v, want enrolled without consent", status)
	}
	accept := x.obj("POST", "/users/natural", `{"UserCategory":"OWNER","TermsAndConditionsAccepted":true,"FirstName":"Al","LastName":"Ex",
		"Email":"john.doe+accept@sample.org","Birthday":652117514,"Nationality":"FR","CountryOfResidence":"FR"}`)["Id"].(string)
	if m := x.obj("POST", "/sca/users/"+accept+"/enrollment", nil); m["PendingUserAction"] != nil {
		t.Errorf("accept user enrollment = %v, want a null PendingUserAction", m)
	}
	x.fails("POST", "/sca/users/"+x.natural("PAYER")+"/enrollment", nil, 400, "param_error")
	x.fails("POST", "/sca/users/user_m_none/enrollment", nil, 404, "ressource_not_found")
	m := x.fails("POST", "/sca/users/"+owner+"/consent", nil, 400, "param_error")
	if fieldErr(m, "Invalid SCA request") != "Consent cannot be given when no proxy is required by the client." {
		t.Errorf("consent without proxy = %v", m)
	}
	y := newSbx(t, Options{ProxyConsent: true})
	owner = y.natural("OWNER")
	resp, body = y.raw("POST", "/v2.01/sandbox/sca/users/"+owner+"/consent", "", true)
	if resp.StatusCode != 200 || json.Unmarshal(body, &got) != nil || got.PendingUserAction == nil {
		t.Fatalf("consent = %d %s", resp.StatusCode, body)
	}
	if resp, _ := y.raw("GET", strings.TrimPrefix(got.PendingUserAction.RedirectUrl, y.ts.URL), "", false); resp.StatusCode != 200 {
		t.Fatalf("consent page = %d", resp.StatusCode)
	}
	y.ok("GET", "/sca/users/"+owner+"/sca-status", nil, &status)
	if status.IsEnrolled || status.LastConsentCollectionDate == nil || status.ConsentScope == nil ||
		status.ConsentScope.Transfer != "GIVEN" {
		t.Errorf("after the consent page: sca-status = %+v", status)
	}
}

func TestSDKPayoutAndHooks(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.natural("OWNER")
	w := x.wallet(owner, "EUR")
	x.payin(owner, w, x.card(owner, "EUR", "4970107111111119"), 5000, 0)
	po := x.obj("POST", "/payouts/bankwire", `{"AuthorId":"`+owner+`","DebitedWalletId":"`+w+`","BankAccountId":"`+x.bank(owner)+`",
	 "DebitedFunds":{"Currency":"EUR","Amount":1000},"Fees":{"Currency":"EUR","Amount":0},"PaymentType":"BANK_WIRE"}`)
	if v, ok := po["RecipientVerificationOfPayee"]; !ok || v != nil {
		t.Errorf("payout RecipientVerificationOfPayee = %v (present %v), want null", v, ok)
	}
	get := x.obj("GET", "/payouts/"+po["Id"].(string), nil)
	if v, ok := get["RecipientVerificationOfPayee"]; !ok || v != nil {
		t.Errorf("GET payout RecipientVerificationOfPayee = %v (present %v), want null", v, ok)
	}
	var ids []string
	for _, et := range []string{"PAYIN_NORMAL_CREATED", "PAYIN_NORMAL_SUCCEEDED", "PAYIN_NORMAL_FAILED"} {
		ids = append(ids, x.obj("POST", "/hooks", `{"EventType":"`+et+`","Url":"https://example.com/hook"}`)["Id"].(string))
	}
	var hooks []mangopay.Hook
	x.ok("GET", "/hooks?Sort=CreationDate:DESC", nil, &hooks)
	if len(hooks) != 3 {
		t.Fatalf("hooks = %+v", hooks)
	}
	for i, h := range hooks {
		if h.Id != ids[2-i] {
			t.Errorf("hooks[%d] = %s, want %s (newest first)", i, h.Id, ids[2-i])
		}
		if i > 0 && h.CreationDate >= hooks[i-1].CreationDate {
			t.Errorf("CreationDate %d not before %d: creation order lost", h.CreationDate, hooks[i-1].CreationDate)
		}
	}
	x.clock.advance(time.Hour)
	late := x.obj("POST", "/hooks", `{"EventType":"TRANSFER_NORMAL_CREATED","Url":"https://example.com/hook"}`)
	if late["CreationDate"] != float64(x.clock.now().Unix()) {
		t.Errorf("a later hook's CreationDate = %v, want now %d", late["CreationDate"], x.clock.now().Unix())
	}
}

func TestSDKNoClientIDIs404(t *testing.T) {
	x := newSbx(t, Options{})
	for _, path := range []string{"/v2.01/countries/FR/authorizations", "/v2.01/countries/authorizations"} {
		resp, body := x.raw("GET", path, "", false)
		m := map[string]any{}
		if resp.StatusCode != 404 || json.Unmarshal(body, &m) != nil || m["Type"] != "ressource_not_found" {
			t.Errorf("GET %s = %d %s, want 404 ressource_not_found", path, resp.StatusCode, body)
		}
	}
	if resp, _ := x.raw("GET", "/v2.01/someoneelse/users", "", false); resp.StatusCode != 401 {
		t.Errorf("another client's route = %d, want 401", resp.StatusCode)
	}
	if resp, _ := x.raw("GET", "/v2.01/sandbox/nothing", "", false); resp.StatusCode != 401 {
		t.Errorf("our client, unknown route = %d, want 401", resp.StatusCode)
	}
}

// TestClientReadsFidelityAnswers: settle's own client (with
// Config.SCAUserRoutes) decodes what the sandbox now answers: the nested
// LegalRepresentative, the enrolment, consent and status calls, a web
// pay-in and a payout's VOP field.
func TestClientReadsFidelityAnswers(t *testing.T) {
	x := newSbx(t, Options{ProxyConsent: true})
	c, err := mangopay.NewClient(mangopay.Config{ClientID: DefaultClientID, APIKey: DefaultAPIKey, BaseURL: x.ts.URL,
		SCAUserRoutes: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id := x.obj("POST", "/sca/users/legal", scaLegal)["Id"].(string)
	l, err := c.Users.GetLegal(ctx, id)
	if err != nil || l.LegalRepresentative == nil || l.LegalRepresentative.PhoneNumber != "+33611111111" ||
		l.LegalRepresentativeFirstName != "John" {
		t.Fatalf("GetLegal() = %+v, %v", l, err)
	}
	enrol, err := c.SCA.Enroll(ctx, id)
	if err != nil || enrol.PendingUserAction != nil {
		t.Errorf("Enroll(accept user) = %+v, %v; want a null PendingUserAction", enrol, err)
	}
	consent, err := c.SCA.Consent(ctx, id)
	if err != nil || consent.PendingUserAction == nil || !strings.HasSuffix(consent.PendingUserAction.RedirectUrl, "/consent") {
		t.Fatalf("Consent() = %+v, %v", consent, err)
	}
	if resp, _ := x.raw("GET", strings.TrimPrefix(consent.PendingUserAction.RedirectUrl, x.ts.URL), "", false); resp.StatusCode != 200 {
		t.Fatalf("consent page = %d", resp.StatusCode)
	}
	st, err := c.SCA.Status(ctx, id)
	if err != nil || !st.IsEnrolled || st.LastConsentCollectionDate == nil || st.ConsentScope == nil {
		t.Errorf("Status() = %+v, %v", st, err)
	}
	payer := x.natural("PAYER")
	w := x.wallet(payer, "EUR")
	var web mangopay.PayIn
	x.ok("POST", "/payins/card/web", webPayinBody(payer, w, 1500), &web)
	p, err := c.PayIns.Get(ctx, web.Id)
	if err != nil || p.ExecutionType != "WEB" || p.RedirectURL != web.RedirectURL || p.CardType != "CB_VISA_MASTERCARD" {
		t.Errorf("PayIns.Get(web) = %+v, %v", p, err)
	}
}
