package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// hashOf is a short content hash, for page keys.
func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// author is the AuthorId of a money step: the declared author, else the
// owner of its own wallet (ownWallet).
func (x *applier) author(s *plan.Step) string {
	if s.Author != "" {
		return x.id(s.Author)
	}
	w := ownWallet(s)
	if o := x.g.byKey[s.Original]; w == "" && o != nil {
		return x.author(o)
	}
	if ws := x.g.byKey[w]; ws != nil {
		return x.id(ws.Owner)
	}
	return ""
}

// postMoney sends a movement (a single write made with send) and maps
// the transaction it returns, tx of the answer, to the step's outcome.
func postMoney[T any](a *attempt, ctx context.Context, body any, params *mangopay.Params,
	send func(context.Context) (*T, error), tx func(*T) *mangopay.Transaction) outcome {
	r, o := postFor(a, ctx, body, params, send, func(r *T) string { return tx(r).Id })
	if o.State != StateSucceeded || r == nil {
		return o
	}
	out := txOutcome(tx(r))
	out.Replayed = o.Replayed
	return out
}

func txID(t *mangopay.Transaction) string { return t.Id }

func txOf[T any](v *T, tx func(*T) *mangopay.Transaction) *mangopay.Transaction {
	if v == nil {
		return nil
	}
	return tx(v)
}

// awaitChallenge is the await of a movement that no one processes
// later: still CREATED, it waits for a person (a 3DS challenge), which
// polling cannot hasten.
func awaitChallenge(_ *applier, _ context.Context, s *plan.Step, f *found) (outcome, bool, bool) {
	if f.Status != mangopay.StatusCreated {
		return outcome{}, false, false
	}
	return outcome{ID: f.ID, Status: f.Status, State: StatePending,
		Err: fmt.Errorf("%s %s still CREATED (3DS to complete)", s.Kind, f.ID)}, false, true
}

// poll calls check with capped exponential backoff until it reports done,
// fails, Config.Wait passes or ctx ends; every wait races ctx.
func (x *applier) poll(ctx context.Context, check func() (bool, error)) error {
	deadline := time.Now().Add(x.cfg.Wait)
	wait := 50 * time.Millisecond
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("not final after %s", x.cfg.Wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}
