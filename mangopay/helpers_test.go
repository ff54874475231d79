package mangopay

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestClient serves h on a loopback httptest server and returns a client
// for it with Basic auth (no token calls) and tiny backoffs.
func newTestClient(t *testing.T, h http.Handler, mod ...func(*Config)) (*Client, *httptest.Server) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := Config{ClientID: "cid", APIKey: "key", BaseURL: srv.URL, Auth: AuthBasic,
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient() error = %v", err)
	}
	return c, srv
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// handlerTransport serves requests in process, without a network, so that
// tests can run inside a testing/synctest bubble.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context()) // the server-side view of the request
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI, in.RemoteAddr, in.Host = r.URL.RequestURI(), "127.0.0.1:1", r.URL.Host
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	res := rec.Result()
	res.Request = r
	h := http.Header{} // as on the wire: header names canonicalized
	for k, vs := range res.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	res.Header = h
	return res, nil
}

// fakeClock is a clock whose timers fire at once, moving the clock to
// their deadline (virtual time that only moves when someone waits).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.t.Add(d); t.After(c.t) {
		c.t = t
	}
	ch := make(chan time.Time, 1)
	ch <- c.t
	return ch
}

// answer is what a [fakeAPI] route sends back: a status, a raw body and
// extra headers.
type answer struct {
	status int
	body   string
	header http.Header
}

// seen is a request a [fakeAPI] received, relative to /v2.01/{ClientId}.
type seen struct {
	method, path string
	query        url.Values
	body         string
}

// fakeAPI answers "METHOD /path" (relative to /v2.01/cid) with the JSON
// MANGOPAY documents, and records every request; unknown routes get 404.
type fakeAPI struct {
	routes map[string]answer
	mu     sync.Mutex
	got    []seen
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/v2.01/cid")
	a.mu.Lock()
	a.got = append(a.got, seen{r.Method, path, r.URL.Query(), string(b)})
	a.mu.Unlock()
	ans, ok := a.routes[r.Method+" "+path]
	if !ok {
		ans = answer{404, `{"Type":"ressource_not_found","Message":"not found"}`, nil}
	}
	for k, vs := range ans.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(ans.status)
	io.WriteString(w, ans.body)
}

// last returns the last request received for "METHOD /path".
func (a *fakeAPI) last(t *testing.T, route string) seen {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := len(a.got) - 1; i >= 0; i-- {
		if s := a.got[i]; s.method+" "+s.path == route {
			return s
		}
	}
	t.Fatalf("no request %s among %v", route, a.got)
	return seen{}
}

// sameJSON fails the test unless got and want are the same JSON value.
func sameJSON(t *testing.T, what, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: want: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// retryLog is a slog handler that keeps the attributes of every "mangopay
// retry" record and calls onRetry (when set) as each is logged, that is,
// just before the wait that follows it.
type retryLog struct {
	mu      sync.Mutex
	records []map[string]string
	onRetry func()
}

func (h *retryLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *retryLog) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *retryLog) WithGroup(string) slog.Handler            { return h }

func (h *retryLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "mangopay retry" {
		return nil
	}
	attrs := map[string]string{"level": r.Level.String()}
	r.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	h.mu.Lock()
	h.records = append(h.records, attrs)
	h.mu.Unlock()
	if h.onRetry != nil {
		h.onRetry()
	}
	return nil
}

// retries returns the records kept so far.
func (h *retryLog) retries() []map[string]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.records)
}

// retryShape is the one set of attributes every retry record carries.
var retryShape = []string{"attempt", "idempotency_key", "level", "method", "path", "reason", "wait"}

// checkRetries fails the test unless the log holds want retry records,
// each at Warn, of the one shape, for method and path, its reason
// containing reason.
func checkRetries(t *testing.T, h *retryLog, want int, method, path, reason string) {
	t.Helper()
	recs := h.retries()
	if len(recs) != want {
		t.Errorf("retry records = %d (%v), want %d", len(recs), recs, want)
	}
	for _, r := range recs {
		keys := slices.Sorted(maps.Keys(r))
		if !slices.Equal(keys, retryShape) || r["level"] != "WARN" || r["method"] != method ||
			r["path"] != path || !strings.Contains(r["reason"], reason) {
			t.Errorf("retry record %v, want keys %v at WARN for %s %s, reason with %q", r, retryShape, method, path, reason)
		}
	}
}
