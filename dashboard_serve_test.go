package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveInProcess runs `settle sandbox serve args...` in process until the
// test ends and returns the two lines it prints first: the API's and the
// dashboard's.
func serveInProcess(t *testing.T, args ...string) (apiLine, dashLine string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &sbxBuffer{}, &sbxBuffer{}
	codes := make(chan int, 1)
	go func() { codes <- runSandbox(ctx, append([]string{"serve"}, args...), stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		if code := <-codes; code != 0 {
			t.Errorf("serve exit code = %d, want 0: %s", code, stderr.String())
		}
	})
	deadline := time.After(time.Minute)
	for {
		if lines := strings.Split(stdout.String(), "\n"); len(lines) >= 3 {
			return lines[0], lines[1]
		}
		select {
		case code := <-codes:
			codes <- code
			t.Fatalf("serve exited early with %d: %s", code, stderr.String())
		case <-deadline:
			t.Fatalf("serve printed %q within a minute, want two lines", stdout.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestSandboxServeDashboard: serve prints the dashboard's URL on its
// second line; the dashboard is open on loopback, and with --admin-token
// both it and the admin API answer 401 until given the token.
func TestSandboxServeDashboard(t *testing.T) {
	status := func(url, bearer string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	base := func(apiLine string) string {
		_, rest, _ := strings.Cut(apiLine, " listening on ")
		u, _, _ := strings.Cut(rest, " ")
		return u
	}

	apiLine, dashLine := serveInProcess(t, "--addr", "127.0.0.1:0")
	open := base(apiLine)
	if dashLine != "dashboard: "+open+"/dashboard/" {
		t.Errorf("second line = %q, want the dashboard URL beside %s", dashLine, open)
	}
	if got := status(open+"/dashboard/", ""); got != 200 {
		t.Errorf("open dashboard = %d, want 200", got)
	}
	if got := status(open+"/sandbox/ledger", ""); got != 200 {
		t.Errorf("open admin API = %d, want 200", got)
	}

	apiLine, _ = serveInProcess(t, "--addr", "127.0.0.1:0", "--admin-token", "tok-123")
	guarded := base(apiLine)
	for url, want := range map[string]int{
		guarded + "/dashboard/":       401,
		guarded + "/dashboard/queues": 401,
		guarded + "/sandbox/ledger":   401,
		guarded + "/sandbox/state":    401,
	} {
		if got := status(url, ""); got != want {
			t.Errorf("GET %s without the token = %d, want %d", url, got, want)
		}
	}
	if got := status(guarded+"/sandbox/ledger", "tok-123"); got != 200 {
		t.Errorf("admin API with the token = %d, want 200", got)
	}
}
