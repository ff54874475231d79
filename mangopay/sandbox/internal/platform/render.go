package platform

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

const (
	ctJSON = "application/json; charset=utf-8"
	ctText = "text/plain; charset=utf-8"
)

// response is a rendered answer, built under the lock (handler results may
// point into the state) and written after it is released.
type response struct {
	status      int
	contentType string
	body        []byte
	header      http.Header // extra headers: X-Number-Of-*, Link, Location
}

// Text is a handler result answered as text/plain.
type Text string

// render turns a handler result into a response. See the package
// documentation in docs/sandbox.md for the mapping.
func (a *API) render(c *Call, status int, body any) *response {
	switch b := body.(type) {
	case nil:
		return &response{status: status}
	case *Error:
		return a.renderError(b, c.Now)
	case List:
		return a.renderList(c, b)
	case Text:
		return &response{status: status, contentType: ctText, body: []byte(b)}
	}
	data, err := json.Marshal(body)
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal %T: %v", body, err))
	}
	return &response{status: status, contentType: ctJSON, body: data}
}

// renderError renders a MANGOPAY error body. Keys come in MANGOPAY's order:
// Message, Type, Id, Date, errors. Id is "<uuid>#<unix>"; the errors key is
// always present (null when empty) unless NoIDNoErrors, and is spelled
// "Errors" ({} when empty) with CapitalErrors.
func (a *API) renderError(e *Error, now time.Time) *response {
	var buf bytes.Buffer
	buf.WriteString(`{"Message":`)
	writeJSON(&buf, e.Message)
	buf.WriteString(`,"Type":`)
	writeJSON(&buf, e.Type)
	if !e.NoIDNoErrors {
		buf.WriteString(`,"Id":`)
		writeJSON(&buf, newUUID()+"#"+strconv.FormatInt(now.Unix(), 10))
	}
	buf.WriteString(`,"Date":`)
	buf.WriteString(strconv.FormatInt(now.Unix(), 10))
	switch {
	case e.NoIDNoErrors:
	case e.CapitalErrors:
		buf.WriteString(`,"Errors":`)
		if e.Errors == nil {
			buf.WriteString("{}")
		} else {
			writeJSON(&buf, e.Errors)
		}
	default:
		buf.WriteString(`,"errors":`)
		if len(e.Errors) == 0 {
			buf.WriteString("null")
		} else {
			writeJSON(&buf, e.Errors)
		}
	}
	buf.WriteByte('}')
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	return &response{status: status, contentType: ctJSON, body: buf.Bytes(), header: e.Header.Clone()}
}

// writeJSON appends the JSON encoding of a string or string map.
func writeJSON(buf *bytes.Buffer, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal %T: %v", v, err))
	}
	buf.Write(data)
}

// WriteError writes e as MANGOPAY's error body, dated by the sandbox clock.
func (a *API) WriteError(w http.ResponseWriter, e *Error) {
	a.writeResponse(w, a.renderError(e, a.Now()))
}

// writeResponse writes resp. Empty bodies get no Content-Type.
func (a *API) writeResponse(w http.ResponseWriter, resp *response) {
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	if resp.contentType != "" {
		h.Set("Content-Type", resp.contentType)
	}
	if len(resp.body) > 0 || resp.status != http.StatusNoContent {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	w.WriteHeader(resp.status)
	if len(resp.body) > 0 {
		_, _ = w.Write(resp.body)
	}
}

// WriteJSON writes a JSON body outside the API pipeline (OAuth, admin).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: marshal %T: %v", v, err))
	}
	w.Header().Set("Content-Type", ctJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// WriteText writes a 200 text/plain body (tokenizer answers, browser pages).
func WriteText(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", ctText)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}

// newUUID returns a random version-4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// dropConnection closes the client connection without an answer: hijack
// and close under HTTP/1, abort the handler where hijacking is impossible.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			panic(http.ErrAbortHandler)
		}
	}
	panic(http.ErrAbortHandler)
}
