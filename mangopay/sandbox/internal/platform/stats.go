package platform

import (
	"net/http"
	"sync"
)

// RequestStats counts the requests received below /v2.01 (OAuth token calls
// included), whatever their outcome.
type RequestStats struct {
	// Requests is the total; Writes counts POST and PUT.
	Requests int64
	Writes   int64
	// ByMethod counts per HTTP method; ByRoute per "METHOD /route/{pattern}"
	// ("(no route)" for unknown paths).
	ByMethod map[string]int64
	ByRoute  map[string]int64
}

// requestCounter accumulates RequestStats.
type requestCounter struct {
	mu       sync.Mutex
	total    int64            // guarded by mu
	writes   int64            // guarded by mu
	byMethod map[string]int64 // guarded by mu
	byRoute  map[string]int64 // guarded by mu
}

func newRequestCounter() *requestCounter {
	return &requestCounter{byMethod: map[string]int64{}, byRoute: map[string]int64{}}
}

// count records one request.
func (c *requestCounter) count(method, route string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	if method == http.MethodPost || method == http.MethodPut {
		c.writes++
	}
	c.byMethod[method]++
	c.byRoute[method+" "+route]++
}

// RequestStats returns a copy of the request counters.
func (a *API) RequestStats() RequestStats {
	c := a.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	st := RequestStats{Requests: c.total, Writes: c.writes, ByMethod: map[string]int64{}, ByRoute: map[string]int64{}}
	for k, v := range c.byMethod {
		st.ByMethod[k] = v
	}
	for k, v := range c.byRoute {
		st.ByRoute[k] = v
	}
	return st
}

// ResetStats forgets every count.
func (a *API) ResetStats() {
	c := a.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total, c.writes = 0, 0
	c.byMethod, c.byRoute = map[string]int64{}, map[string]int64{}
}
