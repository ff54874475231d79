package sandbox

import (
	"testing"

	"settle/mangopay"
)

// fundedPayer is a PAYER with a wallet holding amount (paid in without fees).
func (x *sbx) fundedPayer(amount int64) (user, wallet, card string, p mangopay.PayIn) {
	x.t.Helper()
	user = x.natural("PAYER")
	wallet = x.wallet(user, "EUR")
	card = x.card(user, "EUR", "4970107111111119")
	p = x.payin(user, wallet, card, amount, 0)
	return user, wallet, card, p
}

func TestTransfers(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, _, _ := x.fundedPayer(5000)
	owner := x.natural("OWNER")
	wp := x.wallet(owner, "EUR")
	m := x.obj("POST", "/transfers", with(transferBody(payer, wc, wp, 1000, 100), "CreditedUserId", nil, "Tag", "t"))
	want := map[string]any{"Status": "SUCCEEDED", "ResultCode": "000000", "ResultMessage": "Success", "Type": "TRANSFER",
		"Nature": "REGULAR", "CreditedUserId": owner, "AuthorId": payer, "DebitedWalletId": wc, "CreditedWalletId": wp,
		"ScaContext": nil, "PendingUserAction": nil, "Tag": "t"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if m["ExecutionDate"] == nil || m["CreditedFunds"].(map[string]any)["Amount"] != 900.0 {
		t.Errorf("transfer = %v", m)
	}
	if x.balance(wc) != 4000 || x.balance(wp) != 900 || x.balance("FEES_EUR") != 100 {
		t.Errorf("balances %d %d %d", x.balance(wc), x.balance(wp), x.balance("FEES_EUR"))
	}
	got := x.obj("GET", "/transfers/"+m["Id"].(string), nil)
	if got["Status"] != "SUCCEEDED" {
		t.Errorf("GET transfer = %v", got)
	}

	other := x.natural("PAYER")
	wo := x.wallet(other, "EUR")
	wc2 := x.wallet(payer, "EUR")
	tests := []struct {
		name               string
		author, from, to   string
		amount, fees       int64
		code, message      string
		fromAfter, toAfter int64
	}{
		{"short balance", payer, wc, wp, 999999, 0, "001001", "Unsufficient wallet balance", 4000, 900},
		{"payer credited by another user", payer, wc, wo, 100, 0, "002701", "", 4000, 0},
		{"same wallet", payer, wc, wc, 100, 0, "101108", "", 4000, 4000},
		{"fees above amount", payer, wc, wp, 100, 200, "001014", "", 4000, 900},
		{"own wallets", payer, wc, wc2, 500, 0, "000000", "Success", 3500, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr mangopay.Transfer
			x.ok("POST", "/transfers", transferBody(tt.author, tt.from, tt.to, tt.amount, tt.fees), &tr)
			if string(tr.ResultCode) != tt.code || (tt.message != "" && string(tr.ResultMessage) != tt.message) {
				t.Errorf("transfer = %s %s %q", tr.Status, tr.ResultCode, tr.ResultMessage)
			}
			if tt.code != "000000" && (tr.Status != "FAILED" || tr.ExecutionDate != nil || tr.CreditedFunds.Amount != tt.amount-tt.fees) {
				t.Errorf("failed transfer = %+v", tr.Transaction)
			}
			if x.balance(tt.from) != tt.fromAfter || x.balance(tt.to) != tt.toAfter {
				t.Errorf("balances = %d %d, want %d %d", x.balance(tt.from), x.balance(tt.to), tt.fromAfter, tt.toAfter)
			}
		})
	}
	m = x.fails("POST", "/transfers", transferBody(owner, wc, wp, 100, 0), 400, "param_error")
	if m["Message"] != "Author should be the Debited wallet owner" || m["errors"] != nil {
		t.Errorf("author body = %v", m)
	}
	gbp := x.wallet(owner, "GBP")
	m = x.fails("POST", "/transfers", transferBody(payer, wc, gbp, 100, 0), 400, "currency_incompatibility")
	if fieldErr(m, "currency") != "The Debited Wallet's currency EUR and the Credited Wallet's currency GBP must be the same" {
		t.Errorf("currency body = %v", m)
	}
	m = x.fails("POST", "/transfers", with(transferBody(payer, wc, wp, 100, 0), "Fees", nil), 400, "param_error")
	if fieldErr(m, "Fees") != "The Fees field is required." {
		t.Errorf("missing Fees = %v", m)
	}
	x.fails("POST", "/transfers", transferBody(payer, wc, "wlt_m_none", 100, 0), 404, "ressource_not_found")
	x.fails("GET", "/transfers/xfer_m_none", nil, 404, "ressource_not_found")
	x.checkLedger()
}
