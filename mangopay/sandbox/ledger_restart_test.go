package sandbox

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
	"time"

	"settle/mangopay"
)

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
