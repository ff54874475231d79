package sandbox

import (
	"net/http"
	"testing"
)

// TestHostedPagesTakeGETAndPOST: every hosted page answers 405 to other
// methods before deciding anything; the enrolment page, visited with PUT,
// leaves its user pending until a GET completes it.
func TestHostedPagesTakeGETAndPOST(t *testing.T) {
	x := newSbx(t, Options{})
	owner, _, redirect := x.scaOwner()
	for _, path := range []string{"/3ds/x", "/pay/x", "/sca/x", "/sca/x/consent", "/sca/recipients/x",
		"/sca/transfers/x", "/sca/wallets/x", "/idv/x"} {
		if resp, _ := x.raw("PUT", path, "", false); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("PUT %s = %d, want 405", path, resp.StatusCode)
		}
	}
	for _, method := range []string{"PUT", "DELETE", "GET"} {
		req, err := http.NewRequest(method, redirect, nil)
		if err != nil {
			t.Fatal(err)
		}
		status, _ := x.send(req)
		want, user := http.StatusMethodNotAllowed, "PENDING_USER_ACTION"
		if method == "GET" {
			want, user = http.StatusOK, "ACTIVE"
		}
		if got := x.obj("GET", "/users/"+owner, nil)["UserStatus"]; status != want || got != user {
			t.Errorf("%s %s = %d and UserStatus %v, want %d and %s", method, redirect, status, got, want, user)
		}
	}
}
