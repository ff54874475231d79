package platform

import (
	"settle/mangopay/sandbox/internal/platform/platformtest"

	"testing"
)

func TestErrorBodies(t *testing.T) {
	h := newHarness(t, Config{})
	resp, body := h.api("GET", "/ptest/panic", "")
	if resp.StatusCode != 500 {
		t.Fatalf("panic status = %d, want 500", resp.StatusCode)
	}
	platformtest.CheckErrorBody(t, body, "other", "Internal Server Error")
	resp, body = h.api("POST", "/ptest/items", `{"Name": `)
	if resp.StatusCode != 400 {
		t.Fatalf("malformed JSON status = %d, want 400", resp.StatusCode)
	}
	platformtest.CheckErrorBody(t, body, "param_error", MsgParamError)
	resp, body = h.api("POST", "/ptest/items?status=400", `{}`)
	m := platformtest.CheckErrorBody(t, body, "param_error", MsgParamError)
	if resp.StatusCode != 400 || m["errors"].(map[string]any)["Name"] != "The Name field is required." {
		t.Errorf("param_error = %d %s", resp.StatusCode, body)
	}
	// The server survived the panic.
	if resp, _ := h.api("GET", "/ptest/items", ""); resp.StatusCode != 200 {
		t.Errorf("after panic status = %d, want 200", resp.StatusCode)
	}
}
