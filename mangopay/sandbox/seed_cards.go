package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"

	"settle/mangopay"
)

// SeedCardNumber is a test card number, given as a string or, from an
// unquoted YAML number, as a JSON number.
type SeedCardNumber string

// UnmarshalJSON accepts "4970107111111119" and 4970107111111119.
func (n *SeedCardNumber) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*n = SeedCardNumber(strings.TrimSpace(s))
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("card number: want digits, got %s", b)
	}
	*n = SeedCardNumber(num.String())
	return nil
}

// SeedCard is a seeded card, registered through a card registration and
// the sandbox's tokenizer. Expiry is MM/YY (default: December, five years
// ahead), cvx defaults to 123, currency to the document's.
type SeedCard struct {
	User     string         `json:"user"`
	Number   SeedCardNumber `json:"number"`
	Expiry   string         `json:"expiry,omitempty"`
	CVX      string         `json:"cvx,omitempty"`
	Currency string         `json:"currency,omitempty"`
}

// cardObj is a seeded card: POST /cardregistrations, tokenization, PUT.
func (sd *seeder) cardObj(id string, k SeedCard) seedObj {
	old, exists := sd.s.st.cards.get(id)
	cur := sd.currency(k.Currency)
	return seedObj{kind: "card", id: id, exists: exists,
		check: func(f fieldErrs) {
			sd.checkUser(f, "user", k.User)
			if !luhn(string(k.Number)) {
				f.add("number", fmt.Sprintf("%q is not a valid card number", k.Number))
			}
			checkCurrency(f, cur)
		},
		diff: func(d *diffs) {
			d.str("UserId", k.User, old.C.UserId)
			d.str("Number", string(k.Number), old.Number)
			d.str("Currency", cur, old.C.Currency)
			d.str("ExpirationDate", strings.ReplaceAll(k.Expiry, "/", ""), old.C.ExpirationDate)
			d.str("CVX", k.CVX, old.CVV)
		},
		create: func(sd *seeder) *apiError {
			_, e := sd.registerCard(k.User, cur, string(k.Number), k.Expiry, k.CVX, id)
			return e
		},
	}
}

// registerCard registers a card for user the way a browser and the API do
// it: a registration, the tokenizer's answer, the registration finished.
// pinID is the card's fixed Id ("" for a fresh one).
func (sd *seeder) registerCard(user, cur, number, expiry, cvx, pinID string) (string, *apiError) {
	var reg mangopay.CardRegistration
	if e := sd.create(sd.s.createCardReg, nil, "", "", &mangopay.CardRegistrationCreateParams{UserId: user, Currency: cur}, &reg); e != nil {
		return "", e
	}
	if expiry == "" {
		expiry = fmt.Sprintf("12%02d", (sd.now.Year()+5)%100)
	}
	if cvx == "" {
		cvx = "123"
	}
	rec, _ := sd.s.st.cardRegs.get(reg.Id)
	answer := sd.s.tokenize(sd.now, rec.URLToken, map[string][]string{"data": {reg.PreregistrationData},
		"accessKeyRef": {reg.AccessKey}, "cardNumber": {number}, "cardExpirationDate": {strings.ReplaceAll(expiry, "/", "")},
		"cardCvx": {cvx}})
	if code, refused := strings.CutPrefix(answer, "errorCode="); refused {
		msg := "the tokenizer refused the card (" + code + ")"
		if m, ok := regErrors[code]; ok {
			msg = m[1]
		}
		return "", errField("card", msg)
	}
	pinPrefix := ""
	if pinID != "" {
		pinPrefix = "card_m_"
	}
	var done mangopay.CardRegistration
	e := sd.create(sd.s.updateCardReg, map[string]string{"id": reg.Id}, pinPrefix, pinID,
		&mangopay.CardRegistrationUpdateParams{RegistrationData: answer}, &done)
	if e != nil {
		return "", e
	}
	if done.Status != "VALIDATED" {
		return "", errField("card", fmt.Sprintf("card registration %s: %s %s", done.Status, done.ResultCode, done.ResultMessage))
	}
	return string(done.CardId), nil
}

// seedCardInfo is what a pay-in needs to know of its card.
type seedCardInfo struct {
	user, number, cvv, currency string
	active                      bool
}

// cardInfo describes an existing or seeded card.
func (sd *seeder) cardInfo(id string) (seedCardInfo, bool) {
	if k, found := sd.s.st.cards.get(id); found {
		return seedCardInfo{user: k.C.UserId, number: k.Number, cvv: k.CVV, currency: k.C.Currency, active: k.C.Active}, true
	}
	if k, found := sd.doc.Cards[id]; found {
		return seedCardInfo{user: k.User, number: string(k.Number), cvv: k.CVX, currency: sd.currency(k.Currency), active: true}, true
	}
	return seedCardInfo{}, false
}
