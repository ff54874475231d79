package executor

import (
	"regexp"
	"testing"

	"settle/mangopay"
)

func TestIdempotencyKey(t *testing.T) {
	valid := regexp.MustCompile(`^[A-Za-z0-9-]{16,36}$`)
	body := &mangopay.TransferCreateParams{AuthorId: "u1", DebitedFunds: mangopay.Money{Currency: "EUR", Amount: 100}}
	k := func(plan, step, part string, body any, gen int) string {
		t.Helper()
		key, err := idempotencyKey(plan, step, part, body, gen)
		if err != nil {
			t.Fatal(err)
		}
		if !valid.MatchString(key) {
			t.Errorf("key %q does not match MANGOPAY's rule", key)
		}
		return key
	}
	base := k("p", "transfer/c/a", "create", body, 0)
	if again := k("p", "transfer/c/a", "create", body, 0); again != base {
		t.Errorf("key not deterministic: %s then %s", base, again)
	}
	body.Params.IdempotencyKey = "ignored-in-the-body"
	if same := k("p", "transfer/c/a", "create", body, 0); same != base {
		t.Errorf("key depends on the key field: %s vs %s", same, base)
	}
	other := *body
	other.DebitedFunds.Amount = 101
	for name, key := range map[string]string{
		"plan":       k("q", "transfer/c/a", "create", body, 0),
		"step":       k("p", "transfer/c/b", "create", body, 0),
		"part":       k("p", "transfer/c/a", "page-1", body, 0),
		"body":       k("p", "transfer/c/a", "create", &other, 0),
		"generation": k("p", "transfer/c/a", "create", body, 1),
	} {
		if key == base {
			t.Errorf("changing the %s does not change the key", name)
		}
	}
}
