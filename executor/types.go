package executor

import (
	"log/slog"
	"time"

	"settle/mangopay"
	"settle/plan"
)

// Action is what a plan run will do, or did, with one step. It prints as
// Terraform-style symbols.
type Action int

// Actions, DESIGN §5.
const (
	Unchanged Action = iota // = exists and matches
	Create                  // + created by this run
	Update                  // ~ mutable user/wallet fields differ
	Adopt                   // > adopted by id, read and checked
	Blocked                 // ! would fail: the reason says why
	InDoubt                 // ? a write whose outcome is unknown; resolved first
)

// String returns the action's symbol: + ~ = > ! ?
func (a Action) String() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Unchanged:
		return "="
	case Adopt:
		return ">"
	case Blocked:
		return "!"
	case InDoubt:
		return "?"
	}
	return "?"
}

// Name returns the action's word: create, update, unchanged, adopt, blocked, in_doubt.
func (a Action) Name() string {
	return [...]string{"unchanged", "create", "update", "adopt", "blocked", "in_doubt"}[a]
}

// Config is what PreviewOf and Apply need. Client is required.
type Config struct {
	Client *mangopay.Client
	// JournalPath is the JSON Lines journal (default .settle/<plan>.journal.jsonl
	// beside the plan; the caller resolves the default).
	JournalPath string
	// Target names the target ("embedded", "sandbox", "production", "url");
	// raw card numbers are refused unless it is embedded or sandbox.
	Target string
	// Parallelism bounds the steps in flight (default 8).
	Parallelism int
	// Wait bounds how long asynchronous outcomes (KYC verdicts, payouts)
	// are polled for (default 2m).
	Wait time.Duration
	// FailFast stops dispatching at the first failed step.
	FailFast bool
	// Logger receives slog records; nil discards them.
	Logger *slog.Logger
	// Progress, when set, is called never concurrently: while the state is
	// read (PreviewOf and Apply, PhaseReading) as calls return, then after each
	// step changes state (Apply, PhaseApplying, from the dispatcher
	// goroutine only).
	Progress func(Progress)
	// ProxyConsent is the operator's statement (--proxy-consent or
	// MANGOPAY_PROXY_CONSENT=1) that MANGOPAY approved the platform's proxy
	// and its owners gave consent: owner wallet reads and owner-initiated
	// writes then send ScaContext=USER_NOT_PRESENT instead of waiting for
	// the owner (a 403 then means the consent is missing).
	ProxyConsent bool
	// Refresh reads every step's object from MANGOPAY (as Terraform's
	// -refresh), ignoring what the journal says is final (state_trust.go).
	Refresh bool
}

// ProgressPhase is what a run is doing: reading the state, then applying.
type ProgressPhase int

// Phases of a run, in order. The zero value is applying.
const (
	PhaseApplying ProgressPhase = iota // Done of Total steps applied
	PhaseReading                       // the state of Done of Total steps read, with Calls API calls
)

// Progress is a snapshot for progress displays.
type Progress struct {
	Phase       ProgressPhase
	Done, Total int
	// Calls is the API calls made reading the state so far (PhaseReading).
	Calls int
	// Waiting is true while the rate-limit governor holds calls back.
	Waiting bool
	Step    string // the step that just changed state
	// Result is that step's result (PhaseApplying), final: it is the one
	// the Summary lists.
	Result *Result
}

// Change is one step of a preview: what will happen to it and why.
type Change struct {
	Step   *plan.Step
	Action Action
	// ID is the MANGOPAY Id when the object exists (adopted, journalled or
	// found by Tag); "" for a lazy object taken as made without a journal
	// (a card whose pay-ins all succeeded: stepKind.lazy).
	ID string
	// Reason explains Blocked and InDoubt; Drift lists adopted or managed
	// fields that differ from the plan ("Email: plan a@x, MANGOPAY b@x").
	Reason string
	Drift  []string
	// Warning is what the operator should know of a step that goes
	// ahead: a bank account's Verification of Payee result other than
	// MATCH.
	Warning string
	// Calls is the number of API calls applying this step takes.
	Calls int
}

// WalletBalance is one wallet's balance before and after the run, as the
// pre-flight ledger replays it.
type WalletBalance struct {
	Key      string // plan key, or "FEES_EUR" for client fee wallets
	ID       string
	Currency string
	Before   int64
	After    int64
}

// Preview is the result of [PreviewOf]: every step's action, the pre-flight
// balances, and the cost of the run.
type Preview struct {
	Plan    *plan.Plan
	Changes []*Change
	Wallets []WalletBalance
	// Money is every campaign's money once the steps to be written
	// succeed (existing and adopted steps as they stand), in plan order.
	Money []CampaignTotals
	// Calls is the number of API calls still to make to apply the plan
	// (writes and status polls; 0 when nothing is left to do); MinDuration
	// the least time they take under MANGOPAY's rate limits. Reads is the
	// calls PreviewOf made reading the state (an apply reads it again).
	Calls       int
	MinDuration time.Duration
	Reads       int
	// Trusted is the number of steps whose final outcome was taken from
	// the journal instead of read (0 with Config.Refresh or no journal);
	// Rechecked the campaigns read in full because a wallet did not hold
	// what the journal implies.
	Trusted   int
	Rechecked []string
	// Reading names how the state was read: ReadTrusted, ReadRefresh or
	// ReadFull.
	Reading string
}

// How PreviewOf read the state (Preview.Reading).
const (
	// ReadTrusted: the journal's final steps taken from it, the
	// campaigns' wallets checked.
	ReadTrusted = "journal"
	// ReadRefresh: everything a decision depends on read (Config.Refresh).
	ReadRefresh = "refresh"
	// ReadFull: everything read, the journal holding nothing final (a
	// first plan, another machine's journal).
	ReadFull = "full"
)

// HasChanges reports whether applying would change anything.
func (p *Preview) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != Unchanged && c.Action != Adopt {
			return true
		}
	}
	return false
}

// Step states, as journalled (DESIGN §7).
const (
	StateStarted   = "started"
	StateSucceeded = "succeeded"
	StateFailed    = "failed"
	StateInDoubt   = "in_doubt"
	StateSkipped   = "skipped"
	StatePending   = "pending"
	// StateBlocked is a step the run's own pre-flight blocked: it is never
	// sent (DESIGN §13); its dependants are skipped with it as root cause.
	StateBlocked = "blocked"
)

// Result is the outcome of one step of a run.
type Result struct {
	Step   *plan.Step
	Action Action
	State  string // one of the State* constants; "" for unchanged steps
	ID     string
	// Status, ResultCode and ResultMessage are MANGOPAY's, for money steps.
	Status        string
	ResultCode    string
	ResultMessage string
	// Warning is the step's Change.Warning, or the one its outcome
	// brought (a recipient's Verification of Payee result).
	Warning string
	// Err is the failure (a *mangopay.Error, a FAILED transaction, or
	// "skipped: upstream <step> failed" naming the root cause).
	Err error
}

// Summary is the result of [Apply].
type Summary struct {
	Results []*Result
	// Counts by state.
	Done, Failed, Skipped, Pending, InDoubt, Unchanged, Blocked int
	// Money is every campaign's money as the run left it (adopted and
	// earlier steps included), in plan order: the figures `settle report`
	// and `settle plan --json` give for the same state.
	Money []CampaignTotals
	// Interrupted is true when the context was cancelled mid-run.
	Interrupted bool
	// Stopped is true when a journal write failed mid-run (see
	// [ErrJournal]): no step was started after it, and every step whose
	// outcome the journal may not hold is counted in doubt.
	Stopped bool
}
