package platform

import (
	"strings"
	"testing"
	"time"
)

func TestRenderErrorVariants(t *testing.T) {
	a := &API{}
	now := time.Unix(1700000000, 0)
	tests := []struct {
		name string
		e    *Error
		want string
	}{
		{"capital", &Error{Status: 400, Type: "original_transaction_must_be_succeeded", Message: "m", CapitalErrors: true}, `"Errors":{}}`},
		{"no id", errCredentials(), `{"Message":"The authorization credentials are not valid","Type":"invalid_credentials","Date":1700000000}`},
		{"null errors", errRateLimit(), `"Date":1700000000,"errors":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(a.renderError(tt.e, now).body)
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("renderError() = %s, want suffix %s", got, tt.want)
			}
		})
	}
}
