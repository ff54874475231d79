package platform

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Test helpers of the platform: an API serving only the test routes below,
// behind httptest, on a settable clock.

// Test credentials, as the sandbox's defaults.
const (
	testClientID = "sandbox"
	testAPIKey   = "sandbox-api-key"
)

// fakeClock is a settable clock for Config.Now.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// ptestItem is what the platform tests' own routes create.
type ptestItem struct {
	Id           string
	CreationDate int64
}

// ptest holds the platform tests' routes and counters.
type ptest struct {
	items   []ptestItem // guarded by harness.mu
	commits int         // POST /ptest/items calls that ran; guarded by harness.mu
}

// addPlatformTestRoutes adds routes that exercise the pipeline without
// depending on any MANGOPAY resource:
//
//	GET  /ptest/items    list of the items (List)
//	POST /ptest/items    creates one item; ?status=N answers N with an error body
//	GET  /ptest/panic    panics
//	GET  /ptest/text     text/plain
//	GET  /ptest/query    echoes c.Filter("Status") and c.Query("Name")
func addPlatformTestRoutes(a *API) *ptest {
	p := &ptest{}
	a.Handle("GET", "/ptest/items", func(c *Call) (int, any) {
		return 200, NewList(p.items, func(it ptestItem) int64 { return it.CreationDate })
	})
	a.Handle("POST", "/ptest/items", func(c *Call) (int, any) {
		p.commits++
		if c.Query("status") == "400" {
			return 400, FieldError("Name", "The Name field is required.")
		}
		it := ptestItem{Id: fmt.Sprintf("item_%d", len(p.items)+1), CreationDate: c.Now.Unix()}
		p.items = append(p.items, it)
		return 200, it
	})
	a.Handle("GET", "/ptest/panic", func(c *Call) (int, any) { panic("boom") })
	a.Handle("GET", "/ptest/text", func(c *Call) (int, any) { return 200, Text("data=abc") })
	a.Handle("GET", "/ptest/query", func(c *Call) (int, any) {
		return 200, map[string]any{"Status": c.Filter("Status"), "Name": c.Query("name"), "Succeeded": c.Accepts("status", "succeeded")}
	})
	return p
}

// harness is an API with the test routes behind an httptest server with a
// fake clock.
type harness struct {
	t     testing.TB
	mu    sync.Mutex // Config.Lock
	a     *API
	ts    *httptest.Server
	clock *fakeClock
	p     *ptest
	tok   string
}

// newHarness serves cfg with the test credentials, clock and routes; a zero
// TokenTTL is 20 minutes.
func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, clock: newFakeClock()}
	cfg.ClientID, cfg.APIKey, cfg.Now, cfg.Lock = testClientID, testAPIKey, h.clock.Now, &h.mu
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = 20 * time.Minute
	}
	cfg.Advance = func(time.Time) {}
	cfg.Restore = func(kind, id string, _ json.RawMessage) error { return fmt.Errorf("unknown kind %q (id %s)", kind, id) }
	cfg.Other = http.NotFoundHandler()
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	h.a = a
	h.p = addPlatformTestRoutes(a)
	h.ts = httptest.NewServer(a)
	t.Cleanup(func() {
		h.ts.Close()
		if err := a.Close(); err != nil {
			t.Errorf("Close() error = %v", err)
		}
	})
	h.tok = h.token()
	return h
}

// token gets a bearer token through the OAuth endpoint.
func (h *harness) token() string {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.ts.URL+"/v2.01/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth(testClientID, testAPIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := h.send(req)
	if resp.StatusCode != 200 {
		h.t.Fatalf("token status = %d, body %s", resp.StatusCode, body)
	}
	var tok struct{ Access_token string }
	if err := json.Unmarshal(body, &tok); err != nil {
		h.t.Fatalf("token body %s: %v", body, err)
	}
	return tok.Access_token
}

// send performs req and reads the body.
func (h *harness) send(req *http.Request) (*http.Response, []byte) {
	h.t.Helper()
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// api calls path (relative to /v2.01/{ClientId}, or absolute when it starts
// with "/v2" or "/V2") with the harness token and optional
// headers given as "Key: value".
func (h *harness) api(method, path, body string, headers ...string) (*http.Response, []byte) {
	h.t.Helper()
	url := h.ts.URL + path
	if !strings.HasPrefix(strings.ToLower(path), "/v2") {
		url = h.ts.URL + "/v2.01/" + testClientID + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		h.t.Fatalf("NewRequest(%s %s) error = %v", method, url, err)
	}
	req.Header.Set("Authorization", "Bearer "+h.tok)
	req.Header.Set("Content-Type", "application/json")
	for _, kv := range headers {
		k, v, _ := strings.Cut(kv, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h.send(req)
}
