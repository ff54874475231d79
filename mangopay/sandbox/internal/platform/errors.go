package platform

import (
	"fmt"
	"net/http"
)

// Error is a MANGOPAY error body. It is rendered (renderError) as
// {"Message","Type","Id","Date","errors"}; the errors key is always present
// (null when empty) because the Python SDK looks for it.
type Error struct {
	Status  int
	Type    string
	Message string
	Errors  map[string]string
	// CapitalErrors writes the key as "Errors" (and {} when empty), as the
	// original_transaction_must_be_succeeded body does.
	CapitalErrors bool
	// NoIDNoErrors leaves out Id and errors, as the 401 body does.
	NoIDNoErrors bool
	// Header holds headers sent with the error (the WWW-Authenticate of an
	// SCA challenge).
	Header http.Header
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Type, e.Message) }

// MsgParamError is the Message of every param_error.
const MsgParamError = "One or several required parameters are missing or incorrect. An incorrect resource ID also raises this kind of error."

// ParamError is the 400 param_error with field messages.
func ParamError(fields map[string]string) *Error {
	return &Error{Status: 400, Type: "param_error", Message: MsgParamError, Errors: fields}
}

// FieldError is ParamError with a single field.
func FieldError(field, msg string) *Error { return ParamError(map[string]string{field: msg}) }

// Platform error bodies.

func errRateLimit() *Error {
	return &Error{Status: http.StatusTooManyRequests, Type: "rate_limit",
		Message: "Rate limit exceeded. Please contact support for more assistance"}
}

func errInternal() *Error {
	return &Error{Status: http.StatusInternalServerError, Type: "other", Message: "Internal Server Error"}
}

// errNoRoute is the 404 for an unknown path, or the 405 when the path exists
// with another method (ASP.NET's message, as MANGOPAY's backend answers).
func errNoRoute(method string, pathFound bool) *Error {
	if pathFound {
		return &Error{Status: http.StatusMethodNotAllowed, Type: "method_not_allowed",
			Message: fmt.Sprintf("The requested resource does not support http method '%s'.", method)}
	}
	return &Error{Status: http.StatusNotFound, Type: "ressource_not_found", Message: "The ressource does not exist"}
}
