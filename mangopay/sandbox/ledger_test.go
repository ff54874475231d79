package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/mangopay"
)

// world is the shared cast of the randomized test.
type world struct {
	payers, owners   []string
	payerW, ownerW   []string
	cards, banks     []string
	mu               sync.Mutex
	payins           []mangopay.PayIn    // succeeded
	transfers        []mangopay.Transfer // succeeded
	payouts          []string
	expect           map[string]int64 // wallet (and FEES_EUR) -> expected balance
	cardIn, cardBack int64
}

func (w *world) add(wallet string, d int64) { w.expect[wallet] += d }

func newWorld(x *sbx) *world {
	w := &world{expect: map[string]int64{}}
	for i := 0; i < 3; i++ {
		o := x.natural("OWNER")
		x.regular(o)
		w.owners = append(w.owners, o)
		w.ownerW = append(w.ownerW, x.wallet(o, "EUR"))
		w.banks = append(w.banks, x.bank(o))
	}
	for i := 0; i < 6; i++ {
		p := x.natural("PAYER")
		w.payers = append(w.payers, p)
		w.payerW = append(w.payerW, x.wallet(p, "EUR"))
		w.cards = append(w.cards, x.card(p, "EUR", "4970107111111119"))
	}
	return w
}

// step performs one random operation and records its expected effect.
func (w *world) step(x *sbx, r *rand.Rand) {
	switch op := r.IntN(10); {
	case op < 3:
		i := r.IntN(len(w.payers))
		amount := int64(100 + r.IntN(5000))
		if r.IntN(20) == 0 {
			amount = 33305 // declined
		}
		p := x.payin(w.payers[i], w.payerW[i], w.cards[i], amount, amount/10)
		if p.Status == "SUCCEEDED" {
			w.mu.Lock()
			w.payins = append(w.payins, p)
			w.add(w.payerW[i], p.CreditedFunds.Amount)
			w.add("FEES_EUR", p.Fees.Amount)
			w.cardIn += p.DebitedFunds.Amount
			w.mu.Unlock()
		}
	case op < 6:
		i, j := r.IntN(len(w.payers)), r.IntN(len(w.owners))
		amount := int64(50 + r.IntN(3000))
		var t mangopay.Transfer
		x.ok("POST", "/transfers", transferBody(w.payers[i], w.payerW[i], w.ownerW[j], amount, amount/20), &t)
		if t.Status == "SUCCEEDED" {
			w.mu.Lock()
			w.transfers = append(w.transfers, t)
			w.add(w.payerW[i], -t.DebitedFunds.Amount)
			w.add(w.ownerW[j], t.CreditedFunds.Amount)
			w.add("FEES_EUR", t.Fees.Amount)
			w.mu.Unlock()
		} else if t.ResultCode != "001001" {
			x.t.Errorf("transfer failed with %s", t.ResultCode)
		}
	case op < 7:
		w.refundTransfer(x, r)
	case op < 8:
		w.refundPayin(x, r)
	default:
		j := r.IntN(len(w.owners))
		var po mangopay.PayOut
		x.ok("POST", "/payouts/bankwire", map[string]any{"AuthorId": w.owners[j], "DebitedWalletId": w.ownerW[j],
			"BankAccountId": w.banks[j], "DebitedFunds": money(int64(100 + r.IntN(4000))), "Fees": money(10)}, &po)
		w.mu.Lock()
		w.payouts = append(w.payouts, po.Id)
		w.mu.Unlock()
	}
}

func (w *world) pick(r *rand.Rand, n int) int {
	if n == 0 {
		return -1
	}
	return r.IntN(n)
}

func (w *world) refundTransfer(x *sbx, r *rand.Rand) {
	w.mu.Lock()
	k := w.pick(r, len(w.transfers))
	var t mangopay.Transfer
	if k >= 0 {
		t = w.transfers[k]
	}
	w.mu.Unlock()
	if k < 0 {
		return
	}
	amount := 1 + r.Int64N(t.CreditedFunds.Amount)
	fees := -r.Int64N(t.Fees.Amount + 1)
	status, body := x.do("POST", "/transfers/"+t.Id+"/refunds",
		map[string]any{"AuthorId": t.AuthorId, "DebitedFunds": money(amount), "Fees": money(fees)})
	if status != 200 {
		return // over the cap: a 400, nothing moved
	}
	rf := decodeRefund(x, body)
	if rf.Status == "SUCCEEDED" {
		w.mu.Lock()
		w.add(string(t.CreditedWalletId), -rf.DebitedFunds.Amount)
		w.add(string(t.DebitedWalletId), rf.CreditedFunds.Amount)
		w.add("FEES_EUR", rf.Fees.Amount)
		w.mu.Unlock()
	}
}

func (w *world) refundPayin(x *sbx, r *rand.Rand) {
	w.mu.Lock()
	k := w.pick(r, len(w.payins))
	var p mangopay.PayIn
	if k >= 0 {
		p = w.payins[k]
	}
	w.mu.Unlock()
	if k < 0 {
		return
	}
	amount := 1 + r.Int64N(p.CreditedFunds.Amount)
	fees := -r.Int64N(p.Fees.Amount + 1)
	status, body := x.do("POST", "/payins/"+p.Id+"/refunds",
		map[string]any{"AuthorId": p.AuthorId, "DebitedFunds": money(amount), "Fees": money(fees)})
	if status != 200 {
		return
	}
	rf := decodeRefund(x, body)
	if rf.Status == "SUCCEEDED" {
		w.mu.Lock()
		w.add(string(p.CreditedWalletId), -rf.DebitedFunds.Amount)
		w.add("FEES_EUR", rf.Fees.Amount)
		w.cardBack += rf.CreditedFunds.Amount
		w.mu.Unlock()
	}
}

// bounceBack has the bank return a succeeded payout and records the money
// coming back into its wallet; it returns the amount returned.
func (w *world) bounceBack(x *sbx, po mangopay.PayOut) int64 {
	x.t.Helper()
	status, m := x.bounce(po.Id, "?reason=BANKACCOUNT_HAS_BEEN_CLOSED")
	if status != 200 || m["Status"] != "SUCCEEDED" {
		x.t.Errorf("bounce of %s = %d %v", po.Id, status, m)
		return 0
	}
	w.add(string(po.DebitedWalletId), po.CreditedFunds.Amount)
	return po.CreditedFunds.Amount
}

func decodeRefund(x *sbx, body []byte) mangopay.Refund {
	var rf mangopay.Refund
	if err := json.Unmarshal(body, &rf); err != nil {
		x.t.Fatalf("refund body %s: %v", body, err)
	}
	return rf
}

// TestLedgerRandomized runs thousands of seeded random operations from
// several goroutines, then checks CheckLedger, that no balance is negative
// and that every balance equals what the responses imply.
func TestLedgerRandomized(t *testing.T) {
	x := newSbx(t, Options{})
	w := newWorld(x)
	const workers, steps = 4, 500
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(42, uint64(g)))
			for range steps {
				w.step(x, r)
			}
		}()
	}
	wg.Wait()
	x.s.mu.Lock()
	x.s.processPayouts(x.s.now())
	x.s.mu.Unlock()
	var paidOut int64
	var paidOutIDs []string
	for _, id := range w.payouts {
		var po mangopay.PayOut
		x.ok("GET", "/payouts/"+id, nil, &po)
		switch po.Status {
		case "SUCCEEDED":
			w.add(string(po.DebitedWalletId), -po.DebitedFunds.Amount)
			w.add("FEES_EUR", po.Fees.Amount)
			paidOut += po.CreditedFunds.Amount
			if len(paidOutIDs)%2 == 0 { // every other one comes back from the bank
				paidOut -= w.bounceBack(x, po)
			}
			paidOutIDs = append(paidOutIDs, id)
		case "FAILED":
			if po.ResultCode != "001001" {
				t.Errorf("payout %s failed with %s", id, po.ResultCode)
			}
		default:
			t.Errorf("payout %s still %s after processPayouts", id, po.Status)
		}
	}
	x.checkLedger()
	var total int64
	for wallet, want := range w.expect {
		got := x.balance(wallet)
		if got != want {
			t.Errorf("balance(%s) = %d, want %d", wallet, got, want)
		}
		if got < 0 {
			t.Errorf("balance(%s) = %d < 0", wallet, got)
		}
		total += got
	}
	if want := w.cardIn - w.cardBack - paidOut; total != want {
		t.Errorf("sum of balances = %d, want pay-ins - card refunds - (payouts - payout refunds) = %d", total, want)
	}
	if len(paidOutIDs) < 4 {
		t.Errorf("only %d payouts succeeded: the test exercises too little", len(paidOutIDs))
	}
	if len(w.payins) < 100 || len(w.transfers) < 100 {
		t.Errorf("only %d pay-ins and %d transfers succeeded: the test exercises too little", len(w.payins), len(w.transfers))
	}
}

// TestCheckLedgerDetects breaks the state in several ways and wants
// CheckLedger to notice each.
func TestCheckLedgerDetects(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(st *state, wallet, payin string)
		want  string
	}{
		{"balance off its postings", func(st *state, w, _ string) { st.balances[w]++ }, "postings sum"},
		{"negative wallet", func(st *state, w, _ string) {
			st.applyEntry(&ledgerEntry{Seq: st.nextSeq(), Id: "le_neg", TxId: "tx_neg", Currency: "EUR",
				Postings: []posting{{w, -1001}, {"card:y", 1001}}})
		}, "negative balance"},
		{"money out of nowhere", func(st *state, w, _ string) {
			st.applyEntry(&ledgerEntry{Seq: st.nextSeq(), Id: "le_x", TxId: "tx_x", Currency: "EUR",
				Postings: []posting{{w, 5}, {"card:x", -5}}})
		}, "unknown transaction"},
		{"status without entry", func(st *state, _, p string) { st.payins.m[p].P.Status = "FAILED" }, "ledger entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			_, w, _, p := x.fundedPayer(1000)
			x.checkLedger()
			x.s.mu.Lock()
			tt.spoil(x.s.st, w, p.Id)
			x.s.mu.Unlock()
			err := x.s.CheckLedger()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckLedger() = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

// extraStep is one of the operations that leave work waiting on the sandbox
// clock or the admin API, so that a restart must bring it back: a payout
// returned by the bank, a KYC document whose Tag asks for no verdict (it
// waits for the admin API), a pay-in waiting for its 3DS challenge, a spare
// card that nobody pays with (INVALID a day later).
func (w *world) extraStep(x *sbx, r *rand.Rand) {
	switch r.IntN(4) {
	case 0:
		w.mu.Lock()
		k := w.pick(r, len(w.payouts))
		id := ""
		if k >= 0 {
			id = w.payouts[k]
		}
		w.mu.Unlock()
		if id != "" {
			x.bounce(id, "?reason=WITHDRAWAL_IMPOSSIBLE_ON_SAVINGS_ACCOUNTS") // 200, or 400 when not SUCCEEDED or returned already
		}
	case 1:
		owner := w.owners[r.IntN(len(w.owners))]
		d := x.newDoc(owner, "IDENTITY_PROOF", "wait-for-the-dashboard")
		x.submit(owner, d.Id)
	case 2:
		i := r.IntN(len(w.payers))
		var p mangopay.PayIn
		x.ok("POST", "/payins/card/direct", with(payinBody(w.payers[i], w.payerW[i], w.cards[i], 700, 0, "EUR"), "SecureMode", "FORCE"), &p)
	default:
		x.card(w.payers[r.IntN(len(w.payers))], "EUR", "4970107111111119")
	}
}

// TestLedgerRandomizedRestart runs random operations on a persisted
// sandbox in three phases separated by clock moves (2 h: phase 1's payouts
// are processed; 25 h: phase 2's payouts too, and the cards nobody paid
// with become INVALID), restarts it with phase 3's payouts still pending,
// and wants the same state, a ledger that adds up, and the waiting work
// (payouts, card deadlines) done after the restart.
func TestLedgerRandomizedRestart(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir, PayoutDelay: time.Hour})
	w := newWorld(x)
	for phase, wait := range []time.Duration{2 * time.Hour, 25 * time.Hour, 0} {
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(7, uint64(10*phase+g)))
				for range 80 {
					if phase > 0 && r.IntN(4) == 0 {
						w.extraStep(x, r)
					} else {
						w.step(x, r)
					}
				}
			}()
		}
		wg.Wait()
		if wait > 0 {
			x.clock.advance(wait)
			x.obj("GET", "/users/"+w.owners[0], nil)
		}
	}
	x.s.mu.Lock()
	pendingAtRestart := len(x.s.st.pendingPayouts)
	x.s.mu.Unlock()
	if pendingAtRestart == 0 || len(w.payouts) == pendingAtRestart {
		t.Fatalf("%d of %d payouts pending: the test wants some processed and some pending", pendingAtRestart, len(w.payouts))
	}
	before := snapshotJSON(t, x.s)
	s2 := x.restart(Options{StateDir: dir, PayoutDelay: time.Hour}).s
	compareSnapshots(t, before, snapshotJSON(t, s2))
	if err := s2.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() after restart = %v", err)
	}
	// The payouts and card deadlines still waiting are processed after the restart.
	s2.mu.Lock()
	s2.advance(x.clock.now().Add(26 * time.Hour))
	pending := len(s2.st.pendingPayouts)
	unknown := 0
	for _, k := range s2.st.cards.m {
		if k.C.Validity == validityUnknown {
			unknown++
		}
	}
	s2.mu.Unlock()
	if pending != 0 || unknown != 0 {
		t.Errorf("after the delays: %d payouts pending, %d cards UNKNOWN; want none", pending, unknown)
	}
	if err := s2.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() after processing = %v", err)
	}
}

// compareSnapshots reports every top-level key of the state dump that
// differs.
func compareSnapshots(t *testing.T, before, after map[string]any) {
	t.Helper()
	for k := range before {
		if !reflect.DeepEqual(before[k], after[k]) {
			b, _ := json.Marshal(before[k])
			a, _ := json.Marshal(after[k])
			t.Errorf("%s differs after restart:\nbefore %.2000s\nafter  %.2000s", k, b, a)
		}
	}
	if len(before) != len(after) {
		t.Errorf("state dump has %d keys before the restart, %d after", len(before), len(after))
	}
}
