package sandbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// Requests of the 2026 endpoints as MANGOPAY's official SDKs send them:
// the PHP SDK (mangopay4-php-sdk 4.4.0 tests: every set property, nested
// objects whole, MeanOfPaymentDetails flattened into the payout) and the
// Node SDK (mangopay4-nodejs-sdk 1.68.0: lowercase query parameters).

// phpJohnScaOwner is the PHP SDK's getJohnScaOwner body, with the "accept"
// Email its tests use.
const phpJohnScaOwner = `{"FirstName":"John SCA","LastName":"Doe SCA Review","Email":"john.doe.sca+accept@sample.org",
 "Address":{"AddressLine1":"Address line 1","AddressLine2":"Address line 2","City":"City","Region":"Region","PostalCode":"11222","Country":"FR"},
 "Birthday":188352000,"Nationality":"FR","CountryOfResidence":"FR","Occupation":"programmer","IncomeRange":3,
 "UserCategory":"OWNER","TermsAndConditionsAccepted":true,"PhoneNumber":"+33611111111","PhoneNumberCountry":"FR","PersonType":"NATURAL"}`

// phpRecipient is the PHP SDK's getNewRecipientObject body.
const phpRecipient = `{"DisplayName":"My GB account","PayoutMethodType":"LocalBankTransfer","RecipientType":"Individual",
 "Currency":"GBP","Country":"GB",
 "IndividualRecipient":{"FirstName":"Payout","LastName":"Team","Address":{"AddressLine1":"Address line 1",
  "AddressLine2":"Address line 2","City":"City","Region":"Region","PostalCode":"11222","Country":"FR"}},
 "LocalBankTransfer":{"GBP":{"SortCode":"010039","AccountNumber":"11696419"}}}`

func TestSDKRecipientRequests(t *testing.T) {
	x := newSbx(t, Options{LenientCategory: true})
	john := x.call(200, "POST", "/sca/users/natural", json.RawMessage(phpJohnScaOwner))["Id"].(string)
	payer := x.call(200, "POST", "/sca/users/natural", json.RawMessage(`{"FirstName":"John SCA","LastName":"Doe SCA Review",
	 "Email":"john.doe.sca@sample.org","TermsAndConditionsAccepted":true,"UserCategory":"PAYER"}`))["Id"].(string)

	// Payout methods and schema, with the SDKs' lowercase query keys.
	pm := x.call(200, "GET", "/recipients/payout-methods?country=DE&currency=EUR", nil)
	if methods, _ := pm["AvailablePayoutMethods"].([]any); len(methods) == 0 {
		t.Errorf("payout methods = %v", pm)
	}
	tests := []struct {
		query        string
		present      []string
		absent       []string
		accountField string
	}{
		{"payoutMethodType=LocalBankTransfer&recipientType=Individual&currency=GBP&country=GB",
			[]string{"DisplayName", "Currency", "RecipientType", "PayoutMethodType", "RecipientScope", "Tag", "Country", "IndividualRecipient", "LocalBankTransfer"},
			[]string{"BusinessRecipient", "InternationalBankTransfer"}, "LocalBankTransfer.GBP.AccountNumber"},
		{"payoutMethodType=InternationalBankTransfer&recipientType=Business&currency=GBP&country=GB",
			[]string{"DisplayName", "Currency", "RecipientType", "PayoutMethodType", "RecipientScope", "Tag", "Country", "BusinessRecipient", "InternationalBankTransfer"},
			[]string{"LocalBankTransfer", "IndividualRecipient"}, "InternationalBankTransfer.AccountNumber"},
	}
	for _, tt := range tests {
		s := x.call(200, "GET", "/recipients/schema?"+tt.query, nil)
		for _, k := range tt.present {
			if s[k] == nil {
				t.Errorf("schema %s lacks %s", tt.query, k)
			}
		}
		for _, k := range tt.absent {
			if s[k] != nil {
				t.Errorf("schema %s has %s", tt.query, k)
			}
		}
		node := any(s)
		for _, p := range strings.Split(tt.accountField, ".") {
			node = node.(map[string]any)[p]
		}
		if f, ok := node.(map[string]any); !ok || f["Required"] != true || f["Pattern"] == nil {
			t.Errorf("schema %s %s = %v", tt.query, tt.accountField, node)
		}
	}

	// Create, then validate the created object again for a PAYER (the
	// PHP SDK's test_Recipient_Validate), and without its Currency.
	rec := x.call(201, "POST", "/users/"+john+"/recipients", json.RawMessage(phpRecipient))
	if rec["Status"] != "PENDING" || rec["Country"] != "GB" || rec["UserId"] != john || rec["RecipientScope"] != "PAYOUT" ||
		rec["PendingUserAction"] != nil || rec["RecipientVerificationOfPayee"] != nil {
		t.Errorf("created = %v", rec)
	}
	created, _ := json.Marshal(rec)
	if resp, body := x.api("POST", "/users/"+payer+"/recipients/validate", string(created)); resp.StatusCode != 200 || len(body) != 0 {
		t.Errorf("validate the created recipient = %d %s", resp.StatusCode, body)
	}
	delete(rec, "Currency")
	noCurrency, _ := json.Marshal(rec)
	m := x.fails("POST", "/users/"+payer+"/recipients/validate", string(noCurrency), 400, "param_error")
	if !strings.Contains(m["Message"].(string), "One or several required parameters are missing or incorrect") {
		t.Errorf("validate without Currency = %v", m)
	}

	// View, lists (PAYOUT for the owner, PAYIN for the payer: empty).
	id := rec["Id"].(string)
	if got := x.call(200, "GET", "/recipients/"+id, nil); got["Status"] != "ACTIVE" || got["LocalBankTransfer"] == nil {
		t.Errorf("view = %v", got)
	}
	for _, q := range []struct {
		user, query string
		n           int
	}{{john, "", 1}, {john, "?RecipientScope=PAYOUT&page=1&per_page=1", 1}, {payer, "?RecipientScope=PAYIN", 0}} {
		_, body := x.api("GET", "/users/"+q.user+"/recipients"+q.query, "")
		var list []map[string]any
		if err := json.Unmarshal(body, &list); err != nil || len(list) != q.n {
			t.Errorf("list %s = %s, want %d items", q.query, body, q.n)
		}
	}

	// The PHP SDK's payout to the EUR recipient (test_PayOut_Create_WithRecipientId).
	eur := strings.NewReplacer(`"Currency":"GBP","Country":"GB"`, `"Currency":"EUR","Country":"DE"`,
		`"LocalBankTransfer":{"GBP":{"SortCode":"010039","AccountNumber":"11696419"}}`, `"LocalBankTransfer":{"EUR":{"IBAN":"DE75512108001245126199"}}`).Replace(phpRecipient)
	recEUR := x.call(201, "POST", "/users/"+john+"/recipients", json.RawMessage(eur))["Id"].(string)
	w := x.projectOf(john, 100)
	payout := x.call(200, "POST", "/payouts/bankwire", json.RawMessage(`{"Tag":"DefaultTag","AuthorId":"`+john+`","CreditedUserId":"`+john+`",
	 "DebitedFunds":{"Currency":"EUR","Amount":10},"Fees":{"Currency":"EUR","Amount":5},"DebitedWalletId":"`+w+`",
	 "BankWireRef":"Johns payment","PayoutModeRequested":"STANDARD","RecipientId":"`+recEUR+`","PaymentType":"BANK_WIRE"}`))
	if payout["RecipientId"] != recEUR || payout["PaymentType"] != "BANK_WIRE" || payout["Status"] != "CREATED" {
		t.Errorf("payout = %v", payout)
	}

	// Identity verification sessions for the PHP SDK's John (legacy route,
	// no UserCategory: an OWNER under LenientCategory).
	legacyJohn := x.call(200, "POST", "/users/natural", json.RawMessage(`{"FirstName":"John","LastName":"Doe","Email":"john.doe@sample.org",
	 "Address":{"AddressLine1":"Address line 1","AddressLine2":"Address line 2","City":"City","Country":"FR","PostalCode":"11222","Region":"Region"},
	 "Birthday":188352000,"Nationality":"FR","CountryOfResidence":"FR","Occupation":"programmer","IncomeRange":3,"TermsAndConditionsAccepted":true,
	 "PersonType":"NATURAL"}`))["Id"].(string)
	idv := x.call(200, "POST", "/users/"+legacyJohn+"/identity-verifications", json.RawMessage(`{"ReturnUrl":"https://example.com","Tag":"Created by the PHP SDK"}`))
	if idv["HostedUrl"] == nil || idv["ReturnUrl"] != "https://example.com" || idv["Status"] != "PENDING" {
		t.Errorf("session = %v", idv)
	}
	got := x.call(200, "GET", "/identity-verifications/"+idv["Id"].(string), nil)
	if got["HostedUrl"] != idv["HostedUrl"] || got["ReturnUrl"] != idv["ReturnUrl"] || got["Status"] != idv["Status"] {
		t.Errorf("view = %v, created %v", got, idv)
	}
	_, body := x.api("GET", "/users/"+legacyJohn+"/identity-verifications", "")
	var list []map[string]any
	if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 {
		t.Errorf("list = %s", body)
	}
}
