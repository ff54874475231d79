package executor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// A KYC step is a document: created, its pages uploaded, submitted, and
// its verdict awaited (pending when Config.Wait runs out). A document left
// CREATED is resumed; a refused one cannot be resubmitted, so the plan
// must declare a new one. On sandbox targets the verdict follows the
// document's sandbox_outcome Tag, which the pre-flight reads ahead, also
// to tell whether an owner will be KYC REGULAR by its payout.
func init() {
	register(plan.KindKYC, kycDocuments.row(&stepKind{
		find: (*reader).readKYC,
		get: func(r *reader, ctx context.Context, s *plan.Step) (*found, error) {
			d, err := r.c.KYC.Get(ctx, s.AdoptedID)
			if err != nil {
				return nil, err
			}
			return &found{ID: d.Id, Exists: true, Status: d.Status, ResultCode: string(d.RefusedReasonType)}, nil
		},
		classify: classifyKYC,
		calls: func(s *plan.Step, a Action) int {
			if a == Update {
				return kycPages(s) + 2 // pages, submit, one poll
			}
			return kycPages(s) + 3 // create, pages, submit, one poll
		},
		check:  (*preflight).checkKYC,
		create: (*attempt).createKYC,
		update: (*attempt).fileKYC,
		polls:  verdictAwaited,
		await: func(x *applier, ctx context.Context, s *plan.Step, f *found) (outcome, bool, bool) {
			if !verdictAwaited(f) {
				return outcome{}, false, false
			}
			return x.waitKYC(ctx, s, f.ID), true, true
		},
	}))
}

// verdictAwaited reports a document submitted and not yet judged
// (VALIDATION_ASKED): its verdict is polled.
func verdictAwaited(f *found) bool { return f.Status == mangopay.KYCStatusValidationAsked }

// kycDocuments are listed per owner; a document is found by readKYC.
var kycDocuments = owned[mangopay.KYCDocument]{
	list: func(c *mangopay.Client) listByUser[mangopay.KYCDocument] { return c.KYC.ListByUser },
}

// readKYC finds a managed KYC document among its user's documents: by
// journalled Id, else by Tag when the Tag is settle's, else (sandbox
// outcome tags) the latest document of the same type and Tag.
func (r *reader) readKYC(ctx context.Context, s *plan.Step) error {
	docs, err := kycDocuments.objects(r, ctx, s)
	if err != nil {
		return err
	}
	jid := r.journalID(s.Key)
	best := -1
	for i, d := range docs {
		if jid != "" && d.Id == jid {
			best = i
			break
		}
		if jid == "" && s.KYC != nil && d.Type == s.KYC.Type && string(d.Tag) == s.Tag &&
			(best < 0 || d.CreationDate >= docs[best].CreationDate) {
			best = i
		}
	}
	if best >= 0 {
		d := docs[best]
		r.setFound(s.Key, &found{ID: d.Id, Exists: true, Status: d.Status, Created: d.CreationDate,
			ResultCode: string(d.RefusedReasonType), ResultMessage: string(d.RefusedReasonMessage)})
	}
	return nil
}

// classifyKYC resumes a document left CREATED, waits for a verdict asked,
// and blocks a refused one.
func classifyKYC(_ *plan.Step, f *found, ch *Change) {
	switch f.Status {
	case mangopay.KYCStatusCreated:
		ch.Action, ch.Reason = Update, "resume: upload pages and submit"
	case mangopay.KYCStatusRefused, mangopay.KYCStatusOutOfDate:
		// A refused document cannot be resubmitted: the plan must declare
		// a new one (a new key).
		ch.Action, ch.Reason = Blocked, fmt.Sprintf("document %s %s (%s): declare a new document", f.ID, f.Status, f.ResultCode)
	case mangopay.KYCStatusValidationAsked:
		ch.Reason = "pending: verdict awaited"
	}
}

func kycPages(s *plan.Step) int {
	if s.KYC == nil {
		return 0
	}
	return len(s.KYC.Pages)
}

// checkKYC blocks a document the sandbox will refuse.
func (pf *preflight) checkKYC(s *plan.Step) string {
	if s.KYC == nil || !sandboxTarget(pf.cfg.Target) {
		return ""
	}
	if o := s.KYC.SandboxOutcome; strings.HasPrefix(o, "refuse") {
		return fmt.Sprintf("sandbox_outcome %s: the sandbox will REFUSE this document", o)
	}
	return ""
}

// ownerRegular returns why the owner of a project wallet will not be KYC
// REGULAR when a payout runs, or "".
//
// The policy: REGULAR now is enough. An owner verified on MANGOPAY's
// hosted page counts unless the session ended REFUSED or EXPIRED (the
// payout depends on the session's step, so it waits for VALIDATED: see
// kind_identity_verification.go). Otherwise, on sandbox targets (the
// embedded sandbox and MANGOPAY's), where a document's verdict follows its
// sandbox_outcome Tag within seconds, the owner counts as will-be-REGULAR
// when the plan's KYC documents for that owner cover every type REGULAR
// needs and each is VALIDATED already or will be filed with
// sandbox_outcome accept. On production a verdict takes a human and hours,
// so a payout there is blocked until the owner is REGULAR: file the
// documents in one run and pay out in a later one.
func (pf *preflight) ownerRegular(userKey string) string {
	uf := pf.st.found[userKey]
	if uf != nil && uf.KYCLevel == mangopay.KYCRegular {
		return ""
	}
	if reason, ok := pf.hostedVerified(userKey); ok {
		return reason
	}
	if !sandboxTarget(pf.cfg.Target) {
		return fmt.Sprintf("owner %s is not KYC REGULAR (on %s verdicts take time: pay out in a later run)", userKey, pf.cfg.Target)
	}
	have := map[string]bool{}
	for _, s := range pf.g.order {
		if s.Kind != plan.KindKYC || s.Owner != userKey || s.KYC == nil {
			continue
		}
		f := pf.st.found[s.Key]
		switch {
		case f != nil && f.Exists && f.Status == mangopay.KYCStatusValidated:
			have[s.KYC.Type] = true
		case f != nil && f.Exists && f.Status == mangopay.KYCStatusRefused:
		case s.KYC.SandboxOutcome == "accept":
			have[s.KYC.Type] = true
		}
	}
	var missing []string
	for _, t := range requiredKYC(pf.g.byKey[userKey], uf) {
		if !have[t] {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("owner %s is not KYC REGULAR and the plan will not make it so: no accepted %s",
			userKey, strings.Join(missing, ", "))
	}
	return ""
}

// requiredKYC is the set of validated documents that makes a user REGULAR
// (mangopay-api.md §6; UBO declarations are out of scope).
func requiredKYC(s *plan.Step, f *found) []string {
	legalType := ""
	if s != nil && s.User != nil && s.User.Type == "legal" {
		legalType = s.User.LegalPersonType
	} else if f != nil && f.user != nil && f.user.Legal != nil {
		legalType = f.user.Legal.LegalPersonType
	} else {
		return []string{mangopay.KYCIdentityProof}
	}
	switch legalType {
	case "BUSINESS", "ORGANIZATION":
		return []string{mangopay.KYCIdentityProof, mangopay.KYCRegistrationProof, mangopay.KYCArticlesOfAssociation}
	}
	return []string{mangopay.KYCIdentityProof, mangopay.KYCRegistrationProof}
}

// createKYC creates the document (Tag: the sandbox outcome, or the step's
// Tag), then pages and submits it.
func (a *attempt) createKYC(ctx context.Context) outcome {
	p := &mangopay.KYCDocumentCreateParams{Type: a.s.KYC.Type, Tag: a.s.Tag}
	doc, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.KYCDocument, error) {
		return a.x.cfg.Client.KYC.CreateDocument(ctx, a.x.id(a.s.Owner), p)
	}, func(d *mangopay.KYCDocument) string { return d.Id })
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

// waitKYC polls a submitted document until VALIDATED (succeeded), REFUSED
// (failed) or Config.Wait ends (pending).
func (x *applier) waitKYC(ctx context.Context, s *plan.Step, id string) outcome {
	o := outcome{ID: id, State: StatePending, Status: mangopay.KYCStatusValidationAsked}
	err := x.poll(ctx, func() (bool, error) {
		d, err := x.cfg.Client.KYC.Get(ctx, id)
		if err != nil {
			return false, err
		}
		o.Status = d.Status
		switch d.Status {
		case mangopay.KYCStatusValidated:
			o.State = StateSucceeded
		case mangopay.KYCStatusRefused, mangopay.KYCStatusOutOfDate:
			o.State, o.ResultCode, o.ResultMessage = StateFailed, string(d.RefusedReasonType), string(d.RefusedReasonMessage)
			o.Err = fmt.Errorf("KYC document %s %s: %s", id, d.Status, d.RefusedReasonType)
		default:
			return false, nil
		}
		return true, nil
	})
	if err != nil && o.State == StatePending {
		o.Err = fmt.Errorf("KYC document %s still %s: %w", id, o.Status, err)
	}
	return o
}
