package sandbox

import (
	"net/http"
	"testing"
	"time"

	"settle/mangopay"
)

// cardOf reads a card through the API.
func (x *sbx) cardOf(id string) mangopay.Card {
	x.t.Helper()
	var c mangopay.Card
	x.ok("GET", "/cards/"+id, nil, &c)
	return c
}

// adminPost calls the admin API and returns the status and body.
func (x *sbx) adminPost(path string) (int, []byte) {
	x.t.Helper()
	req, err := http.NewRequest("POST", x.ts.URL+path, nil)
	if err != nil {
		x.t.Fatalf("NewRequest: %v", err)
	}
	return x.send(req)
}

// TestCardValidity walks a card through its Validity transitions: each
// case is a list of steps (pay-ins and clock moves, by the sandbox clock)
// with the pay-in outcome and the Validity expected after each.
func TestCardValidity(t *testing.T) {
	type step struct {
		wait       time.Duration // advance the sandbox clock first (test clock)
		adminWait  string        // or through POST /sandbox/clock/advance
		amount     int64         // 0: no pay-in, only read the card
		wantStatus string        // pay-in outcome
		wantCode   string
		validity   string // Validity after the step
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first payment succeeds within 24 h", []step{
			{amount: 0, validity: "UNKNOWN"},
			{wait: 23 * time.Hour, amount: 1000, wantStatus: "SUCCEEDED", wantCode: "000000", validity: "VALID"},
			{wait: 48 * time.Hour, amount: 1000, wantStatus: "SUCCEEDED", wantCode: "000000", validity: "VALID"},
		}},
		{"first payment fails", []step{
			{amount: 33305, wantStatus: "FAILED", wantCode: "101101", validity: "INVALID"},
			{amount: 1000, wantStatus: "FAILED", wantCode: "101410", validity: "INVALID"},
		}},
		{"a failure after the first success keeps VALID", []step{
			{amount: 1000, wantStatus: "SUCCEEDED", wantCode: "000000", validity: "VALID"},
			{amount: 33305, wantStatus: "FAILED", wantCode: "101101", validity: "VALID"},
			{amount: 1000, wantStatus: "SUCCEEDED", wantCode: "000000", validity: "VALID"},
		}},
		{"unused for exactly 24 h stays UNKNOWN", []step{
			{wait: 24 * time.Hour, validity: "UNKNOWN"},
			{amount: 1000, wantStatus: "SUCCEEDED", wantCode: "000000", validity: "VALID"},
		}},
		{"unused for more than 24 h", []step{
			{wait: 24*time.Hour + time.Second, validity: "INVALID"},
			{amount: 1000, wantStatus: "FAILED", wantCode: "101410", validity: "INVALID"},
		}},
		{"admin clock advance", []step{
			{adminWait: "25h", validity: "INVALID"},
			{amount: 1000, wantStatus: "FAILED", wantCode: "101410", validity: "INVALID"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			u := x.natural("PAYER")
			w := x.wallet(u, "EUR")
			card := x.card(u, "EUR", "4970107111111119")
			var paidIn int64
			for i, st := range tt.steps {
				x.clock.advance(st.wait)
				if st.adminWait != "" {
					if status, body := x.adminPost("/sandbox/clock/advance?by=" + st.adminWait); status != 200 {
						t.Fatalf("step %d: clock/advance = %d %s", i, status, body)
					}
				}
				if st.amount > 0 {
					p := x.payin(u, w, card, st.amount, 0)
					if p.Status != st.wantStatus || string(p.ResultCode) != st.wantCode {
						t.Errorf("step %d: pay-in = %s %s, want %s %s", i, p.Status, p.ResultCode, st.wantStatus, st.wantCode)
					}
					if p.Status == "SUCCEEDED" {
						paidIn += p.CreditedFunds.Amount
					}
				}
				if got := x.cardOf(card).Validity; got != st.validity {
					t.Errorf("step %d: Validity = %s, want %s", i, got, st.validity)
				}
			}
			if got := x.balance(w); got != paidIn {
				t.Errorf("balance = %d, want %d", got, paidIn)
			}
			x.checkLedger()
		})
	}
}

// TestCardValidityChallenge: a 3DS challenge decides the card's Validity
// when it completes, not when the pay-in is created.
func TestCardValidityChallenge(t *testing.T) {
	for _, tc := range []struct{ outcome, status, validity string }{
		{"", "SUCCEEDED", "VALID"},
		{"?outcome=fail", "FAILED", "INVALID"},
	} {
		x := newSbx(t, Options{})
		u := x.natural("PAYER")
		w := x.wallet(u, "EUR")
		card := x.card(u, "EUR", "4970105181818183")
		p := x.payin(u, w, card, 1000, 0)
		if p.Status != "CREATED" || x.cardOf(card).Validity != "UNKNOWN" {
			t.Fatalf("challenge pay-in %s, card %s", p.Status, x.cardOf(card).Validity)
		}
		req, _ := http.NewRequest("GET", string(p.SecureModeRedirectURL)+tc.outcome, nil)
		client := x.ts.Client()
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		x.ok("GET", "/payins/"+p.Id, nil, &p)
		if p.Status != tc.status || x.cardOf(card).Validity != tc.validity {
			t.Errorf("outcome %q: pay-in %s, card %s; want %s, %s", tc.outcome, p.Status, x.cardOf(card).Validity, tc.status, tc.validity)
		}
	}
}

// TestCardValidityRestart: the 24-hour deadline of an UNKNOWN card survives
// a restart, and INVALID and VALID cards come back as they were.
func TestCardValidityRestart(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	u := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	unknown := x.card(u, "EUR", "4970107111111119")
	valid := x.card(u, "EUR", "4970107111111119")
	invalid := x.card(u, "EUR", "4970107111111119")
	x.payin(u, w, valid, 1000, 0)
	x.payin(u, w, invalid, 33305, 0)
	s2 := x.restart(Options{StateDir: dir}).s
	s2.mu.Lock()
	defer s2.mu.Unlock()
	want := map[string]string{unknown: "UNKNOWN", valid: "VALID", invalid: "INVALID"}
	for id, v := range want {
		if got := s2.st.cards.m[id].C.Validity; got != v {
			t.Errorf("after restart %s Validity = %s, want %s", id, got, v)
		}
	}
	s2.advance(x.clock.now().Add(25 * time.Hour))
	want[unknown] = "INVALID"
	for id, v := range want {
		if got := s2.st.cards.m[id].C.Validity; got != v {
			t.Errorf("a day later %s Validity = %s, want %s", id, got, v)
		}
	}
	if len(s2.st.pendingCards) != 0 {
		t.Errorf("pending cards = %v, want none", s2.st.pendingCards)
	}
}
