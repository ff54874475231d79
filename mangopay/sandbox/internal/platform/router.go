package platform

import (
	"net/http"
	"strings"
	"time"
)

// Handler serves one API route. It runs with Config.Lock held, so it may
// read and change the state freely; it must not block. body is what to
// answer: nil (no body), an [*Error], a [List], a [Text], or a value to
// marshal as JSON.
type Handler func(c *Call) (status int, body any)

// Call is one API request as a handler sees it.
type Call struct {
	Request *http.Request
	// Params are the path parameters by lowercase name: "id", "userid", ...
	Params map[string]string
	Body   []byte
	// Now is the sandbox clock when the handler started.
	Now time.Time
	// IdemKey is the request's Idempotency-Key, "" when none.
	IdemKey string
	query   map[string][]string // keys lowercased
}

// route is one entry of the routing table.
type route struct {
	method   string
	segments []string // lowercase; "{name}" segments capture
	h        Handler
}

// Handle registers an API route relative to /v2.01/{ClientId}, e.g.
// Handle("GET", "/users/{userid}/wallets", h). Matching ignores case and a
// trailing slash; the first route registered wins, so literal routes come
// before parameter routes of the same length. Call it before serving.
func (a *API) Handle(method, pattern string, h Handler) {
	segs := strings.Split(strings.Trim(strings.ToLower(pattern), "/"), "/")
	a.routes = append(a.routes, route{method: method, segments: segs, h: h})
}

// match finds the route for a path below /v2.01/{ClientId}; pathFound
// tells a 405 (the path exists with another method) from a 404.
func (a *API) match(method string, segs []string) (rt *route, params map[string]string, pathFound bool) {
	for i := range a.routes {
		rt := &a.routes[i]
		if len(rt.segments) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for j, want := range rt.segments {
			if strings.HasPrefix(want, "{") {
				params[strings.Trim(want, "{}")] = segs[j]
				continue
			}
			if !strings.EqualFold(want, segs[j]) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		pathFound = true
		if rt.method == method {
			return rt, params, true
		}
	}
	return nil, nil, pathFound
}

// routeName is the stats key of a route: "/users/{userid}/wallets".
func routeName(rt *route) string {
	if rt == nil {
		return "(no route)"
	}
	return "/" + strings.Join(rt.segments, "/")
}
