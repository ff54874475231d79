package platform

import "testing"

func TestRequestStats(t *testing.T) {
	h := newHarness(t, Config{})
	h.a.ResetStats()
	h.api("POST", "/ptest/items", "{}")
	h.api("POST", "/ptest/items/", "{}")
	h.api("GET", "/ptest/items", "")
	h.api("GET", "/nothing", "")
	st := h.a.RequestStats()
	if st.Requests != 4 || st.Writes != 2 || st.ByMethod["POST"] != 2 || st.ByRoute["POST /ptest/items"] != 2 || st.ByRoute["GET (no route)"] != 1 {
		t.Errorf("RequestStats() = %+v", st)
	}
}
