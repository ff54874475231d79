package mangopay

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestPayoutByRecipientId: a payout to a recipient sends RecipientId and
// no BankAccountId, and reads the documented answer (BankAccountId null).
func TestPayoutByRecipientId(t *testing.T) {
	api := &fakeAPI{routes: map[string]answer{"POST /payouts/bankwire": {200, `{"Id":"po_1","Status":"CREATED","Type":"PAYOUT",
 "Nature":"REGULAR","AuthorId":"u1","DebitedFunds":{"Currency":"EUR","Amount":1000},"Fees":{"Currency":"EUR","Amount":0},
 "CreditedFunds":{"Currency":"EUR","Amount":1000},"DebitedWalletId":"w1","PaymentType":"BANK_WIRE","BankAccountId":null,
 "RecipientId":"rec_01KF0MPAA8X9C80Q394TSF7MEY","RecipientVerificationOfPayee":null,"ResultCode":null}`, nil}}}
	c, _ := newTestClient(t, api)
	p, err := c.PayOuts.CreateBankWire(context.Background(), &PayOutBankWireCreateParams{Params: Params{IdempotencyKey: "payout-key-0000001"},
		AuthorId: "u1", DebitedFunds: Money{"EUR", 1000}, Fees: Money{"EUR", 0}, DebitedWalletId: "w1",
		RecipientId: "rec_01KF0MPAA8X9C80Q394TSF7MEY", BankWireRef: "campaign"})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "payout body", api.last(t, "POST /payouts/bankwire").body, `{"AuthorId":"u1","DebitedFunds":{"Currency":"EUR","Amount":1000},
 "Fees":{"Currency":"EUR","Amount":0},"DebitedWalletId":"w1","RecipientId":"rec_01KF0MPAA8X9C80Q394TSF7MEY","BankWireRef":"campaign"}`)
	if p.RecipientId != "rec_01KF0MPAA8X9C80Q394TSF7MEY" || p.BankAccountId != "" || p.RecipientVerificationOfPayee != nil {
		t.Errorf("CreateBankWire() = %+v", p)
	}
}

// TestPayoutRemedies: each payout result code added in 2025-2026 says
// what the operator must do, in the FAILED payout's error; other codes
// and other transactions are unchanged.
func TestPayoutRemedies(t *testing.T) {
	tests := []struct {
		code, typ string
		want      string // in the error; "" for no remedy
	}{
		{ResultNonSCABankAccount, "PAYOUT", "register it as a Recipient"},
		{ResultV2BankAccount, "PAYOUT", "created on API v2"},
		{ResultVOPFailed, "PAYOUT", "register a new Recipient under the name the bank holds"},
		{"001001", "PAYOUT", ""},
		{ResultNonSCABankAccount, "TRANSFER", ""},
	}
	for _, tt := range tests {
		tr := Transaction{Id: "po_1", Type: tt.typ, Status: StatusFailed, ResultCode: NullString(tt.code), ResultMessage: "msg"}
		var te *TransactionError
		if !errors.As(tr.Err(), &te) {
			t.Fatalf("Err() = %v", tr.Err())
		}
		if tt.want == "" {
			if want := "mangopay: " + tt.typ + " po_1 FAILED: " + tt.code + " msg"; te.Remedy != "" || te.Error() != want {
				t.Errorf("%s %s: Err() = %q, want no remedy", tt.typ, tt.code, te.Error())
			}
			continue
		}
		if !strings.Contains(te.Error(), tt.want) || te.Remedy != PayoutRemedy(tt.code) {
			t.Errorf("%s %s: Err() = %q, want the remedy %q", tt.typ, tt.code, te.Error(), tt.want)
		}
	}
}
