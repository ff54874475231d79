package executor

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/sourcegraph/conc/pool"

	"settle/mangopay"
	"settle/plan"
)

// found is what reading the state learnt about one step's object.
type found struct {
	ID      string
	Exists  bool
	Missing bool // an adopted id that MANGOPAY does not know
	// Status is a transaction's or a KYC document's status.
	Status                    string
	ResultCode, ResultMessage string
	// Failed counts FAILED transactions carrying the step's Tag; Dups the
	// objects beyond the first that carry it (should be 0).
	Failed, Dups int
	Drift        []string

	Balance  int64  // wallets
	Currency string // wallets, cards, transactions
	KYCLevel string // users
	// UserStatus is a user's status; SCAURL the RedirectUrl of its
	// PendingUserAction while it is PENDING_USER_ACTION.
	UserStatus, SCAURL string
	URL                string // identity verification sessions: the HostedUrl
	Active             bool   // bank accounts, cards
	// Recipient marks a bank account registered as a Recipient (Status
	// its status, SCAURL its approval URL while PENDING); VOP and
	// VOPMessage are its Verification of Payee check and message.
	Recipient       bool
	VOP, VOPMessage string
	Validity        string // cards
	// Transactions: DebitedFunds, CreditedFunds and Fees amounts.
	Debited, Credited, Fees int64
	// Refunded sums the SUCCEEDED refunds of a transaction.
	Refunded int64
	Created  int64 // CreationDate
	user     *mangopay.User
}

// state is what exists on MANGOPAY for a plan.
type state struct {
	found map[string]*found // step key -> object; absent when nothing exists
	fees  map[string]int64  // currency -> FEES client wallet balance
	reads int               // API calls made to read it
	// trusted counts the steps taken from the journal (state_trust.go);
	// rechecked names the campaigns read in full after their wallet check.
	trusted   int
	rechecked []string
}

// reader reads the state with as few calls as it can: adopted ids one GET
// each, then one list call (100 per page) per user for its wallets, bank
// accounts, KYC documents and cards, one per wallet for its transactions,
// and the users list only for users neither adopted nor journalled.
type reader struct {
	c    *mangopay.Client
	p    *plan.Plan
	g    *graph
	hist map[string]*StepHistory
	st   *state

	par        int                               // reads in flight at most
	usersByTag map[string][]mangopay.UserSummary // listed before the parallel reads
	checkers   map[string][]*plan.Step           // step key -> the steps whose pre-flight checks it live (checkersOf)

	mu    sync.Mutex     // guards lists, st.found, st.reads and stepsRead during the parallel reads
	lists map[string]any // "wallets:<user>" etc. -> cached list

	stepsRead  int            // steps whose state is known
	progress   func(Progress) // Config.Progress, nil for none
	progressMu sync.Mutex     // serializes the progress calls of the parallel reads
}

// readState reads the objects and balances behind every step, in waves
// that each make their calls at most par at a time: users; then the users'
// lists (wallets, bank accounts, KYC documents) and adopted objects; then
// the wallets' transactions and adopted transactions; then the lazy
// objects (cards) that a step still to run checks. Unless refresh, the
// journal's final steps are taken from recs, then checked through the
// campaigns' wallets (state_trust.go).
func readState(ctx context.Context, c *mangopay.Client, p *plan.Plan, g *graph, recs []Record, hist map[string]*StepHistory,
	par int, refresh bool, progress func(Progress)) (*state, error) {
	r := &reader{c: c, p: p, g: g, hist: hist, lists: map[string]any{}, par: max(1, par), progress: progress,
		checkers: checkersOf(g), st: &state{found: map[string]*found{}, fees: map[string]int64{}}}
	trust := map[string]bool{}
	if !refresh {
		trust = r.trustable()
		r.assume(trust, recs)
	}
	if err := r.listUsersIfNeeded(ctx); err != nil {
		return nil, fmt.Errorf("executor: listing users: %w", err)
	}
	if err := r.waves(ctx, g.order); err != nil {
		return nil, err
	}
	if len(trust) > 0 {
		again, err := r.checkCampaigns(ctx, trust, recs)
		if err != nil {
			return nil, err
		}
		r.st.rechecked = again
		if err := r.waves(ctx, r.distrust(trust, again)); err != nil {
			return nil, err
		}
	}
	r.st.trusted = len(trust)
	if err := r.readFees(ctx); err != nil {
		return nil, err
	}
	if err := r.readRefunded(ctx); err != nil {
		return nil, err
	}
	return r.st, nil
}

// lastWave is the reading wave of the lazy kinds.
const lastWave = 3

// waves reads steps in their kinds' reading waves.
func (r *reader) waves(ctx context.Context, steps []*plan.Step) error {
	waves := make([][]*plan.Step, lastWave+1)
	for _, s := range steps {
		w := 1
		if k := kindOf(s.Kind); k != nil {
			w = k.wave
		}
		waves[w] = append(waves[w], s)
	}
	for _, wave := range waves {
		if err := r.wave(ctx, wave); err != nil {
			return err
		}
	}
	return nil
}

// wave reads steps whose dependencies were read by earlier waves: first
// the list calls and GETs they need, in parallel, then each step from
// those answers. A lazy step that the steps checking it prove made is
// taken as made without a call.
func (r *reader) wave(ctx context.Context, steps []*plan.Step) error {
	p := pool.New().WithMaxGoroutines(r.par).WithErrors().WithContext(ctx).WithCancelOnError().WithFirstError()
	seen := map[string]bool{}
	for _, s := range steps {
		if r.known(s.Key) {
			continue
		}
		if r.proven(s) {
			r.setFound(s.Key, takenAsMade(s, r.journalID(s.Key)))
			continue
		}
		key, fetch := r.prefetch(s)
		if fetch == nil || seen[key] {
			continue
		}
		seen[key] = true
		p.Go(func(ctx context.Context) error {
			if err := fetch(ctx); err != nil {
				return fmt.Errorf("executor: reading %s: %w", s.Key, err)
			}
			r.report()
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		return err
	}
	for _, s := range steps {
		if err := r.read(ctx, s); err != nil {
			return fmt.Errorf("executor: reading %s: %w", s.Key, err)
		}
		r.mu.Lock()
		r.stepsRead++
		r.mu.Unlock()
		r.report()
	}
	return nil
}

// checkersOf maps each step to the steps whose pre-flight checks its
// object live: the movements that debit or credit a wallet (its balance),
// the steps whose kinds' checked list it (the pay-ins that charge a card,
// the payouts to a bank account and of an owner).
func checkersOf(g *graph) map[string][]*plan.Step {
	out := map[string][]*plan.Step{}
	for _, s := range g.order {
		var live []string
		if isMoney(s.Kind) {
			debited, credited := walletsOf(s)
			live = append(live, debited, credited)
		}
		if k := kindOf(s.Kind); k != nil && k.checked != nil {
			live = append(live, k.checked(g, s)...)
		}
		for _, key := range live {
			if key != "" {
				out[key] = append(out[key], s)
			}
		}
	}
	return out
}

// proven reports whether a managed lazy step need not be read: some
// steps check it live and every one of them was found SUCCEEDED.
func (r *reader) proven(s *plan.Step) bool {
	k := kindOf(s.Kind)
	by := r.checkers[s.Key]
	if k == nil || !k.lazy || s.AdoptedID != "" || len(by) == 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range by {
		if f := r.st.found[c.Key]; f == nil || !f.Exists || f.Status != mangopay.StatusSucceeded {
			return false
		}
	}
	return true
}

// takenAsMade describes an object known to exist without reading it (its
// journal says so, or the movements that needed it succeeded): active,
// valid, of the step's currency, with the Id the journal holds.
func takenAsMade(s *plan.Step, id string) *found {
	return &found{ID: id, Exists: true, Currency: s.Currency, Active: true, Validity: "VALID"}
}

// report tells Config.Progress how far the reading is (PhaseReading).
func (r *reader) report() {
	if r.progress == nil {
		return
	}
	r.mu.Lock()
	p := Progress{Phase: PhaseReading, Done: r.stepsRead, Total: len(r.g.order), Calls: r.st.reads}
	r.mu.Unlock()
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.progress(p)
}

// prefetch returns the call a step's reading needs (deduplicated by key):
// an adopted object's GET, else its kind's (a user's GET, the list the
// step is found in).
func (r *reader) prefetch(s *plan.Step) (string, func(context.Context) error) {
	if s.AdoptedID != "" {
		return r.readItself(s)
	}
	if k := kindOf(s.Kind); k != nil && k.prefetch != nil {
		return k.prefetch(r, s)
	}
	return "", nil
}

// setFound records what was found for a step.
func (r *reader) setFound(key string, f *found) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.found[key] = f
}

// known reports whether a step was read (or taken from the journal).
func (r *reader) known(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.st.found[key]
	return ok
}

// count adds n calls to the read count.
func (r *reader) count(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.reads += n
}

// idOf is the MANGOPAY Id of a step's object, "" when it does not exist yet.
func (r *reader) idOf(key string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.st.found[key]; f != nil && f.Exists {
		return f.ID
	}
	return ""
}

// journalID is the Id the journal recorded for a step.
func (r *reader) journalID(key string) string {
	if h := r.hist[key]; h != nil {
		return h.ID
	}
	return ""
}

// read reads a step with its kind's get (adopted) or find (managed); a
// step already read (by its wave's prefetch) is not read again.
func (r *reader) read(ctx context.Context, s *plan.Step) error {
	if r.known(s.Key) {
		return nil
	}
	k := kindOf(s.Kind)
	if k == nil {
		return fmt.Errorf("unknown step kind %q", s.Kind)
	}
	if s.AdoptedID != "" {
		return r.readAdopted(ctx, k, s)
	}
	return k.find(r, ctx, s)
}

// countPages drains a list, calling each for every item, and returns the
// number of pages (calls) it took.
func countPages[T any](seq func(func(T, error) bool), each func(T)) (int, error) {
	n := 0
	var err error
	seq(func(it T, e error) bool {
		if e != nil {
			err = e
			return false
		}
		n++
		each(it)
		return true
	})
	return max(1, (n+mangopay.MaxPerPage-1)/mangopay.MaxPerPage), err
}

// readFees reads the FEES client wallet of every currency the plan moves.
func (r *reader) readFees(ctx context.Context) error {
	curs := map[string]bool{}
	for _, s := range r.g.order {
		if s.Currency != "" && isMoney(s.Kind) {
			curs[s.Currency] = true
		}
	}
	for _, cur := range sortedKeys(curs) {
		r.st.reads++
		w, err := r.c.ClientWallets.Get(ctx, mangopay.FundsFees, cur)
		switch {
		case isNotFound(err):
			r.st.fees[cur] = 0
		case err != nil:
			return fmt.Errorf("executor: reading FEES_%s: %w", cur, err)
		default:
			r.st.fees[cur] = w.Balance.Amount
		}
	}
	return nil
}

// isNotFound reports MANGOPAY's answer that an object does not exist.
func isNotFound(err error) bool { return errors.Is(err, mangopay.ErrNotFound) }

// sortedKeys returns a set's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
