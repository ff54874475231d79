package platform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// MaxBody caps request bodies: a 10 MB KYC page is about 13.4 MB of base64.
const MaxBody = 16 << 20

// serveAPI is the request pipeline for everything below /v2.01/:
// route matching, auth, rate limiting, idempotency-key check, faults, then
// the handler under the lock, then writing. segs are the path segments
// after the version segment; segs[0] is the ClientId.
func (a *API) serveAPI(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) == 2 && strings.EqualFold(segs[0], "oauth") && strings.EqualFold(segs[1], "token") {
		a.stats.count(r.Method, "/oauth/token")
		a.serveToken(w, r)
		return
	}
	clientID, rest := "", segs
	if len(segs) > 0 {
		clientID, rest = segs[0], segs[1:]
	}
	if isJSKit(r, rest) {
		a.serveJSKit(w, r, clientID, rest[1])
		return
	}
	rt, params, pathFound := a.match(r.Method, rest)
	a.stats.count(r.Method, routeName(rt))
	now := a.Now()
	if rt == nil && !pathFound && clientID != a.cfg.ClientID {
		// No ClientId in the path (/v2.01/countries/FR/authorizations):
		// MANGOPAY answers 404 before looking at the credentials.
		a.writeResponse(w, a.renderError(errNoRoute(r.Method, false), now))
		return
	}
	if e := a.authenticate(r, clientID, now); e != nil {
		// Report (without counting) the sandbox client's windows: keying
		// on an arbitrary path ClientId would let junk requests grow the map.
		a.limiter.setHeaders(w.Header(), a.limiter.peek(a.cfg.ClientID, now))
		a.writeResponse(w, a.renderError(e, now))
		return
	}
	rl := a.limiter.take(clientID, now)
	a.limiter.setHeaders(w.Header(), rl)
	if !rl.ok {
		a.writeResponse(w, a.renderError(errRateLimit(), now))
		return
	}
	if rt == nil {
		a.writeResponse(w, a.renderError(errNoRoute(r.Method, pathFound), now))
		return
	}
	a.serveRoute(w, r, rt, params)
}

// serveRoute runs the checks that need a matched route (idempotency key,
// faults, body) and then the handler.
func (a *API) serveRoute(w http.ResponseWriter, r *http.Request, rt *route, params map[string]string) {
	key := ""
	if r.Method == http.MethodPost {
		key = r.Header.Get("Idempotency-Key")
		if key != "" && !validIdemKey(key) {
			a.writeResponse(w, a.renderError(errIdemKey(), a.Now()))
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		a.writeResponse(w, a.renderError(BodyError(err), a.Now()))
		return
	}
	// Faults come after reading the body: only then does net/http watch the
	// connection and cancel r.Context() when the client goes away.
	fault := a.faults.draw(r.Method)
	if fault.latency > 0 && !sleepCtx(r, fault.latency) {
		return
	}
	if fault.fail {
		a.writeResponse(w, a.renderError(errInternal(), a.Now()))
		return
	}
	// A body that is not JSON is refused in place of the handler, inside
	// execute, so that the 400 burns the Idempotency-Key like any answer.
	h := rt.h
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && !jsonOrEmpty(body) {
		h = func(*Call) (int, any) {
			e := FieldError("Body", "The request body is not valid JSON.")
			return e.Status, e
		}
	}
	resp := a.execute(r, h, params, body, key)
	if fault.drop {
		dropConnection(w)
	}
	a.writeResponse(w, resp)
}

// execute commits the handler's work: it refuses a reused Idempotency-Key,
// calls the handler, renders its result and records it under the key. The
// response is a 500 when the state log cannot make the change durable.
func (a *API) execute(r *http.Request, h Handler, params map[string]string, body []byte, key string) *response {
	var resp *response
	err := a.Commit(func(now time.Time) {
		if key != "" && a.idemLookup(key, now) != nil {
			resp = a.renderError(errIdemConflict(), now)
			return
		}
		c := &Call{Request: r, Params: params, query: lowerQuery(r.URL.RawQuery), Body: body, Now: now, IdemKey: key}
		resp = a.invoke(c, h)
		if key != "" {
			a.idemStore(key, resp, a.requestURL(r), now)
		}
	})
	if err != nil {
		return a.renderError(errInternal(), a.Now())
	}
	return resp
}

// invoke calls h and renders its result; a panic becomes a 500 "other".
func (a *API) invoke(c *Call, h Handler) (resp *response) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			resp = a.renderError(errInternal(), c.Now)
		}
	}()
	status, body := h(c)
	return a.render(c, status, body)
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

// BodyError maps a body read failure: too large is 413, anything else 400.
func BodyError(err error) *Error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &Error{Status: http.StatusRequestEntityTooLarge, Type: "request_entity_too_large",
			Message: fmt.Sprintf("The request body exceeds %d bytes.", tooBig.Limit)}
	}
	return FieldError("Body", "The request body could not be read.")
}
