package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPersistenceSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h1 := newHarnessClock(t, Options{StateDir: dir}, clock)
	f := h1.fund()
	const key = "persist-key-000000001"
	tr := h1.call(200, "POST", "/transfers", transferBodyP(f.payer, f.wc, f.wp, 4000, 100), "Idempotency-Key: "+key)
	if tr["Status"] != "SUCCEEDED" {
		t.Fatalf("transfer = %v", tr)
	}
	_, original := h1.api("GET", "/responses/"+key, "")
	h1.call(200, "POST", "/sandbox/clock/advance?by=1h", nil)
	h1.tok = h1.token() // an hour later the token has expired
	want := map[string]float64{f.wc: 5500, f.wp: 3900, "FEES_EUR": 600}
	for id, amount := range want {
		if got := h1.walletBalance(id); got != amount {
			t.Fatalf("before restart balance(%s) = %v, want %v", id, got, amount)
		}
	}
	oldToken := h1.tok
	h1.ts.Close()
	if err := h1.s.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}

	for round := 1; round <= 2; round++ {
		h2 := newHarnessClock(t, Options{StateDir: dir}, clock)
		h2.tok = oldToken
		if resp, _ := h2.api("GET", "/wallets/"+f.wc, ""); resp.StatusCode != 401 {
			t.Errorf("round %d: old token status = %d, want 401 (tokens are not persisted)", round, resp.StatusCode)
		}
		h2.tok = h2.token()
		for id, amount := range want {
			if got := h2.walletBalance(id); got != amount {
				t.Errorf("round %d: balance(%s) = %v, want %v", round, id, got, amount)
			}
		}
		if u := h2.call(200, "GET", "/users/"+f.owner, nil); u["UserCategory"] != "OWNER" {
			t.Errorf("round %d: owner = %v", round, u)
		}
		h2.call(200, "GET", "/transfers/"+tr["Id"].(string), nil)
		h2.call(409, "POST", "/transfers", transferBodyP(f.payer, f.wc, f.wp, 1, 0), "Idempotency-Key: "+key)
		if _, again := h2.api("GET", "/responses/"+key, ""); !bytes.Equal(again, original) {
			t.Errorf("round %d: /responses after restart = %s\nwant %s", round, again, original)
		}
		if got := h2.s.now().Sub(clock.Now()); got != time.Hour {
			t.Errorf("round %d: clock offset = %v, want 1h", round, got)
		}
		// New objects get fresh ids and the ledger still adds up.
		tr2 := h2.call(200, "POST", "/transfers", transferBodyP(f.payer, f.wc, f.wp, 1, 0))
		if tr2["Id"] == tr["Id"] || tr2["Status"] != "SUCCEEDED" {
			t.Errorf("round %d: new transfer = %v", round, tr2)
		}
		want[f.wc]--
		want[f.wp]++
		if err := h2.s.CheckLedger(); err != nil {
			t.Errorf("round %d: CheckLedger() = %v", round, err)
		}
		h2.ts.Close()
		if err := h2.s.Close(); err != nil {
			t.Fatalf("Close() error = %v", err)
		}
	}
}

func TestPersistenceTornLastLine(t *testing.T) {
	dir := t.TempDir()
	clock := newFakeClock()
	h1 := newHarnessClock(t, Options{StateDir: dir}, clock)
	payer := h1.user("PAYER")
	h1.ts.Close()
	if err := h1.s.Close(); err != nil {
		t.Fatal(err)
	}
	// A crash in the middle of a write leaves half a line.
	fh, err := os.OpenFile(filepath.Join(dir, stateFile), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fh.WriteString(`{"k":"user","id":"x","v":{"Id`)
	fh.Close()
	h2 := newHarnessClock(t, Options{StateDir: dir}, clock)
	h2.call(200, "GET", "/users/"+payer, nil)
	// A corrupt line in the middle is an error, not silent loss.
	h2.ts.Close()
	_ = h2.s.Close()
	data, _ := os.ReadFile(filepath.Join(dir, stateFile))
	if err := os.WriteFile(filepath.Join(dir, stateFile), append([]byte("garbage\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StateDir: dir, Now: clock.Now}); err == nil {
		t.Errorf("New() on a corrupt log: error = nil, want one")
	}
}
