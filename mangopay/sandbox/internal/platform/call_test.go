package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"testing"
)

func TestQueryHelpers(t *testing.T) {
	h := newHarness(t, Config{})
	_, body := h.api("GET", "/ptest/query?status=Succeeded,failed&STATUS=created&NAME=%20Bob%20", "")
	m := platformtest.JSONMap(t, body)
	if got := m["Status"]; len(got.([]any)) != 3 || got.([]any)[0] != "SUCCEEDED" || got.([]any)[2] != "CREATED" {
		t.Errorf("filter(Status) = %v, want [SUCCEEDED FAILED CREATED]", got)
	}
	if m["Name"] != "Bob" || m["Succeeded"] != true {
		t.Errorf("q(name) = %v, accepts = %v, want Bob, true", m["Name"], m["Succeeded"])
	}
	_, body = h.api("GET", "/ptest/query", "")
	if m := platformtest.JSONMap(t, body); m["Status"] != nil || m["Succeeded"] != true {
		t.Errorf("without filter: filter = %v, accepts = %v, want nil, true", m["Status"], m["Succeeded"])
	}
}
