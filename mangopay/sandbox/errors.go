package sandbox

import (
	"fmt"

	"settle/mangopay/sandbox/internal/platform"
)

// apiError is a MANGOPAY error body; the platform renders it.
type apiError = platform.Error

// errParam is the 400 param_error with field messages.
func errParam(fields map[string]string) *apiError { return platform.ParamError(fields) }

// errField is errParam with a single field.
func errField(field, msg string) *apiError { return platform.FieldError(field, msg) }

// errRequired is the "The X field is required." param_error.
func errRequired(field string) *apiError {
	return errField(field, fmt.Sprintf("The %s field is required.", field))
}

// errNotFound is the 404 for an unknown Id of the given kind ("User", "Wallet", ...).
func errNotFound(kind, id string) *apiError {
	return &apiError{Status: 404, Type: "ressource_not_found", Message: "The ressource does not exist",
		Errors: map[string]string{"ResourceNotFound": fmt.Sprintf("Cannot found the resource %s with the id=%s ", kind, id)}}
}

// errCurrency is the 400 currency_incompatibility; MANGOPAY uses a lowercase key.
func errCurrency(msg string) *apiError {
	return &apiError{Status: 400, Type: "currency_incompatibility", Message: "Error: multi-currency usage is not authorized",
		Errors: map[string]string{"currency": msg}}
}

// errAction is a 400 with its own Type and Message and errors null.
func errAction(typ, msg string) *apiError { return &apiError{Status: 400, Type: typ, Message: msg} }

// fail turns an error into a handler result.
func (c *call) fail(e *apiError) (int, any) { return e.Status, e }
