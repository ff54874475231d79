package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// createOnce makes one attempt at the step's object or movement.
func (a *attempt) createOnce(ctx context.Context) outcome {
	switch a.s.Kind {
	case plan.KindUser:
		return a.createUser(ctx)
	case plan.KindWallet:
		p := &mangopay.WalletCreateParams{Owners: []string{a.x.id(a.s.Owner)}, Description: walletDescription(a.s),
			Currency: a.walletCurrency(), Tag: a.s.Tag}
		return a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			w, err := a.x.cfg.Client.Wallets.Create(ctx, p)
			return idOrEmpty(w, func(w *mangopay.Wallet) string { return w.Id }), err
		})
	case plan.KindBankAccount:
		p := bankParams(a.s, a.ownerDecl())
		return a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			b, err := a.x.cfg.Client.BankAccounts.CreateIBAN(ctx, a.x.id(a.s.Owner), p)
			return idOrEmpty(b, func(b *mangopay.BankAccount) string { return b.Id }), err
		})
	case plan.KindKYC:
		return a.createKYC(ctx)
	case plan.KindCard:
		return a.createCard(ctx)
	}
	return a.createMoney(ctx)
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

func (a *attempt) walletCurrency() string {
	if a.s.Currency != "" {
		return a.s.Currency
	}
	return a.x.p.Currency
}

// createUser creates a natural or legal user.
func (a *attempt) createUser(ctx context.Context) outcome {
	u := a.s.User
	if u.Type == "legal" {
		p, err := legalParams(u, a.s.Tag)
		if err != nil {
			return outcome{State: StateFailed, Err: err}
		}
		var got *mangopay.LegalUser
		o := a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
			r, err := a.x.cfg.Client.Users.CreateLegal(ctx, p)
			got = r
			return idOrEmpty(r, func(r *mangopay.LegalUser) string { return r.Id }), err
		})
		if got != nil {
			o = scaPendingOutcome(o, got.UserStatus, scaURL(nil, got))
		}
		return o
	}
	p, err := naturalParams(u, a.s.Tag)
	if err != nil {
		return outcome{State: StateFailed, Err: err}
	}
	var got *mangopay.NaturalUser
	o := a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
		r, err := a.x.cfg.Client.Users.CreateNatural(ctx, p)
		got = r
		return idOrEmpty(r, func(r *mangopay.NaturalUser) string { return r.Id }), err
	})
	if got != nil {
		o = scaPendingOutcome(o, got.UserStatus, scaURL(got, nil))
	}
	return o
}

// update changes a user's or wallet's drifted fields, or resumes a KYC
// document left CREATED.
func (a *attempt) update(ctx context.Context, id string) outcome {
	c := a.x.cfg.Client
	if err := a.started(""); err != nil {
		return outcome{Err: err, State: stateJournal}
	}
	var err error
	switch a.s.Kind {
	case plan.KindKYC:
		return a.fileKYC(ctx, id)
	case plan.KindWallet:
		_, err = c.Wallets.Update(ctx, id, &mangopay.WalletUpdateParams{Description: walletDescription(a.s)})
	case plan.KindUser:
		err = a.updateUser(ctx, id)
	}
	if err != nil {
		return errOutcome(err)
	}
	return outcome{ID: id, State: StateSucceeded}
}

// updateUser sends the declared fields of a user (the same body each
// time, so the client sends it again after a lost answer).
func (a *attempt) updateUser(ctx context.Context, id string) error {
	c := a.x.cfg.Client
	if a.s.User.Type == "legal" {
		p, err := legalParams(a.s.User, a.s.Tag)
		if err != nil {
			return err
		}
		_, err = c.Users.UpdateLegal(ctx, id, p)
		return err
	}
	p, err := naturalParams(a.s.User, a.s.Tag)
	if err != nil {
		return err
	}
	_, err = c.Users.UpdateNatural(ctx, id, p)
	return err
}

// createKYC creates the document (Tag: the sandbox outcome, or the step's
// Tag), then pages and submits it.
func (a *attempt) createKYC(ctx context.Context) outcome {
	p := &mangopay.KYCDocumentCreateParams{Type: a.s.KYC.Type, Tag: a.s.Tag}
	var doc *mangopay.KYCDocument
	o := a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
		d, err := a.x.cfg.Client.KYC.CreateDocument(ctx, a.x.id(a.s.Owner), p)
		doc = d
		return idOrEmpty(d, func(d *mangopay.KYCDocument) string { return d.Id }), err
	})
	if o.State != StateSucceeded {
		return o
	}
	a.x.setID(a.s.Key, o.ID)
	if doc.Status != mangopay.KYCStatusCreated {
		return a.x.waitKYC(ctx, a.s, o.ID)
	}
	return a.fileKYC(ctx, o.ID)
}

// fileKYC uploads every page (each with its own key, so a resumed upload
// answers 409 and is not added twice), submits and waits for the verdict.
func (a *attempt) fileKYC(ctx context.Context, docID string) outcome {
	c, user := a.x.cfg.Client, a.x.id(a.s.Owner)
	for i, page := range a.s.KYC.Pages {
		data, err := os.ReadFile(filepath.Join(a.x.p.Dir, page))
		if err != nil {
			return outcome{ID: docID, State: StateFailed, Err: fmt.Errorf("KYC page: %w", err)}
		}
		key, err := a.keyFor(fmt.Sprintf("page-%d", i+1), map[string]string{"doc": docID, "page": page, "sha": hashOf(data)})
		if err != nil {
			return outcome{ID: docID, State: StateFailed, Err: err}
		}
		if err := c.KYC.CreatePage(ctx, user, docID, data, mangopay.Params{IdempotencyKey: key}); err != nil {
			o := errOutcome(fmt.Errorf("page %d: %w", i+1, err))
			o.ID = docID
			return o
		}
	}
	if err := a.x.submitKYC(ctx, user, docID); err != nil {
		o := errOutcome(fmt.Errorf("submit: %w", err))
		o.ID = docID
		return o
	}
	return a.x.waitKYC(ctx, a.s, docID)
}

// submitKYC asks for a document's validation. The client retries the PUT
// and, after an unclear failure, reads the document back, which says
// whether the submit happened.
func (x *applier) submitKYC(ctx context.Context, user, doc string) error {
	_, err := x.cfg.Client.KYC.Submit(ctx, user, doc)
	return err
}

// createCard registers a test card: registration, tokenization, update.
// Raw card numbers are refused unless the target is a sandbox.
func (a *attempt) createCard(ctx context.Context) outcome {
	cs := a.s.CardSpec
	if !sandboxTarget(a.x.cfg.Target) {
		return outcome{State: StateFailed, Err: fmt.Errorf("raw card numbers are refused on target %s", a.x.cfg.Target)}
	}
	cur := a.s.Currency
	if cur == "" {
		cur = a.x.p.Currency
	}
	c := a.x.cfg.Client
	p := &mangopay.CardRegistrationCreateParams{UserId: a.x.id(a.s.Owner), Currency: cur, Tag: a.s.Tag}
	var reg *mangopay.CardRegistration
	o := a.post(ctx, p, &p.Params, func(ctx context.Context) (string, error) {
		r, err := c.CardRegistrations.Create(ctx, p)
		reg = r
		return idOrEmpty(r, func(r *mangopay.CardRegistration) string { return r.Id }), err
	})
	if o.State != StateSucceeded {
		return o
	}
	if o.Replayed || a.x.changes[a.s.Key].Action == InDoubt {
		// The registration may be a replay (409): the last run, or one
		// running at the same time, may have finished it already.
		if g, err := c.CardRegistrations.Get(ctx, reg.Id); err == nil {
			reg = g
		}
	}
	if reg.CardId != "" {
		return outcome{ID: string(reg.CardId), State: StateSucceeded}
	}
	data, err := c.CardRegistrations.Tokenize(ctx, reg, cs.Number, expiryMMYY(cs.Expiry), cs.CVX)
	if err != nil {
		return errOutcome(fmt.Errorf("tokenize: %w", err))
	}
	done, err := a.x.finishCardRegistration(ctx, reg.Id, data)
	if err != nil {
		return errOutcome(fmt.Errorf("card registration update: %w", err))
	}
	if done.CardId == "" {
		return outcome{State: StateFailed, Status: done.Status, ResultCode: string(done.ResultCode),
			ResultMessage: string(done.ResultMessage), Err: fmt.Errorf("card registration %s: %s %s", done.Status, done.ResultCode, done.ResultMessage)}
	}
	return outcome{ID: string(done.CardId), Status: done.Status, State: StateSucceeded}
}

// finishCardRegistration sends the tokenizer's data. The client retries
// the PUT and, after an unclear failure, reads the registration back,
// which holds the CardId if the update happened.
func (x *applier) finishCardRegistration(ctx context.Context, id, data string) (*mangopay.CardRegistration, error) {
	return x.cfg.Client.CardRegistrations.Update(ctx, id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
}
