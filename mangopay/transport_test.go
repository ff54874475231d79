package mangopay_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"settle/mangopay"
)

// TestClientKeepsConnections: 32 callers of a client built without an
// HTTPClient make five waves of calls; the default transport keeps their
// connections between waves. net/http's default (2 idle per host) would
// close about 30 and dial them again at every wave, about 150 dials.
func TestClientKeepsConnections(t *testing.T) {
	var dials atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(benchWallet)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := mangopay.NewClient(mangopay.Config{ClientID: "cid", APIKey: "key", BaseURL: srv.URL, Auth: mangopay.AuthBasic})
	if err != nil {
		t.Fatal(err)
	}
	const callers, waves = 32, 5
	for range waves {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				if _, err := c.Wallets.Get(context.Background(), "w1"); err != nil {
					t.Errorf("Get() error = %v", err)
				}
			})
		}
		wg.Wait()
	}
	if n := dials.Load(); n > 2*callers {
		t.Errorf("%d connections dialled for %d waves of %d calls, want at most %d (kept between waves)", n, waves, callers, 2*callers)
	}
}

// TestNewHTTPClientSizes: the idle pool is sized to the callers, at least
// DefaultConns.
func TestNewHTTPClientSizes(t *testing.T) {
	for _, tc := range []struct{ conns, want int }{{0, mangopay.DefaultConns}, {8, mangopay.DefaultConns}, {200, 200}} {
		tr, ok := mangopay.NewHTTPClient(tc.conns).Transport.(*http.Transport)
		if !ok || tr.MaxIdleConnsPerHost != tc.want || tr.MaxIdleConns < tc.want {
			t.Errorf("NewHTTPClient(%d) transport = %T %+v, want %d idle per host", tc.conns, tr, tr, tc.want)
		}
	}
}
