package sandbox

import (
	"testing"
	"time"

	"settle/mangopay"
)

// refundSetup: a PAYER paid in 10000 (fees 1000) and transferred 9000
// (fees 500) to an OWNER's project wallet.
func refundSetup(x *sbx) (payer, wc, wp string, p mangopay.PayIn, tr mangopay.Transfer) {
	payer = x.natural("PAYER")
	wc = x.wallet(payer, "EUR")
	card := x.card(payer, "EUR", "4970107111111119")
	p = x.payin(payer, wc, card, 10000, 1000)
	owner := x.natural("OWNER")
	wp = x.wallet(owner, "EUR")
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 9000, 500), &tr)
	return payer, wc, wp, p, tr
}

func TestTransferRefund(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, wp, _, tr := refundSetup(x)
	path := "/transfers/" + tr.Id + "/refunds"
	m := x.obj("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(3000), "Fees": money(-100), "Tag": "r"})
	want := map[string]any{"Type": "TRANSFER", "Nature": "REFUND", "Status": "SUCCEEDED", "InitialTransactionId": tr.Id,
		"InitialTransactionType": "TRANSFER", "InitialTransactionNature": "REGULAR", "DebitedWalletId": wp,
		"CreditedWalletId": wc, "CreditedUserId": nil, "AuthorId": payer, "Tag": "r"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if rr := m["RefundReason"].(map[string]any); rr["RefundReasonType"] != "OTHER" {
		t.Errorf("RefundReason = %v", rr)
	}
	if m["CreditedFunds"].(map[string]any)["Amount"] != 3100.0 {
		t.Errorf("CreditedFunds = %v", m["CreditedFunds"])
	}
	if x.balance(wp) != 5500 || x.balance(wc) != 3100 || x.balance("FEES_EUR") != 1400 {
		t.Errorf("balances wp %d wc %d fees %d, want 5500 3100 1400", x.balance(wp), x.balance(wc), x.balance("FEES_EUR"))
	}
	tests := []struct {
		name  string
		body  map[string]any
		field string
		msg   string
	}{
		{"only debited", map[string]any{"AuthorId": payer, "DebitedFunds": money(10)}, "Fees", "if DebitedFunds are defined, Fees must be defined"},
		{"only fees", map[string]any{"AuthorId": payer, "Fees": money(0)}, "DebitedFunds", "if Fees are defined, DebitedFunds must be defined"},
		{"over the cap", map[string]any{"AuthorId": payer, "DebitedFunds": money(5501), "Fees": money(0)}, "DebitedFunds", "DebitedFunds cannot be higher than CreditedFunds of the initial transfer"},
		{"fees over the cap", map[string]any{"AuthorId": payer, "DebitedFunds": money(10), "Fees": money(-401)}, "Fees", ""},
		{"wrong author", map[string]any{"AuthorId": tr.CreditedUserId}, "AuthorId", "Author of the refund is not the author of the initial transfer"},
		{"no author", map[string]any{}, "AuthorId", "The AuthorId field is required."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.fails("POST", path, tt.body, 400, "param_error")
			if got := fieldErr(m, tt.field); got == "" || (tt.msg != "" && got != tt.msg) {
				t.Errorf("errors[%s] = %q, want %q", tt.field, got, tt.msg)
			}
		})
	}
	full := x.obj("POST", path, map[string]any{"AuthorId": payer})
	if full["DebitedFunds"].(map[string]any)["Amount"] != 5500.0 || full["Fees"].(map[string]any)["Amount"] != -400.0 {
		t.Errorf("full refund of the rest = %v", full)
	}
	m = x.fails("POST", path, map[string]any{"AuthorId": payer}, 400, "param_error")
	if fieldErr(m, "TransferId") != "Original transaction has already been successfully refunded" {
		t.Errorf("second full refund = %v", m)
	}
	if x.balance(wc) != 9000 || x.balance(wp) != 0 || x.balance("FEES_EUR") != 1000 {
		t.Errorf("after full refund: wc %d wp %d fees %d", x.balance(wc), x.balance(wp), x.balance("FEES_EUR"))
	}
	var list []mangopay.Refund
	x.ok("GET", path+"?Status=SUCCEEDED", nil, &list)
	if len(list) != 2 {
		t.Errorf("refund list = %d items, want 2", len(list))
	}
	got := x.obj("GET", "/refunds/"+full["Id"].(string), nil)
	if got["Id"] != full["Id"] {
		t.Errorf("GET refund = %v", got)
	}
	x.fails("GET", "/refunds/refund_m_none", nil, 404, "ressource_not_found")
	x.fails("POST", "/transfers/xfer_m_none/refunds", map[string]any{"AuthorId": payer}, 404, "ressource_not_found")
	x.checkLedger()
}

func TestTransferRefundShortWallet(t *testing.T) {
	x := newSbx(t, Options{})
	payer, _, wp, _, tr := refundSetup(x)
	owner := string(tr.CreditedUserId)
	other := x.wallet(owner, "EUR")
	x.ok("POST", "/transfers", transferBody(owner, wp, other, 8000, 0), nil)
	var rf mangopay.Refund
	x.ok("POST", "/transfers/"+tr.Id+"/refunds", map[string]any{"AuthorId": payer}, &rf)
	if rf.Status != "FAILED" || rf.ResultCode != "001001" {
		t.Errorf("refund from a short wallet = %+v", rf.Transaction)
	}
}

func TestPayinRefund(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, _, p, _ := refundSetup(x)
	path := "/payins/" + p.Id + "/refunds"
	// wc holds 0 after the transfer: a refund fails 001001.
	var rf mangopay.Refund
	x.ok("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(100), "Fees": money(0)}, &rf)
	if rf.Status != "FAILED" || rf.ResultCode != "001001" {
		t.Errorf("short refund = %+v", rf.Transaction)
	}
	card := p.CardId
	x.payin(payer, wc, card, 5000, 0)
	m := x.obj("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(2500), "Fees": money(-250)})
	want := map[string]any{"Type": "PAYOUT", "Nature": "REFUND", "Status": "SUCCEEDED", "InitialTransactionType": "PAYIN",
		"InitialTransactionNature": "REGULAR", "InitialTransactionId": p.Id, "DebitedWalletId": wc,
		"CreditedWalletId": nil, "CreditedUserId": nil}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	if rr := m["RefundReason"].(map[string]any); rr["RefundReasonType"] != "INITIALIZED_BY_CLIENT" {
		t.Errorf("RefundReason = %v", rr)
	}
	if m["CreditedFunds"].(map[string]any)["Amount"] != 2750.0 || x.balance(wc) != 2500 || x.balance("FEES_EUR") != 1250 {
		t.Errorf("refund %v; wc %d fees %d", m["CreditedFunds"], x.balance(wc), x.balance("FEES_EUR"))
	}
	x.ok("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(2500), "Fees": money(0)}, &rf)
	if rf.Status != "FAILED" || rf.ResultCode != "005407" {
		t.Errorf("same amount the same day = %+v", rf.Transaction)
	}
	x.ok("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(10), "Fees": money(-900)}, &rf)
	if rf.Status != "FAILED" || rf.ResultCode != "005404" {
		t.Errorf("fees above the initial = %+v", rf.Transaction)
	}
	x.clock.advance(25 * time.Hour)
	x.ok("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(2500), "Fees": money(0)}, &rf)
	if rf.Status != "SUCCEEDED" {
		t.Errorf("same amount a day later = %+v", rf.Transaction)
	}
	x.ok("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(4001), "Fees": money(0)}, &rf)
	if rf.Status != "FAILED" || rf.ResultCode != "005403" {
		t.Errorf("more than the 4000 left = %+v", rf.Transaction)
	}
	m = x.fails("POST", path, map[string]any{"AuthorId": payer, "DebitedFunds": money(9001), "Fees": money(0)}, 400, "param_error")
	if fieldErr(m, "DebitedFunds") != "DebitedFunds cannot be superior the CreditedFunds of the initial PayIn" {
		t.Errorf("cap = %v", m)
	}
	m = x.fails("POST", path, map[string]any{"AuthorId": string(p.CreditedUserId) + "x"}, 400, "param_error")
	if fieldErr(m, "AuthorId") != "Author of the refund is not the author of the initial payin" {
		t.Errorf("author = %v", m)
	}
	var list []mangopay.Refund
	x.ok("GET", path+"?ResultCode=000000", nil, &list)
	if len(list) != 2 {
		t.Errorf("succeeded refunds = %d, want 2", len(list))
	}
	x.checkLedger()
}

func TestPayinRefundNotSucceeded(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	card := x.card(u, "EUR", "4970107111111119")
	p := x.payin(u, w, card, 33305, 0)
	status, body := x.do("POST", "/payins/"+p.Id+"/refunds", map[string]any{"AuthorId": u})
	m := map[string]any{}
	if err := jsonDecode(body, &m); err != nil || status != 400 {
		t.Fatalf("refund of a FAILED pay-in = %d %s", status, body)
	}
	errs, ok := m["Errors"].(map[string]any)
	if m["Type"] != "original_transaction_must_be_succeeded" || !ok || len(errs) != 0 || m["errors"] != nil ||
		m["Message"] != "The original transaction must have a SUCCEEDED Status to be refunded" {
		t.Errorf("body = %s", body)
	}
	var list []mangopay.Refund
	x.ok("GET", "/payins/"+p.Id+"/refunds", nil, &list)
	if len(list) != 0 {
		t.Errorf("refunds = %v", list)
	}
	x.fails("GET", "/payins/payin_m_none/refunds", nil, 404, "ressource_not_found")
}
