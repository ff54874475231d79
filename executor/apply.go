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

	"github.com/sourcegraph/conc/pool"

	"settle/mangopay"
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

	mu  sync.Mutex        // guards ids
	ids map[string]string // step key -> MANGOPAY Id
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
	e, err := prepare(ctx, cfg, p)
	if err != nil {
		if ctx.Err() != nil {
			return &Summary{Interrupted: true}, nil
		}
		return nil, err
	}
	x := &applier{engine: e, j: j, run: newRunID(), log: cfg.Logger, changes: map[string]*Change{}, ids: map[string]string{}}
	if x.log == nil {
		x.log = slog.New(slog.DiscardHandler)
	}
	for _, s := range e.g.order {
		x.changes[s.Key] = e.classify(s)
		if f := e.st.found[s.Key]; f != nil && f.Exists {
			x.ids[s.Key] = f.ID
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
// request goes out, outcomes lazily (see [Journal]).
func (x *applier) record(s *plan.Step, action Action, state, key string, o outcome) error {
	r := Record{Run: x.run, Step: s.Key, Kind: string(s.Kind), Campaign: s.Campaign, Action: action.Name(),
		State: state, IdempotencyKey: key, ID: o.ID, Status: o.Status, ResultCode: o.ResultCode,
		ResultMessage: o.ResultMessage}
	if isMoney(s.Kind) {
		fees := s.Fees
		r.Amount, r.Fees, r.Currency = s.Amount, &fees, s.Currency
	}
	if o.Err != nil {
		r.Error = o.Err.Error()
	}
	if state == StateStarted {
		return x.j.Append(r)
	}
	return x.j.appendLazy(r)
}

// started journals that a write with key is about to be sent.
func (a *attempt) started(key string) error {
	a.key, a.sent = key, true
	return a.x.record(a.s, a.x.changes[a.s.Key].Action, StateStarted, key, outcome{})
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

// runStep performs one step and journals its outcome. Only a journal
// failure is returned as an error; a nil result means the step did not
// run (interrupted before its first write).
func (x *applier) runStep(ctx context.Context, s *plan.Step) (*Result, error) {
	ch := x.changes[s.Key]
	res := &Result{Step: s, Action: ch.Action, ID: x.id(s.Key)}
	start := time.Now()
	a := &attempt{x: x, s: s, gen: x.generation(s.Key)}
	o, act := x.execute(ctx, a, ch)
	if act && a.key != "" && ch.Action == InDoubt && o.State == StateFailed && ctx.Err() == nil {
		// The in-doubt write is now known to have failed, so nothing
		// happened: journal that failure and try again with a fresh key.
		if err := x.record(s, ch.Action, StateFailed, a.key, o); err != nil {
			return nil, err
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
	if o.ID != "" {
		res.ID = o.ID
		x.setID(s.Key, o.ID)
	}
	if o.State == stateJournal {
		return nil, o.Err
	}
	if act {
		if err := x.record(s, ch.Action, res.State, a.key, o); err != nil {
			return nil, err
		}
	} else if x.hist[s.Key] == nil && res.ID != "" && res.State == "" {
		// Found by Tag or adopted, unknown to the journal (a first run,
		// or a lost journal): index it, so that reports see it.
		if err := x.record(s, ch.Action, StateSucceeded, "", o); err != nil {
			return nil, err
		}
	}
	x.logResult(ctx, res, a.key, time.Since(start))
	return res, nil
}

// execute runs the step's action; act reports whether it wrote or polled
// (so its outcome is journalled).
func (x *applier) execute(ctx context.Context, a *attempt, ch *Change) (outcome, bool) {
	s := a.s
	f := x.st.found[s.Key]
	switch ch.Action {
	case Blocked:
		return outcome{ID: ch.ID, State: StateFailed, Err: errors.New(ch.Reason)}, true
	case Adopt:
		if o, ok := foundPending(s, f); ok {
			return o, false
		}
		return outcome{ID: ch.ID}, false
	case Create, InDoubt:
		return a.create(ctx), true
	case Update:
		o := a.update(ctx, ch.ID)
		if p, ok := foundPending(s, f); ok && o.State == StateSucceeded {
			p.ID = o.ID
			return p, true
		}
		return o, true
	}
	// Unchanged: wait for what is still in progress.
	if o, ok := foundPending(s, f); ok {
		return o, false
	}
	switch {
	case f != nil && s.Kind == plan.KindKYC && f.Status == mangopay.KYCStatusValidationAsked:
		return x.waitKYC(ctx, s, f.ID), true
	case f != nil && s.Kind == plan.KindPayOut && f.Status == mangopay.StatusCreated:
		return x.pollPayOut(ctx, f.ID, outcome{ID: f.ID, Status: f.Status, State: StatePending}), true
	case f != nil && isMoney(s.Kind) && f.Status == mangopay.StatusCreated:
		return outcome{ID: f.ID, Status: f.Status, State: StatePending,
			Err: fmt.Errorf("%s %s still CREATED (3DS to complete)", s.Kind, f.ID)}, false
	}
	return outcome{ID: ch.ID, State: ""}, false
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
	if r.Err != nil {
		attrs = append(attrs, slog.String("error", maskText(r.Err.Error())))
	}
	x.log.LogAttrs(ctx, slog.LevelInfo, "step", attrs...)
}

// done is a finished step, sent from a worker to the dispatcher.
type done struct {
	res *Result
	err error
}

// newPool is the bounded worker pool.
func newPool(ctx context.Context, n int) *pool.ContextPool {
	return pool.New().WithMaxGoroutines(n).WithContext(ctx)
}
