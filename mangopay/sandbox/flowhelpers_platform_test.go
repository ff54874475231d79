package sandbox

import (
	"encoding/json"
	"io"
	"net/url"
)

// call sends a JSON body (nil for none) and decodes a JSON object answer;
// it fails the test unless the status is want.
func (h *harness) call(want int, method, path string, body any, headers ...string) map[string]any {
	h.t.Helper()
	data := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		data = string(b)
	}
	resp, out := h.api(method, path, data, headers...)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s status = %d, want %d (%s)", method, path, resp.StatusCode, want, out)
	}
	if len(out) == 0 {
		return nil
	}
	return jsonMap(h.t, out)
}

// eur is a Money body.
func eur(amount int64) map[string]any { return map[string]any{"Currency": "EUR", "Amount": amount} }

// user creates a natural user of the category and returns its Id.
func (h *harness) user(category string) string {
	h.t.Helper()
	u := h.call(200, "POST", "/users/natural", map[string]any{"UserCategory": category, "TermsAndConditionsAccepted": true,
		"FirstName": "Alex", "LastName": "Smith", "Email": "alex@example.com", "Birthday": 652117514,
		"Nationality": "FR", "CountryOfResidence": "FR"})
	return u["Id"].(string)
}

// newWallet creates a EUR wallet for owner.
func (h *harness) newWallet(owner string) string {
	h.t.Helper()
	w := h.call(200, "POST", "/wallets", map[string]any{"Owners": []string{owner}, "Description": "w", "Currency": "EUR"})
	return w["Id"].(string)
}

// newCard registers and tokenizes a frictionless test card for user.
func (h *harness) newCard(user string) string {
	h.t.Helper()
	reg := h.call(200, "POST", "/cardregistrations", map[string]any{"UserId": user, "Currency": "EUR"})
	form := url.Values{"data": {reg["PreregistrationData"].(string)}, "accessKeyRef": {reg["AccessKey"].(string)},
		"cardNumber": {"4970107111111119"}, "cardExpirationDate": {"1240"}, "cardCvx": {"123"}}
	resp, err := h.ts.Client().PostForm(reg["CardRegistrationURL"].(string), form)
	if err != nil {
		h.t.Fatalf("tokenize: %v", err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	reg = h.call(200, "PUT", "/cardregistrations/"+reg["Id"].(string), map[string]any{"RegistrationData": string(data)})
	if reg["Status"] != "VALIDATED" {
		h.t.Fatalf("card registration = %v", reg)
	}
	return reg["CardId"].(string)
}

// payIn pays amount (fees included) into wallet with card.
func (h *harness) payIn(author, wallet, card string, amount, fees int64, headers ...string) map[string]any {
	h.t.Helper()
	return h.call(200, "POST", "/payins/card/direct", map[string]any{"AuthorId": author, "CreditedWalletId": wallet,
		"CardId": card, "DebitedFunds": eur(amount), "Fees": eur(fees), "SecureModeReturnURL": "https://example.com/r",
		"IpAddress": "2001:db8::1", "BrowserInfo": map[string]any{"AcceptHeader": "text/html", "JavaEnabled": false,
			"Language": "fr-FR", "ColorDepth": 24, "ScreenHeight": 900, "ScreenWidth": 1600, "TimeZoneOffset": 60,
			"UserAgent": "Mozilla/5.0", "JavascriptEnabled": true}}, headers...)
}

// transferBodyP is a EUR transfer body.
func transferBodyP(author, from, to string, amount, fees int64) map[string]any {
	return map[string]any{"AuthorId": author, "DebitedWalletId": from, "CreditedWalletId": to,
		"DebitedFunds": eur(amount), "Fees": eur(fees)}
}

// walletBalance reads a wallet's balance.
func (h *harness) walletBalance(id string) float64 {
	h.t.Helper()
	path := "/wallets/" + id
	if id == "FEES_EUR" {
		path = "/clients/wallets/FEES/EUR"
	}
	w := h.call(200, "GET", path, nil)
	return w["Balance"].(map[string]any)["Amount"].(float64)
}

// funded creates a PAYER with a wallet holding 9500 (pay-in 10000, fees
// 500) and an OWNER with an empty wallet.
type funded struct{ payer, owner, wc, wp, card, payin string }

func (h *harness) fund() funded {
	h.t.Helper()
	f := funded{payer: h.user("PAYER"), owner: h.user("OWNER")}
	f.wc, f.wp = h.newWallet(f.payer), h.newWallet(f.owner)
	f.card = h.newCard(f.payer)
	p := h.payIn(f.payer, f.wc, f.card, 10000, 500)
	if p["Status"] != "SUCCEEDED" {
		h.t.Fatalf("pay-in = %v", p)
	}
	f.payin = p["Id"].(string)
	return f
}
