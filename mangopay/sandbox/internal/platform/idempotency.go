package platform

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"settle/mangopay"
)

// idemTTL is how long MANGOPAY keeps an Idempotency-Key.
const idemTTL = 24 * time.Hour

// kindIdem is the state log kind of idempotency records.
const kindIdem = "sandbox.idempotency"

// idemRecord is the first response given to a POST with an
// Idempotency-Key. Keys are global to the client (not scoped per endpoint)
// and kept idemTTL by the sandbox clock, whatever the first status was.
type idemRecord struct {
	Status      int       `json:"Status"`
	ContentType string    `json:"ContentType"`
	Body        []byte    `json:"Body"`
	Date        time.Time `json:"Date"`
	URL         string    `json:"URL"`
}

// validIdemKey checks MANGOPAY's rule: 16 to 36 characters of [A-Za-z0-9-].
func validIdemKey(k string) bool {
	if len(k) < 16 || len(k) > 36 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// idemLookup returns the live record of key, or nil. Expired records are
// forgotten. Called with the lock held.
func (a *API) idemLookup(key string, now time.Time) *idemRecord {
	rec := a.idem[key]
	if rec == nil {
		return nil
	}
	if !now.Before(rec.Date.Add(idemTTL)) {
		delete(a.idem, key)
		return nil
	}
	return rec
}

// idemStore records the first response under key and persists it. Called
// with the lock held.
func (a *API) idemStore(key string, resp *response, url string, now time.Time) {
	rec := &idemRecord{Status: resp.status, ContentType: resp.contentType, Body: resp.body, Date: now.UTC(), URL: url}
	a.idem[key] = rec
	a.Save(kindIdem, key, rec)
}

// getResponse is GET /responses/{key}: the stored first response as a
// [mangopay.IdempotencyResponse] (MANGOPAY sends the status, length and date
// as strings), or 400 correlationid_not_found for an unknown or expired key.
func (a *API) getResponse(c *Call) (int, any) {
	rec := a.idemLookup(c.Params["key"], c.Now)
	if rec == nil {
		return http.StatusBadRequest, &Error{Status: http.StatusBadRequest, Type: "correlationid_not_found",
			Message: "Cannot find response for the provided idempotency key"}
	}
	resource := json.RawMessage("null")
	switch {
	case len(rec.Body) == 0:
	case rec.ContentType == ctJSON && json.Valid(rec.Body):
		resource = rec.Body
	default:
		quoted, _ := json.Marshal(string(rec.Body))
		resource = quoted
	}
	ct := rec.ContentType
	if ct == "" {
		ct = ctJSON
	}
	return http.StatusOK, mangopay.IdempotencyResponse{
		StatusCode:    strconv.Itoa(rec.Status),
		ContentLength: strconv.Itoa(len(rec.Body)),
		ContentType:   ct,
		Date:          rec.Date.Format(http.TimeFormat),
		RequestURL:    rec.URL,
		Resource:      resource,
	}
}

func errIdemKey() *Error {
	return FieldError("IdempotencyKey", "The Idempotency-Key header must be 16 to 36 characters from [A-Za-z0-9-].")
}

func errIdemConflict() *Error {
	return &Error{Status: http.StatusConflict, Type: "idempotent_creation_conflict",
		Message: "A resource has already been created with this Idempotency Key"}
}
