// Package executor turns a validated plan into MANGOPAY objects and money
// movements, once: it reads what exists ([PreviewOf]), replays the plan on the
// read balances to say what would fail before anything runs (the
// pre-flight), and applies the steps in dependency order with bounded
// concurrency ([Apply]), journalling every state change. Apply obeys its
// own pre-flight, the same one PreviewOf shows: a step it blocks is never
// sent.
//
// # Step state machine
//
// Each step of the expanded plan (see plan.Step) goes through these states,
// each journalled as one JSON line (see [Record]) and fsynced before the
// next state change of the same step:
//
//	(read) ──► unchanged                     exists and matches: no write
//	(read) ──► blocked                       the pre-flight says it would fail: not sent
//	(read) ──► started ──► succeeded         the write's outcome is known
//	                   ├─► failed            HTTP 200 FAILED, a REFUSED document, a final 4xx
//	                   ├─► pending           a payout still CREATED, a KYC verdict or a 3DS
//	                   │                     challenge still awaited when --wait ran out,
//	                   │                     a person's page (SCA enrolment, identity check,
//	                   │                     a recipient's approval)
//	                   └─► in_doubt          cancelled, crashed or timed out mid-request
//	(blocked upstream) ──► skipped
//
// A step is "started" (with its idempotency key) before its request is
// sent, so after a crash the journal names every write whose outcome is
// unknown. Such a step is "in doubt" and is resolved before anything else
// on the next run: the objects settle creates carry a Tag
// ("settle:<plan>/<kind>/<key>") and are searched first, then the write is
// re-sent with the same idempotency key, which MANGOPAY answers with the
// first outcome (409 then GET /responses/{key}). Nothing is ever guessed.
//
// # The journal follows MANGOPAY
//
// Whenever a run learns a step's outcome that the journal does not hold
// (an in-doubt write found by its Tag or answered under its key, a payout
// or KYC verdict left pending and since processed, an object found by Tag
// or adopted that the journal never saw), it journals that outcome, so
// that `settle report` after any crash, resume or later processing equals
// the report of an uninterrupted run. A journal write that fails (a full
// disk) stops the run: nothing starts after it, the journal refuses every
// later record (a torn line stays last and the next run cuts it, with a
// warning), and every step whose outcome the journal may not hold is
// counted in doubt; Apply returns an error wrapping [ErrJournal] with that
// [Summary] (Summary.Stopped).
//
// # Skip on upstream failure
//
// A failed step is a result, not a crash. Every step downstream of it (its
// dependants, transitively) is skipped, and its error names only the root
// cause ("skipped: upstream transfer/c/alice-1 failed"), as Terraform's
// walker does; branches that do not depend on the failed step go on.
// Config.FailFast stops dispatching new steps at the first failure
// instead. A pending step (an awaited asynchronous verdict), an in-doubt
// one and a blocked one skip their dependants the same way ("upstream ...
// pending", "in doubt", "blocked"). A skipped step that makes no write this
// run (its object exists) keeps what the journal holds for it.
//
// # Idempotency and generations
//
// Every write carries a deterministic Idempotency-Key (see keys.go): a
// function of the plan, the step, the canonical request body and the
// step's generation. The generation comes from MANGOPAY, never from the
// journal, so that two runs with different journals send a movement under
// one key: it starts at the number of FAILED transactions under the
// step's Tag, and a write answered with the stored definitive failure of
// an earlier request under its key (409, then a 4xx or a FAILED
// transaction from GET /responses) moves on to the next key. An in-doubt
// step is resumed with the key its journal recorded.
//
// # Reading the state
//
// MANGOPAY is the source of truth; the journal is an index. An object is
// found by its adopted id, else the id the journal recorded, else its Tag,
// with the narrowest list call: a user's wallets, recipients (or legacy
// bank accounts), KYC documents and cards, a wallet's transactions (100
// per page), and the users list only for users the journal does not know;
// a recipient that is not ACTIVE is read again by its GET, for its
// approval URL and Verification of Payee result. Reads go in four
// waves (users; their lists and adopted objects; the wallets'
// transactions; the cards), each at most Config.Parallelism calls at a
// time. A card is read only while a pay-in that charges it is still to
// run: once every such pay-in was found SUCCEEDED, the card exists and
// nothing left depends on its state (a lazy kind, stepKind.lazy). What
// the journal records as final (a movement SUCCEEDED, an object made, a
// user whose declared fields are those sent: Record.Sent) is not read
// again, unless a step still to read checks it live in its pre-flight (a
// wallet it moves money in, what its kind's row names: a pay-in's card, a
// payout's bank account and owner); an object such a step needs only the
// Id of comes from the journal. One GET of each campaign's wallet checks the balance
// the journal implies (ExpectedBalances), and a campaign that disagrees is
// read in full (state_trust.go); Config.Refresh reads everything a
// decision depends on, as does a run without a journal. A re-run
// of a finished plan makes no write and a read per campaign.
// MANGOPAY gates the reads of an OWNER's wallets and transactions by SCA:
// refused (401 with the owner's page), the reading ends the run as
// OwnerSCAError, pending on the owner; with Config.ProxyConsent the reads
// send ScaContext USER_NOT_PRESENT (sca.go).
//
// # Step kinds
//
// The files are organised by phase (state*.go reads, diff.go classifies,
// preflight.go replays, steps*.go and apply.go write, render*.go and
// report*.go describe) and by kind: each step kind has one file,
// kind_<kind>.go (user, wallet, bank account, KYC document, identity
// verification, card, pay-in, transfer, refund, payout), that registers its row of the kind table
// (stepKind, kinds.go): its reading wave, how a step is prefetched, found
// and, adopted, got; how an existing object is classified; how many calls
// its write takes; its pre-flight check; its create, update and await; its
// flow in the plan's lines; and, for a money kind, its money row. The
// phase files look a step's kind up in the table and never switch on it;
// a nil operation is the phase's default. Objects a user owns share their
// reading (owned[T], state_objects.go) and movements their reading,
// classification and checks (movement, kinds.go), so a new kind of either
// declares only what is its own.
//
// # Money
//
// Each money step kind's row (moneyKind, declared in the kind's file) says
// where its money comes from and goes: a payer's card or wallet, the
// project wallet, the owner's bank. A step debits its Amount, the platform takes its Fees
// and the destination receives Amount − Fees. The pre-flight's wallet
// replay, [ExpectedBalances] and every per-campaign figure ([CampaignTotals]
// with its one Add: the plan's projection, the apply summary, [AuditReportOf])
// derive from it, so `settle plan --json`, the summary and `settle report`
// cannot disagree.
//
// # Concurrency
//
// The steps form one DAG (package settle/internal/dag), the one plan
// validates and `settle graph` draws: its edges are the steps' declared
// dependencies, implied ones included (plan.Expand makes a payout wait for
// its owner's KYC documents). A dag.Walker runs it: a dispatcher
// goroutine starts ready steps (in-doubt ones first, then graph order) on
// a conc pool at most Config.Parallelism wide, only as many as there are
// free slots, and receives each outcome on a channel buffered to the
// number of steps, so a worker never blocks reporting back. The walker
// knows nothing of steps: the executor's walker type runs one (visit),
// journals the skipped ones (skip) and reports progress (done). Workers
// share only the id table and the results (each guarded by a mutex) and
// the journal (safe for concurrent use).
package executor
