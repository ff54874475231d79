package sandbox

import (
	"testing"

	"settle/mangopay"
)

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
