package executor_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// auditEnv is an env whose API requests pass through a hook first, for
// faults and barriers the sandbox cannot express.
type auditEnv struct {
	*env
	ts   *httptest.Server
	c    *mangopay.Client
	mu   sync.Mutex
	hook func(w http.ResponseWriter, r *http.Request, body []byte) bool // true: answered
}

// newAuditEnv wraps a fresh sandbox env with a hookable front server and
// a client on it.
func newAuditEnv(t *testing.T, opts sandbox.Options) *auditEnv {
	t.Helper()
	a := &auditEnv{env: newEnv(t, opts)}
	a.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		a.mu.Lock()
		h := a.hook
		a.mu.Unlock()
		if h != nil && strings.HasPrefix(r.URL.Path, "/v2.01/") && !strings.Contains(r.URL.Path, "oauth") &&
			h(w, r, body) {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		a.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(a.ts.Close)
	a.c = a.newClient()
	return a
}

// newClient is a client on the hooked front server, with fewer and
// shorter retries than env's.
func (a *auditEnv) newClient() *mangopay.Client {
	return newTestClient(a.t, a.ts.URL, 5*time.Millisecond, 3, nil)
}

// setHook installs h (nil removes it).
func (a *auditEnv) setHook(h func(w http.ResponseWriter, r *http.Request, body []byte) bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.hook = h
}

// tagOf is the Tag of a JSON request body, "" when none.
func tagOf(body []byte) string {
	var v struct{ Tag string }
	_ = json.Unmarshal(body, &v)
	return v.Tag
}

// moneyPost reports a POST that moves money.
func moneyPost(r *http.Request) bool {
	p := r.URL.Path
	return r.Method == http.MethodPost && (strings.HasSuffix(p, "/transfers") || strings.HasSuffix(p, "/refunds") ||
		strings.Contains(p, "/payins/card/direct") || strings.Contains(p, "/payouts/bankwire"))
}

// pairBarrier holds each money POST until a second POST with the same Tag
// arrives (or a safety release fires), so two runs send each movement
// together, both having read the state before either wrote it.
type pairBarrier struct {
	mu      sync.Mutex
	waiting map[string]chan struct{}
	paired  int
}

func newPairBarrier() *pairBarrier { return &pairBarrier{waiting: map[string]chan struct{}{}} }

// hook is an auditEnv hook; it never answers by itself.
func (b *pairBarrier) hook(_ http.ResponseWriter, r *http.Request, body []byte) bool {
	if !moneyPost(r) {
		return false
	}
	tag := tagOf(body)
	b.mu.Lock()
	ch, ok := b.waiting[tag]
	if ok {
		delete(b.waiting, tag)
		b.paired++
		close(ch)
		b.mu.Unlock()
		return false
	}
	ch = make(chan struct{})
	b.waiting[tag] = ch
	b.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(3 * time.Second): // the twin never came (found by Tag, or skipped)
		b.mu.Lock()
		if b.waiting[tag] == ch {
			delete(b.waiting, tag)
		}
		b.mu.Unlock()
	case <-r.Context().Done():
	}
	return false
}

// pairs is how many movements the two runs sent together.
func (b *pairBarrier) pairs() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.paired
}
