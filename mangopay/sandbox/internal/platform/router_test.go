package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"testing"
)

func TestRoutingTolerance(t *testing.T) {
	h := newHarness(t, Config{})
	tests := []struct {
		name, method, path string
		want               int
		wantType           string
	}{
		{"canonical", "GET", "/v2.01/sandbox/ptest/items", 200, ""},
		{"upper version", "GET", "/V2.01/sandbox/ptest/items", 200, ""},
		{"java V2_01", "GET", "/V2_01/sandbox/ptest/items", 200, ""},
		{"mixed case segments", "GET", "/v2.01/sandbox/PTest/ITEMS", 200, ""},
		{"trailing slash", "GET", "/v2.01/sandbox/ptest/items/", 200, ""},
		{"trailing space", "GET", "/v2.01/sandbox/ptest/items%20", 200, ""},
		{"empty segments (PY /responses//{key})", "GET", "/v2.01/sandbox//ptest//items", 200, ""},
		{"no ClientId", "GET", "/v2.01/countries/FR/authorizations", 404, "ressource_not_found"},
		{"unknown query keys", "GET", "/v2.01/sandbox/ptest/items?user_id=&foo=bar", 200, ""},
		{"unknown route", "GET", "/v2.01/sandbox/nothing/here", 404, "ressource_not_found"},
		{"no route at all", "GET", "/v2.01/sandbox", 404, "ressource_not_found"},
		{"wrong method", "DELETE", "/v2.01/sandbox/ptest/items", 405, "method_not_allowed"},
		{"text result", "GET", "/v2.01/sandbox/ptest/text", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := h.api(tt.method, tt.path, "")
			if resp.StatusCode != tt.want {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tt.want, body)
			}
			if tt.wantType != "" {
				platformtest.CheckErrorBody(t, body, tt.wantType, "")
			}
			if ct := resp.Header.Get("Content-Type"); tt.name != "text result" && ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q, want application/json; charset=utf-8", ct)
			}
		})
	}
}
