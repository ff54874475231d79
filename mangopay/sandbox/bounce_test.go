package sandbox

import (
	"encoding/json"
	"strings"
	"testing"

	"settle/mangopay"
)

// paidOut is a SUCCEEDED payout of 6000 (fees 100) from an OWNER's wallet
// holding 10000.
func (x *sbx) paidOut() (owner, wallet, bank string, po mangopay.PayOut) {
	x.t.Helper()
	owner, wallet = x.projectWith(10000)
	x.regular(owner)
	bank = x.bank(owner)
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, wallet, bank, 6000, 100), &po)
	x.s.mu.Lock()
	x.s.processPayouts(x.s.now())
	x.s.mu.Unlock()
	x.ok("GET", "/payouts/"+po.Id, nil, &po)
	if po.Status != "SUCCEEDED" {
		x.t.Fatalf("payout %s %s", po.Status, po.ResultCode)
	}
	return owner, wallet, bank, po
}

// bounce calls POST /sandbox/payouts/{id}/bounce and decodes the body.
func (x *sbx) bounce(id, query string) (int, map[string]any) {
	x.t.Helper()
	status, body := x.adminPost("/sandbox/payouts/" + id + "/bounce" + query)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		x.t.Fatalf("bounce body %s: %v", body, err)
	}
	return status, m
}

func TestPayoutBounce(t *testing.T) {
	for _, reason := range []string{"BANKACCOUNT_INCORRECT", "bankaccount_has_been_closed",
		"OWNER_DO_NOT_MATCH_BANKACCOUNT", "WITHDRAWAL_IMPOSSIBLE_ON_SAVINGS_ACCOUNTS", ""} {
		t.Run("reason "+reason, func(t *testing.T) {
			x := newSbx(t, Options{ManualPayouts: true})
			owner, wallet, _, po := x.paidOut()
			status, m := x.bounce(po.Id, "?reason="+reason)
			if status != 200 {
				t.Fatalf("bounce = %d %v", status, m)
			}
			wantReason := strings.ToUpper(reason)
			if wantReason == "" {
				wantReason = "BANKACCOUNT_INCORRECT"
			}
			want := map[string]any{"Status": "SUCCEEDED", "ResultCode": "000000", "Type": "PAYIN", "Nature": "REFUND",
				"InitialTransactionId": po.Id, "InitialTransactionType": "PAYOUT", "InitialTransactionNature": "REGULAR",
				"AuthorId": owner, "CreditedUserId": owner, "CreditedWalletId": wallet, "DebitedWalletId": nil}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s = %#v, want %#v", k, m[k], v)
				}
			}
			if rr := m["RefundReason"].(map[string]any); rr["RefundReasonType"] != wantReason || rr["RefundReasonMessage"] != nil {
				t.Errorf("RefundReason = %v", rr)
			}
			var rf mangopay.Refund
			x.ok("GET", "/refunds/"+m["Id"].(string), nil, &rf)
			if rf.DebitedFunds.Amount != 5900 || rf.CreditedFunds.Amount != 5900 || rf.Fees.Amount != 0 || rf.ExecutionDate == nil {
				t.Errorf("refund amounts %+v", rf.Transaction)
			}
			x.checkBounced(po, wallet, rf.Id)
		})
	}
}

// checkBounced wants the payout still SUCCEEDED, its refund listed, the
// money back in the wallet (fees stay in FEES), the events and the ledger.
func (x *sbx) checkBounced(po mangopay.PayOut, wallet, refundID string) {
	x.t.Helper()
	var after mangopay.PayOut
	x.ok("GET", "/payouts/"+po.Id, nil, &after)
	if after.Status != "SUCCEEDED" {
		x.t.Errorf("payout after the bounce = %s", after.Status)
	}
	var list []mangopay.Refund
	x.ok("GET", "/payouts/"+po.Id+"/refunds?Status=SUCCEEDED", nil, &list)
	if len(list) != 1 || list[0].Id != refundID {
		x.t.Errorf("payout refunds = %+v", list)
	}
	if got, fees := x.balance(wallet), x.balance("FEES_EUR"); got != 4000+5900 || fees != 100 {
		x.t.Errorf("wallet %d, FEES %d; want 9900, 100", got, fees)
	}
	var txs []mangopay.Transaction
	x.ok("GET", "/wallets/"+wallet+"/transactions?Type=PAYIN&Nature=REFUND", nil, &txs)
	if len(txs) != 1 || txs[0].Id != refundID {
		x.t.Errorf("wallet refund transactions = %+v", txs)
	}
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=PAYOUT_REFUND_CREATED,PAYOUT_REFUND_SUCCEEDED", nil, &events)
	if len(events) != 2 || events[0].ResourceId != refundID || events[1].ResourceId != refundID {
		x.t.Errorf("events = %+v", events)
	}
	x.checkLedger()
}

func TestPayoutBounceErrors(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	owner, wallet, bank, po := x.paidOut()
	var pending mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, wallet, bank, 100, 0), &pending)
	tests := []struct {
		name, id, query string
		status          int
		typ, field      string
	}{
		{"unknown reason", po.Id, "?reason=OTHER", 400, "param_error", "reason"},
		{"unknown payout", "po_m_none", "", 404, "ressource_not_found", "ResourceNotFound"},
		{"payout not SUCCEEDED", pending.Id, "", 400, "original_transaction_must_be_succeeded", ""},
		{"first bounce", po.Id, "?reason=BANKACCOUNT_HAS_BEEN_CLOSED", 200, "", ""},
		{"second bounce", po.Id, "", 400, "invalid_action", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := x.bounce(tt.id, tt.query)
			if status != tt.status || (tt.typ != "" && m["Type"] != tt.typ) || (tt.field != "" && fieldErr(m, tt.field) == "") {
				t.Errorf("bounce = %d %v, want %d %s %s", status, m, tt.status, tt.typ, tt.field)
			}
		})
	}
	var list []mangopay.Refund
	x.ok("GET", "/payouts/"+po.Id+"/refunds", nil, &list)
	if len(list) != 1 {
		t.Errorf("payout refunds = %d, want 1", len(list))
	}
	x.checkLedger()
}

// TestCheckLedgerPayoutRefunds: CheckLedger counts payout refunds as money
// back in, and notices a payout refund without its ledger entry.
func TestCheckLedgerPayoutRefunds(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	_, _, _, po := x.paidOut()
	status, m := x.bounce(po.Id, "")
	if status != 200 {
		t.Fatalf("bounce = %d %v", status, m)
	}
	x.checkLedger()
	x.s.mu.Lock()
	r := x.s.st.refunds.m[m["Id"].(string)]
	r.R.CreditedFunds.Amount++
	x.s.mu.Unlock()
	if err := x.s.CheckLedger(); err == nil || !strings.Contains(err.Error(), "payout refunds") {
		t.Errorf("CheckLedger() with a spoiled payout refund = %v", err)
	}
}
