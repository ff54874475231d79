package sandbox

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// getWithHeaders calls a path relative to /v2.01/{ClientId} and returns the
// response (body read) for its headers.
func (x *sbx) getWithHeaders(path string) (*http.Response, string) {
	x.t.Helper()
	req, err := http.NewRequest("GET", x.ts.URL+"/v2.01/"+x.s.opts.ClientID+path, nil)
	if err != nil {
		x.t.Fatal(err)
	}
	req.SetBasicAuth(x.s.opts.ClientID, x.s.opts.APIKey)
	resp, err := x.ts.Client().Do(req)
	if err != nil {
		x.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
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

// TestEmptyListHeaders checks the documented headers of empty lists and of
// pages past the end: X-Number-Of-Pages 0 for an empty list, first and last
// both page 1, the original query kept minus page and per_page.
func TestEmptyListHeaders(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	base := x.ts.URL + "/v2.01/" + x.s.opts.ClientID
	link := func(path, query string, page, perPage int, rel string) string {
		return fmt.Sprintf(`<%s%s?%spage=%d&per_page=%d>; rel="%s"`, base, path, query, page, perPage, rel)
	}
	tests := []struct {
		name, path, query string
		pages, items      string
		link              string
	}{
		{"empty events", "/events", "EventType=PAYOUT_REFUND_SUCCEEDED&page=1&per_page=5", "0", "0",
			link("/events", "EventType=PAYOUT_REFUND_SUCCEEDED&", 1, 5, "first") + "," +
				link("/events", "EventType=PAYOUT_REFUND_SUCCEEDED&", 1, 5, "last")},
		{"empty wallets, no query", "/users/" + u + "/wallets", "", "0", "0",
			link("/users/"+u+"/wallets", "", 1, 10, "first") + "," + link("/users/"+u+"/wallets", "", 1, 10, "last")},
		{"page past the end of an empty list", "/users/" + u + "/cards", "Page=3", "0", "0",
			link("/users/"+u+"/cards", "", 1, 10, "first") + "," + link("/users/"+u+"/cards", "", 1, 10, "prev") + "," +
				link("/users/"+u+"/cards", "", 1, 10, "last")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if tt.query != "" {
				path += "?" + tt.query
			}
			resp, body := x.getWithHeaders(path)
			if resp.StatusCode != 200 || body != "[]" {
				t.Fatalf("GET %s = %d %s, want 200 []", path, resp.StatusCode, body)
			}
			if got := resp.Header.Get("X-Number-Of-Pages"); got != tt.pages {
				t.Errorf("X-Number-Of-Pages = %s, want %s", got, tt.pages)
			}
			if got := resp.Header.Get("X-Number-Of-Items"); got != tt.items {
				t.Errorf("X-Number-Of-Items = %s, want %s", got, tt.items)
			}
			if got := resp.Header.Values("Link"); len(got) != 1 || got[0] != tt.link {
				t.Errorf("Link = %q\nwant %s", got, tt.link)
			}
		})
	}
}
