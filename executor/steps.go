package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// outcome is what one attempt at a step's writes gave.
type outcome struct {
	ID                                string
	Status, ResultCode, ResultMessage string
	State                             string // StateSucceeded, StateFailed, StatePending
	Err                               error
	// Replayed: the main write was answered with the stored first answer
	// to its key (see mangopay.ReplayNotice), not by this request.
	Replayed bool
	// Warning is what the operator should know of a step that went ahead
	// (a recipient's Verification of Payee result other than MATCH).
	Warning string
}

// txOutcome maps a transaction's Status to a step state; a payout's
// CREATED is polled by the caller.
func txOutcome(t *mangopay.Transaction) outcome {
	o := outcome{ID: t.Id, Status: t.Status, ResultCode: string(t.ResultCode), ResultMessage: string(t.ResultMessage)}
	switch t.Status {
	case mangopay.StatusSucceeded:
		o.State = StateSucceeded
	case mangopay.StatusFailed:
		o.State = StateFailed
		o.Err = fmt.Errorf("%s FAILED: %s %s", strings.ToLower(t.Type), o.ResultCode, o.ResultMessage)
	default:
		o.State = StatePending
	}
	return o
}

// attempt is one try at a step: the keys it uses depend on gen.
type attempt struct {
	x *applier
	s *plan.Step
	// gen is the generation that goes into the step's keys (see keys.go):
	// runStep seeds it with [applier.generation], MANGOPAY's FAILED count
	// under the step's Tag, never anything from the journal; create and
	// runStep raise it past keys whose stored answer is a definitive
	// failure.
	gen int
	// key is the main write's idempotency key, journalled with "started".
	key string
	// sent is set once a write may have been sent ("started" journalled).
	sent bool
}

// keyFor derives the key of one of the step's writes.
func (a *attempt) keyFor(part string, body any) (string, error) {
	return idempotencyKey(a.x.p.Name, a.s.Key, part, body, a.gen)
}

// maxReplayWalk bounds the keys burned by definitive failures that one
// create walks past (each costs a 409 and a GET /responses).
const maxReplayWalk = 16

// create makes the step's object or movement. When the main write is
// answered with the stored definitive failure of an earlier request under
// the same key (a 4xx, a FAILED transaction: nothing happened), the next
// key is tried. Every run walks the same sequence of keys and moves on
// only past refused ones, so concurrent runs meet on the same key.
func (a *attempt) create(ctx context.Context) outcome {
	for i := 0; ; i++ {
		o := a.createOnce(ctx)
		if !o.Replayed || o.State != StateFailed || ctx.Err() != nil || i >= maxReplayWalk {
			return o
		}
		a.gen++
	}
}

// createOnce makes one attempt at the step's object or movement, with
// its kind's create.
func (a *attempt) createOnce(ctx context.Context) outcome {
	k := kindOf(a.s.Kind)
	if k == nil || k.create == nil {
		return outcome{State: StateFailed, Err: fmt.Errorf("unknown step kind %q", a.s.Kind)}
	}
	return k.create(a, ctx)
}

// post sets the key of a single-write step, sends it (with the context
// it is given, which notes a replayed answer) and maps the answer.
func (a *attempt) post(ctx context.Context, body any, params *mangopay.Params, send func(context.Context) (string, error)) outcome {
	key, err := a.keyFor("create", body)
	if err != nil {
		return outcome{State: StateFailed, Err: err}
	}
	if k := a.resumeKey(); k != "" {
		key = k
	}
	params.IdempotencyKey = key
	if o, refused := a.refusedBefore(ctx, key); refused {
		return o
	}
	if err := a.started(key); err != nil {
		return outcome{Err: err, State: stateJournal}
	}
	var rn mangopay.ReplayNotice
	id, err := send(mangopay.WithReplayNotice(ctx, &rn))
	if err != nil {
		o := errOutcome(err)
		o.Replayed = rn.Replayed()
		return o
	}
	return outcome{ID: id, State: StateSucceeded, Replayed: rn.Replayed()}
}

// postFor is post for a write answered with a *T whose Id is id(T): it
// returns the answer (nil when there is none) with the outcome.
func postFor[T any](a *attempt, ctx context.Context, body any, params *mangopay.Params,
	send func(context.Context) (*T, error), id func(*T) string) (*T, outcome) {
	var got *T
	o := a.post(ctx, body, params, func(ctx context.Context) (string, error) {
		r, err := send(ctx)
		got = r
		return idOrEmpty(r, id), err
	})
	return got, o
}

// resumeKey is the key of the write a resumed in-doubt step sent last,
// for this run's first attempt at it: MANGOPAY answers a reused key with
// the first outcome whatever the body, so the in-doubt write is resolved
// even if the key this run derives differs (the plan was edited, an id
// the body holds was found again with another value), and a write still
// in flight when the last run died cannot be doubled by this one.
func (a *attempt) resumeKey() string {
	h := a.x.hist[a.s.Key]
	if h == nil || a.x.changes[a.s.Key].Action != InDoubt || a.gen != a.x.generation(a.s.Key) ||
		!mangopay.ValidIdempotencyKey(h.Key) {
		return ""
	}
	return h.Key
}

// refusedBefore reads MANGOPAY's stored answer to key, without sending
// the write, when the journal knows of more definitive failures of the
// step than the keys walked so far: a key a 4xx burnt within 24 h is then
// walked past with one read instead of a write answered 409. Whatever
// else (no stored answer, a success, an unreadable one) lets the write go.
func (a *attempt) refusedBefore(ctx context.Context, key string) (outcome, bool) {
	h := a.x.hist[a.s.Key]
	if h == nil || a.gen >= h.Failures {
		return outcome{}, false
	}
	ir, err := a.x.cfg.Client.Responses.Get(ctx, key)
	if err != nil {
		return outcome{}, false
	}
	if st := ir.Status(); st < 400 || st >= 500 || st == 409 || st == 429 {
		return outcome{}, false
	}
	return outcome{State: StateFailed, Replayed: true,
		Err: fmt.Errorf("Idempotency-Key %s was refused before: %w", key, ir.Decode(nil))}, true
}

// stateJournal marks an outcome whose journal write failed: the run stops.
const stateJournal = "journal"

// errOutcome classifies a request error: a final 4xx is a definitive
// failure; anything else (cancellation, transport, 5xx after retries)
// leaves the outcome unknown.
func errOutcome(err error) outcome {
	var me *mangopay.Error
	if errors.As(err, &me) && me.StatusCode >= 400 && me.StatusCode < 500 && me.StatusCode != 409 && me.StatusCode != 429 {
		return outcome{State: StateFailed, Err: err}
	}
	return outcome{State: StateInDoubt, Err: err}
}

func idOrEmpty[T any](v *T, id func(*T) string) string {
	if v == nil {
		return ""
	}
	return id(v)
}

// ownerDecl is the plan declaration of the step's owner user.
func (a *attempt) ownerDecl() *plan.User {
	if u := a.x.g.byKey[a.s.Owner]; u != nil {
		return u.User
	}
	return nil
}

// currency is the step's currency, else the plan's.
func (a *attempt) currency() string {
	if a.s.Currency != "" {
		return a.s.Currency
	}
	return a.x.p.Currency
}

// update changes an existing object's drifted fields, or resumes it,
// with its kind's update, once "started" is journalled.
func (a *attempt) update(ctx context.Context, id string) outcome {
	if err := a.started(""); err != nil {
		return outcome{Err: err, State: stateJournal}
	}
	if k := kindOf(a.s.Kind); k != nil && k.update != nil {
		return k.update(a, ctx, id)
	}
	return outcome{ID: id, State: StateSucceeded}
}

// updated is the outcome of an update of object id that returned err.
func updated(id string, err error) outcome {
	if err != nil {
		return errOutcome(err)
	}
	return outcome{ID: id, State: StateSucceeded}
}
