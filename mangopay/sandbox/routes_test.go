package sandbox

import (
	"fmt"
	"testing"
)

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
