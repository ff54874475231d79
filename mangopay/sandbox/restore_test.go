package sandbox

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

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

// stateLogFile is the state log's file in a state folder.
const stateLogFile = "state.jsonl"

func TestPersistenceSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	h1 := newSbx(t, Options{StateDir: dir})
	h1.tok = h1.token()
	f := h1.fund()
	const key = "persist-key-000000001"
	tr := h1.call(200, "POST", "/transfers", transferBody(f.payer, f.wc, f.wp, 4000, 100), "Idempotency-Key: "+key)
	if tr["Status"] != "SUCCEEDED" {
		t.Fatalf("transfer = %v", tr)
	}
	_, original := h1.api("GET", "/responses/"+key, "")
	h1.call(200, "POST", "/sandbox/clock/advance?by=1h", nil)
	h1.tok = h1.token() // an hour later the token has expired
	want := map[string]int64{f.wc: 5500, f.wp: 3900, "FEES_EUR": 600}
	for id, amount := range want {
		if got := h1.balance(id); got != amount {
			t.Fatalf("before restart balance(%s) = %v, want %v", id, got, amount)
		}
	}
	oldToken := h1.tok

	prev := h1
	for round := 1; round <= 2; round++ {
		h2 := prev.restart(Options{StateDir: dir}) // closes prev
		prev = h2
		h2.tok = oldToken
		if resp, _ := h2.api("GET", "/wallets/"+f.wc, ""); resp.StatusCode != 401 {
			t.Errorf("round %d: old token status = %d, want 401 (tokens are not persisted)", round, resp.StatusCode)
		}
		h2.tok = h2.token()
		for id, amount := range want {
			if got := h2.balance(id); got != amount {
				t.Errorf("round %d: balance(%s) = %v, want %v", round, id, got, amount)
			}
		}
		if u := h2.call(200, "GET", "/users/"+f.owner, nil); u["UserCategory"] != "OWNER" {
			t.Errorf("round %d: owner = %v", round, u)
		}
		h2.call(200, "GET", "/transfers/"+tr["Id"].(string), nil)
		h2.call(409, "POST", "/transfers", transferBody(f.payer, f.wc, f.wp, 1, 0), "Idempotency-Key: "+key)
		if _, again := h2.api("GET", "/responses/"+key, ""); !bytes.Equal(again, original) {
			t.Errorf("round %d: /responses after restart = %s\nwant %s", round, again, original)
		}
		if got := h2.s.now().Sub(h2.clock.now()); got != time.Hour {
			t.Errorf("round %d: clock offset = %v, want 1h", round, got)
		}
		// New objects get fresh ids and the ledger still adds up.
		tr2 := h2.call(200, "POST", "/transfers", transferBody(f.payer, f.wc, f.wp, 1, 0))
		if tr2["Id"] == tr["Id"] || tr2["Status"] != "SUCCEEDED" {
			t.Errorf("round %d: new transfer = %v", round, tr2)
		}
		want[f.wc]--
		want[f.wp]++
		if err := h2.s.CheckLedger(); err != nil {
			t.Errorf("round %d: CheckLedger() = %v", round, err)
		}
	}
}

func TestPersistenceTornLastLine(t *testing.T) {
	dir := t.TempDir()
	h1 := newSbx(t, Options{StateDir: dir})
	payer := h1.natural("PAYER")
	h1.ts.Close()
	if err := h1.s.Close(); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of a write leaves half a line.
	fh, err := os.OpenFile(filepath.Join(dir, stateLogFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fh.WriteString(`{"k":"user","id":"x","v":{"Id`)
	fh.Close()
	h2 := h1.restart(Options{StateDir: dir})
	h2.call(200, "GET", "/users/"+payer, nil)
	// A corrupt line in the middle is an error, not silent loss.
	h2.ts.Close()
	_ = h2.s.Close()
	data, _ := os.ReadFile(filepath.Join(dir, stateLogFile))
	if err := os.WriteFile(filepath.Join(dir, stateLogFile), append([]byte("garbage\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StateDir: dir, Now: h1.clock.now}); err == nil {
		t.Errorf("New() on a corrupt log: error = nil, want one")
	}
}
