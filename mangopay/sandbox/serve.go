package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody caps request bodies: a 10 MB KYC page is about 13.4 MB of base64.
const maxBody = 16 << 20

// serveAPI is the request pipeline for everything below /v2.01/:
// route matching, auth, rate limiting, idempotency-key check, faults, then
// the handler under s.mu, then writing. segs are the path segments after
// the version segment; segs[0] is the ClientId.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) == 2 && strings.EqualFold(segs[0], "oauth") && strings.EqualFold(segs[1], "token") {
		s.stats.count(r.Method, "/oauth/token")
		s.serveToken(w, r)
		return
	}
	clientID, rest := "", segs
	if len(segs) > 0 {
		clientID, rest = segs[0], segs[1:]
	}
	if isJSKit(r, rest) {
		s.serveJSKit(w, r, clientID, rest[1])
		return
	}
	rt, params, pathFound := s.match(r.Method, rest)
	s.stats.count(r.Method, routeName(rt))
	now := s.now()
	if rt == nil && !pathFound && clientID != s.opts.ClientID {
		// No ClientId in the path (/v2.01/countries/FR/authorizations):
		// MANGOPAY answers 404 before looking at the credentials.
		s.writeResponse(w, s.renderError(errNoRoute(r.Method, false), now))
		return
	}
	if e := s.authenticate(r, clientID, now); e != nil {
		// Report (without counting) the sandbox client's windows: keying
		// on an arbitrary path ClientId would let junk requests grow the map.
		s.limiter.setHeaders(w.Header(), s.limiter.peek(s.opts.ClientID, now))
		s.writeResponse(w, s.renderError(e, now))
		return
	}
	rl := s.limiter.take(clientID, now)
	s.limiter.setHeaders(w.Header(), rl)
	if !rl.ok {
		s.writeResponse(w, s.renderError(errRateLimit(), now))
		return
	}
	if rt == nil {
		s.writeResponse(w, s.renderError(errNoRoute(r.Method, pathFound), now))
		return
	}
	s.serveRoute(w, r, rt, params)
}

// serveRoute runs the checks that need a matched route (idempotency key,
// faults, body) and then the handler.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt *route, params map[string]string) {
	key := ""
	if r.Method == http.MethodPost {
		key = r.Header.Get("Idempotency-Key")
		if key != "" && !validIdemKey(key) {
			s.writeResponse(w, s.renderError(errIdemKey(), s.now()))
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.writeResponse(w, s.renderError(errBody(err), s.now()))
		return
	}
	// Faults come after reading the body: only then does net/http watch the
	// connection and cancel r.Context() when the client goes away.
	plan := s.faults.draw(r.Method)
	if plan.latency > 0 && !sleepCtx(r, plan.latency) {
		return
	}
	if plan.fail {
		s.writeResponse(w, s.renderError(errInternal(), s.now()))
		return
	}
	// A body that is not JSON is refused in place of the handler, inside
	// execute, so that the 400 burns the Idempotency-Key like any answer.
	h := rt.h
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !jsonOrEmpty(body) {
		h = func(c *call) (int, any) { return c.fail(errField("Body", "The request body is not valid JSON.")) }
	}
	resp, seq := s.execute(r, h, params, body, key)
	if err := s.syncJournal(seq); err != nil {
		resp = s.renderError(errInternal(), s.now())
	}
	if plan.drop {
		dropConnection(w)
	}
	s.writeResponse(w, resp)
}

// execute runs the handler with s.mu held: it advances the sandbox's
// asynchronous work, refuses a reused Idempotency-Key, calls the handler,
// renders its result and records it under the key. It returns the rendered
// response and the journal position to sync before answering.
func (s *Server) execute(r *http.Request, h handler, params map[string]string, body []byte, key string) (*response, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.advance(now)
	if key != "" {
		if rec := s.idemLookup(key, now); rec != nil {
			return s.renderError(errIdemConflict(), now), s.journalPos()
		}
	}
	c := &call{s: s, r: r, params: params, query: lowerQuery(r), body: body, now: now, idemKey: key}
	resp := s.invoke(c, h)
	if key != "" {
		s.idemStore(key, resp, s.requestURL(r), now)
	}
	return resp, s.journalPos()
}

// invoke calls h and renders its result; a panic becomes a 500 "other".
func (s *Server) invoke(c *call, h handler) (resp *response) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			resp = s.renderError(errInternal(), c.now)
		}
	}()
	status, body := h(c)
	return s.render(c, status, body)
}

// lowerQuery parses the query string with lowercased keys, keeping the
// order of the values as sent (Status=a&STATUS=b gives [a b]).
func lowerQuery(r *http.Request) map[string][]string {
	out := map[string][]string{}
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			continue // as url.ParseQuery, skip what cannot be decoded
		}
		lk := strings.ToLower(key)
		out[lk] = append(out[lk], val)
	}
	return out
}

// routeName is the stats key of a route: "/users/{userid}/wallets".
func routeName(rt *route) string {
	if rt == nil {
		return "(no route)"
	}
	return "/" + strings.Join(rt.segments, "/")
}

// jsonOrEmpty reports whether body is blank or valid JSON.
func jsonOrEmpty(body []byte) bool {
	for _, b := range body {
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return json.Valid(body)
		}
	}
	return true
}

// sleepCtx waits d or until the request is cancelled; false when cancelled.
func sleepCtx(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// errBody maps a body read failure: too large is 413, anything else 400.
func errBody(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &apiError{Status: http.StatusRequestEntityTooLarge, Type: "request_entity_too_large",
			Message: fmt.Sprintf("The request body exceeds %d bytes.", tooBig.Limit)}
	}
	return errField("Body", "The request body could not be read.")
}
