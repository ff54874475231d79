package sandbox

import (
	"testing"
	"time"

	"settle/mangopay"
)

// Payouts to recipients and the 2026 payout codes (accountCode).

// projectOf is owner's wallet holding amount, moved in from a PAYER.
func (x *sbx) projectOf(owner string, amount int64) string {
	x.t.Helper()
	payer, wc, _, _ := x.fundedPayer(amount)
	w := x.wallet(owner, "EUR")
	x.ok("POST", "/transfers", transferBody(payer, wc, w, amount, 0), nil)
	return w
}

func TestPayoutToRecipient(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		setup func(x *sbx, owner string) (body map[string]any) // the payout body's account fields
		code  string                                           // the FAILED code, "" for SUCCEEDED
		vop   string                                           // the payout's VOP check, "" for null
	}{
		{name: "RecipientId", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody())}
		}, vop: "MATCH"},
		{name: "recipient id in BankAccountId", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"BankAccountId": x.activeRecipient(owner, recipientBody())}
		}, vop: "MATCH"},
		{name: "no test data", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("LocalBankTransfer.EUR.IBAN", "DE89370400440532013000"))}
		}},
		{name: "pending recipient", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.recipient(x.owner("Jane", "Roe", false), recipientBody()).Id, "AuthorId": owner}
		}, code: "121006", vop: "MATCH"},
		{name: "deactivated recipient", setup: func(x *sbx, owner string) map[string]any {
			id := x.activeRecipient(owner, recipientBody())
			x.ok("PUT", "/recipients/"+id, map[string]any{"Status": "DEACTIVATED"}, nil)
			return map[string]any{"RecipientId": id}
		}, code: "121006", vop: "MATCH"},
		{name: "payin recipient", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("RecipientScope", "PAYIN"))}
		}, code: "121012", vop: "MATCH"},
		{name: "legacy account by default", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"BankAccountId": x.bank(owner)}
		}},
		{name: "legacy account made after the cutoff", opts: Options{LegacyBankCutoff: true}, setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"BankAccountId": x.bank(owner)}
		}, code: "121018"},
		{name: "legacy account by RecipientId", opts: Options{LegacyBankCutoff: true}, setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.bank(owner)}
		}, code: "121018"},
		{name: "seeded account dated before the cutoff", opts: Options{LegacyBankCutoff: true}, setup: func(x *sbx, owner string) map[string]any {
			x.call(200, "POST", "/sandbox/seed", map[string]any{"bank_accounts": map[string]any{
				"ba_m_old": map[string]any{"owner": owner, "iban": "FR7630004000031234567890143", "created": "2025-03-01"}}})
			return map[string]any{"BankAccountId": "ba_m_old"}
		}},
		{name: "vop no match, amendment signed", setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("IndividualRecipient.FirstName", "Jane"))}
		}, vop: "NO_MATCH"},
		{name: "vop no match blocked", opts: Options{VOPBlocksPayouts: true}, setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("IndividualRecipient.FirstName", "Jane"))}
		}, code: "121030", vop: "NO_MATCH"},
		{name: "vop match not possible blocked", opts: Options{VOPBlocksPayouts: true}, setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("LocalBankTransfer.EUR.IBAN", "FR1420041010050500013M02606",
				"Country", "FR"))}
		}, code: "121030", vop: "MATCH_NOT_POSSIBLE"},
		{name: "vop close match passes", opts: Options{VOPBlocksPayouts: true}, setup: func(x *sbx, owner string) map[string]any {
			return map[string]any{"RecipientId": x.activeRecipient(owner, recipientBody("IndividualRecipient.LastName", "Dae"))}
		}, vop: "CLOSE_MATCH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, tt.opts)
			owner := x.owner("John", "Doe", true)
			x.regular(owner)
			w := x.projectOf(owner, 10000)
			body := map[string]any{"AuthorId": owner, "DebitedWalletId": w, "DebitedFunds": money(6000), "Fees": money(100)}
			for k, v := range tt.setup(x, owner) {
				if k != "AuthorId" {
					body[k] = v
				}
			}
			var po mangopay.PayOut
			x.ok("POST", "/payouts/bankwire", body, &po)
			x.ok("GET", "/payouts/"+po.Id, nil, &po)
			if tt.code == "" && (po.Status != "SUCCEEDED" || x.balance(w) != 4000) {
				t.Fatalf("payout %s %s, balance %d; want SUCCEEDED, 4000", po.Status, po.ResultCode, x.balance(w))
			}
			if tt.code != "" && (po.Status != "FAILED" || string(po.ResultCode) != tt.code || po.ResultMessage == "" || x.balance(w) != 10000) {
				t.Fatalf("payout %s %s %q, balance %d; want FAILED %s, 10000", po.Status, po.ResultCode, po.ResultMessage, x.balance(w), tt.code)
			}
			acct, _ := body["RecipientId"].(string)
			if acct == "" {
				acct, _ = body["BankAccountId"].(string)
			}
			_, isRec := x.s.st.recipients.get(acct)
			if isRec && string(po.RecipientId) != acct || !isRec && po.RecipientId != "" {
				t.Errorf("RecipientId = %q for account %s", po.RecipientId, acct)
			}
			v := po.RecipientVerificationOfPayee
			if (v == nil) != (tt.vop == "") || v != nil && v.RecipientVerificationCheck != tt.vop {
				t.Errorf("payout VOP = %+v, want %q", v, tt.vop)
			}
			if !isRec {
				var txs []mangopay.Transaction
				x.ok("GET", "/bankaccounts/"+acct+"/transactions", nil, &txs)
				if len(txs) != 1 || txs[0].Id != po.Id {
					t.Errorf("legacy account transactions = %+v", txs)
				}
			}
			x.checkLedger()
		})
	}
}

// activeRecipient creates a recipient of an "accept" owner and waits for ACTIVE.
func (x *sbx) activeRecipient(owner string, body map[string]any) string {
	x.t.Helper()
	r := x.recipient(owner, body)
	x.clock.advance(time.Millisecond)
	if got := x.getRecipient(r.Id); got.Status != "ACTIVE" {
		x.t.Fatalf("recipient %s is %s, want ACTIVE", r.Id, got.Status)
	}
	return r.Id
}

func TestPayoutRecipientRequests(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.owner("John", "Doe", true)
	w := x.projectOf(owner, 10000)
	body := map[string]any{"AuthorId": owner, "DebitedWalletId": w, "DebitedFunds": money(100), "Fees": money(0)}
	m := x.fails("POST", "/payouts/bankwire", body, 400, "param_error")
	if fieldErr(m, "BankAccountId") == "" {
		t.Errorf("no account: %v", m)
	}
	x.fails("POST", "/payouts/bankwire", with(body, "RecipientId", "rec_missing"), 404, "ressource_not_found")
	x.fails("POST", "/payouts/bankwire", with(body, "RecipientId", x.activeRecipient(owner, recipientBody()), "ChargeBearer", "SHA"), 400, "param_error")
	gbp := x.activeRecipient(owner, recipientBody("Currency", "GBP", "Country", "GB", "LocalBankTransfer.EUR", nil,
		"LocalBankTransfer.GBP", map[string]any{"AccountNumber": "12345678", "SortCode": "123456"}))
	x.fails("POST", "/payouts/bankwire", with(body, "RecipientId", gbp), 400, "currency_incompatibility")
	var po mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", with(body, "RecipientId", x.activeRecipient(owner, recipientBody()), "ChargeBearer", "our"), &po)
	if po.ChargeBearer != "OUR" || po.BankAccountId != "" {
		t.Errorf("payout ChargeBearer %q BankAccountId %q", po.ChargeBearer, po.BankAccountId)
	}
}
