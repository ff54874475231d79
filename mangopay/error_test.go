package mangopay

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestErrorDecode(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   Error
	}{
		{"param error with float date", 400,
			`{"Message":"One or several required parameters are missing or incorrect.","Type":"param_error","Id":"864a#1690291065","Date":1690291065.0,"errors":{"Email":"bad","UserCategory":"required"}}`,
			Error{StatusCode: 400, Type: "param_error", Message: "One or several required parameters are missing or incorrect.",
				ID: "864a#1690291065", Date: 1690291065, Errors: map[string]string{"Email": "bad", "UserCategory": "required"}}},
		{"401 without id or errors", 401,
			`{"Message":"The authorization credentials are not valid","Type":"invalid_credentials","Date":1733404277}`,
			Error{StatusCode: 401, Type: "invalid_credentials", Message: "The authorization credentials are not valid", Date: 1733404277}},
		{"capital Errors, empty", 400,
			`{"Message":"m","Type":"original_transaction_must_be_succeeded","Id":"x","Date":1,"Errors":{}}`,
			Error{StatusCode: 400, Type: "original_transaction_must_be_succeeded", Message: "m", ID: "x", Date: 1}},
		{"capital Errors with values", 400,
			`{"Type":"param_error","Errors":{"currency":"mismatch"}}`,
			Error{StatusCode: 400, Type: "param_error", Errors: map[string]string{"currency": "mismatch"}}},
		{"non-string values and null", 400,
			`{"Type":"param_error","Date":"1700000000","errors":{"a":1,"b":{"x":[1]},"c":null,"d":"s"}}`,
			Error{StatusCode: 400, Type: "param_error", Date: 1700000000,
				Errors: map[string]string{"a": "1", "b": `{"x":[1]}`, "c": "", "d": "s"}}},
		{"null errors", 404, `{"Type":"ressource_not_found","errors":null,"Date":null}`,
			Error{StatusCode: 404, Type: "ressource_not_found"}},
		{"oauth body", 400, `{"error":"unauthorized_client","error_description":"locked"}`,
			Error{StatusCode: 400, Type: "unauthorized_client", Message: "locked"}},
		{"html body", 502, `<html>bad gateway</html>`,
			Error{StatusCode: 502, Message: "Bad Gateway"}},
		{"empty body", 500, ``, Error{StatusCode: 500, Message: "Internal Server Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newError(tt.status, []byte(tt.body))
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("newError() = %#v, want %#v", *got, tt.want)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{StatusCode: 400, Type: "param_error", Message: "Bad.", ID: "abc#1",
		Errors: map[string]string{"Zeta": "z", "Alpha": "a"}}
	want := "mangopay: 400 param_error: Bad. (id abc#1): Alpha: a; Zeta: z"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = &Error{StatusCode: 401, Type: "invalid_credentials", Message: "no"}
	if got, want := e.Error(), "mangopay: 401 invalid_credentials: no"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestErrorIs(t *testing.T) {
	tests := []struct {
		err  *Error
		want []error
	}{
		{&Error{StatusCode: 404, Type: TypeNotFound}, []error{ErrNotFound}},
		{&Error{StatusCode: 400, Type: TypeParamError}, []error{ErrParam}},
		{&Error{StatusCode: 409, Type: TypeIdempotentCreationConflict}, []error{ErrIdempotencyConflict}},
		{&Error{StatusCode: 429, Type: TypeRateLimit}, []error{ErrRateLimit}},
		{&Error{StatusCode: 401, Type: TypeInvalidCredentials}, []error{ErrAuth}},
		{&Error{StatusCode: 400, Type: "invalid_client"}, []error{ErrAuth}},
		{&Error{StatusCode: 400, Type: "currency_incompatibility"}, nil},
	}
	all := []error{ErrNotFound, ErrParam, ErrIdempotencyConflict, ErrRateLimit, ErrAuth}
	for _, tt := range tests {
		wrapped := fmt.Errorf("step: %w", tt.err)
		for _, s := range all {
			want := false
			for _, w := range tt.want {
				want = want || w == s
			}
			if got := errors.Is(wrapped, s); got != want {
				t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, s, got, want)
			}
		}
		var e *Error
		if !errors.As(wrapped, &e) || e != tt.err {
			t.Errorf("errors.As(%v) failed", wrapped)
		}
	}
}

func TestParseFieldError(t *testing.T) {
	tests := []struct {
		value string
		want  FieldError
	}{
		{"REQUIRED", FieldError{Code: "REQUIRED"}},
		{"INVALID_FORMAT", FieldError{Code: "INVALID_FORMAT"}},
		{"INVALID_FORMAT. Regex validation: ^[a-zA-Z]{2}\\d{2}$", FieldError{Code: "INVALID_FORMAT",
			Detail: "Regex validation: ^[a-zA-Z]{2}\\d{2}$", Regex: "^[a-zA-Z]{2}\\d{2}$"}},
		{"KAR_0042", FieldError{Code: "KAR_0042"}},
		{"2815488948686553431", FieldError{Code: "2815488948686553431"}},
		{"UserId is not valid", FieldError{Detail: "UserId is not valid"}},
		{"Consent cannot be given when no proxy is required by the client.", FieldError{Detail: "Consent cannot be given when no proxy is required by the client."}},
		{"A", FieldError{Detail: "A"}},
		{"", FieldError{}},
	}
	for _, tt := range tests {
		tt.want.Field = "f"
		if got := ParseFieldError("f", tt.value); got != tt.want {
			t.Errorf("ParseFieldError(%q) = %+v, want %+v", tt.value, got, tt.want)
		}
	}
}
