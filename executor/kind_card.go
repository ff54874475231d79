package executor

import (
	"context"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// A card step registers a test card (registration, tokenization, update);
// a card inherits its registration's Tag, by which it is found among its
// owner's cards. It is lazy: a card whose pay-ins all succeeded is not
// read (what they charged exists; no step left depends on its state). Raw
// card numbers are refused unless the target is a sandbox, by the
// pre-flight and again at the write.
func init() {
	register(plan.KindCard, cards.row(&stepKind{
		lazy: true,
		calls: func(_ *plan.Step, a Action) int {
			if a == Update {
				return 1
			}
			return 2 // registration, update (tokenization is not an API call)
		},
		check:  (*preflight).checkCard,
		create: (*attempt).createCard,
	}))
}

// cards are listed per owner.
var cards = owned[mangopay.Card]{
	list:     func(c *mangopay.Client) listByUser[mangopay.Card] { return c.Cards.ListByUser },
	get:      byID(func(c *mangopay.Client) func(context.Context, string) (*mangopay.Card, error) { return c.Cards.Get }),
	idTag:    func(c mangopay.Card) (string, string) { return c.Id, string(c.Tag) },
	describe: cardFound,
}

// cardFound describes a card.
func cardFound(c *mangopay.Card, _ *plan.Step, tagged int) *found {
	return &found{ID: c.Id, Exists: true, Active: c.Active, Validity: c.Validity, Currency: c.Currency,
		Created: c.CreationDate, Dups: max(0, tagged-1)}
}

// checkCard blocks a raw card number on a target that is not a sandbox.
func (pf *preflight) checkCard(s *plan.Step) string {
	if s.CardSpec != nil && s.CardSpec.Number != "" && !sandboxTarget(pf.cfg.Target) {
		return fmt.Sprintf("raw card numbers are refused on target %s (test cards only on embedded and sandbox)", pf.cfg.Target)
	}
	return ""
}

// createCard registers a test card: registration, tokenization, update.
// Raw card numbers are refused unless the target is a sandbox.
func (a *attempt) createCard(ctx context.Context) outcome {
	cs := a.s.CardSpec
	if !sandboxTarget(a.x.cfg.Target) {
		return outcome{State: StateFailed, Err: fmt.Errorf("raw card numbers are refused on target %s", a.x.cfg.Target)}
	}
	c := a.x.cfg.Client
	p := &mangopay.CardRegistrationCreateParams{UserId: a.x.id(a.s.Owner), Currency: a.currency(), Tag: a.s.Tag}
	reg, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.CardRegistration, error) {
		return c.CardRegistrations.Create(ctx, p)
	}, func(r *mangopay.CardRegistration) string { return r.Id })
	if o.State != StateSucceeded {
		return o
	}
	if o.Replayed || a.x.changes[a.s.Key].Action == InDoubt {
		// The registration may be a replay (409): the last run, or one
		// running at the same time, may have finished it already.
		if g, err := c.CardRegistrations.Get(ctx, reg.Id); err == nil {
			reg = g
		}
	}
	if reg.CardId != "" {
		return outcome{ID: string(reg.CardId), State: StateSucceeded}
	}
	data, err := c.CardRegistrations.Tokenize(ctx, reg, cs.Number, expiryMMYY(cs.Expiry), cs.CVX)
	if err != nil {
		return errOutcome(fmt.Errorf("tokenize: %w", err))
	}
	done, err := a.x.finishCardRegistration(ctx, reg.Id, data)
	if err != nil {
		return errOutcome(fmt.Errorf("card registration update: %w", err))
	}
	if done.CardId == "" {
		return outcome{State: StateFailed, Status: done.Status, ResultCode: string(done.ResultCode),
			ResultMessage: string(done.ResultMessage), Err: fmt.Errorf("card registration %s: %s %s", done.Status, done.ResultCode, done.ResultMessage)}
	}
	return outcome{ID: string(done.CardId), Status: done.Status, State: StateSucceeded}
}

// finishCardRegistration sends the tokenizer's data. The client retries
// the PUT and, after an unclear failure, reads the registration back,
// which holds the CardId if the update happened.
func (x *applier) finishCardRegistration(ctx context.Context, id, data string) (*mangopay.CardRegistration, error) {
	return x.cfg.Client.CardRegistrations.Update(ctx, id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
}
