package sandbox

import (
	"encoding/json"
	"reflect"
	"testing"

	"settle/mangopay"
)

// TestRestoreResources persists a crowdfunding state, restarts the sandbox
// on the same folder and checks that every object, balance, index and
// pending payout comes back.
func TestRestoreResources(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir, ManualPayouts: true, ManualKYC: true})
	payer, wc, _, p := x.fundedPayer(10000)
	owner, wp := x.natural("OWNER"), ""
	wp = x.wallet(owner, "EUR")
	var tr mangopay.Transfer
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 6000, 100), &tr)
	x.ok("POST", "/transfers/"+tr.Id+"/refunds", map[string]any{"AuthorId": payer, "DebitedFunds": money(1000), "Fees": money(0)}, nil)
	x.ok("POST", "/payins/"+p.Id+"/refunds", map[string]any{"AuthorId": payer, "DebitedFunds": money(500), "Fees": money(0)}, nil)
	ba := x.bank(owner)
	doc := x.newDoc(owner, "IDENTITY_PROOF", "accept")
	x.submit(owner, doc.Id)
	var po mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, wp, ba, 1000, 10), &po)
	x.obj("POST", "/hooks", map[string]any{"EventType": "PAYOUT_NORMAL_SUCCEEDED", "Url": "http://127.0.0.1:1/h"})
	before := snapshotJSON(t, x.s)
	y := x.restart(Options{StateDir: dir, ManualPayouts: true, ManualKYC: true})
	s2 := y.s
	if after := snapshotJSON(t, s2); !reflect.DeepEqual(before, after) {
		t.Fatalf("state after restart differs:\nbefore %v\nafter  %v", before, after)
	}
	y.checkLedger()
	if got := y.balance(wp); got != 4900 {
		t.Errorf("project wallet after restart = %d, want 4900", got)
	}
	var txs []mangopay.Transaction
	y.ok("GET", "/wallets/"+wp+"/transactions", nil, &txs)
	if len(txs) != 3 {
		t.Errorf("project wallet transactions after restart = %d, want 3", len(txs))
	}
	s2.mu.Lock()
	e := s2.decideKYC(s2.now(), doc.Id, true, "")
	n := s2.processPayouts(s2.now())
	s2.mu.Unlock()
	y.ok("GET", "/payouts/"+po.Id, nil, &po)
	if e != nil || n != 1 || po.Status != "SUCCEEDED" {
		t.Errorf("after restart: decideKYC %v, processed %d, payout %s %s", e, n, po.Status, po.ResultCode)
	}
	// New Ids do not collide with restored ones and the hook is still there.
	if err := y.s.CheckLedger(); err != nil {
		t.Error(err)
	}
	y.fails("POST", "/hooks", map[string]any{"EventType": "PAYOUT_NORMAL_SUCCEEDED", "Url": "http://127.0.0.1:1/h"}, 400, "param_error")
	if id := y.natural("PAYER"); id == payer || id == owner {
		t.Errorf("new Id %s collides", id)
	}
}

func snapshotJSON(t *testing.T, s *Server) map[string]any {
	t.Helper()
	s.mu.Lock()
	data, err := json.Marshal(s.snapshot("http://sandbox.test"))
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIDs(t *testing.T) {
	s := &Server{st: newState()}
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 10000; i++ {
		id := s.newID("wlt_m_")
		if seen[id] || len(id) != 32 || id <= prev {
			t.Fatalf("id %d = %s (previous %s): want unique, 32 long, increasing", i, id, prev)
		}
		seen[id], prev = true, id
	}
}
