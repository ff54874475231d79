package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"settle/internal/flock"
)

func TestOpenLocksTheStateFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	first, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	if _, err := Open(dir, Options{}); !errors.Is(err, flock.ErrLocked) || !strings.Contains(err.Error(), "locked by another settle run") {
		t.Errorf("second Open() error = %v, want a lock error", err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	again, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open() after Close error = %v, want the lock released", err)
	}
	if err := again.Close(); err != nil {
		t.Errorf("Close() error = %v", err)
	}
}

// serving opens an in-memory sandbox with opts and serves it on a
// loopback port until cancel; served receives what Serve returns.
func serving(t *testing.T, opts Options) (*Server, net.Listener, context.CancelFunc, chan error) {
	t.Helper()
	s, err := Open("", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	return s, ln, cancel, served
}

func TestServeShutsDownWhenContextEnds(t *testing.T) {
	_, ln, cancel, served := serving(t, Options{})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	url := "http://" + ln.Addr().String() + "/sandbox/clock"
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET while serving: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET while serving = %d, want 200", resp.StatusCode)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve() after the context ended = %v, want nil", err)
	}
	if resp, err := client.Get(url); err == nil {
		resp.Body.Close()
		t.Errorf("GET after shutdown = %d, want a connection error", resp.StatusCode)
	}
}

// TestServeStopsPastAStalledRequest: a request still running when the
// grace ends (here one held by a minute of injected latency; a browser's
// preconnected socket holds the stop the same way) does not make the stop
// fail: its connection is closed and Serve returns nil.
func TestServeStopsPastAStalledRequest(t *testing.T) {
	s, ln, cancel, served := serving(t, Options{BasicAuth: true, Faults: Faults{Latency: time.Minute}})
	req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/v2.01/"+s.opts.ClientID+"/clients", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(s.opts.ClientID, s.opts.APIKey)
	answered := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	for s.Stats().Requests == 0 { // the request has reached its latency
		runtime.Gosched()
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve() with a request still running = %v, want nil", err)
	}
	if err := <-answered; err == nil {
		t.Errorf("the stalled request was answered, want its connection closed")
	}
}
