package executor

import (
	"context"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// A bank account step is an owner's IBAN account, where payouts go: found
// in its owner's accounts, never updated (an account is immutable; a
// drifted IBAN is shown, not changed). The payout's pre-flight checks
// that it is active.
func init() {
	register(plan.KindBankAccount, bankAccounts.row(&stepKind{
		create: func(a *attempt, ctx context.Context) outcome {
			p := bankParams(a.s, a.ownerDecl())
			_, o := postFor(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.BankAccount, error) {
				return a.x.cfg.Client.BankAccounts.CreateIBAN(ctx, a.x.id(a.s.Owner), p)
			}, func(b *mangopay.BankAccount) string { return b.Id })
			return o
		},
	}))
}

// bankAccounts are listed per owner.
var bankAccounts = owned[mangopay.BankAccount]{
	list: func(c *mangopay.Client) listByUser[mangopay.BankAccount] { return c.BankAccounts.ListByUser },
	get: func(r *reader, ctx context.Context, s *plan.Step) (*mangopay.BankAccount, error) {
		return r.c.BankAccounts.Get(ctx, r.idOf(s.Owner), s.AdoptedID)
	},
	idTag:    func(b mangopay.BankAccount) (string, string) { return b.Id, string(b.Tag) },
	describe: bankFound,
}

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

// bankParams builds an IBAN account's body; owner name and address
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
