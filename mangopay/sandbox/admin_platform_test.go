package sandbox

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// kycPage is a base64 PDF page of n bytes.
func kycPage(n int) string {
	b := make([]byte, n)
	copy(b, "%PDF-1.4\n")
	return base64.StdEncoding.EncodeToString(b)
}

// submittedKYC creates an OWNER's identity proof with tag, one page, and
// submits it; it returns the user and document Ids.
func (h *harness) submittedKYC(tag string) (string, string) {
	h.t.Helper()
	owner := h.user("OWNER")
	doc := h.call(200, "POST", "/users/"+owner+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": tag})
	id := doc["Id"].(string)
	h.call(204, "POST", "/users/"+owner+"/KYC/documents/"+id+"/pages", map[string]any{"File": kycPage(40 << 10)})
	h.call(200, "PUT", "/users/"+owner+"/kyc/documents/"+id, map[string]any{"Status": "VALIDATION_ASKED"})
	return owner, id
}

func TestAdminKYCAndPayouts(t *testing.T) {
	h := newHarness(t, Options{ManualKYC: true, ManualPayouts: true})
	owner, doc := h.submittedKYC("accept")
	if d := h.call(200, "GET", "/kyc/documents/"+doc, nil); d["Status"] != "VALIDATION_ASKED" {
		t.Fatalf("with ManualKYC the document is %v, want VALIDATION_ASKED", d["Status"])
	}
	h.call(204, "POST", "/sandbox/kyc/"+doc+"/validate", nil)
	if d := h.call(200, "GET", "/kyc/documents/"+doc, nil); d["Status"] != "VALIDATED" {
		t.Errorf("after validate the document is %v, want VALIDATED", d["Status"])
	}
	if u := h.call(200, "GET", "/users/"+owner, nil); u["KYCLevel"] != "REGULAR" {
		t.Errorf("owner KYCLevel = %v, want REGULAR", u["KYCLevel"])
	}
	_, refused := h.submittedKYC("whatever")
	h.call(204, "POST", "/sandbox/kyc/"+refused+"/refuse?reason=DOCUMENT_UNREADABLE", nil)
	if d := h.call(200, "GET", "/kyc/documents/"+refused, nil); d["Status"] != "REFUSED" || d["RefusedReasonType"] != "DOCUMENT_UNREADABLE" {
		t.Errorf("after refuse the document is %v %v", d["Status"], d["RefusedReasonType"])
	}
	resp, body := h.api("POST", "/sandbox/kyc/kyc_unknown/validate", "")
	if resp.StatusCode != 404 {
		t.Errorf("validate unknown status = %d, want 404", resp.StatusCode)
	}
	checkErrorBody(t, body, "ressource_not_found", "")

	f := h.fund()
	h.call(200, "POST", "/transfers", transferBodyP(f.payer, f.wc, f.wp, 9500, 0))
	bank := h.call(200, "POST", "/users/"+f.owner+"/bankaccounts/iban", map[string]any{"OwnerName": "A B",
		"IBAN": "FR7630004000031234567890143", "BIC": "BNPAFRPP",
		"OwnerAddress": map[string]any{"AddressLine1": "1 rue", "City": "Paris", "PostalCode": "75001", "Country": "FR"}})
	owner2doc := h.call(200, "POST", "/users/"+f.owner+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": "accept"})
	h.call(204, "POST", "/users/"+f.owner+"/kyc/documents/"+owner2doc["Id"].(string)+"/pages", map[string]any{"File": kycPage(40 << 10)})
	h.call(200, "PUT", "/users/"+f.owner+"/kyc/documents/"+owner2doc["Id"].(string), map[string]any{"Status": "VALIDATION_ASKED"})
	h.call(204, "POST", "/sandbox/kyc/"+owner2doc["Id"].(string)+"/validate", nil)
	po := h.call(200, "POST", "/payouts/bankwire", map[string]any{"AuthorId": f.owner, "DebitedWalletId": f.wp,
		"BankAccountId": bank["Id"], "DebitedFunds": eur(5000), "Fees": eur(0), "BankWireRef": "x"})
	h.call(200, "GET", "/wallets/"+f.wp, nil) // a request does not process a manual payout
	if got := h.call(200, "GET", "/payouts/"+po["Id"].(string), nil); got["Status"] != "CREATED" {
		t.Fatalf("with ManualPayouts the payout is %v, want CREATED", got["Status"])
	}
	if got := h.call(200, "POST", "/sandbox/payouts/process", nil); got["Processed"] != 1.0 {
		t.Errorf("payouts/process = %v, want Processed 1", got)
	}
	if got := h.call(200, "GET", "/payouts/"+po["Id"].(string), nil); got["Status"] != "SUCCEEDED" {
		t.Errorf("after processing the payout is %v %v, want SUCCEEDED", got["Status"], got["ResultCode"])
	}
	if got := h.walletBalance(f.wp); got != 4500 {
		t.Errorf("project wallet = %v, want 4500", got)
	}
	if resp, body := h.api("GET", "/sandbox/ledger", ""); resp.StatusCode != 200 || !strings.Contains(string(body), `"OK":true`) {
		t.Errorf("ledger = %d %s", resp.StatusCode, body)
	}
	if resp, body := h.api("GET", "/sandbox/state", ""); resp.StatusCode != 200 || !strings.Contains(string(body), f.payin) {
		t.Errorf("state = %d, does not mention pay-in %s", resp.StatusCode, f.payin)
	}
}

func TestHookDelivery(t *testing.T) {
	got := make(chan url.Values, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.URL.Query():
		default: // the flood below
		}
	}))
	defer receiver.Close()
	h := newHarness(t, Options{})
	h.call(200, "POST", "/hooks", map[string]any{"EventType": "PAYIN_NORMAL_SUCCEEDED", "Url": receiver.URL + "/hook"})
	f := h.fund()
	q := <-got
	if q.Get("EventType") != "PAYIN_NORMAL_SUCCEEDED" || q.Get("RessourceId") != f.payin || q.Get("Date") == "" {
		t.Errorf("delivery query = %v, want EventType PAYIN_NORMAL_SUCCEEDED, RessourceId %s, Date", q, f.payin)
	}
}

func TestEnqueueDeliveryNeverBlocks(t *testing.T) {
	// No workers: the queue fills up and further notifications are dropped.
	s := &Server{deliveries: make(chan string, 2), stats: newStatsCounter()}
	for range 5 {
		s.enqueueDelivery("http://127.0.0.1:1/hook")
	}
	if got := s.Stats().DroppedHooks; got != 3 {
		t.Errorf("DroppedHooks = %d, want 3", got)
	}
}

func TestJSKitFinishRegistration(t *testing.T) {
	h := newHarness(t, Options{})
	payer := h.user("PAYER")
	reg := h.call(200, "POST", "/cardregistrations", map[string]any{"UserId": payer, "Currency": "EUR"})
	form := url.Values{"data": {reg["PreregistrationData"].(string)}, "accessKeyRef": {reg["AccessKey"].(string)},
		"cardNumber": {"4970107111111119"}, "cardExpirationDate": {"1240"}, "cardCvx": {"123"}}
	resp, err := http.PostForm(reg["CardRegistrationURL"].(string), form)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// No Authorization header: the kit runs in the browser.
	finish := url.Values{"Id": {reg["Id"].(string)}, "RegistrationData": {string(data)}}
	resp, err = http.PostForm(h.ts.URL+"/v2/sandbox/CardRegistrations/"+reg["Id"].(string), finish)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := jsonMap(t, body)
	if resp.StatusCode != 200 || m["Status"] != "VALIDATED" || m["ResultCode"] != "000000" {
		t.Errorf("JSKIT finish = %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("no CORS header on the JSKIT answer")
	}
	// Anything else without auth is still 401.
	resp, err = http.Post(h.ts.URL+"/v2.01/sandbox/cardregistrations/"+reg["Id"].(string), "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("JSON POST without auth = %d, want 401", resp.StatusCode)
	}
}
