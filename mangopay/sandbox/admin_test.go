package sandbox

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"encoding/json"
	"strings"
	"testing"
	"time"
)

// submittedKYC creates an OWNER's identity proof with tag, one page, and
// submits it; it returns the user and document Ids.
func (h *sbx) submittedKYC(tag string) (string, string) {
	h.t.Helper()
	owner := h.natural("OWNER")
	doc := h.call(200, "POST", "/users/"+owner+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": tag})
	id := doc["Id"].(string)
	h.call(204, "POST", "/users/"+owner+"/KYC/documents/"+id+"/pages", map[string]any{"File": page(40 << 10)})
	h.call(200, "PUT", "/users/"+owner+"/kyc/documents/"+id, map[string]any{"Status": "VALIDATION_ASKED"})
	return owner, id
}

func TestAdminKYCAndPayouts(t *testing.T) {
	h := newSbx(t, Options{ManualKYC: true, ManualPayouts: true})
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
	platformtest.CheckErrorBody(t, body, "ressource_not_found", "")

	f := h.fund()
	h.call(200, "POST", "/transfers", transferBody(f.payer, f.wc, f.wp, 9500, 0))
	bank := h.call(200, "POST", "/users/"+f.owner+"/bankaccounts/iban", map[string]any{"OwnerName": "A B",
		"IBAN": "FR7630004000031234567890143", "BIC": "BNPAFRPP",
		"OwnerAddress": map[string]any{"AddressLine1": "1 rue", "City": "Paris", "PostalCode": "75001", "Country": "FR"}})
	owner2doc := h.call(200, "POST", "/users/"+f.owner+"/kyc/documents", map[string]any{"Type": "IDENTITY_PROOF", "Tag": "accept"})
	h.call(204, "POST", "/users/"+f.owner+"/kyc/documents/"+owner2doc["Id"].(string)+"/pages", map[string]any{"File": page(40 << 10)})
	h.call(200, "PUT", "/users/"+f.owner+"/kyc/documents/"+owner2doc["Id"].(string), map[string]any{"Status": "VALIDATION_ASKED"})
	h.call(204, "POST", "/sandbox/kyc/"+owner2doc["Id"].(string)+"/validate", nil)
	po := h.call(200, "POST", "/payouts/bankwire", map[string]any{"AuthorId": f.owner, "DebitedWalletId": f.wp,
		"BankAccountId": bank["Id"], "DebitedFunds": money(5000), "Fees": money(0), "BankWireRef": "x"})
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
	if got := h.balance(f.wp); got != 4500 {
		t.Errorf("project wallet = %v, want 4500", got)
	}
	if resp, body := h.api("GET", "/sandbox/ledger", ""); resp.StatusCode != 200 || !strings.Contains(string(body), `"OK":true`) {
		t.Errorf("ledger = %d %s", resp.StatusCode, body)
	}
	if resp, body := h.api("GET", "/sandbox/state", ""); resp.StatusCode != 200 || !strings.Contains(string(body), f.payin) {
		t.Errorf("state = %d, does not mention pay-in %s", resp.StatusCode, f.payin)
	}
}

func TestAdminAPI(t *testing.T) {
	h := newSbx(t, Options{})
	before := h.clock.now().Unix()
	resp, body := h.api("POST", "/sandbox/clock/advance?by=2h", "")
	var clock clockDoc
	if err := json.Unmarshal(body, &clock); resp.StatusCode != 200 || err != nil || clock.Now != before+7200 || clock.Offset != "2h0m0s" {
		t.Errorf("clock/advance = %d %s, want Now %d, Offset 2h0m0s", resp.StatusCode, body, before+7200)
	}
	if h.s.now().Unix() != before+7200 {
		t.Errorf("now() = %d, want %d", h.s.now().Unix(), before+7200)
	}
	for _, bad := range []string{"", "?by=-1h", "?by=soon"} {
		if resp, _ := h.api("POST", "/sandbox/clock/advance"+bad, ""); resp.StatusCode != 400 {
			t.Errorf("clock/advance%s status = %d, want 400", bad, resp.StatusCode)
		}
	}
	put := `{"Seed":3,"Latency":"1ms","ErrorRatio":0.25,"DropAfterCommitRatio":0.5,"RateLimits":[{"Period":"1m","Limit":100}]}`
	resp, body = h.api("PUT", "/sandbox/faults", put)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT faults = %d %s", resp.StatusCode, body)
	}
	_, body = h.api("GET", "/sandbox/faults", "")
	if want := strings.Replace(put, `"1m"`, `"1m0s"`, 1); strings.TrimSpace(string(body)) != want {
		t.Errorf("GET faults = %s, want %s", body, want)
	}
	if f := h.s.api.Faults(); f.Seed != 3 || f.Latency != time.Millisecond || f.ErrorRatio != 0.25 {
		t.Errorf("faults = %+v", f)
	}
	for _, bad := range []string{`{"ErrorRatio":2}`, `{"Latency":"x"}`, `{"RateLimits":[{"Period":"0s","Limit":1}]}`, `nope`} {
		if resp, _ := h.api("PUT", "/sandbox/faults", bad); resp.StatusCode != 400 {
			t.Errorf("PUT faults %s status = %d, want 400", bad, resp.StatusCode)
		}
	}
	h.api("PUT", "/sandbox/faults", `{}`)
	for path, want := range map[string]int{"/sandbox/state": 200, "/sandbox/ledger": 200, "/sandbox/clock": 200} {
		if resp, body := h.api("GET", path, ""); resp.StatusCode != want || !json.Valid(body) {
			t.Errorf("GET %s = %d %s, want %d JSON", path, resp.StatusCode, body, want)
		}
	}
	resp, body = h.api("POST", "/sandbox/payouts/process", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"Processed":0`) {
		t.Errorf("payouts/process = %d %s", resp.StatusCode, body)
	}
}

func TestAdminStats(t *testing.T) {
	h := newSbx(t, Options{})
	owner := h.natural("OWNER")
	h.api("DELETE", "/sandbox/stats", "")
	h.api("POST", "/wallets", `{"Owners":["`+owner+`"],"Description":"w","Currency":"EUR"}`)
	h.api("POST", "/wallets/", `{"Owners":["`+owner+`"],"Description":"w","Currency":"EUR"}`)
	h.api("GET", "/users/"+owner, "")
	h.api("GET", "/nothing", "")
	st := h.s.Stats()
	if st.Requests != 4 || st.Writes != 2 || st.ByMethod["POST"] != 2 || st.ByRoute["POST /wallets"] != 2 || st.ByRoute["GET (no route)"] != 1 {
		t.Errorf("Stats() = %+v", st)
	}
	_, body := h.api("GET", "/sandbox/stats", "")
	var got Stats
	if err := json.Unmarshal(body, &got); err != nil || got.Requests != 4 || got.Writes != 2 {
		t.Errorf("GET /sandbox/stats = %s (%v)", body, err)
	}
}
