package platform

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
)

// The deprecated card-registration JavaScript kit (JSKIT) finishes a
// registration from the browser with an unauthenticated cross-origin form
// POST to /v2/{ClientId}/CardRegistrations/{Id} (also accepted under /v2.01)
// carrying Id and RegistrationData (older kits: data). The sandbox answers it
// as PUT /cardregistrations/{Id} with that RegistrationData, with permissive
// CORS headers, rate limits and stats as for any API call.

// isJSKit reports whether r is the kit's form POST (or its CORS preflight)
// for the route segments rest (below the ClientId).
func isJSKit(r *http.Request, rest []string) bool {
	if len(rest) != 2 || !strings.EqualFold(rest[0], "cardregistrations") || r.Header.Get("Authorization") != "" {
		return false
	}
	if r.Method == http.MethodOptions {
		return true
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded"
}

// serveJSKit answers the kit's request.
func (a *API) serveJSKit(w http.ResponseWriter, r *http.Request, clientID, id string) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	a.stats.count(r.Method, "/cardregistrations/{id} (jskit)")
	now := a.Now()
	if clientID != a.cfg.ClientID {
		a.writeResponse(w, a.renderError(errCredentials(), now))
		return
	}
	rl := a.limiter.take(clientID, now)
	a.limiter.setHeaders(h, rl)
	if !rl.ok {
		a.writeResponse(w, a.renderError(errRateLimit(), now))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		a.writeResponse(w, a.renderError(FieldError("RegistrationData", "The form body could not be read."), now))
		return
	}
	data := r.PostForm.Get("RegistrationData")
	if data == "" {
		data = r.PostForm.Get("data")
	}
	rt, params, _ := a.match(http.MethodPut, []string{"cardregistrations", id})
	if rt == nil {
		a.writeResponse(w, a.renderError(errNoRoute(r.Method, false), now))
		return
	}
	body, _ := json.Marshal(map[string]string{"RegistrationData": data})
	a.writeResponse(w, a.execute(r, rt.h, params, body, ""))
}
