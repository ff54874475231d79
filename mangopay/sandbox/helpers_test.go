package sandbox

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"settle/mangopay"
)

// Test helpers of the resource tests: a sandbox behind httptest with Basic
// auth on resource calls and a settable clock, plus builders for the
// objects most tests need.

// tclock is a settable clock.
type tclock struct{ ns atomic.Int64 }

func (c *tclock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *tclock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// sbx is a sandbox under test.
type sbx struct {
	t     testing.TB
	s     *Server
	ts    *httptest.Server
	clock *tclock
	// tok, when set, is the bearer token api and call send instead of Basic
	// credentials (see token).
	tok string
}

func newSbx(t testing.TB, opts Options) *sbx {
	t.Helper()
	clock := &tclock{}
	clock.ns.Store(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC).UnixNano())
	opts.BasicAuth = true
	if opts.Now == nil {
		opts.Now = clock.now
	}
	if opts.RateLimits == nil {
		opts.RateLimits = []RateWindow{{Period: time.Minute, Limit: 1 << 30}}
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	x := &sbx{t: t, s: s, clock: clock, ts: httptest.NewServer(s)}
	t.Cleanup(func() {
		x.ts.Close()
		if err := s.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	return x
}

// restart closes x and opens a new sandbox on opts.StateDir with x's clock,
// as a process restart would; like newSbx, it is served and closed at the
// end of the test.
func (x *sbx) restart(opts Options) *sbx {
	x.t.Helper()
	x.ts.Close()
	if err := x.s.Close(); err != nil {
		x.t.Fatalf("Close() = %v", err)
	}
	opts.Now = x.clock.now
	y := newSbx(x.t, opts)
	y.clock = x.clock
	return y
}

// do calls a path relative to /v2.01/{ClientId}. body is a string (sent
// as is) or a value (sent as JSON), nil for none.
func (x *sbx) do(method, path string, body any) (int, []byte) {
	x.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			x.t.Fatalf("marshal body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, x.ts.URL+"/v2.01/"+x.s.opts.ClientID+path, rd)
	if err != nil {
		x.t.Fatalf("NewRequest: %v", err)
	}
	req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	req.Header.Set("Content-Type", "application/json")
	return x.send(req)
}

func (x *sbx) send(req *http.Request) (int, []byte) {
	x.t.Helper()
	resp, err := x.ts.Client().Do(req)
	if err != nil {
		x.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		x.t.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, data
}

// ok calls and wants 200, decoding the body into out (when not nil).
func (x *sbx) ok(method, path string, body, out any) {
	x.t.Helper()
	status, data := x.do(method, path, body)
	if status != 200 {
		x.t.Fatalf("%s %s = %d %s, want 200", method, path, status, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			x.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// obj calls and wants 200, returning the body as a map.
func (x *sbx) obj(method, path string, body any) map[string]any {
	x.t.Helper()
	var m map[string]any
	x.ok(method, path, body, &m)
	return m
}

// fails calls and wants an error body with status and Type; it returns
// the decoded body.
func (x *sbx) fails(method, path string, body any, status int, typ string) map[string]any {
	x.t.Helper()
	got, data := x.do(method, path, body)
	if got != status {
		x.t.Fatalf("%s %s = %d %s, want %d", method, path, got, data, status)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		x.t.Fatalf("error body %s: %v", data, err)
	}
	if m["Type"] != typ {
		x.t.Fatalf("%s %s: Type = %v, want %s (body %s)", method, path, m["Type"], typ, data)
	}
	return m
}

// fieldErr returns errors[field] of an error body.
func fieldErr(m map[string]any, field string) string {
	errs, _ := m["errors"].(map[string]any)
	s, _ := errs[field].(string)
	return s
}

// natural creates a natural user of the category.
func (x *sbx) natural(category string) string {
	x.t.Helper()
	body := map[string]any{"UserCategory": category, "TermsAndConditionsAccepted": true, "FirstName": "Alex",
		"LastName": "Smith", "Email": "alex@example.com", "Birthday": 652117514, "Nationality": "FR",
		"CountryOfResidence": "FR"}
	var u mangopay.NaturalUser
	x.ok("POST", "/users/natural", body, &u)
	return u.Id
}

// wallet creates a wallet.
func (x *sbx) wallet(owner, currency string) string {
	x.t.Helper()
	var w mangopay.Wallet
	x.ok("POST", "/wallets", map[string]any{"Owners": []string{owner}, "Description": "w", "Currency": currency}, &w)
	return w.Id
}

// bank creates the documented test IBAN account.
func (x *sbx) bank(user string) string {
	x.t.Helper()
	var b mangopay.BankAccount
	x.ok("POST", "/users/"+user+"/bankaccounts/iban", ibanBody(), &b)
	return b.Id
}

func ibanBody() map[string]any {
	return map[string]any{"OwnerName": "John Doe", "IBAN": "FR7630004000031234567890143", "BIC": "BNPAFRPP",
		"OwnerAddress": map[string]any{"AddressLine1": "1 rue", "City": "Paris", "PostalCode": "75001", "Country": "FR"}}
}

// tokenize posts a card to a registration's tokenization URL.
func (x *sbx) tokenize(reg mangopay.CardRegistration, number, expiry, cvv string) string {
	x.t.Helper()
	form := url.Values{"data": {reg.PreregistrationData}, "accessKeyRef": {reg.AccessKey},
		"cardNumber": {number}, "cardExpirationDate": {expiry}, "cardCvx": {cvv}}
	resp, err := x.ts.Client().PostForm(reg.CardRegistrationURL, form)
	if err != nil {
		x.t.Fatalf("tokenize: %v", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		x.t.Fatalf("tokenize status = %d", resp.StatusCode)
	}
	return string(data)
}

// card registers a card for user.
func (x *sbx) card(user, currency, number string) string {
	x.t.Helper()
	var reg mangopay.CardRegistration
	x.ok("POST", "/cardregistrations", map[string]any{"UserId": user, "Currency": currency}, &reg)
	cvv := "123"
	if strings.HasPrefix(number, "37") {
		cvv = "1234"
	}
	data := x.tokenize(reg, number, "1240", cvv)
	x.ok("PUT", "/cardregistrations/"+reg.Id, map[string]any{"RegistrationData": data}, &reg)
	if reg.Status != "VALIDATED" {
		x.t.Fatalf("registration %s: %s %s", reg.Status, reg.ResultCode, reg.ResultMessage)
	}
	return string(reg.CardId)
}

// payinBody is a complete card direct pay-in body.
func payinBody(author, wallet, card string, amount, fees int64, currency string) map[string]any {
	return map[string]any{"AuthorId": author, "CreditedWalletId": wallet, "CardId": card,
		"DebitedFunds":        map[string]any{"Currency": currency, "Amount": amount},
		"Fees":                map[string]any{"Currency": currency, "Amount": fees},
		"SecureModeReturnURL": "https://example.com/return", "IpAddress": "2001:db8::1",
		"BrowserInfo": map[string]any{"AcceptHeader": "text/html", "JavaEnabled": false, "Language": "fr-FR",
			"ColorDepth": 24, "ScreenHeight": 900, "ScreenWidth": 1600, "TimeZoneOffset": "+60",
			"UserAgent": "Mozilla/5.0", "JavascriptEnabled": true}}
}

// payin pays in with a frictionless card and returns the pay-in.
func (x *sbx) payin(author, wallet, card string, amount, fees int64) mangopay.PayIn {
	x.t.Helper()
	var p mangopay.PayIn
	x.ok("POST", "/payins/card/direct", payinBody(author, wallet, card, amount, fees, "EUR"), &p)
	return p
}

// transferBody is a transfer body in EUR.
func transferBody(author, from, to string, amount, fees int64) map[string]any {
	return map[string]any{"AuthorId": author, "DebitedWalletId": from, "CreditedWalletId": to,
		"DebitedFunds": map[string]any{"Currency": "EUR", "Amount": amount},
		"Fees":         map[string]any{"Currency": "EUR", "Amount": fees}}
}

// money builds a Money body.
func money(amount int64) map[string]any { return map[string]any{"Currency": "EUR", "Amount": amount} }

// balance reads a wallet's balance through the API.
func (x *sbx) balance(wallet string) int64 {
	x.t.Helper()
	var w mangopay.Wallet
	x.ok("GET", "/wallets/"+wallet, nil, &w)
	return w.Balance.Amount
}

// page is a base64 file of n bytes with a PNG header.
func page(n int) string {
	b := make([]byte, n)
	copy(b, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
	return base64.StdEncoding.EncodeToString(b)
}

// regular makes a natural user KYC REGULAR through an accepted identity proof.
func (x *sbx) regular(user string) {
	x.t.Helper()
	var d mangopay.KYCDocument
	x.ok("POST", "/users/"+user+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": "accept"}, &d)
	if st, body := x.do("POST", "/users/"+user+"/kyc/documents/"+d.Id+"/pages", map[string]any{"File": page(33 << 10)}); st != 204 {
		x.t.Fatalf("page = %d %s", st, body)
	}
	x.ok("PUT", "/users/"+user+"/kyc/documents/"+d.Id, map[string]any{"Status": "VALIDATION_ASKED"}, nil)
	var u mangopay.NaturalUser
	x.ok("GET", "/users/"+user, nil, &u)
	if u.KYCLevel != "REGULAR" {
		x.t.Fatalf("KYCLevel = %s after an accepted identity proof", u.KYCLevel)
	}
}

// checkLedger fails the test when the ledger does not add up.
func (x *sbx) checkLedger() {
	x.t.Helper()
	if err := x.s.CheckLedger(); err != nil {
		x.t.Fatalf("CheckLedger() = %v", err)
	}
}

func jsonDecode(data []byte, v any) error { return json.Unmarshal(data, v) }

// token gets a bearer token through the OAuth endpoint.
func (x *sbx) token() string {
	x.t.Helper()
	req, _ := http.NewRequest("POST", x.ts.URL+"/v2.01/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body := x.send(req)
	if status != 200 {
		x.t.Fatalf("token status = %d, body %s", status, body)
	}
	var tok struct{ Access_token string }
	if err := json.Unmarshal(body, &tok); err != nil {
		x.t.Fatalf("token body %s: %v", body, err)
	}
	return tok.Access_token
}

// api calls path (relative to /v2.01/{ClientId}, or absolute when it starts
// with "/v2" or "/V2" or "/sandbox") with x.tok as a bearer token (Basic
// credentials when empty) and optional headers given as "Key: value"; it
// returns the response with its body read.
func (x *sbx) api(method, path, body string, headers ...string) (*http.Response, []byte) {
	x.t.Helper()
	resp, data, err := x.rawAPI(method, path, body, headers...)
	if err != nil {
		x.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp, data
}

// rawAPI is api reporting transport errors instead of failing the test.
func (x *sbx) rawAPI(method, path, body string, headers ...string) (*http.Response, []byte, error) {
	url := x.ts.URL + path
	if !strings.HasPrefix(strings.ToLower(path), "/v2") && !strings.HasPrefix(path, "/sandbox") {
		url = x.ts.URL + "/v2.01/" + x.s.opts.ClientID + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if x.tok != "" {
		req.Header.Set("Authorization", "Bearer "+x.tok)
	} else {
		req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	}
	req.Header.Set("Content-Type", "application/json")
	for _, kv := range headers {
		k, v, _ := strings.Cut(kv, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := x.ts.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// call sends a JSON body (nil for none) through api and decodes a JSON
// object answer; it fails the test unless the status is want.
func (x *sbx) call(want int, method, path string, body any, headers ...string) map[string]any {
	x.t.Helper()
	data := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			x.t.Fatal(err)
		}
		data = string(b)
	}
	resp, out := x.api(method, path, data, headers...)
	if resp.StatusCode != want {
		x.t.Fatalf("%s %s status = %d, want %d (%s)", method, path, resp.StatusCode, want, out)
	}
	if len(out) == 0 {
		return nil
	}
	return platformtest.JSONMap(x.t, out)
}

// funded is a PAYER with a wallet holding 9500 (pay-in 10000 with card,
// fees 500) and an OWNER with an empty wallet.
type funded struct{ payer, owner, wc, wp, card, payin string }

func (x *sbx) fund() funded {
	x.t.Helper()
	f := funded{payer: x.natural("PAYER"), owner: x.natural("OWNER")}
	f.wc, f.wp = x.wallet(f.payer, "EUR"), x.wallet(f.owner, "EUR")
	f.card = x.card(f.payer, "EUR", "4970107111111119")
	p := x.payin(f.payer, f.wc, f.card, 10000, 500)
	if p.Status != "SUCCEEDED" {
		x.t.Fatalf("pay-in = %+v", p)
	}
	f.payin = p.Id
	return f
}

// getWithHeaders calls a path relative to /v2.01/{ClientId} and returns the
// response (body read) for its headers.
func (x *sbx) getWithHeaders(path string) (*http.Response, string) {
	x.t.Helper()
	req, err := http.NewRequest("GET", x.ts.URL+"/v2.01/"+x.s.opts.ClientID+path, nil)
	if err != nil {
		x.t.Fatal(err)
	}
	req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	resp, err := x.ts.Client().Do(req)
	if err != nil {
		x.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}
