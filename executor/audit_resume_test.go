package executor_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"settle/executor"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// lateCommit holds the first POST carrying tag: the runner that sent it
// gives up (it is interrupted), and the request reaches MANGOPAY only when
// the next POST with that tag arrives, just before it, as a request still
// in flight from a killed process would.
type lateCommit struct {
	a       *auditEnv
	tag     string
	mu      sync.Mutex
	held    []byte
	heldReq *http.Request
	arrived chan struct{}
}

func (l *lateCommit) hook(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if r.Method != http.MethodPost || tagOf(body) != l.tag {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.heldReq == nil {
		l.held, l.heldReq = body, r.Clone(context.Background())
		close(l.arrived)
		l.mu.Unlock()
		<-r.Context().Done()
		l.mu.Lock()
		return true
	}
	if l.held != nil {
		late := l.heldReq
		late.Body = nopBody(l.held)
		l.a.srv.ServeHTTP(httptest.NewRecorder(), late)
		l.held = nil
	}
	return false
}

// TestAuditResumeReusesKey: a partial refund is sent, the run is
// interrupted before the answer, and the operator edits the refund amount
// before the next run. The first request reaches MANGOPAY late, after the
// next run read the state. The next run must resume with the key it
// journalled, so that MANGOPAY answers with the first refund instead of
// making a second one.
func TestAuditResumeReusesKey(t *testing.T) {
	a := newAuditEnv(t, sandbox.Options{})
	path := "../examples/partial-refund.yaml"
	p := a.load(path)
	step := "transfer_refund/fest-2026/olivier-1"
	l := &lateCommit{a: a, tag: "settle:" + p.Name + "/" + step, arrived: make(chan struct{})}
	a.setHook(l.hook)
	cfg := a.cfg("j.jsonl")
	cfg.Client = a.c
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-l.arrived; cancel() }()
	first, err := executor.Apply(ctx, cfg, p)
	if err != nil {
		t.Fatalf("interrupted Apply() error = %v", err)
	}
	if !first.Interrupted {
		t.Fatalf("first Apply() = %s, want interrupted", describe(first))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	q, err := plan.Parse(path, []byte(strings.Replace(string(data), "refund_amount: 4200", "refund_amount: 500", 1)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Client = a.newClient()
	a.apply(context.Background(), cfg, q)
	a.setHook(nil)
	var refunds int
	tr := a.stepID(t, q, "transfer/fest-2026/olivier-1")
	for rf, err := range a.env.c.Transfers.Refunds(context.Background(), tr, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if rf.Status == "SUCCEEDED" {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("refunds of %s = %d, want 1 (the in-doubt one, resumed under its key)", tr, refunds)
	}
}

func nopBody(b []byte) *readCloser { return &readCloser{bytes.NewReader(b)} }

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
