package mangopay

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
