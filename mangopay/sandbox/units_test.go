package sandbox

import (
	"fmt"
	"testing"
	"time"

	"settle/mangopay"
)

func TestCardProvider(t *testing.T) {
	tests := []struct{ number, cardType, want string }{
		{"4970107111111119", "CB_VISA_MASTERCARD", "VISA"},
		{"5100000000000008", "CB_VISA_MASTERCARD", "MASTERCARD"},
		{"2221000000000009", "CB_VISA_MASTERCARD", "MASTERCARD"},
		{"375989111111119", "CB_VISA_MASTERCARD", "AMEX"},
		{"3528000000000007", "CB_VISA_MASTERCARD", "JCB"},
		{"6011000000000004", "CB_VISA_MASTERCARD", "DISCOVER"},
		{"5033951000000004", "CB_VISA_MASTERCARD", "MAESTRO"},
		{"5033951000000004", "BCMC", "BCMC"},
		{"1234567812345670", "CB_VISA_MASTERCARD", "CB"},
	}
	for _, tt := range tests {
		if got := cardProvider(tt.number, tt.cardType); got != tt.want {
			t.Errorf("cardProvider(%s, %s) = %s, want %s", tt.number, tt.cardType, got, tt.want)
		}
	}
	if got := alias("375989111111119"); got != "375989XXXXX1119" {
		t.Errorf("alias = %s", got)
	}
}

func TestOrderedAdd(t *testing.T) {
	var o ordered
	for _, seq := range []int64{5, 1, 9, 3, 7, 7} {
		o.add(fmt.Sprint(seq), seq)
	}
	if got := fmt.Sprint(o.ids); got != "[1 3 5 7 7 9]" {
		t.Errorf("ids = %s, want sorted by seq", got)
	}
	q := addPending(nil, pending{ID: "b", Due: 2})
	q = addPending(q, pending{ID: "a", Due: 1})
	q = addPending(q, pending{ID: "c", Due: 2})
	if q[0].ID != "a" || q[1].ID != "b" || q[2].ID != "c" {
		t.Errorf("pending = %v", q)
	}
}

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
