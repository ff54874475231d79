package sandbox

import (
	"testing"

	"settle/mangopay"
)

func TestWallets(t *testing.T) {
	x := newSbx(t, Options{Currencies: []string{"EUR", "GBP"}})
	owner := x.natural("OWNER")
	w := x.obj("POST", "/wallets", map[string]any{"Owners": []string{owner}, "Description": "project", "Currency": "eur", "Tag": "t"})
	bal := w["Balance"].(map[string]any)
	if w["FundsType"] != "DEFAULT" || w["Currency"] != "EUR" || bal["Amount"] != 0.0 || bal["Currency"] != "EUR" || w["Tag"] != "t" {
		t.Errorf("wallet = %v", w)
	}
	id := w["Id"].(string)
	tests := []struct {
		name  string
		body  map[string]any
		field string
		msg   string
	}{
		{"two owners", map[string]any{"Owners": []string{owner, owner}, "Description": "d", "Currency": "EUR"}, "Owners", "Owners doesn't support multiple values for the moment"},
		{"no owner", map[string]any{"Description": "d", "Currency": "EUR"}, "Owners", "The Owners field is required."},
		{"disabled currency", map[string]any{"Owners": []string{owner}, "Description": "d", "Currency": "USD"}, "Currency", "Currency: The currency USD is not available"},
		{"no description", map[string]any{"Owners": []string{owner}, "Currency": "EUR"}, "Description", "The Description field is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", "/wallets", tt.body, 400, "param_error")
			if got := fieldErr(m, tt.field); got != tt.msg {
				t.Errorf("errors[%s] = %q, want %q", tt.field, got, tt.msg)
			}
		})
	}
	x.fails("POST", "/wallets", map[string]any{"Owners": []string{"user_m_x"}, "Description": "d", "Currency": "EUR"}, 404, "ressource_not_found")
	u := x.obj("PUT", "/wallets/"+id, map[string]any{"Description": "renamed", "Currency": "GBP", "Tag": "t2"})
	if u["Description"] != "renamed" || u["Currency"] != "EUR" || u["Tag"] != "t2" {
		t.Errorf("PUT wallet = %v", u)
	}
	var list []mangopay.Wallet
	x.ok("GET", "/users/"+owner+"/wallets", nil, &list)
	if len(list) != 1 || list[0].Id != id || list[0].Description != "renamed" {
		t.Errorf("user wallets = %+v", list)
	}
	x.fails("GET", "/wallets/wlt_m_missing", nil, 404, "ressource_not_found")
	x.fails("GET", "/users/user_m_missing/wallets", nil, 404, "ressource_not_found")
}

func TestClientWallets(t *testing.T) {
	// One currency, so that the platform's wallets are CREDIT_EUR and FEES_EUR.
	x := newSbx(t, Options{Currencies: []string{"EUR"}})
	fees := x.obj("GET", "/clients/wallets/fees/eur", nil)
	if fees["Id"] != "FEES_EUR" || fees["FundsType"] != "FEES" || fees["Owners"] != nil || fees["Description"] != nil {
		t.Errorf("FEES_EUR = %v", fees)
	}
	x.obj("GET", "/clients/wallets/CREDIT/EUR", nil)
	var all, feesOnly []mangopay.Wallet
	x.ok("GET", "/clients/wallets/", nil, &all)
	x.ok("GET", "/clients/wallets/FEES", nil, &feesOnly)
	if len(all) != 2 || len(feesOnly) != 1 || feesOnly[0].Id != "FEES_EUR" {
		t.Errorf("client wallets = %+v, FEES = %+v", all, feesOnly)
	}
	x.fails("GET", "/clients/wallets/OTHER/EUR", nil, 400, "param_error")
	x.fails("GET", "/clients/wallets/FEES/XYZ", nil, 404, "ressource_not_found")
	var txs []mangopay.Transaction
	x.ok("GET", "/clients/wallets/FEES/EUR/transactions", nil, &txs)
	if len(txs) != 0 {
		t.Errorf("FEES transactions = %v, want none (fees are not transactions)", txs)
	}
	w := x.obj("GET", "/wallets/FEES_EUR", nil)
	if w["Id"] != "FEES_EUR" {
		t.Errorf("GET /wallets/FEES_EUR = %v", w)
	}
}

func TestBankAccounts(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("OWNER")
	b := x.obj("POST", "/users/"+u+"/bankaccounts/iban", with(ibanBody(), "Type", "OTHER", "IBAN", "fr76 3000 4000 0312 3456 7890 143"))
	if b["Type"] != "IBAN" || b["Active"] != true || b["IBAN"] != "FR7630004000031234567890143" || b["UserId"] != u || b["BIC"] != "BNPAFRPP" {
		t.Errorf("bank account = %v", b)
	}
	x.obj("POST", "/users/"+u+"/bankaccounts/IBAN", with(ibanBody(), "BIC", nil))
	x.obj("POST", "/users/"+u+"/bankaccounts", with(ibanBody(), "Type", "IBAN"))
	tests := []struct {
		name, path string
		body       map[string]any
		field, msg string
	}{
		{"bad checksum", "/iban", with(ibanBody(), "IBAN", "FR7630004000031234567890144"), "IBAN", "The value is not a valid IBAN"},
		{"bad length", "/iban", with(ibanBody(), "IBAN", "FR763000400003123456789014"), "IBAN", "The value is not a valid IBAN"},
		{"bad BIC", "/iban", with(ibanBody(), "BIC", "BNP"), "BIC", "The value is not a valid BIC"},
		{"no owner", "/iban", with(ibanBody(), "OwnerName", nil), "OwnerName", "The OwnerName field is required."},
		{"no address", "/iban", with(ibanBody(), "OwnerAddress", nil), "OwnerAddress", "The OwnerAddress field is required."},
		{"typed without type", "", ibanBody(), "Type", "The Type field is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", "/users/"+u+"/bankaccounts"+tt.path, tt.body, 400, "param_error")
			if got := fieldErr(m, tt.field); got != tt.msg {
				t.Errorf("errors[%s] = %q, want %q", tt.field, got, tt.msg)
			}
		})
	}
	id := b["Id"].(string)
	off := x.obj("PUT", "/users/"+u+"/bankaccounts/"+id, map[string]any{"Active": false})
	if off["Active"] != false {
		t.Errorf("deactivated = %v", off)
	}
	x.fails("PUT", "/users/"+u+"/bankaccounts/"+id, map[string]any{"Active": true}, 400, "invalid_action")
	var active, inactive, all []mangopay.BankAccount
	x.ok("GET", "/users/"+u+"/bankaccounts?Active=true", nil, &active)
	x.ok("GET", "/users/"+u+"/bankaccounts?active=FALSE", nil, &inactive)
	x.ok("GET", "/users/"+u+"/bankaccounts", nil, &all)
	if len(active) != 2 || len(inactive) != 1 || len(all) != 3 {
		t.Errorf("lists: active %d inactive %d all %d, want 2 1 3", len(active), len(inactive), len(all))
	}
	got := x.obj("GET", "/users/"+u+"/bankaccounts/"+id, nil)
	if got["Active"] != false {
		t.Errorf("GET = %v", got)
	}
	other := x.natural("OWNER")
	x.fails("GET", "/users/"+other+"/bankaccounts/"+id, nil, 404, "ressource_not_found")
}

func TestValidIBAN(t *testing.T) {
	for iban, want := range map[string]bool{
		"FR7630004000031234567890143": true, "FR7611808009101234567890147": true, "DE89370400440532013000": true,
		"GB82WEST12345698765432": true, "FR541558929750ZZZZZZAC01915": true, "XX00": false, "FR76300040000312345678901": false,
	} {
		if got := validIBAN(iban); got != want {
			t.Errorf("validIBAN(%s) = %v, want %v", iban, got, want)
		}
	}
}
