package executor

import (
	"context"
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// A bank account step is an owner's IBAN account, where payouts go,
// registered as a MANGOPAY Recipient (s.Recipient, derived by
// plan.RecipientOf) or, with register_as: legacy_bank_account, through
// the legacy bank-account endpoint; never updated (an account is
// immutable; a drifted IBAN is shown, not changed).
//
// A Recipient is created PENDING and waits for ACTIVE: at once for a
// sandbox owner whose email contains "accept" (polled within
// Config.Wait), else after its owner approved it by SCA at the
// PendingUserAction's RedirectUrl, so the step ends pending with that
// URL and the next apply reads it again and carries on. A CANCELED one
// (SCA refused or expired) blocks the step with the remedy, unless the
// plan's reregister_if_canceled lets this apply register a new one: the
// CANCELED recipients under the step's Tag count as its failures, so the
// new registration goes under a new idempotency key. The Verification of
// Payee result is kept as found (VOP, VOPMessage): CLOSE_MATCH and
// MATCH_NOT_POSSIBLE are warnings, and the payout's pre-flight blocks a
// NO_MATCH unless the plan accepts the account's mismatch.
func init() {
	register(plan.KindBankAccount, &stepKind{
		wave: 1,
		prefetch: func(r *reader, s *plan.Step) (string, func(context.Context) error) {
			if s.Recipient == nil {
				return bankAccounts.prefetch(r, s)
			}
			return recipients.prefetch(r, s)
		},
		find: func(r *reader, ctx context.Context, s *plan.Step) error {
			if s.Recipient == nil {
				return bankAccounts.find(r, ctx, s)
			}
			return r.readRecipient(ctx, s)
		},
		get: func(r *reader, ctx context.Context, s *plan.Step) (*found, error) {
			if !isRecipientID(s.AdoptedID) {
				b, err := r.c.BankAccounts.Get(ctx, r.idOf(s.Owner), s.AdoptedID)
				if err != nil {
					return nil, err
				}
				return bankFound(b, s, 1), nil
			}
			rc, err := r.c.Recipients.Get(ctx, s.AdoptedID)
			if err != nil {
				return nil, err
			}
			return recipientFound(rc, 1, 0), nil
		},
		classify: classifyRecipient,
		calls: func(s *plan.Step, _ Action) int {
			if s.Recipient != nil {
				return 2 // create, one poll
			}
			return 1
		},
		create: func(a *attempt, ctx context.Context) outcome {
			if a.s.Recipient != nil {
				return a.createRecipient(ctx)
			}
			p := bankParams(a.s, a.ownerDecl())
			_, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.BankAccount, error) {
				return a.x.cfg.Client.BankAccounts.CreateIBAN(ctx, a.x.id(a.s.Owner), p)
			}, func(b *mangopay.BankAccount) string { return b.Id })
			return o
		},
		polls: recipientPending,
		await: func(x *applier, ctx context.Context, s *plan.Step, f *found) (outcome, bool, bool) {
			switch {
			case !f.Recipient:
				return outcome{}, false, false
			case !recipientPending(f):
				// Nothing to wait for; what it is (its VOP result) is what
				// the journal learns of it when it never saw it.
				o := recipientOutcome(f)
				o.State, o.Err = "", nil
				return o, false, true
			}
			return x.awaitRecipient(ctx, f), true, true
		},
	})
}

// recipientPending reports a recipient still PENDING: awaitRecipient
// reads it again (once when it awaits its owner's approval, else until it
// leaves PENDING).
func recipientPending(f *found) bool { return f.Recipient && f.Status == mangopay.RecipientPending }

// bankAccounts are listed per owner.
var bankAccounts = owned[mangopay.BankAccount]{
	list:     func(c *mangopay.Client) listByUser[mangopay.BankAccount] { return c.BankAccounts.ListByUser },
	idTag:    func(b mangopay.BankAccount) (string, string) { return b.Id, string(b.Tag) },
	describe: bankFound,
}

// recipients are listed per owner, under their own list name (the
// legacy accounts' list is the kind's).
var recipients = owned[mangopay.Recipient]{
	name: "recipient",
	list: func(c *mangopay.Client) listByUser[mangopay.Recipient] { return c.Recipients.ListByUser },
}

// isRecipientID tells a Recipient's Id (rec_...) from a legacy
// BankAccountId.
func isRecipientID(id string) bool { return strings.HasPrefix(id, "rec_") }

// bankFound describes a bank account; IBANs appear masked in drift.
func bankFound(b *mangopay.BankAccount, s *plan.Step, tagged int) *found {
	f := &found{ID: b.Id, Exists: true, Active: b.Active, Created: b.CreationDate, Dups: max(0, tagged-1)}
	if d := s.BankAccountSpec; d != nil && d.IBAN != "" {
		want := strings.ReplaceAll(strings.ToUpper(d.IBAN), " ", "")
		if want != strings.ToUpper(b.IBAN) {
			f.Drift = append(f.Drift, "IBAN: plan "+MaskIBAN(want)+", MANGOPAY "+MaskIBAN(b.IBAN))
		}
	}
	return f
}

// recipientFound describes a recipient: its Status, approval URL and
// Verification of Payee result; canceled counts the CANCELED recipients
// under the step's Tag (the step's failures).
func recipientFound(rc *mangopay.Recipient, tagged, canceled int) *found {
	f := &found{ID: rc.Id, Exists: true, Recipient: true, Status: rc.Status, Active: rc.Status == mangopay.RecipientActive,
		Created: rc.CreationDate, Dups: max(0, tagged-1-canceled), Failed: canceled}
	if u := rc.PendingUserAction; u != nil {
		f.SCAURL = u.RedirectUrl
	}
	if v := rc.RecipientVerificationOfPayee; v != nil {
		f.VOP, f.VOPMessage = v.RecipientVerificationCheck, v.RecipientVerificationMessage
	}
	return f
}

// readRecipient finds a managed recipient among its owner's: the
// journal's Id unless CANCELED, else the latest carrying the step's Tag
// that is not CANCELED (one registered again after the journal's was
// CANCELED), else the latest CANCELED one. A PENDING or CANCELED
// recipient is read again by its GET for its approval URL and VOP result.
func (r *reader) readRecipient(ctx context.Context, s *plan.Step) error {
	items, err := recipients.objects(r, ctx, s)
	if err != nil {
		return err
	}
	jid, best, tagged, canceled := r.journalID(s.Key), -1, 0, 0
	// rank orders the candidates: the journal's unless CANCELED, then any
	// other not CANCELED, then the CANCELED ones; the latest of a rank.
	rank := func(it mangopay.Recipient) int {
		switch {
		case it.Status == mangopay.RecipientCanceled:
			return 0
		case it.Id == jid:
			return 2
		}
		return 1
	}
	for i, it := range items {
		if string(it.Tag) != s.Tag && it.Id != jid {
			continue
		}
		if string(it.Tag) == s.Tag {
			tagged++
			if it.Status == mangopay.RecipientCanceled {
				canceled++
			}
		}
		if best < 0 || rank(it) >= rank(items[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	rc := &items[best]
	if rc.Status != mangopay.RecipientActive {
		r.count(1)
		if rc, err = r.c.Recipients.Get(ctx, rc.Id); err != nil {
			return err
		}
	}
	r.setFound(s.Key, recipientFound(rc, tagged, canceled))
	return nil
}

// classifyRecipient waits for a PENDING recipient, blocks a CANCELED or
// DEACTIVATED one with the remedy (a CANCELED one is registered again
// when the plan says so), and shows the Verification of Payee result.
func classifyRecipient(s *plan.Step, f *found, ch *Change) {
	if !f.Recipient {
		return
	}
	if ch.Warning = vopWarning(f); f.VOP == mangopay.VOPMatch {
		ch.Reason = "Verification of Payee MATCH"
	}
	switch f.Status {
	case mangopay.RecipientPending:
		ch.Reason = "pending: " + approvalWanted(f.SCAURL)
	case mangopay.RecipientCanceled:
		if s.AdoptedID == "" && s.Recipient != nil && s.Recipient.ReregisterIfCanceled {
			ch.Action, ch.Reason = Create, fmt.Sprintf("recipient %s CANCELED: registering a new one (reregister_if_canceled)", f.ID)
			return
		}
		ch.Action, ch.Reason = Blocked, fmt.Sprintf("recipient %s CANCELED (its owner did not approve it in time): "+
			"set reregister_if_canceled: true to register a new one on the next apply, which its owner must approve", f.ID)
	case mangopay.RecipientDeactivated:
		ch.Action, ch.Reason = Blocked, fmt.Sprintf("recipient %s DEACTIVATED: declare a new bank account", f.ID)
	}
}

// vopWarning is the Verification of Payee result worth a warning, a
// check other than MATCH with MANGOPAY's message, or "".
func vopWarning(f *found) string { return vopWarningOf(f.VOP, f.VOPMessage) }

// vopWarningOf is the warning of a Verification of Payee check and its
// message, or "" (MATCH, none): plan, summary and report all say it so.
func vopWarningOf(check, message string) string {
	switch check {
	case "", mangopay.VOPMatch:
		return ""
	case mangopay.VOPNoMatch:
		return "Verification of Payee NO_MATCH: " + message + " (payouts blocked unless accept_name_mismatch: true)"
	case mangopay.VOPCloseMatch, mangopay.VOPMatchNotPossible:
		return "Verification of Payee " + check + ": " + message
	}
	return ""
}

// vopBlocks returns why a payout to the bank account of step bank, whose
// Verification of Payee check is vop, must not be sent, or "": a NO_MATCH
// the plan does not accept.
func vopBlocks(bank *plan.Step, vop string) string {
	if vop != mangopay.VOPNoMatch || bank == nil || bank.BankAccountSpec != nil && bank.BankAccountSpec.AcceptNameMismatch {
		return ""
	}
	return fmt.Sprintf("Verification of Payee NO_MATCH for %s: the holder name does not match the IBAN's; "+
		"correct the holder name (a new bank account) or set accept_name_mismatch: true", bank.Key)
}

// approvalWanted says what a PENDING recipient waits for.
func approvalWanted(url string) string {
	if url == "" {
		return "recipient awaiting activation by MANGOPAY"
	}
	return "owner must approve the bank account: " + url
}

// recipientOutcome maps a recipient as found to a step outcome.
func recipientOutcome(f *found) outcome {
	o := outcome{ID: f.ID, Status: f.Status, ResultCode: f.VOP, ResultMessage: f.VOPMessage, Warning: vopWarning(f)}
	switch f.Status {
	case mangopay.RecipientActive:
		o.State = StateSucceeded
	case mangopay.RecipientPending:
		o.State, o.Err = StatePending, fmt.Errorf("%s", approvalWanted(f.SCAURL))
	default:
		o.State, o.Err = StateFailed, fmt.Errorf("recipient %s %s", f.ID, f.Status)
	}
	return o
}

// createRecipient registers the account as a Recipient and waits, within
// Config.Wait, for it to leave PENDING; one awaiting its owner's approval
// ends the step pending with the URL.
func (a *attempt) createRecipient(ctx context.Context) outcome {
	p := recipientParams(a.s)
	rc, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.Recipient, error) {
		return a.x.cfg.Client.Recipients.Create(ctx, a.x.id(a.s.Owner), p)
	}, func(r *mangopay.Recipient) string { return r.Id })
	if o.State != StateSucceeded {
		return o
	}
	t := a.x.awaitRecipient(ctx, recipientFound(rc, 1, 0))
	t.Replayed = o.Replayed
	return t
}

// awaitRecipient waits for a PENDING recipient: one awaiting its
// owner's approval is read once (the owner may have approved it since it
// was found), any other is polled until it leaves PENDING or Config.Wait
// ends.
func (x *applier) awaitRecipient(ctx context.Context, f *found) outcome {
	o := recipientOutcome(f)
	read := func() (bool, error) {
		rc, err := x.cfg.Client.Recipients.Get(ctx, f.ID)
		if err != nil {
			return false, err
		}
		o = recipientOutcome(recipientFound(rc, 1, 0))
		return o.State != StatePending, nil
	}
	if f.SCAURL != "" {
		if _, err := read(); err != nil {
			return errOutcome(fmt.Errorf("reading recipient %s: %w", f.ID, err))
		}
		return o
	}
	if err := x.poll(ctx, func() (bool, error) {
		if o.State != StatePending {
			return true, nil
		}
		return read()
	}); err != nil && o.State == StatePending {
		o.Err = fmt.Errorf("recipient %s still PENDING: %w", f.ID, err)
	}
	return o
}

// recipientParams builds a Recipient's body from the step's Recipient.
func recipientParams(s *plan.Step) *mangopay.RecipientCreateParams {
	r := s.Recipient
	p := &mangopay.RecipientCreateParams{DisplayName: r.DisplayName, PayoutMethodType: r.PayoutMethodType,
		RecipientType: r.RecipientType, Currency: r.Currency, Country: r.Country, Tag: s.Tag}
	if r.RecipientType == plan.RecipientBusiness {
		p.BusinessRecipient = &mangopay.BusinessRecipient{BusinessName: r.BusinessName, Address: addressParams(r.Address)}
	} else {
		p.IndividualRecipient = &mangopay.IndividualRecipient{FirstName: r.FirstName, LastName: r.LastName, Address: addressParams(r.Address)}
	}
	if r.PayoutMethodType == plan.PayoutInternationalBankTransfer {
		p.InternationalBankTransfer = &mangopay.InternationalBankTransfer{AccountNumber: r.IBAN}
	} else {
		p.LocalBankTransfer = mangopay.LocalBankTransfer{r.Currency: {IBAN: r.IBAN}}
	}
	return p
}

// ownerName is a user's name as a bank account holder.
func ownerName(u *plan.User) string {
	if u == nil {
		return ""
	}
	if u.Type == "legal" {
		return u.Name
	}
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// bankParams builds a legacy IBAN account's body; owner name and address
// default to the owning user's.
func bankParams(s *plan.Step, owner *plan.User) *mangopay.BankAccountIBANCreateParams {
	b := s.BankAccountSpec
	p := &mangopay.BankAccountIBANCreateParams{OwnerName: b.OwnerName, IBAN: strings.ReplaceAll(strings.ToUpper(b.IBAN), " ", ""),
		BIC: b.BIC, Tag: s.Tag}
	if p.OwnerName == "" {
		p.OwnerName = ownerName(owner)
	}
	addr := b.OwnerAddress
	if addr == nil && owner != nil {
		addr = owner.Address
	}
	if a := addressParams(addr); a != nil {
		p.OwnerAddress = *a
	}
	return p
}
