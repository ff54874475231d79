package executor

import (
	"context"
	"iter"

	"settle/mangopay"
	"settle/plan"
)

// stepKind is everything the executor knows about the steps of one kind,
// one operation per phase. Each kind declares its row in its own file
// (kind_<name>.go) and registers it from that file's init; the phase
// files (state.go, diff.go, preflight.go, apply.go, render.go, report.go)
// look a step's kind up here and never switch on it. A nil operation is
// the phase's default, named on each field.
type stepKind struct {
	// money is the kind's money row (money.go): where its money comes
	// from and goes. Nil: the kind moves no money.
	money *moneyKind
	// wave is the reading wave of its steps: 0 (users), 1 (the users'
	// objects), 2 (movements, found in the wallets' transactions) or 3
	// (lazy objects, once the movements that prove them are read).
	wave int
	// lazy: a step is read only while a step still to run checks it
	// (their kinds' checked): once every step that checks it was found
	// SUCCEEDED, their success proves the object was made and nothing left
	// depends on its state (a card its pay-ins charged), so it is taken as
	// made, with the journal's Id, and not read (state.go). Read in the
	// last wave. False: always read.
	lazy bool

	// prefetch returns the call reading a step needs, deduplicated by
	// key across the wave and made in parallel (a list of the owner's
	// objects, a wallet's transactions); nil fetch when nothing can be
	// read yet. Nil: nothing to prefetch.
	prefetch func(r *reader, s *plan.Step) (key string, fetch func(context.Context) error)
	// find reads a managed step's object: by the journal's Id, else by
	// its Tag. It records what it finds with r.setFound.
	find func(r *reader, ctx context.Context, s *plan.Step) error
	// get GETs an adopted object by its Id (s.AdoptedID).
	get func(r *reader, ctx context.Context, s *plan.Step) (*found, error)

	// classify decides the action for an object that exists (the diff
	// has set Unchanged): an update, a retry, a block. Nil: unchanged.
	classify func(s *plan.Step, f *found, ch *Change)
	// calls is the number of API calls a Create (or in-doubt) or Update
	// takes at least, polls counted once. Nil: one.
	calls func(s *plan.Step, a Action) int
	// check is the kind's pre-flight: why the step would fail, or "".
	// Nil: nothing to check.
	check func(pf *preflight, s *plan.Step) string
	// checked returns the steps whose live state check reads besides the
	// wallets a movement debits and credits (its money row): read live
	// while s is still to run, even when the journal holds them final
	// (state_trust.go). Nil: none; an object a step only needs the Id of
	// is taken from the journal.
	checked func(g *graph, s *plan.Step) []string

	// create makes the step's object or movement under one key.
	create func(a *attempt, ctx context.Context) outcome
	// update changes an existing object's drifted fields, or resumes it
	// (the journal's "started" is written). Nil: never updated.
	update func(a *attempt, ctx context.Context, id string) outcome
	// await waits for an unchanged object still in progress (a verdict,
	// a payout, a 3DS challenge); act says the outcome is journalled, ok
	// that there was something to wait for. Nil: nothing is.
	await func(x *applier, ctx context.Context, s *plan.Step, f *found) (o outcome, act, ok bool)
	// polls reports whether await asks MANGOPAY again about an object
	// found so (a payout still CREATED, a document VALIDATION_ASKED, a
	// PENDING recipient): one call in the plan's count. Nil: await, if
	// any, decides from what was read, with no call.
	polls func(f *found) bool

	// search is, for a money kind, the wallet step whose transaction list
	// holds a step's transaction, and whether its payouts alone need
	// listing there. Nil: as searchWallet says from the money row.
	search func(s *plan.Step) (wallet string, payoutsOnly bool)
	// refunds lists, for a refund kind, the refunds already made of a
	// step's Original transaction (refunds made outside settle included).
	// Nil: the kind refunds nothing.
	refunds func(c *mangopay.Client) refundLister
	// sent hashes the mutable fields a step declares and sends (a
	// user's), journalled as Record.Sent: a step whose hash changed since
	// is read again (state_trust.go). Nil: nothing the plan can change
	// after the object is made.
	sent func(s *plan.Step) string
	// flow describes, for a money kind, where its money goes:
	// "alice -> garden", "card alice-visa -> alice".
	flow func(s *plan.Step) string
}

// refundLister lists the refunds of a transaction.
type refundLister func(ctx context.Context, id string, opts *mangopay.ListOptions) iter.Seq2[mangopay.Refund, error]

// kinds is the table of step kinds, filled by the kind files.
var kinds = map[plan.Kind]*stepKind{}

// register declares a step kind, once.
func register(k plan.Kind, sk *stepKind) {
	if _, dup := kinds[k]; dup {
		panic("executor: step kind registered twice: " + string(k))
	}
	kinds[k] = sk
}

// kindOf returns the row of a step kind, nil for a kind the executor does
// not know.
func kindOf(k plan.Kind) *stepKind { return kinds[k] }

// movement completes the row of a money kind, whose money row is row and
// whose adopted transactions get reads, with what every movement shares:
// it is read in the last wave, found by Tag in a wallet's transactions
// (state_money.go), classified by its status and drift
// (classifyMovement), checked as a movement between wallets (checkMove)
// unless its kind checks otherwise, and, still CREATED and not processed
// later, waits for a person (awaitChallenge).
func movement(row moneyKind, get func(*mangopay.Client, context.Context, string) (*mangopay.Transaction, error), sk *stepKind) *stepKind {
	sk.money, sk.get, sk.wave = &row, adoptedTx(get), 2
	sk.prefetch = (*reader).prefetchMoney
	sk.find = (*reader).readMoney
	sk.classify = classifyMovement
	if sk.check == nil {
		sk.check = (*preflight).checkMove
	}
	if sk.await == nil {
		sk.await = awaitChallenge
	}
	return sk
}
