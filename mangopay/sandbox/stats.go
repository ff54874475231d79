package sandbox

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// Stats counts the requests the sandbox received below /v2.01 (OAuth token
// calls included, admin and tokenization excluded), whatever their outcome.
// Tests use it to count the write calls a client made.
type Stats struct {
	// Requests is the total; Writes counts POST and PUT.
	Requests int64 `json:"Requests"`
	Writes   int64 `json:"Writes"`
	// ByMethod counts per HTTP method; ByRoute per "METHOD /route/{pattern}"
	// ("(no route)" for unknown paths).
	ByMethod map[string]int64 `json:"ByMethod"`
	ByRoute  map[string]int64 `json:"ByRoute"`
	// HooksSent counts delivered hook notifications (any answer);
	// DroppedHooks those dropped because the queue was full.
	HooksSent    int64 `json:"HooksSent"`
	DroppedHooks int64 `json:"DroppedHooks"`
}

// statsCounter accumulates Stats.
type statsCounter struct {
	mu           sync.Mutex
	total        int64            // guarded by mu
	writes       int64            // guarded by mu
	byMethod     map[string]int64 // guarded by mu
	byRoute      map[string]int64 // guarded by mu
	hooksSent    atomic.Int64
	droppedHooks atomic.Int64
}

func newStatsCounter() *statsCounter {
	return &statsCounter{byMethod: map[string]int64{}, byRoute: map[string]int64{}}
}

// count records one request.
func (c *statsCounter) count(method, route string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total++
	if method == http.MethodPost || method == http.MethodPut {
		c.writes++
	}
	c.byMethod[method]++
	c.byRoute[method+" "+route]++
}

// reset forgets every count.
func (c *statsCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total, c.writes = 0, 0
	c.byMethod, c.byRoute = map[string]int64{}, map[string]int64{}
}

// Stats returns a copy of the request counters. Safe for concurrent use.
func (s *Server) Stats() Stats {
	c := s.stats
	c.mu.Lock()
	defer c.mu.Unlock()
	st := Stats{Requests: c.total, Writes: c.writes, ByMethod: map[string]int64{}, ByRoute: map[string]int64{},
		HooksSent: c.hooksSent.Load(), DroppedHooks: c.droppedHooks.Load()}
	for k, v := range c.byMethod {
		st.ByMethod[k] = v
	}
	for k, v := range c.byRoute {
		st.ByRoute[k] = v
	}
	return st
}
