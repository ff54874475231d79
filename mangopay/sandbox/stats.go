package sandbox

// Stats counts the requests the sandbox received below /v2.01 (OAuth token
// calls included, admin and tokenization excluded), whatever their outcome,
// and the hook notifications it sent. Tests use it to count the write calls
// a client made.
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

// Stats returns a copy of the counters. Safe for concurrent use.
func (s *Server) Stats() Stats {
	rs := s.api.RequestStats()
	return Stats{Requests: rs.Requests, Writes: rs.Writes, ByMethod: rs.ByMethod, ByRoute: rs.ByRoute,
		HooksSent: s.hooksSent.Load(), DroppedHooks: s.droppedHooks.Load()}
}
