package sandbox

import (
	"fmt"
	"testing"
	"time"

	"settle/mangopay"
)

func TestValidators(t *testing.T) {
	now := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]bool{"0526": true, "0426": false, "1299": true, "0026": false, "526": false, "ab26": false} {
		if got := futureMMYY(v, now); got != want {
			t.Errorf("futureMMYY(%s) = %v, want %v", v, got, want)
		}
	}
	for v, want := range map[string]bool{"4970107111111119": true, "4970107111111118": false, "4242": false, "378282246310005": true} {
		if got := luhn(v); got != want {
			t.Errorf("luhn(%s) = %v, want %v", v, got, want)
		}
	}
	for v, want := range map[string]bool{"BNPAFRPP": true, "CMBRFR2BXXX": true, "BNPAFRP": false, "1NPAFRPP": false} {
		if got := validBIC(v); got != want {
			t.Errorf("validBIC(%s) = %v, want %v", v, got, want)
		}
	}
	f := fieldErrs{}
	checkMoney(f, "A", nil, 0)
	checkMoney(f, "B", &mangopay.Money{}, 0)
	checkMoney(f, "C", &mangopay.Money{Currency: "EUR", Amount: -1}, 0)
	checkMoney(f, "D", &mangopay.Money{Currency: "EUR", Amount: 0}, 0)
	want := fieldErrs{"A": "The A field is required.", "B.Currency": "The B.Currency field is required.",
		"C": "The C amount must be greater than or equal to 0."}
	if fmt.Sprint(f) != fmt.Sprint(want) {
		t.Errorf("checkMoney errors = %v, want %v", f, want)
	}
}
