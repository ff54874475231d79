package sandbox

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"settle/mangopay"
)

// The ledger. Every money movement is one entry whose postings sum to zero
// across wallets and the outside world: a card ("card:<CardId>") pays in and
// receives pay-in refunds, a bank account ("bank:<BankAccountId>") receives
// payouts and sends back the ones its bank returns (payout refunds). Entries are applied atomically under Server.mu, and an entry that
// would leave a wallet negative is refused as a whole, so a wallet balance
// never goes below zero.
//
// Payouts are not reserved while CREATED: the wallet is debited when the
// payout is processed (MANGOPAY's docs say the wallet "was debited" at
// SUCCEEDED). A payout that finds the wallet short then FAILS with 001001.
// The invariant holds either way because nothing moves before processing.

// posting is one line of an entry: Amount is added to Account's balance.
type posting struct {
	Account string `json:"Account"`
	Amount  int64  `json:"Amount"`
}

// ledgerEntry is one atomic money movement.
type ledgerEntry struct {
	Seq      int64     `json:"Seq"`
	Id       string    `json:"Id"`
	Time     int64     `json:"Time"`
	TxId     string    `json:"TxId"`
	Currency string    `json:"Currency"`
	Postings []posting `json:"Postings"`
}

// acctCard and acctBank prefix the accounts outside the sandbox's wallets.
const (
	acctCard = "card:"
	acctBank = "bank:"
)

func isExternal(account string) bool {
	return strings.HasPrefix(account, acctCard) || strings.HasPrefix(account, acctBank)
}

// errLedger is a programmer error: an entry the caller should have checked.
var errLedger = errors.New("sandbox: ledger entry refused")

// post applies one entry for transaction txID. Postings with a zero amount
// are dropped; client wallets (FEES_<CUR>) are created on first use. The
// entry is refused (and nothing changes) when it does not sum to zero or
// would leave a wallet negative.
func (s *Server) post(now time.Time, txID, currency string, ps ...posting) error {
	var kept []posting
	var sum int64
	delta := map[string]int64{}
	for _, p := range ps {
		if p.Amount == 0 {
			continue
		}
		kept = append(kept, p)
		sum += p.Amount
		delta[p.Account] += p.Amount
	}
	if sum != 0 {
		return fmt.Errorf("%w: %s postings sum to %d", errLedger, txID, sum)
	}
	for acct, d := range delta {
		if !isExternal(acct) && s.st.balances[acct]+d < 0 {
			return fmt.Errorf("%w: %s would leave %s negative", errLedger, txID, acct)
		}
	}
	for acct := range delta {
		if strings.HasPrefix(acct, "FEES_") || strings.HasPrefix(acct, "CREDIT_") {
			s.clientWallet(now, acct)
		}
	}
	e := &ledgerEntry{Seq: s.st.nextSeq(), Id: s.newID("le_"), Time: now.Unix(), TxId: txID, Currency: currency, Postings: kept}
	s.st.applyEntry(e)
	s.save("ledger", e.Id, e)
	return nil
}

// applyEntry adds e to the ledger and its postings to the balances, once.
func (st *state) applyEntry(e *ledgerEntry) {
	st.seen(e.Seq)
	if !st.ledger.put(e.Id, e.Seq, e) {
		return
	}
	for _, p := range e.Postings {
		st.balances[p.Account] += p.Amount
	}
}

// feesWallet is the Id of the FEES client wallet of a currency.
func feesWallet(currency string) string { return "FEES_" + currency }

// balance is a wallet's balance.
func (s *Server) balance(walletID string) int64 { return s.st.balances[walletID] }

// CheckLedger verifies the sandbox's money, currency by currency:
//   - every entry sums to zero and every wallet balance equals the sum of
//     its postings; no wallet balance is negative;
//   - succeeded pay-ins (DebitedFunds) = the sum of all wallet balances
//     (user and client wallets, so fees included) + succeeded payouts'
//     CreditedFunds (their fees sit in FEES) - succeeded payout refunds'
//     CreditedFunds (what banks sent back) + succeeded pay-in refunds'
//     CreditedFunds (what went back to cards).
//
// The second rule is computed from the transactions, independently of the
// ledger. It returns nil when everything adds up.
func (s *Server) CheckLedger() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.checkLedger()
}

// checkLedger is CheckLedger with s.mu held.
func (s *Server) checkLedger() error {
	st := s.st
	sums := map[string]int64{}
	for _, id := range st.ledger.order.ids {
		e := st.ledger.m[id]
		var total int64
		for _, p := range e.Postings {
			total += p.Amount
			sums[p.Account] += p.Amount
		}
		if total != 0 {
			return fmt.Errorf("sandbox: ledger entry %s (tx %s) sums to %d", e.Id, e.TxId, total)
		}
	}
	var errs []error
	for acct, b := range st.balances {
		if sums[acct] != b {
			errs = append(errs, fmt.Errorf("account %s: balance %d, postings sum %d", acct, b, sums[acct]))
		}
		if !isExternal(acct) && b < 0 {
			errs = append(errs, fmt.Errorf("wallet %s: negative balance %d", acct, b))
		}
	}
	errs = append(errs, st.checkFlows()...)
	errs = append(errs, st.checkEntries()...)
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	if len(errs) > 0 {
		return fmt.Errorf("sandbox: ledger check: %w", errors.Join(errs...))
	}
	return nil
}

// checkFlows compares money in and out, per currency, with the wallet balances.
func (st *state) checkFlows() []error {
	in := map[string]int64{}
	for _, p := range st.payins.m {
		if p.P.Status == mangopay.StatusSucceeded {
			in[p.P.DebitedFunds.Currency] += p.P.DebitedFunds.Amount
		}
	}
	for _, po := range st.payouts.m {
		if po.P.Status == mangopay.StatusSucceeded {
			in[po.P.CreditedFunds.Currency] -= po.P.CreditedFunds.Amount
		}
	}
	for _, r := range st.refunds.m {
		if r.R.Status != mangopay.StatusSucceeded {
			continue
		}
		switch r.R.InitialTransactionType {
		case "PAYIN": // back to the card
			in[r.R.CreditedFunds.Currency] -= r.R.CreditedFunds.Amount
		case "PAYOUT": // back from the bank
			in[r.R.CreditedFunds.Currency] += r.R.CreditedFunds.Amount
		}
	}
	held := map[string]int64{}
	for id, w := range st.wallets.m {
		held[w.W.Currency] += st.balances[id]
	}
	var errs []error
	for _, cur := range unionKeys(in, held) {
		if in[cur] != held[cur] {
			errs = append(errs, fmt.Errorf("%s: pay-ins - payouts + payout refunds - card refunds = %d, wallets hold %d", cur, in[cur], held[cur]))
		}
	}
	return errs
}

// checkEntries wants exactly one ledger entry per succeeded transaction
// and none for the others.
func (st *state) checkEntries() []error {
	entries := map[string]int{}
	for _, e := range st.ledger.m {
		entries[e.TxId]++
	}
	var errs []error
	check := func(id, status string) {
		want := 0
		if status == mangopay.StatusSucceeded {
			want = 1
		}
		if entries[id] != want {
			errs = append(errs, fmt.Errorf("transaction %s (%s) has %d ledger entries, want %d", id, status, entries[id], want))
		}
		delete(entries, id)
	}
	for id, p := range st.payins.m {
		check(id, p.P.Status)
	}
	for id, t := range st.transfers.m {
		check(id, t.T.Status)
	}
	for id, r := range st.refunds.m {
		check(id, r.R.Status)
	}
	for id, p := range st.payouts.m {
		check(id, p.P.Status)
	}
	for id, n := range entries {
		errs = append(errs, fmt.Errorf("%d ledger entries for unknown transaction %s", n, id))
	}
	return errs
}

func unionKeys(a, b map[string]int64) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]int64{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
