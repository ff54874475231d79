package sandbox

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"settle/mangopay"
)

func TestHooks(t *testing.T) {
	got := make(chan url.Values, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			got <- r.URL.Query()
		}
	}))
	defer recv.Close()
	x := newSbx(t, Options{})
	h := x.obj("POST", "/hooks", map[string]any{"EventType": "PAYIN_NORMAL_SUCCEEDED", "Url": recv.URL + "/hook", "Tag": "h"})
	if h["Status"] != "ENABLED" || h["Validity"] != "VALID" || h["EventType"] != "PAYIN_NORMAL_SUCCEEDED" || h["Tag"] != "h" {
		t.Errorf("hook = %v", h)
	}
	m := x.fails("POST", "/hooks", map[string]any{"EventType": "PAYIN_NORMAL_SUCCEEDED", "Url": recv.URL}, 400, "param_error")
	if fieldErr(m, "EventType") != "A hook has already been registered for this EventType" {
		t.Errorf("duplicate hook = %v", m)
	}
	x.fails("POST", "/hooks", map[string]any{"EventType": "NOT_AN_EVENT", "Url": recv.URL}, 400, "param_error")
	x.fails("POST", "/hooks", map[string]any{"EventType": "PAYIN_NORMAL_FAILED", "Url": "ftp://x"}, 400, "param_error")
	x.fails("POST", "/hooks", map[string]any{"Url": recv.URL}, 400, "param_error")

	u := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	card := x.card(u, "EUR", "4970107111111119")
	p := x.payin(u, w, card, 1000, 0)
	select {
	case q := <-got:
		if q.Get("EventType") != "PAYIN_NORMAL_SUCCEEDED" || q.Get("RessourceId") != p.Id || q.Get("Date") == "" {
			t.Errorf("delivery query = %v", q)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no hook delivery")
	}

	id := h["Id"].(string)
	up := x.obj("PUT", "/hooks/"+id, map[string]any{"Status": "DISABLED", "Url": recv.URL + "/v2"})
	if up["Status"] != "DISABLED" || up["Url"] != recv.URL+"/v2" {
		t.Errorf("PUT hook = %v", up)
	}
	x.fails("PUT", "/hooks/"+id, map[string]any{"Status": "PAUSED"}, 400, "param_error")
	x.payin(u, w, card, 1001, 0)
	var hooks []mangopay.Hook
	x.ok("GET", "/hooks", nil, &hooks)
	if len(hooks) != 1 || hooks[0].Id != id {
		t.Errorf("GET /hooks = %+v", hooks)
	}
	x.obj("GET", "/hooks/"+id, nil)
	x.fails("GET", "/hooks/hook_m_none", nil, 404, "ressource_not_found")
	// The disabled hook got nothing more: re-enable it and the next event
	// is the first to arrive.
	x.obj("PUT", "/hooks/"+id, map[string]any{"Status": "ENABLED"})
	p3 := x.payin(u, w, card, 1002, 0)
	select {
	case q := <-got:
		if q.Get("RessourceId") != p3.Id {
			t.Errorf("delivery after re-enabling = %v, want %s (the disabled hook must not deliver)", q, p3.Id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no hook delivery after re-enabling")
	}
}

func TestEvents(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, _, p := x.fundedPayer(1000)
	owner := x.natural("OWNER")
	wp := x.wallet(owner, "EUR")
	var tr mangopay.Transfer
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 5000, 0), &tr)
	var events []mangopay.Event
	x.ok("GET", "/events?per_page=100", nil, &events)
	seen := map[string]string{}
	for _, e := range events {
		seen[e.EventType+" "+e.ResourceId] = e.EventType
	}
	for _, want := range []string{"PAYIN_NORMAL_CREATED " + p.Id, "PAYIN_NORMAL_SUCCEEDED " + p.Id,
		"TRANSFER_NORMAL_CREATED " + tr.Id, "TRANSFER_NORMAL_FAILED " + tr.Id} {
		if seen[want] == "" {
			t.Errorf("no event %s in %+v", want, events)
		}
	}
	now := x.clock.now().Unix()
	x.ok("GET", fmt.Sprintf("/events?EventType=TRANSFER_NORMAL_FAILED&AfterDate=%d&BeforeDate=%d", now-10, now+10), nil, &events)
	if len(events) != 1 || events[0].ResourceId != tr.Id || events[0].Date != now {
		t.Errorf("windowed events = %+v", events)
	}
	m := x.fails("GET", fmt.Sprintf("/events?AfterDate=%d", now-46*24*3600), nil, 400, "param_error")
	if fieldErr(m, "AfterDate") != "Events older than 45 days can not be searched" ||
		fieldErr(m, "BeforeDate") != "Events older than 45 days can not be searched" {
		t.Errorf("45-day body = %v", m)
	}
}

func TestTransactionLists(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, card, p := x.fundedPayer(1000)
	owner := x.natural("OWNER")
	wp := x.wallet(owner, "EUR")
	var ok, failed mangopay.Transfer
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 400, 0), &ok)
	x.ok("POST", "/transfers", transferBody(payer, wc, wp, 4000, 0), &failed)
	var rf mangopay.Refund
	x.ok("POST", "/transfers/"+ok.Id+"/refunds", map[string]any{"AuthorId": payer}, &rf)
	tests := []struct {
		path string
		want []string
	}{
		{"/wallets/" + wc + "/transactions?Sort=CreationDate:ASC", []string{p.Id, ok.Id, failed.Id, rf.Id}},
		{"/wallets/" + wc + "/transactions?Status=Succeeded&Sort=CreationDate:ASC", []string{p.Id, ok.Id, rf.Id}},
		{"/wallets/" + wc + "/transactions?Type=TRANSFER&Nature=REGULAR&Sort=CreationDate:ASC", []string{ok.Id, failed.Id}},
		{"/wallets/" + wc + "/transactions?ResultCode=001001", []string{failed.Id}},
		{"/wallets/" + wp + "/transactions?Nature=REFUND", []string{rf.Id}},
		{"/users/" + owner + "/transactions?Status=FAILED,SUCCEEDED&Type=transfer&Sort=CreationDate:ASC", []string{ok.Id, failed.Id, rf.Id}},
		{"/users/" + payer + "/transactions?Type=PAYIN", []string{p.Id}},
		{"/cards/" + card + "/transactions", []string{p.Id}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var txs []mangopay.Transaction
			x.ok("GET", tt.path, nil, &txs)
			var ids []string
			for _, tx := range txs {
				ids = append(ids, tx.Id)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Errorf("ids = %v, want %v", ids, tt.want)
			}
		})
	}
	x.fails("GET", "/wallets/wlt_m_none/transactions", nil, 404, "ressource_not_found")
	x.fails("GET", "/users/user_m_none/transactions", nil, 404, "ressource_not_found")
	x.fails("GET", "/cards/card_m_none/transactions", nil, 404, "ressource_not_found")
	x.fails("GET", "/bankaccounts/ba_m_none/transactions", nil, 404, "ressource_not_found")
}

// TestEventsWindow checks the 45-day search window documented in
// docs/sandbox.md against the sandbox clock: bounds exactly 45 days back
// are accepted, one second older is the 400, and events older than 45
// days are still listed when no date is given.
func TestEventsWindow(t *testing.T) {
	x := newSbx(t, Options{})
	x.natural("PAYER")
	x.fundedPayer(1000) // PAYIN_NORMAL_* events at T0
	t0 := x.clock.now().Unix()
	x.clock.advance(46 * 24 * time.Hour)
	now := x.clock.now().Unix()
	limit := now - 45*24*3600
	tests := []struct {
		name, query string
		status      int
		items       string
	}{
		{"no dates: every event", "EventType=PAYIN_NORMAL_SUCCEEDED", 200, "1"},
		{"AfterDate exactly 45 days back", fmt.Sprintf("EventType=PAYIN_NORMAL_SUCCEEDED&AfterDate=%d", limit), 200, "0"},
		{"AfterDate older", fmt.Sprintf("AfterDate=%d", limit-1), 400, ""},
		{"BeforeDate older", fmt.Sprintf("BeforeDate=%d", limit-1), 400, ""},
		{"the old event's own date", fmt.Sprintf("AfterDate=%d&BeforeDate=%d", t0, t0), 400, ""},
		{"BeforeDate now", fmt.Sprintf("BeforeDate=%d", now), 200, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := x.getWithHeaders("/events?" + tt.query)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d %s, want %d", resp.StatusCode, body, tt.status)
			}
			if tt.status == 200 && resp.Header.Get("X-Number-Of-Items") != tt.items {
				t.Errorf("X-Number-Of-Items = %s, want %s (%s)", resp.Header.Get("X-Number-Of-Items"), tt.items, body)
			}
		})
	}
}

// TestHooksOf2026Events: the recipient and identity verification events
// can be hooked and are delivered.
func TestHooksOf2026Events(t *testing.T) {
	got := make(chan url.Values, 16)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r.URL.Query() }))
	defer recv.Close()
	x := newSbx(t, Options{})
	for _, et := range []string{"RECIPIENT_ACTIVE", "IDENTITY_VERIFICATION_VALIDATED"} {
		x.obj("POST", "/hooks", map[string]any{"EventType": et, "Url": recv.URL})
	}
	owner := x.owner("John", "Doe", true)
	r := x.recipient(owner, recipientBody())
	var v mangopay.IdentityVerification
	x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &v)
	x.call(204, "POST", "/sandbox/identity-verifications/"+v.Id+"/outcome?status=VALIDATED", nil)
	want := map[string]string{"RECIPIENT_ACTIVE": r.Id, "IDENTITY_VERIFICATION_VALIDATED": v.Id}
	for len(want) > 0 {
		select {
		case q := <-got:
			if id, ok := want[q.Get("EventType")]; ok && id == q.Get("RessourceId") {
				delete(want, q.Get("EventType"))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no delivery for %v", want)
		}
	}
}
