package sandbox

import (
	"encoding/json"
	"fmt"
	"sync"
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

// TestFaultsWithIdempotentRetries sends transfers from several goroutines
// through injected 500s and dropped connections, retrying each with its
// Idempotency-Key the way settle's client does (409 -> GET /responses/{key}).
// Every key must have executed exactly once and the money must add up.
func TestFaultsWithIdempotentRetries(t *testing.T) {
	h := newSbx(t, Options{})
	f := h.fund()
	h.s.api.SetFaults(Faults{Seed: 1, ErrorRatio: 0.2, DropAfterCommitRatio: 0.3})
	const workers, perWorker = 4, 20
	body := fmt.Sprintf(`{"AuthorId":%q,"DebitedWalletId":%q,"CreditedWalletId":%q,"DebitedFunds":{"Currency":"EUR","Amount":1},"Fees":{"Currency":"EUR","Amount":0}}`,
		f.payer, f.wc, f.wp)
	ids := make(chan string, workers*perWorker)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				key := fmt.Sprintf("chaos-%02d-%04d-000000", w, i)
				id, err := transferWithRetries(h, body, key)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- id
			}
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("transfer %s returned for two keys", id)
		}
		seen[id] = true
	}
	h.s.api.SetFaults(Faults{})
	if got, want := h.balance(f.wc), int64(9500-workers*perWorker); got != want {
		t.Errorf("contributor balance = %v, want %v (each key executed once)", got, want)
	}
	if err := h.s.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
}

// transferWithRetries POSTs body under key until the outcome is known and
// returns the transfer Id.
func transferWithRetries(h *sbx, body, key string) (string, error) {
	for attempt := 0; attempt < 100; attempt++ {
		resp, data, err := h.rawAPI("POST", "/transfers", body, "Idempotency-Key: "+key)
		if err != nil || resp.StatusCode == 500 {
			continue // dropped or injected failure: unknown outcome, retry
		}
		status := resp.StatusCode
		if status == 409 {
			if resp, data, err = h.rawAPI("GET", "/responses/"+key, ""); err != nil || resp.StatusCode != 200 {
				continue
			}
			var stored struct{ Resource map[string]any }
			if err := json.Unmarshal(data, &stored); err != nil {
				return "", err
			}
			return stored.Resource["Id"].(string), nil
		}
		var tr map[string]any
		if err := json.Unmarshal(data, &tr); err != nil || status != 200 || tr["Status"] != "SUCCEEDED" {
			return "", fmt.Errorf("key %s: %d %s", key, status, data)
		}
		return tr["Id"].(string), nil
	}
	return "", fmt.Errorf("key %s: no answer after 100 attempts", key)
}
