package executor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// PreviewOf reads what exists on MANGOPAY for the plan (adopted ids, the
// journal's ids, then Tag search with the narrowest list calls) and
// returns every step's action, the pre-flight ledger's balances and the
// cost of the run. It makes no write. What it marks Blocked fails when
// applied (or is skipped, downstream of a step that fails); what it does
// not block succeeds, unless the world changes in between.
func PreviewOf(ctx context.Context, cfg Config, p *plan.Plan) (*Preview, error) {
	e, err := prepare(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	return e.preview(), nil
}

// engine is one PreviewOf or Apply: the plan, its graph, the journal's history
// and the state read from MANGOPAY.
type engine struct {
	cfg  Config
	p    *plan.Plan
	g    *graph
	hist map[string]*StepHistory
	st   *state
}

// prepare expands the plan, reads the journal and the state.
func prepare(ctx context.Context, cfg Config, p *plan.Plan) (*engine, error) {
	if cfg.Client == nil {
		return nil, fmt.Errorf("executor: Config.Client is required")
	}
	steps, err := plan.Expand(p)
	if err != nil {
		return nil, err
	}
	g, err := newGraph(steps)
	if err != nil {
		return nil, err
	}
	var recs []Record
	if cfg.JournalPath != "" {
		var damaged int
		if recs, damaged, err = readJournal(cfg.JournalPath); err != nil {
			return nil, err
		}
		if damaged > 0 && cfg.Logger != nil {
			cfg.Logger.Warn("journal damaged tail ignored (cut by the next apply)", "journal", cfg.JournalPath, "line", damaged)
		}
	}
	e := &engine{cfg: cfg, p: p, g: g, hist: Fold(recs)}
	par := cfg.Parallelism
	if par <= 0 {
		par = DefaultParallelism
	}
	if e.st, err = readState(cfg.scaContext(ctx), cfg.Client, p, g, recs, e.hist, par, cfg.Refresh, cfg.Progress); err != nil {
		return nil, accessError(err)
	}
	return e, nil
}

// preview classifies every step, runs the pre-flight and counts calls.
func (e *engine) preview() *Preview {
	pv := &Preview{Plan: e.p}
	changes := map[string]*Change{}
	for _, s := range e.g.order {
		ch := e.classify(s)
		changes[s.Key] = ch
		pv.Changes = append(pv.Changes, ch)
	}
	pv.Wallets, pv.Money = runPreflight(e.cfg, e.p, e.g, e.st, changes)
	pv.Reads, pv.Trusted, pv.Rechecked = e.st.reads, e.st.trusted, e.st.rechecked
	switch {
	case e.cfg.Refresh:
		pv.Reading = ReadRefresh
	case pv.Trusted > 0:
		pv.Reading = ReadTrusted
	default:
		pv.Reading = ReadFull
	}
	for _, ch := range pv.Changes {
		ch.Calls = callsFor(ch, e.st.found[ch.Step.Key])
		pv.Calls += ch.Calls
	}
	pv.MinDuration = minDuration(pv.Calls, e.cfg.Client.RateLimit(), time.Now())
	return pv
}

// classify decides a step's action from what was found.
func (e *engine) classify(s *plan.Step) *Change {
	f := e.st.found[s.Key]
	ch := &Change{Step: s, Action: Create}
	if f != nil {
		ch.ID, ch.Drift = f.ID, f.Drift
		if f.Dups > 0 {
			ch.Drift = append(ch.Drift, fmt.Sprintf("%d more objects carry the Tag %s", f.Dups, s.Tag))
		}
	}
	switch {
	case s.AdoptedID != "" && (f == nil || f.Missing):
		ch.Action, ch.Reason = Blocked, fmt.Sprintf("adopted %s %s not found", s.Kind, s.AdoptedID)
	case s.AdoptedID != "":
		ch.Action = Adopt
	case f != nil && f.Exists:
		e.classifyExisting(s, f, ch)
	case e.hist[s.Key] != nil && e.hist[s.Key].InDoubt():
		ch.Action = InDoubt
		ch.Reason = "the last write (key " + e.hist[s.Key].Key + ") has no known outcome; resolved first"
	}
	return ch
}

// classifyExisting: unchanged, unless the kind's classify says otherwise
// (an update, a retry after a FAILED attempt, a block).
func (e *engine) classifyExisting(s *plan.Step, f *found, ch *Change) {
	ch.Action = Unchanged
	if k := kindOf(s.Kind); k != nil && k.classify != nil {
		k.classify(s, f, ch)
	}
}

// classifyMovement is the classify of every money kind: a FAILED movement
// is made again (under its next key), one made with other amounts blocks,
// one still CREATED is pending.
func classifyMovement(s *plan.Step, f *found, ch *Change) {
	switch {
	case f.Status == mangopay.StatusFailed:
		ch.Action, ch.ID = Create, ""
		ch.Reason = fmt.Sprintf("retry: %d earlier attempt(s) FAILED (%s %s)", f.Failed, f.ResultCode, f.ResultMessage)
	case len(f.Drift) > 0:
		// The movement was made with other amounts (the plan was edited
		// since): settle never moves the difference by itself, and what
		// depends on it (a refund of the planned amount) must not run.
		ch.Action = Blocked
		ch.Reason = fmt.Sprintf("%s %s was made with other amounts than the plan's: %s", s.Kind, f.ID,
			strings.Join(f.Drift, "; "))
	case f.Status == mangopay.StatusCreated:
		ch.Reason = "pending: " + strings.ToLower(string(s.Kind)) + " still CREATED"
	}
}

// updateDrift is the classify of kinds whose declared fields can be
// changed in place (users, wallets): drift is an update.
func updateDrift(_ *plan.Step, f *found, ch *Change) {
	if len(f.Drift) > 0 {
		ch.Action = Update
	}
}

// callsFor is the number of API calls applying a change takes at least
// (polls counted once): one per write unless its kind counts more.
func callsFor(ch *Change, f *found) int {
	switch ch.Action {
	case Create, InDoubt, Update:
		if k := kindOf(ch.Step.Kind); k != nil && k.calls != nil {
			return k.calls(ch.Step, ch.Action)
		}
		return 1
	case Unchanged:
		if k := kindOf(ch.Step.Kind); f != nil && k != nil && k.polls != nil && k.polls(f) {
			return 1 // one poll
		}
	}
	return 0
}

// documentedWindows are MANGOPAY's rate-limit windows (§15), used until
// the client has seen the headers.
var documentedWindows = []struct {
	period time.Duration
	limit  int
}{{15 * time.Minute, 2300}, {30 * time.Minute, 4500}, {time.Hour, 8800}, {24 * time.Hour, 105600}}

// minDuration is the least time calls take under the rate limits: for
// each window that cannot hold them, the time to its reset plus whole
// periods for what is left.
func minDuration(calls int, rl mangopay.RateLimitState, now time.Time) time.Duration {
	var d time.Duration
	if len(rl.Windows) == 0 {
		for _, w := range documentedWindows {
			if calls > w.limit {
				d = max(d, time.Duration((calls-1)/w.limit)*w.period)
			}
		}
		return d
	}
	for _, w := range rl.Windows {
		if calls <= w.Remaining || w.Reset.IsZero() {
			continue
		}
		toReset := max(0, w.Reset.Sub(now))
		period := windowPeriod(toReset)
		limit := max(1, w.Made+w.Remaining)
		extra := calls - w.Remaining
		d = max(d, toReset+time.Duration((extra-1)/limit)*period)
	}
	return d
}

// windowPeriod rounds a time-to-reset up to the documented period it
// belongs to.
func windowPeriod(toReset time.Duration) time.Duration {
	for _, w := range documentedWindows {
		if toReset <= w.period {
			return w.period
		}
	}
	return 24 * time.Hour
}
