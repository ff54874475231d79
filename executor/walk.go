package executor

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sort"

	"settle/plan"
)

// walk runs the DAG: a dispatcher (this goroutine) keeps a ready queue of
// steps whose dependencies succeeded, in-doubt steps first, and starts
// them on a pool at most Config.Parallelism wide, only as many as there
// are free slots, so that it looks at every outcome (FailFast, Ctrl-C)
// before starting more. Workers report on a channel buffered to the
// number of steps, so they never block reporting back.
func (x *applier) walk(ctx context.Context) (*Summary, error) {
	w := &walker{x: x, results: map[string]*Result{}, waiting: map[string]int{},
		doneCh: make(chan done, len(x.g.order))}
	for _, s := range x.g.order {
		w.waiting[s.Key] = len(x.g.deps[s.Key])
		if w.waiting[s.Key] == 0 {
			w.push(s)
		}
	}
	p := newPool(ctx, x.cfg.Parallelism)
	inflight := 0
	for {
		if !w.stop && ctx.Err() == nil && len(w.ready) > 0 && inflight < x.cfg.Parallelism {
			n := min(len(w.ready), x.cfg.Parallelism-inflight)
			for range n {
				s := heap.Pop(&w.ready).(readyStep).s
				inflight++
				p.Go(func(ctx context.Context) error {
					if ctx.Err() != nil {
						w.doneCh <- done{res: nil}
						return nil
					}
					r, err := x.runStep(ctx, s)
					w.doneCh <- done{res: r, err: err}
					return nil
				})
			}
		}
		if inflight == 0 {
			break
		}
		d := <-w.doneCh
		inflight--
		if d.err != nil {
			w.fail(d.err)
			if d.res != nil {
				w.results[d.res.Step.Key] = d.res
				w.progress(d.res.Step.Key)
			}
			continue
		}
		if d.res != nil {
			w.finish(d.res)
		}
	}
	_ = p.Wait()
	if w.failFast != "" && w.fatal == nil && ctx.Err() == nil {
		w.skipRest()
	}
	if err := x.j.Sync(); err != nil {
		w.fail(err)
	}
	if errors.Is(w.fatal, ErrJournal) {
		w.unsynced()
	}
	sum := w.summary(ctx.Err() != nil)
	sum.Stopped = errors.Is(w.fatal, ErrJournal)
	if w.fatal != nil {
		return sum, fmt.Errorf("executor: run stopped: %w", w.fatal)
	}
	return sum, nil
}

// fail stops the run on its first fatal error (a journal write).
func (w *walker) fail(err error) {
	if w.fatal == nil {
		w.fatal = err
	}
	w.stop = true
}

// unsynced marks in doubt every step whose outcome record a failed
// journal sync may have lost: the journal does not hold its outcome, so
// the next run learns it from MANGOPAY, as for a crash.
func (w *walker) unsynced() {
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
		r.State, r.Err = StateInDoubt, fmt.Errorf("outcome not on disk: %w", w.fatal)
	}
}

// walker is the dispatcher's state; only the dispatcher goroutine uses it.
type walker struct {
	x       *applier
	results map[string]*Result
	waiting map[string]int
	ready   readyQueue
	doneCh  chan done
	stop    bool
	// fatal is the error that stopped the run (a journal write).
	fatal error
	// failFast is the failed step that stopped the run (Config.FailFast).
	failFast string
}

// skipRest marks every step that did not run as skipped by fail-fast.
func (w *walker) skipRest() {
	for _, s := range w.x.g.order {
		if w.results[s.Key] != nil {
			continue
		}
		sk := &Result{Step: s, Action: w.x.changes[s.Key].Action, State: StateSkipped, ID: w.x.id(s.Key),
			Err: fmt.Errorf("skipped: fail-fast after %s failed", w.failFast)}
		w.results[s.Key] = sk
		if err := w.x.recordSkip(sk); err != nil {
			w.fail(err)
			return
		}
	}
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

// push adds a step whose dependencies all succeeded to the ready queue.
func (w *walker) push(s *plan.Step) {
	prio := w.x.g.index[s.Key]
	if w.x.changes[s.Key].Action == InDoubt {
		prio -= len(w.x.g.order)
	}
	heap.Push(&w.ready, readyStep{prio: prio, s: s})
}

// readyQueue holds the ready steps, in-doubt steps first, then graph
// order: a binary heap, so that dispatching n steps costs O(n log n)
// where sorting the whole queue before each dispatch cost O(n² log n) on
// the dispatcher, the one goroutine every step goes through.
type readyQueue []readyStep

// readyStep is a ready step and its rank: its graph index, less the
// number of steps if it is in doubt.
type readyStep struct {
	prio int
	s    *plan.Step
}

func (q readyQueue) Len() int           { return len(q) }
func (q readyQueue) Less(i, j int) bool { return q[i].prio < q[j].prio }
func (q readyQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)        { *q = append(*q, x.(readyStep)) }
func (q *readyQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// finish records a step's result and releases or skips its dependants.
func (w *walker) finish(r *Result) {
	w.results[r.Step.Key] = r
	w.progress(r.Step.Key)
	switch r.State {
	case StateSucceeded, "":
		for _, k := range w.x.g.dependants[r.Step.Key] {
			w.waiting[k]--
			if w.waiting[k] == 0 && w.results[k] == nil {
				w.push(w.x.g.byKey[k])
			}
		}
		return
	case StateFailed:
		if w.x.cfg.FailFast && w.failFast == "" {
			w.stop, w.failFast = true, r.Step.Key
		}
	}
	why := map[string]string{StateFailed: "failed", StatePending: "pending", StateInDoubt: "in doubt",
		StateBlocked: "blocked", StateSkipped: "not sent"}[r.State]
	for _, k := range w.x.g.downstream(r.Step.Key) {
		if w.results[k] != nil {
			continue
		}
		s := w.x.g.byKey[k]
		sk := &Result{Step: s, Action: w.x.changes[k].Action, State: StateSkipped, ID: w.x.id(k),
			Err: fmt.Errorf("skipped: upstream %s %s", r.Step.Key, why)}
		w.results[k] = sk
		if err := w.x.recordSkip(sk); err != nil {
			w.fail(err)
		}
		w.x.logResult(context.Background(), sk, "", 0)
		w.progress(k)
	}
}

// progress reports to Config.Progress.
func (w *walker) progress(step string) {
	if w.x.cfg.Progress == nil {
		return
	}
	w.x.cfg.Progress(Progress{Done: len(w.results), Total: len(w.x.g.order), Step: step,
		Waiting: len(w.x.cfg.Client.RateLimit().Windows) > 0 && w.x.cfg.Client.RateLimit().Waiting})
}

// summary counts the results in graph order and sums the money moved.
func (w *walker) summary(interrupted bool) *Summary {
	sum := &Summary{Interrupted: interrupted}
	money := map[string]*CampaignMoney{}
	var camps []string
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
		if s.Campaign == "" || !isMoney(s.Kind) {
			continue
		}
		m := money[s.Campaign]
		if m == nil {
			m = &CampaignMoney{Campaign: s.Campaign, Currency: s.Currency}
			money[s.Campaign] = m
			camps = append(camps, s.Campaign)
		}
		addMoney(m, s, r)
	}
	sort.Strings(camps)
	for _, c := range camps {
		sum.Money = append(sum.Money, *money[c])
	}
	return sum
}

// addMoney adds what one step of this run moved: what it created, and
// payouts made earlier that this run saw processed (or still pending).
func addMoney(m *CampaignMoney, s *plan.Step, r *Result) {
	if r.Action != Create && r.Action != InDoubt && (s.Kind != plan.KindPayOut || r.State == "") {
		return
	}
	switch {
	case r.State == StatePending && s.Kind == plan.KindPayOut:
		m.Pending += s.Amount
	case r.State != StateSucceeded:
	case s.Kind == plan.KindPayIn:
		m.Contributed += s.Amount
		m.Fees += s.Fees
	case s.Kind == plan.KindTransfer:
		m.Transferred += s.Amount
		m.Fees += s.Fees
	case s.Kind == plan.KindPayOut:
		m.PaidOut += s.Amount
		m.Fees += s.Fees
	case s.Kind == plan.KindTransferRefund:
		m.Refunded += s.Amount
		m.Fees += s.Fees
	case s.Kind == plan.KindPayInRefund:
		m.ToCard += s.Amount
		m.Fees += s.Fees
	}
}
