package executor

import (
	"context"
	"errors"
	"time"

	"settle/mangopay"
)

// MANGOPAY's PUTs change state (submit a document, finish a card
// registration) and the client does not retry them: a replay after a lost
// answer would fail and hide the success. So the executor retries them
// itself, reading the object first to learn whether the lost one happened.

// putAttempts bounds the executor's own retries of a PUT.
const putAttempts = 4

// retryPut retries a repeatable PUT (same body, same result) after an
// error that is not a final 4xx.
func retryPut(ctx context.Context, put func() error) error {
	var err error
	for i := 0; i < putAttempts; i++ {
		if err = put(); err == nil || final(err) || ctx.Err() != nil {
			return err
		}
		if werr := sleep(ctx, time.Duration(i+1)*20*time.Millisecond); werr != nil {
			return err
		}
	}
	return err
}

// final reports a 4xx other than 409 and 429: the request was refused.
func final(err error) bool {
	var me *mangopay.Error
	return errors.As(err, &me) && me.StatusCode >= 400 && me.StatusCode < 500 && me.StatusCode != 409 && me.StatusCode != 429
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// submitKYC asks for a document's validation; after an unclear failure it
// reads the document, which says whether the submit happened.
func (x *applier) submitKYC(ctx context.Context, user, doc string) error {
	c := x.cfg.Client
	return retryPut(ctx, func() error {
		_, err := c.KYC.Submit(ctx, user, doc)
		if err == nil || ctx.Err() != nil {
			return err
		}
		if d, gerr := c.KYC.Get(ctx, doc); gerr == nil && d.Status != mangopay.KYCStatusCreated {
			return nil
		}
		return err
	})
}

// finishCardRegistration sends the tokenizer's data; after an unclear
// failure it reads the registration, which holds the CardId if the update
// happened.
func (x *applier) finishCardRegistration(ctx context.Context, id, data string) (*mangopay.CardRegistration, error) {
	c := x.cfg.Client
	var out *mangopay.CardRegistration
	err := retryPut(ctx, func() error {
		r, err := c.CardRegistrations.Update(ctx, id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
		if err == nil || ctx.Err() != nil {
			out = r
			return err
		}
		if g, gerr := c.CardRegistrations.Get(ctx, id); gerr == nil && (g.CardId != "" || g.Status != mangopay.StatusCreated) {
			out = g
			return nil
		}
		return err
	})
	return out, err
}
