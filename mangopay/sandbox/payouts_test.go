package sandbox

import (
	"testing"
	"time"

	"settle/mangopay"
)

// projectWith is an OWNER's wallet holding amount, moved in from a PAYER.
func (x *sbx) projectWith(amount int64) (owner, wallet string) {
	x.t.Helper()
	payer, wc, _, _ := x.fundedPayer(amount)
	owner = x.natural("OWNER")
	wallet = x.wallet(owner, "EUR")
	x.ok("POST", "/transfers", transferBody(payer, wc, wallet, amount, 0), nil)
	return owner, wallet
}

func payoutBody(author, wallet, bank string, amount, fees int64) map[string]any {
	return map[string]any{"AuthorId": author, "DebitedWalletId": wallet, "BankAccountId": bank,
		"DebitedFunds": money(amount), "Fees": money(fees), "BankWireRef": "Example123", "PaymentType": "BANK_WIRE"}
}

func TestPayoutLifecycle(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	owner, w := x.projectWith(10000)
	x.regular(owner)
	ba := x.bank(owner)
	m := x.obj("POST", "/payouts/bankwire/", with(payoutBody(owner, w, ba, 6000, 100), "PayoutModeRequested", "STANDARD"))
	want := map[string]any{"Status": "CREATED", "ResultCode": nil, "ExecutionDate": nil, "Type": "PAYOUT", "Nature": "REGULAR",
		"PaymentType": "BANK_WIRE", "ModeApplied": "PENDING_RESPONSE", "ModeRequested": "STANDARD", "CreditedWalletId": nil,
		"BankWireRef": "Example123", "PaymentRef": nil, "FallbackReason": nil, "DebitedWalletId": w, "BankAccountId": ba}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if e2e, _ := m["EndToEndId"].(string); len(e2e) != 32 {
		t.Errorf("EndToEndId = %v", m["EndToEndId"])
	}
	id := m["Id"].(string)
	if x.balance(w) != 10000 {
		t.Errorf("balance while CREATED = %d, want 10000 (no reservation)", x.balance(w))
	}
	x.s.mu.Lock()
	n := x.s.processPayouts(x.s.now())
	x.s.mu.Unlock()
	var po mangopay.PayOut
	x.ok("GET", "/payouts/bankwire/"+id, nil, &po)
	if n != 1 || po.Status != "SUCCEEDED" || po.ResultCode != "000000" || po.ExecutionDate == nil {
		t.Errorf("processed %d; payout = %+v", n, po.Transaction)
	}
	if x.balance(w) != 4000 || x.balance("FEES_EUR") != 100 {
		t.Errorf("balances %d / %d, want 4000 / 100", x.balance(w), x.balance("FEES_EUR"))
	}
	var txs []mangopay.Transaction
	x.ok("GET", "/bankaccounts/"+ba+"/transactions", nil, &txs)
	if len(txs) != 1 || txs[0].Id != id {
		t.Errorf("bank account transactions = %+v", txs)
	}
	x.ok("GET", "/users/"+owner+"/bankaccounts/"+ba+"/transactions", nil, &txs)
	if len(txs) != 1 || txs[0].Id != id {
		t.Errorf("owner's bank account transactions = %+v", txs)
	}
	x.fails("GET", "/users/"+x.natural("PAYER")+"/bankaccounts/"+ba+"/transactions", nil, 404, "ressource_not_found")
	x.fails("GET", "/payouts/po_m_none", nil, 404, "ressource_not_found")
	var refunds []mangopay.Refund
	x.ok("GET", "/payouts/"+id+"/refunds", nil, &refunds)
	if len(refunds) != 0 {
		t.Errorf("payout refunds = %v", refunds)
	}
	x.checkLedger()
}

func TestPayoutFailures(t *testing.T) {
	x := newSbx(t, Options{})
	owner, w := x.projectWith(10000)
	x.regular(owner)
	ba := x.bank(owner)
	light, lw := x.projectWith(1000)
	lba := x.bank(light)
	payer, pw, _, _ := x.fundedPayer(1000)
	pba := x.bank(payer)
	dead := x.bank(owner)
	x.ok("PUT", "/users/"+owner+"/bankaccounts/"+dead, map[string]any{"Active": false}, nil)
	tests := []struct {
		name                 string
		author, wallet, bank string
		amount               int64
		code                 string
	}{
		{"short funds", owner, w, ba, 20000, "001001"},
		{"not KYC regular", light, lw, lba, 100, "002998"},
		{"inactive account", owner, w, dead, 100, "121006"},
		{"payer wallet", payer, pw, pba, 100, "002701"},
		{"author not owner", light, w, ba, 100, "121002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var po mangopay.PayOut
			x.ok("POST", "/payouts/bankwire", payoutBody(tt.author, tt.wallet, tt.bank, tt.amount, 0), &po)
			if po.Status != "CREATED" {
				t.Fatalf("POST answered %s, want CREATED", po.Status)
			}
			x.ok("GET", "/payouts/"+po.Id, nil, &po)
			if po.Status != "FAILED" || string(po.ResultCode) != tt.code || po.ExecutionDate != nil {
				t.Errorf("payout = %s %s, want FAILED %s", po.Status, po.ResultCode, tt.code)
			}
		})
	}
	if x.balance(w) != 10000 || x.balance(lw) != 1000 || x.balance(pw) != 1000 {
		t.Errorf("failed payouts moved money")
	}
	x.fails("POST", "/payouts/bankwire", with(payoutBody(owner, w, ba, 100, 0), "BankAccountId", "ba_m_none"), 404, "ressource_not_found")
	m := x.fails("POST", "/payouts/bankwire", with(payoutBody(owner, w, ba, 100, 0), "PayoutModeRequested", "INSTANT_PAYMENT_ONLY"), 400, "param_error")
	if fieldErr(m, "PayoutModeRequested") != "InstantPayment is disabled" {
		t.Errorf("instant = %v", m)
	}
	x.fails("POST", "/payouts/bankwire", with(payoutBody(owner, w, ba, 100, 0), "DebitedFunds", map[string]any{"Currency": "GBP", "Amount": 1}), 400, "currency_incompatibility")
	x.checkLedger()
}

func TestPayoutDelay(t *testing.T) {
	x := newSbx(t, Options{PayoutDelay: 10 * time.Minute})
	owner, w := x.projectWith(1000)
	x.regular(owner)
	ba := x.bank(owner)
	var po mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, w, ba, 500, 0), &po)
	x.clock.advance(9 * time.Minute)
	x.ok("GET", "/payouts/"+po.Id, nil, &po)
	if po.Status != "CREATED" {
		t.Errorf("before the delay: %s", po.Status)
	}
	x.clock.advance(time.Minute)
	x.ok("GET", "/payouts/"+po.Id, nil, &po)
	if po.Status != "SUCCEEDED" {
		t.Errorf("after the delay: %s", po.Status)
	}
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=PAYOUT_NORMAL_CREATED&EventType=payout_normal_succeeded", nil, &events)
	if len(events) != 2 {
		t.Errorf("payout events = %+v", events)
	}
}

// TestPayoutKYCCodes: a payout needs both the bank account owner and the
// debited user KYC REGULAR; the account owner is checked first (002998),
// then the debited user (002999).
func TestPayoutKYCCodes(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	regOwner, regW := x.projectWith(10000)
	x.regular(regOwner)
	regBank := x.bank(regOwner)
	lightOwner, lightW := x.projectWith(10000)
	lightBank := x.bank(lightOwner)
	otherLight := x.natural("OWNER")
	otherLightBank := x.bank(otherLight)
	otherReg := x.natural("OWNER")
	x.regular(otherReg)
	otherRegBank := x.bank(otherReg)
	tests := []struct {
		name           string
		author, wallet string
		bank           string
		status, code   string
	}{
		{"one user, not REGULAR", lightOwner, lightW, lightBank, "FAILED", "002998"},
		{"debited user REGULAR, account owner not", regOwner, regW, otherLightBank, "FAILED", "002998"},
		{"both not REGULAR", lightOwner, lightW, otherLightBank, "FAILED", "002998"},
		{"account owner REGULAR, debited user not", lightOwner, lightW, otherRegBank, "FAILED", "002999"},
		{"both REGULAR, different users", regOwner, regW, otherRegBank, "SUCCEEDED", "000000"},
		{"one user, REGULAR", regOwner, regW, regBank, "SUCCEEDED", "000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var po mangopay.PayOut
			x.ok("POST", "/payouts/bankwire", payoutBody(tt.author, tt.wallet, tt.bank, 1000, 10), &po)
			x.s.mu.Lock()
			x.s.processPayouts(x.s.now())
			x.s.mu.Unlock()
			x.ok("GET", "/payouts/"+po.Id, nil, &po)
			if po.Status != tt.status || string(po.ResultCode) != tt.code || po.ResultMessage == "" {
				t.Errorf("payout = %s %s %q, want %s %s", po.Status, po.ResultCode, po.ResultMessage, tt.status, tt.code)
			}
		})
	}
	if got := x.balance(lightW); got != 10000 {
		t.Errorf("balance of the refused wallet = %d, want 10000", got)
	}
	if got := x.balance(regW); got != 8000 {
		t.Errorf("balance of the paid-out wallet = %d, want 8000", got)
	}
	x.checkLedger()
}
