package sandbox

import (
	"testing"

	"settle/mangopay"
)

// TestCrowdfundingFlow runs the flow of mangopay-api.md §18 and checks
// every balance effect.
func TestCrowdfundingFlow(t *testing.T) {
	x := newSbx(t, Options{})
	payer, owner := x.natural("PAYER"), x.natural("OWNER")
	wc, wp := x.wallet(payer, "EUR"), x.wallet(owner, "EUR")
	ba := x.bank(owner)
	x.regular(owner)
	card := x.card(payer, "EUR", "4970107111111119")

	p := x.payin(payer, wc, card, 10000, 500)
	if p.Status != "SUCCEEDED" || p.ResultCode != "000000" || p.CreditedFunds.Amount != 9500 || p.ExecutionDate == nil {
		t.Fatalf("pay-in = %+v", p.Transaction)
	}
	var tr mangopay.Transfer
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 9500, 300), &tr)
	if tr.Status != "SUCCEEDED" || string(tr.CreditedUserId) != owner || tr.CreditedFunds.Amount != 9200 {
		t.Fatalf("transfer = %+v", tr.Transaction)
	}
	if got := []int64{x.balance(wc), x.balance(wp), x.balance("FEES_EUR")}; got[0] != 0 || got[1] != 9200 || got[2] != 800 {
		t.Fatalf("balances (contributor, project, fees) = %v, want [0 9200 800]", got)
	}
	var po mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", map[string]any{"AuthorId": owner, "DebitedWalletId": wp, "BankAccountId": ba,
		"DebitedFunds": money(5000), "Fees": money(100)}, &po)
	if po.Status != "CREATED" || po.ModeApplied != "PENDING_RESPONSE" || po.EndToEndId == "" {
		t.Fatalf("payout = %+v", po)
	}
	x.ok("GET", "/payouts/"+po.Id, nil, &po)
	if po.Status != "SUCCEEDED" || po.ExecutionDate == nil {
		t.Fatalf("payout after processing = %+v", po.Transaction)
	}
	var rf mangopay.Refund
	x.ok("POST", "/transfers/"+tr.Id+"/refunds", map[string]any{"AuthorId": payer, "DebitedFunds": money(4100), "Fees": money(-300)}, &rf)
	if rf.Status != "SUCCEEDED" || rf.DebitedFunds.Amount != 4100 || rf.Fees.Amount != -300 || rf.CreditedFunds.Amount != 4400 {
		t.Fatalf("transfer refund = %+v", rf.Transaction)
	}
	x.ok("POST", "/payins/"+p.Id+"/refunds", map[string]any{"AuthorId": payer, "DebitedFunds": money(4400), "Fees": money(-200)}, &rf)
	if rf.Status != "SUCCEEDED" || rf.Type != "PAYOUT" || rf.CreditedFunds.Amount != 4600 {
		t.Fatalf("pay-in refund = %+v", rf)
	}
	if got := []int64{x.balance(wc), x.balance(wp), x.balance("FEES_EUR")}; got[0] != 0 || got[1] != 100 || got[2] != 400 {
		t.Fatalf("balances (contributor, project, fees) = %v, want [0 100 400]", got)
	}
	x.checkLedger()
}
