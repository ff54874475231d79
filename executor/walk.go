package executor

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"settle/internal/dag"
)

// walk runs the step DAG with a [dag.Walker]: at most Config.Parallelism
// steps at once, in-doubt steps first, a failed, pending, in-doubt or
// blocked step skipping what depends on it, Config.FailFast stopping at
// the first failure. The walker knows nothing of steps: walker's methods
// run them (visit), journal the skipped ones (skip) and report progress
// (done). A journal failure stops the walk: the journal is then synced
// once more, and whatever outcome it may not hold is counted in doubt.
func (x *applier) walk(ctx context.Context) (*Summary, error) {
	w := &walker{x: x, results: map[string]*Result{}}
	dw := &dag.Walker{Parallelism: x.cfg.Parallelism, FailFast: x.cfg.FailFast,
		First: func(k string) bool { return x.changes[k].Action == InDoubt },
		Visit: w.visit, Skip: w.skip, Done: w.done}
	fatal := dw.Walk(ctx, x.g.dag)
	if err := x.j.Sync(); err != nil && fatal == nil {
		fatal = err
	}
	if errors.Is(fatal, ErrJournal) {
		w.unsynced(fatal)
	}
	sum := w.summary(ctx.Err() != nil)
	sum.Stopped = errors.Is(fatal, ErrJournal)
	if fatal != nil {
		return sum, fmt.Errorf("executor: run stopped: %w", fatal)
	}
	return sum, nil
}

// walker runs the steps for a [dag.Walker].
type walker struct {
	x *applier

	mu      sync.Mutex         // guards results
	results map[string]*Result // step key -> result
	// settled counts the steps done or skipped; only the dispatcher
	// goroutine (done and skip) uses it.
	settled int
}

// visit runs one step, on a pool goroutine, and tells the walker how it
// ended: a failure skips its dependants (and stops a FailFast run), an
// outcome still pending, unknown, blocked or not sent skips them too.
func (w *walker) visit(ctx context.Context, key string) (dag.Status, error) {
	r, err := w.x.runStep(ctx, w.x.g.byKey[key])
	if r == nil {
		return dag.NotRun, err
	}
	w.mu.Lock()
	w.results[key] = r
	w.mu.Unlock()
	switch r.State {
	case StateSucceeded, "":
		return dag.Succeeded, err
	case StateFailed:
		return dag.Failed, err
	}
	return dag.Held, err
}

// done reports a visited step's progress.
func (w *walker) done(key string, _ dag.Status) {
	w.settled++
	w.progress(key)
}

// skip records a step skipped because root did not succeed, naming root
// as the cause, or because the run failed fast at root.
func (w *walker) skip(key, root string, failFast bool) error {
	s := w.x.g.byKey[key]
	sk := &Result{Step: s, Action: w.x.changes[key].Action, State: StateSkipped, ID: w.x.id(key)}
	w.mu.Lock()
	rr := w.results[root]
	w.results[key] = sk
	w.mu.Unlock()
	w.settled++
	if failFast {
		sk.Err = fmt.Errorf("skipped: fail-fast after %s failed", root)
		return w.x.recordSkip(sk)
	}
	why := "failed"
	if rr != nil && rr.State != StateFailed {
		why = map[string]string{StatePending: "pending", StateInDoubt: "in doubt", StateBlocked: "blocked",
			StateSkipped: "not sent"}[rr.State]
	}
	sk.Err = fmt.Errorf("skipped: upstream %s %s", root, why)
	err := w.x.recordSkip(sk)
	w.x.logResult(context.Background(), sk, "", 0)
	w.progress(key)
	return err
}

// recordSkip journals a skipped step, unless it makes no write this run:
// the journal then keeps the outcome it holds for an object that exists.
func (x *applier) recordSkip(r *Result) error {
	if !runs(r.Action) {
		return nil
	}
	_, err := x.record(r.Step, r.Action, StateSkipped, "", outcome{ID: r.ID, Err: r.Err})
	return err
}

// unsynced marks in doubt every step whose outcome record a failed
// journal write or sync may have lost: the journal does not hold its
// outcome, so the next run learns it from MANGOPAY, as after a crash.
func (w *walker) unsynced(cause error) {
	synced := w.x.j.Synced()
	for key, n := range w.x.outcomes {
		r := w.results[key]
		if r == nil || n <= synced {
			continue
		}
		switch r.State {
		case StateInDoubt, StateSkipped, StateBlocked:
			continue // nothing of it was sent, or it is in doubt already
		}
		r.State, r.Err = StateInDoubt, fmt.Errorf("outcome not on disk: %w", cause)
	}
}

// progress reports to Config.Progress.
func (w *walker) progress(step string) {
	if w.x.cfg.Progress == nil {
		return
	}
	w.mu.Lock()
	r := w.results[step]
	w.mu.Unlock()
	w.x.cfg.Progress(Progress{Done: w.settled, Total: len(w.x.g.order), Step: step, Result: r,
		Waiting: len(w.x.cfg.Client.RateLimit().Windows) > 0 && w.x.cfg.Client.RateLimit().Waiting})
}

// summary counts the results in graph order and totals the money.
func (w *walker) summary(interrupted bool) *Summary {
	sum := &Summary{Interrupted: interrupted}
	for _, s := range w.x.g.order {
		r := w.results[s.Key]
		if r == nil {
			continue
		}
		sum.Results = append(sum.Results, r)
		switch r.State {
		case StateSucceeded:
			sum.Done++
		case StateFailed:
			sum.Failed++
		case StateSkipped:
			sum.Skipped++
		case StatePending:
			sum.Pending++
		case StateInDoubt:
			sum.InDoubt++
		case StateBlocked:
			sum.Blocked++
		default:
			sum.Unchanged++
		}
	}
	sum.Money = w.x.moneyOfRun(w.results)
	return sum
}
