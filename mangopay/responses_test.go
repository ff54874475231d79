package mangopay_test

import (
	"context"
	"errors"
	"testing"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// TestReplayNotice: a POST answered by this request is not a replay;
// the same key sent again is answered with the stored first answer (409
// resolved through GET /responses) and says so, for a success and for a
// stored refusal alike.
func TestReplayNotice(t *testing.T) {
	c, _, _ := newEmbedded(t, sandbox.Options{})
	ctx := context.Background()
	user := func(key, email string) (*mangopay.NaturalUser, bool, error) {
		var n mangopay.ReplayNotice
		p := &mangopay.NaturalUserParams{FirstName: "Ada", LastName: "Byron", Email: email, UserCategory: "PAYER",
			TermsAndConditionsAccepted: true, Params: mangopay.Params{IdempotencyKey: key}}
		u, err := c.Users.CreateNatural(mangopay.WithReplayNotice(ctx, &n), p)
		return u, n.Replayed(), err
	}
	first, replayed, err := user("replay-notice-key-0001", "ada@example.org")
	if err != nil || replayed {
		t.Fatalf("first POST = %v, replayed %v; want a fresh success", err, replayed)
	}
	again, replayed, err := user("replay-notice-key-0001", "ada@example.org")
	if err != nil || !replayed || again.Id != first.Id {
		t.Fatalf("same key again = %v (%v), replayed %v; want the first user %s, replayed", again, err, replayed, first.Id)
	}
	_, replayed, err = user("replay-notice-key-0002", "not an email")
	var me *mangopay.Error
	if !errors.As(err, &me) || me.StatusCode != 400 || replayed {
		t.Fatalf("refused POST = %v, replayed %v; want a fresh 400", err, replayed)
	}
	_, replayed, err = user("replay-notice-key-0002", "ada@example.org")
	if !errors.As(err, &me) || me.StatusCode != 400 || !replayed {
		t.Fatalf("refused key again = %v, replayed %v; want the stored 400, replayed", err, replayed)
	}
}
