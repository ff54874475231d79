package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// seedItems creates n items one second apart through the API.
func seedItems(t *testing.T, h *harness, n int) {
	t.Helper()
	for range n {
		if resp, body := h.api("POST", "/ptest/items", "{}"); resp.StatusCode != 200 {
			t.Fatalf("POST status = %d (%s)", resp.StatusCode, body)
		}
		h.clock.Advance(time.Second)
	}
}

func itemIDs(t *testing.T, body []byte) string {
	t.Helper()
	var items []ptestItem
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = strings.TrimPrefix(it.Id, "item_")
	}
	return strings.Join(ids, ",")
}

func TestPagination(t *testing.T) {
	h := newHarness(t, Config{})
	seedItems(t, h, 25)
	base := h.ts.URL + "/v2.01/sandbox/ptest/items"
	start := h.clock.Now().Unix() - 25 // CreationDate of item_1
	tests := []struct {
		name, query, wantIDs, wantPages, wantItems, wantLink string
	}{
		{"defaults: DESC, 10 per page", "", "25,24,23,22,21,20,19,18,17,16", "3", "25",
			`<` + base + `?page=1&per_page=10>; rel="first",<` + base + `?page=2&per_page=10>; rel="next",<` + base + `?page=3&per_page=10>; rel="last"`},
		{"page 0 is the first page", "?page=0", "25,24,23,22,21,20,19,18,17,16", "3", "25",
			`<` + base + `?page=1&per_page=10>; rel="first",<` + base + `?page=2&per_page=10>; rel="next",<` + base + `?page=3&per_page=10>; rel="last"`},
		{"middle page keeps query", "?Sort=CreationDate:asc&page=2&per_page=5&foo=bar", "6,7,8,9,10", "5", "25",
			`<` + base + `?Sort=CreationDate:asc&foo=bar&page=1&per_page=5>; rel="first",<` + base + `?Sort=CreationDate:asc&foo=bar&page=1&per_page=5>; rel="prev",<` + base + `?Sort=CreationDate:asc&foo=bar&page=3&per_page=5>; rel="next",<` + base + `?Sort=CreationDate:asc&foo=bar&page=5&per_page=5>; rel="last"`},
		{"last page", "?sort=creationdate:ASC&Page=3&Per_Page=10", "21,22,23,24,25", "3", "25",
			`<` + base + `?sort=creationdate:ASC&page=1&per_page=10>; rel="first",<` + base + `?sort=creationdate:ASC&page=2&per_page=10>; rel="prev",<` + base + `?sort=creationdate:ASC&page=3&per_page=10>; rel="last"`},
		{"date window", fmt.Sprintf("?AfterDate=%d&BeforeDate=%d&Sort=CreationDate:ASC", start+2, start+4), "3,4,5", "1", "3",
			`<` + base + fmt.Sprintf("?AfterDate=%d&BeforeDate=%d&Sort=CreationDate:ASC", start+2, start+4) + `&page=1&per_page=10>; rel="first",<` + base + fmt.Sprintf("?AfterDate=%d&BeforeDate=%d&Sort=CreationDate:ASC", start+2, start+4) + `&page=1&per_page=10>; rel="last"`},
		{"empty", fmt.Sprintf("?AfterDate=%d", start+1000), "", "0", "0",
			`<` + base + fmt.Sprintf("?AfterDate=%d", start+1000) + `&page=1&per_page=10>; rel="first",<` + base + fmt.Sprintf("?AfterDate=%d", start+1000) + `&page=1&per_page=10>; rel="last"`},
		{"per_page 100", "?per_page=100&sort=CreationDate:DESC", "25,24,23,22,21,20,19,18,17,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1", "1", "25",
			`<` + base + `?sort=CreationDate:DESC&page=1&per_page=100>; rel="first",<` + base + `?sort=CreationDate:DESC&page=1&per_page=100>; rel="last"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.api("GET", "/ptest/items"+tt.query, "")
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d (%s)", resp.StatusCode, body)
			}
			if got := itemIDs(t, body); got != tt.wantIDs {
				t.Errorf("ids = %s, want %s", got, tt.wantIDs)
			}
			if tt.wantIDs == "" && strings.TrimSpace(string(body)) != "[]" {
				t.Errorf("empty body = %s, want []", body)
			}
			if got := resp.Header.Get("X-Number-Of-Pages"); got != tt.wantPages {
				t.Errorf("X-Number-Of-Pages = %s, want %s", got, tt.wantPages)
			}
			if got := resp.Header.Get("X-Number-Of-Items"); got != tt.wantItems {
				t.Errorf("X-Number-Of-Items = %s, want %s", got, tt.wantItems)
			}
			if got := resp.Header.Values("Link"); len(got) != 1 || got[0] != tt.wantLink {
				t.Errorf("Link = %q\nwant %s", got, tt.wantLink)
			}
		})
	}
}

func TestPaginationErrors(t *testing.T) {
	h := newHarness(t, Config{})
	for _, q := range []string{"?per_page=101", "?per_page=0", "?page=-1", "?page=x", "?Sort=Amount:ASC", "?BeforeDate=yesterday"} {
		resp, body := h.api("GET", "/ptest/items"+q, "")
		if resp.StatusCode != 400 {
			t.Errorf("%s: status = %d, want 400", q, resp.StatusCode)
			continue
		}
		platformtest.CheckErrorBody(t, body, "param_error", MsgParamError)
	}
}
