package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"settle/mangopay"
)

func (x *sbx) newReg(user, cardType string) mangopay.CardRegistration {
	x.t.Helper()
	var reg mangopay.CardRegistration
	body := map[string]any{"UserId": user, "Currency": "EUR", "Tag": "reg tag"}
	if cardType != "" {
		body["CardType"] = cardType
	}
	x.ok("POST", "/CardRegistrations", body, &reg)
	return reg
}

func TestCardRegistrationCreate(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	reg := x.newReg(u, "")
	if reg.Status != "CREATED" || reg.CardType != "CB_VISA_MASTERCARD" || len(reg.AccessKey) != 20 ||
		reg.PreregistrationData == "" || reg.CardId != "" || reg.RegistrationData != "" || !strings.HasPrefix(reg.Id, "cardreg_m_") {
		t.Errorf("registration = %+v", reg)
	}
	prefix := x.ts.URL + "/tokenize/"
	if !strings.HasPrefix(reg.CardRegistrationURL, prefix) {
		t.Fatalf("CardRegistrationURL = %s, want prefix %s", reg.CardRegistrationURL, prefix)
	}
	blob, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(reg.CardRegistrationURL, prefix))
	var v map[string]string
	if err != nil || json.Unmarshal(blob, &v) != nil || v["client"] != x.s.opts.ClientID || len(v["token"]) != 16 {
		t.Errorf("URL payload %s (%v)", blob, err)
	}
	x.fails("POST", "/cardregistrations", map[string]any{"UserId": u, "Currency": "EUR", "CardType": "DINERS"}, 400, "param_error")
	x.fails("POST", "/cardregistrations", map[string]any{"UserId": u}, 400, "param_error")
	x.fails("POST", "/cardregistrations", map[string]any{"UserId": "user_m_no", "Currency": "EUR"}, 404, "ressource_not_found")
	x.fails("GET", "/cardregistrations/cardreg_m_no", nil, 404, "ressource_not_found")
}

func TestTokenizer(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	reg := x.newReg(u, "")
	tests := []struct{ name, number, expiry, cvv, want string }{
		{"luhn", "4970107111111118", "1240", "123", "errorCode=02625"},
		{"letters", "49701071111111AB", "1240", "123", "errorCode=02625"},
		{"past expiry", "4970107111111119", "0426", "123", "errorCode=02626"},
		{"bad month", "4970107111111119", "1330", "123", "errorCode=02626"},
		{"short cvv", "4970107111111119", "1240", "12", "errorCode=02627"},
		{"amex cvv", "375989111111119", "1240", "123", "errorCode=02627"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := x.tokenize(reg, tt.number, tt.expiry, tt.cvv); got != tt.want {
				t.Errorf("tokenize = %q, want %q", got, tt.want)
			}
		})
	}
	if got := x.tokenize(reg, "375989111111119", "0526", "1234"); !strings.HasPrefix(got, "data=") {
		t.Errorf("AMEX with 4-digit CVV = %q", got)
	}
	bad := reg
	bad.AccessKey = "wrong"
	if got := x.tokenize(bad, "4970107111111119", "1240", "123"); got != "errorCode=09101" {
		t.Errorf("wrong access key = %q", got)
	}
	req, _ := http.NewRequest("OPTIONS", reg.CardRegistrationURL, nil)
	req.Header.Set("Origin", "https://shop.example")
	resp, err := x.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = x.ts.Client().PostForm(reg.CardRegistrationURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("tokenizer headers = %v", resp.Header)
	}
}

func TestCardRegistrationUpdate(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	tests := []struct{ name, data, code, msg string }{
		{"number", "errorCode=02625", "105202", "Card number: invalid format"},
		{"date", "errorCode=02626", "105203", "Expiry date: missing or invalid format"},
		{"cvv", "errorCode=02627", "105204", "CVV: missing or invalid format"},
		{"garbage", "Wrong-data", "105206", "Registration data : Invalid format"},
		{"unknown token", "data=" + strings.Repeat("a", 40), "105299", "Token input Error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := x.newReg(u, "")
			var got mangopay.CardRegistration
			x.ok("PUT", "/cardregistrations/"+reg.Id, map[string]any{"RegistrationData": tt.data, "Status": "CREATED"}, &got)
			if got.Status != "ERROR" || string(got.ResultCode) != tt.code || string(got.ResultMessage) != tt.msg ||
				got.CardId != "" || string(got.RegistrationData) != tt.data {
				t.Errorf("registration = %+v", got)
			}
		})
	}
	reg := x.newReg(u, "")
	data := x.tokenize(reg, "4970105181818183", "1239", "123")
	x.fails("PUT", "/cardregistrations/"+reg.Id, map[string]any{"RegistrationData": data, "CardHolderName": "A"}, 400, "param_error")
	var got mangopay.CardRegistration
	x.ok("PUT", "/cardregistrations/"+reg.Id, map[string]any{"RegistrationData": data, "CardHolderName": "Alex Smith"}, &got)
	if got.Status != "VALIDATED" || got.ResultCode != "000000" || got.ResultMessage != "Success" || got.CardId == "" {
		t.Fatalf("validated registration = %+v", got)
	}
	x.fails("PUT", "/cardregistrations/"+reg.Id, map[string]any{"RegistrationData": data}, 400, "invalid_action")
	reg2 := x.newReg(u, "")
	x.ok("PUT", "/cardregistrations/"+reg2.Id, map[string]any{"RegistrationData": data}, &got)
	if got.Status != "ERROR" || got.ResultCode != "105299" {
		t.Errorf("reused token = %+v", got)
	}
	reg3 := x.newReg(u, "")
	data3 := x.tokenize(reg3, "4970105181818183", "1239", "123")
	x.clock.advance(tokenTTL + 1e9)
	x.ok("PUT", "/cardregistrations/"+reg3.Id, map[string]any{"RegistrationData": data3}, &got)
	if got.Status != "ERROR" || got.ResultCode != "105299" {
		t.Errorf("expired token = %+v", got)
	}
	x.ok("GET", "/cardregistrations/"+reg.Id, nil, &got)
	if got.Status != "VALIDATED" {
		t.Errorf("GET registration = %+v", got)
	}
}

func TestCards(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	id := x.card(u, "EUR", "4970105181818183")
	var c mangopay.Card
	x.ok("GET", "/cards/"+id, nil, &c)
	if c.Alias != "497010XXXXXX8183" || c.Country != "FRA" || c.CardProvider != "VISA" || c.Validity != "UNKNOWN" ||
		!c.Active || c.ExpirationDate != "1240" || len(c.Fingerprint) != 32 || c.UserId != u || c.Currency != "EUR" {
		t.Errorf("card = %+v", c)
	}
	again := x.card(u, "EUR", "4970105181818183")
	other := x.card(u, "EUR", "4970107111111119")
	var c2, c3 mangopay.Card
	x.ok("GET", "/cards/"+again, nil, &c2)
	x.ok("GET", "/cards/"+other, nil, &c3)
	if c2.Fingerprint != c.Fingerprint || c3.Fingerprint == c.Fingerprint {
		t.Errorf("fingerprints %s %s %s: same number must match, other must differ", c.Fingerprint, c2.Fingerprint, c3.Fingerprint)
	}
	x.ok("PUT", "/cards/"+id, map[string]any{"CardHolderName": "Alex"}, &c)
	m := x.fails("PUT", "/cards/"+id, map[string]any{"CardHolderName": "Bob"}, 400, "param_error")
	if fieldErr(m, "cardHolderName") != "card holder name already exists" {
		t.Errorf("second holder name: %v", m)
	}
	x.ok("PUT", "/cards/"+id, map[string]any{"Active": false}, &c)
	if c.Active {
		t.Errorf("card still active")
	}
	m = x.fails("PUT", "/cards/"+id, map[string]any{"Active": false}, 400, "card_already_not_active")
	if m["Message"] != "The card has already been deactivated" {
		t.Errorf("second deactivation = %v", m)
	}
	var active, inactive []mangopay.Card
	x.ok("GET", "/users/"+u+"/cards?Active=true", nil, &active)
	x.ok("GET", "/users/"+u+"/cards?Active=false", nil, &inactive)
	if len(active) != 2 || len(inactive) != 1 {
		t.Errorf("active %d inactive %d, want 2 1", len(active), len(inactive))
	}
	x.fails("GET", "/cards/card_m_none", nil, 404, "ressource_not_found")
}

func TestCardProvider(t *testing.T) {
	tests := []struct{ number, cardType, want string }{
		{"4970107111111119", "CB_VISA_MASTERCARD", "VISA"},
		{"5100000000000008", "CB_VISA_MASTERCARD", "MASTERCARD"},
		{"2221000000000009", "CB_VISA_MASTERCARD", "MASTERCARD"},
		{"375989111111119", "CB_VISA_MASTERCARD", "AMEX"},
		{"3528000000000007", "CB_VISA_MASTERCARD", "JCB"},
		{"6011000000000004", "CB_VISA_MASTERCARD", "DISCOVER"},
		{"5033951000000004", "CB_VISA_MASTERCARD", "MAESTRO"},
		{"5033951000000004", "BCMC", "BCMC"},
		{"1234567812345670", "CB_VISA_MASTERCARD", "CB"},
	}
	for _, tt := range tests {
		if got := cardProvider(tt.number, tt.cardType); got != tt.want {
			t.Errorf("cardProvider(%s, %s) = %s, want %s", tt.number, tt.cardType, got, tt.want)
		}
	}
	if got := alias("375989111111119"); got != "375989XXXXX1119" {
		t.Errorf("alias = %s", got)
	}
}
