package executor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"settle/plan"
)

// Defaults of Config.
const (
	DefaultParallelism = 8
	DefaultWait        = 2 * time.Minute
)

// applier is one Apply run.
type applier struct {
	*engine
	j       *Journal
	run     string
	log     *slog.Logger
	changes map[string]*Change

	mu  sync.Mutex        // guards ids and outcomes
	ids map[string]string // step key -> MANGOPAY Id
	// outcomes maps a step to the sequence number of its latest outcome
	// record, to tell which outcomes a failed journal sync may have lost.
	outcomes map[string]uint64
}

// Apply makes MANGOPAY match the plan: it locks and reads the journal,
// reads the state, resolves in-doubt steps first, then runs the step DAG
// at most Config.Parallelism wide. A failed step skips its dependants (see
// the package doc); the error return is kept for what stops the run
// itself (a journal that cannot be written, an unreadable state), and a
// cancelled ctx returns the summary with Interrupted set.
func Apply(ctx context.Context, cfg Config, p *plan.Plan) (*Summary, error) {
	if cfg.JournalPath == "" {
		return nil, fmt.Errorf("executor: Config.JournalPath is required to apply")
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = DefaultParallelism
	}
	if cfg.Wait <= 0 {
		cfg.Wait = DefaultWait
	}
	j, err := OpenJournal(cfg.JournalPath)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	ctx = cfg.scaContext(ctx)
	e, err := prepare(ctx, cfg, p)
	if err != nil {
		if ctx.Err() != nil {
			return &Summary{Interrupted: true}, nil
		}
		return nil, err
	}
	x := &applier{engine: e, j: j, run: newRunID(), log: cfg.Logger, changes: map[string]*Change{},
		ids: map[string]string{}, outcomes: map[string]uint64{}}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	if cut := j.Repaired(); cut != "" {
		x.log.Warn("journal damaged tail cut", "journal", j.Path(), "cut", cut)
	}
	// Apply obeys its own pre-flight, the same as PreviewOf's: what it blocks
	// is never sent.
	for _, ch := range e.preview().Changes {
		x.changes[ch.Step.Key] = ch
		if f := e.st.found[ch.Step.Key]; f != nil && f.Exists {
			x.ids[ch.Step.Key] = f.ID
		}
	}
	sum, err := x.walk(ctx)
	if err != nil {
		return sum, err
	}
	if cerr := j.Close(); cerr != nil {
		return sum, cerr
	}
	return sum, nil
}

// newRunID is a random run identifier for the journal.
func newRunID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// id is the MANGOPAY Id of a step's object, once known.
func (x *applier) id(key string) string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ids[key]
}

func (x *applier) setID(key, id string) {
	if id == "" {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	x.ids[key] = id
}

// record journals a state change of s: "started" synced before the
// request goes out, outcomes lazily (see [Journal]); it returns the
// record's sequence number.
func (x *applier) record(s *plan.Step, action Action, state, key string, o outcome) (uint64, error) {
	r := Record{Run: x.run, Step: s.Key, Kind: string(s.Kind), Campaign: s.Campaign, Action: action.Name(),
		State: state, IdempotencyKey: key, ID: o.ID, Status: o.Status, ResultCode: o.ResultCode,
		ResultMessage: o.ResultMessage}
	if isMoney(s.Kind) {
		fees := s.Fees
		r.Amount, r.Fees, r.Currency = s.Amount, &fees, s.Currency
	}
	if k := kindOf(s.Kind); k != nil && k.sent != nil {
		r.Sent = k.sent(s)
	}
	if o.Err != nil {
		r.Error = o.Err.Error()
	}
	if state == StateStarted {
		return 0, x.j.Append(r)
	}
	n, err := x.j.appendLazy(r)
	if err == nil {
		x.mu.Lock()
		x.outcomes[s.Key] = n
		x.mu.Unlock()
	}
	return n, err
}

// started journals that a write with key is about to be sent.
func (a *attempt) started(key string) error {
	if _, err := a.x.record(a.s, a.x.changes[a.s.Key].Action, StateStarted, key, outcome{}); err != nil {
		return err
	}
	a.key, a.sent = key, true
	return nil
}

// generation is the first key generation of a step: the number of its
// FAILED transactions MANGOPAY holds under the step's Tag. It comes from
// MANGOPAY only, never from this runner's journal, so that every run (a
// CI machine without the journal, two runs at once) derives the same keys;
// keys that a 4xx burnt are walked past by [attempt.create].
func (x *applier) generation(key string) int {
	if f := x.st.found[key]; f != nil {
		return f.Failed
	}
	return 0
}

// runStep performs one step and journals its outcome, or what it learnt
// of it from MANGOPAY (see [applier.learnt]). A journal failure is
// returned as an error, with the step's result: in doubt when a write was
// sent, skipped when none was. A nil result means the step did not run
// (interrupted before its first write).
func (x *applier) runStep(ctx context.Context, s *plan.Step) (*Result, error) {
	ch := x.changes[s.Key]
	res := &Result{Step: s, Action: ch.Action, ID: x.id(s.Key)}
	start := time.Now()
	a := &attempt{x: x, s: s, gen: x.generation(s.Key)}
	o, act := x.execute(ctx, a, ch)
	if act && a.key != "" && ch.Action == InDoubt && o.State == StateFailed && ctx.Err() == nil {
		// The in-doubt write is now known to have failed, so nothing
		// happened: journal that failure and try again with a fresh key.
		if _, err := x.record(s, ch.Action, StateFailed, a.key, o); err != nil {
			return unjournalled(res, a, err), err
		}
		a = &attempt{x: x, s: s, gen: a.gen + 1}
		o, act = x.execute(ctx, a, ch)
	}
	if o.State == StateInDoubt && !a.sent {
		if ctx.Err() != nil {
			return nil, nil // interrupted before any write: not run
		}
		o.State = StateFailed // a read failed before any write
	}
	res.State, res.Status, res.ResultCode, res.ResultMessage, res.Err = o.State, o.Status, o.ResultCode, o.ResultMessage, o.Err
	if res.Warning = o.Warning; res.Warning == "" {
		res.Warning = ch.Warning
	}
	if o.ID != "" {
		res.ID = o.ID
		x.setID(s.Key, o.ID)
	}
	if o.State == stateJournal {
		return unjournalled(res, a, o.Err), o.Err
	}
	if act || x.learnt(res) {
		if _, err := x.record(s, ch.Action, recordedState(res), a.key, o); err != nil {
			return unjournalled(res, a, err), err
		}
	}
	x.logResult(ctx, res, a.key, time.Since(start))
	return res, nil
}

// unjournalled is the result of a step whose journal write failed with
// err: in doubt if a write of it may have been sent (the journal does not
// hold its outcome; the next run learns it from MANGOPAY), else skipped.
func unjournalled(res *Result, a *attempt, err error) *Result {
	res.State, res.Err = StateSkipped, fmt.Errorf("not sent: %w", err)
	if a.sent {
		res.State, res.Err = StateInDoubt, fmt.Errorf("outcome not journalled: %w", err)
	}
	return res
}

// learnt reports whether a step that made no write this run has an
// outcome the journal does not hold: an object found by Tag or adopted
// that the journal never recorded, a write it left in doubt (a crash
// before its answer was journalled) now found on MANGOPAY, a payout or
// KYC document it left pending now processed. Journalling it keeps
// `settle report` equal to the report of an uninterrupted run.
func (x *applier) learnt(res *Result) bool {
	if res.ID == "" {
		return false // nothing exists
	}
	h := x.hist[res.Step.Key]
	if h == nil {
		return true
	}
	return h.Last.State != recordedState(res) || h.Last.ID != res.ID || res.Status != "" && h.Last.Status != res.Status
}

// recordedState is the state a result is journalled with: a step left
// unchanged exists and matches the plan, so it succeeded.
func recordedState(r *Result) string {
	if r.State == "" {
		return StateSucceeded
	}
	return r.State
}

// execute runs the step's action; act reports whether it wrote or polled
// (so its outcome is journalled).
func (x *applier) execute(ctx context.Context, a *attempt, ch *Change) (outcome, bool) {
	s := a.s
	f := x.st.found[s.Key]
	switch ch.Action {
	case Blocked:
		// The pre-flight blocked it: never sent (DESIGN §13).
		return outcome{ID: ch.ID, State: StateBlocked, Err: errors.New(ch.Reason)}, true
	case Adopt:
		if o, ok := foundPending(f); ok {
			return o, false
		}
		return outcome{ID: ch.ID}, false
	case Create, InDoubt:
		return a.create(ctx), true
	case Update:
		o := a.update(ctx, ch.ID)
		if p, ok := foundPending(f); ok && o.State == StateSucceeded {
			p.ID = o.ID
			return p, true
		}
		return o, true
	}
	// Unchanged: wait for what is still in progress.
	if o, ok := foundPending(f); ok {
		return o, false
	}
	if k := kindOf(s.Kind); f != nil && k != nil && k.await != nil {
		if o, act, ok := k.await(x, ctx, s, f); ok {
			return o, act
		}
	}
	o := outcome{ID: ch.ID}
	if f != nil {
		o.Status = f.Status // a payout or a verdict processed since the journal last saw it
	}
	return o, false
}

// logResult logs a step's outcome at Info.
func (x *applier) logResult(ctx context.Context, r *Result, key string, d time.Duration) {
	attrs := []slog.Attr{slog.String("step", r.Step.Key), slog.String("action", r.Action.Name()),
		slog.String("state", r.State), slog.Duration("duration", d)}
	if key != "" {
		attrs = append(attrs, slog.String("idempotency_key", key))
	}
	if r.ID != "" {
		attrs = append(attrs, slog.String("id", r.ID))
	}
	if s := r.Step; isMoney(s.Kind) {
		attrs = append(attrs, slog.Int64("amount", s.Amount), slog.Int64("fees", s.Fees), slog.String("currency", s.Currency),
			slog.String("campaign", s.Campaign))
	}
	if r.Err != nil {
		attrs = append(attrs, slog.String("error", maskText(r.Err.Error())))
	}
	x.log.LogAttrs(ctx, slog.LevelInfo, "step", attrs...)
}
