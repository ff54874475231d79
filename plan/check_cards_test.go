package plan

import (
	"testing"
)

// TestCardExpiry checks expiries against the test clock (23 November 2026).
func TestCardExpiry(t *testing.T) {
	for expiry, wantErr := range map[string]bool{
		"11/26": false, // valid until the end of its month
		"12/26": false,
		"10/26": true,
		"01/20": true,
		"12/49": false,
	} {
		c, errs := testChecker()
		c.cardExpiry("cards.x.expiry", expiry, c.now())
		if got := len(*errs) > 0; got != wantErr {
			t.Errorf("cardExpiry(%s) errors = %v, want error %v", expiry, *errs, wantErr)
		}
	}
}
