package plan

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"settle/internal/apirules"
)

// TestRecipientOf: what a bank account becomes as a Recipient, derived
// from its owner, IBAN and payouts, and each plan override winning.
func TestRecipientOf(t *testing.T) {
	addr := &Address{Line1: "Oranienburger Str 87", City: "Berlin", PostalCode: "10178", Country: "DE"}
	hq := &Address{Line1: "27 avenue Jean Jaures", City: "Toulouse", PostalCode: "31000", Country: "FR"}
	p := &Plan{Currency: "EUR",
		Users: map[string]*User{
			"john": {Key: "john", Type: "natural", FirstName: "John", LastName: "Doe", Address: addr},
			"verde": {Key: "verde", Type: "legal", Name: "Atelier Verde SAS", Address: hq,
				LegalRepresentative: &LegalRepresentative{FirstName: "Lucie", LastName: "Garnier"}},
		},
		Wallets:   map[string]*Wallet{"chf": {Key: "chf", Owner: "john", Currency: "CHF"}},
		Campaigns: map[string]*Campaign{"c": {Key: "c", Wallet: "chf", Payout: &Payout{BankAccount: "swiss"}}},
	}
	other := &Address{Line1: "1 Main Street", City: "Basel", PostalCode: "4001", Country: "CH"}
	for _, tt := range []struct {
		name string
		b    *BankAccount
		want Recipient
	}{
		{"natural owner, EUR to a SEPA IBAN", &BankAccount{Key: "de", Owner: "john", IBAN: "DE75512108001245126199"},
			Recipient{DisplayName: "John Doe EUR DE account", RecipientType: RecipientIndividual, PayoutMethodType: PayoutLocalBankTransfer,
				Currency: "EUR", Country: "DE", FirstName: "John", LastName: "Doe", Address: addr, IBAN: "DE75512108001245126199"}},
		{"legal owner: a Business named owner_name", &BankAccount{Key: "fr", Owner: "verde", IBAN: "FR7630001007941234567890185", OwnerName: "EuroCorp",
			AcceptNameMismatch: true},
			Recipient{DisplayName: "EuroCorp EUR FR account", RecipientType: RecipientBusiness, PayoutMethodType: PayoutLocalBankTransfer,
				Currency: "EUR", Country: "FR", BusinessName: "EuroCorp", Address: hq, IBAN: "FR7630001007941234567890185", AcceptNameMismatch: true}},
		{"legal owner as an Individual: its representative", &BankAccount{Key: "fr", Owner: "verde", IBAN: "FR7630001007941234567890185",
			Recipient: &RecipientSpec{Type: "individual"}},
			Recipient{DisplayName: "Lucie Garnier EUR FR account", RecipientType: RecipientIndividual, PayoutMethodType: PayoutLocalBankTransfer,
				Currency: "EUR", Country: "FR", FirstName: "Lucie", LastName: "Garnier", Address: hq, IBAN: "FR7630001007941234567890185"}},
		{"currency of the wallet paid out: CHF to a Swiss IBAN is local", &BankAccount{Key: "swiss", Owner: "john", IBAN: "CH9300762011623852957",
			OwnerName: "Jean de La Fontaine", OwnerAddress: other},
			Recipient{DisplayName: "Jean de La Fontaine CHF CH account", RecipientType: RecipientIndividual, PayoutMethodType: PayoutLocalBankTransfer,
				Currency: "CHF", Country: "CH", FirstName: "Jean de La", LastName: "Fontaine", Address: other, IBAN: "CH9300762011623852957"}},
		{"USD to a German IBAN is international", &BankAccount{Key: "de", Owner: "john", IBAN: "DE75512108001245126199",
			Recipient: &RecipientSpec{Currency: "USD", DisplayName: "John's dollars", FirstName: "Johnny", Country: "DE"}, ReregisterIfCanceled: true},
			Recipient{DisplayName: "John's dollars", RecipientType: RecipientIndividual, PayoutMethodType: PayoutInternationalBankTransfer,
				Currency: "USD", Country: "DE", FirstName: "Johnny", LastName: "Doe", Address: addr, IBAN: "DE75512108001245126199", ReregisterIfCanceled: true}},
		{"every override", &BankAccount{Key: "de", Owner: "john", IBAN: "DE75512108001245126199", Recipient: &RecipientSpec{Type: "business",
			BusinessName: "Doe Bakery", DisplayName: "Bakery", Country: "AT", Currency: "EUR", PayoutMethod: "international_bank_transfer"}},
			Recipient{DisplayName: "Bakery", RecipientType: RecipientBusiness, PayoutMethodType: PayoutInternationalBankTransfer,
				Currency: "EUR", Country: "AT", BusinessName: "Doe Bakery", Address: addr, IBAN: "DE75512108001245126199"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := p.RecipientOf(tt.b)
			got.from = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("RecipientOf() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// TestDisplayNameFits: the derived display name always fits MANGOPAY's
// DisplayName rule, whatever the holder's name.
func TestDisplayNameFits(t *testing.T) {
	for _, holder := range []string{"A", "Société Générale & Fils / Succursale d'Île-de-France, Paris", strings.Repeat("é", 300), "&&&", ""} {
		name := displayName(Recipient{RecipientType: RecipientBusiness, BusinessName: holder, Currency: "EUR", Country: "FR"})
		if msg := apirules.DisplayName.Problem(name); msg != "" {
			t.Errorf("displayName(%q) = %q: %s", holder, name, msg)
		}
		if utf8.RuneCountInString(name) > 50 || !strings.HasSuffix(name, "EUR FR account") {
			t.Errorf("displayName(%q) = %q", holder, name)
		}
	}
}
