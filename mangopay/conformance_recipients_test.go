package mangopay_test

import (
	"errors"
	"slices"

	"settle/mangopay"
)

// vopJohnDoe is MANGOPAY's Verification of Payee test data for a MATCH:
// a German individual account held by John Doe.
func (r *run) vopJohnDoe(key, tag string) *mangopay.RecipientCreateParams {
	return &mangopay.RecipientCreateParams{Params: mangopay.Params{IdempotencyKey: key},
		DisplayName: "John Doe " + r.prefix, PayoutMethodType: mangopay.PayoutLocalBankTransfer,
		RecipientType: mangopay.RecipientIndividual, Currency: "EUR", Country: "DE", Tag: tag,
		IndividualRecipient: &mangopay.IndividualRecipient{FirstName: "John", LastName: "Doe",
			Address: &mangopay.AddressParams{AddressLine1: "Oranienburger Str. 87", City: "Berlin", PostalCode: "10178", Country: "DE"}},
		LocalBankTransfer: mangopay.LocalBankTransfer{"EUR": {IBAN: "DE75512108001245126199"}}}
}

// recipients registers the owner's account as a Recipient (the owner's
// email contains "accept", so MANGOPAY's sandbox skips its SCA), waits for
// it to be ACTIVE, and exercises the other Recipient endpoints. The payout
// step then pays it by RecipientId.
func (r *run) recipients() {
	if !r.env.Recipients {
		return // the legacy bank account is paid out instead; see conformanceEnv.Recipients
	}
	t, c, ctx := r.t, r.c, r.ctx
	m, err := c.Recipients.PayoutMethods(ctx, "EUR", "DE")
	r.must(err, "PayoutMethods")
	if !slices.Contains(m.AvailablePayoutMethods, mangopay.PayoutLocalBankTransfer) {
		t.Errorf("PayoutMethods(EUR, DE) = %v, want LocalBankTransfer", m.AvailablePayoutMethods)
	}
	schema, err := c.Recipients.Schema(ctx, &mangopay.RecipientSchemaParams{PayoutMethodType: mangopay.PayoutLocalBankTransfer,
		RecipientType: mangopay.RecipientIndividual, Currency: "EUR", Country: "DE"})
	r.must(err, "Schema")
	if f, ok := schema["DisplayName"]; !ok || !f.Required {
		t.Errorf("Schema() DisplayName = %+v, want required", f)
	}

	bad := r.vopJohnDoe("", "")
	bad.IndividualRecipient.Address = &mangopay.AddressParams{AddressLine1: "x", City: "Berlin", PostalCode: "10178/10179", Country: "DE"}
	err = c.Recipients.Validate(ctx, r.owner, bad)
	var e *mangopay.Error
	if !errors.As(err, &e) || !errors.Is(err, mangopay.ErrParam) || len(e.FieldErrors()) == 0 || e.FieldErrors()[0].Code == "" {
		t.Errorf("Validate(bad postal code) = %v, want field errors with codes", err)
	}
	p := r.vopJohnDoe(r.key("recipient"), r.prefix+"/recipient")
	r.must(c.Recipients.Validate(ctx, r.owner, p), "Validate")

	rec, err := c.Recipients.Create(ctx, r.owner, p)
	r.must(err, "Recipients.Create")
	vop := rec.RecipientVerificationOfPayee
	if rec.UserId != r.owner || rec.Status == mangopay.RecipientCanceled || vop == nil || vop.RecipientVerificationCheck != mangopay.VOPMatch {
		t.Errorf("Recipients.Create() = %+v, VOP %+v; want PENDING or ACTIVE, VOP MATCH", rec, vop)
	}
	r.recipient = r.waitActive(rec.Id)

	legacy, err := c.Recipients.Get(ctx, r.bank)
	r.must(err, "Recipients.Get(legacy bank account)")
	if legacy.Id != r.bank {
		t.Errorf("Recipients.Get(%s) = %+v", r.bank, legacy)
	}
	id := func(x mangopay.Recipient) string { return x.Id }
	if !contains(t, c.Recipients.ListByUser(ctx, r.owner, nil), id, r.recipient) {
		t.Errorf("Recipients.ListByUser() lacks %s", r.recipient)
	}

	spare, err := c.Recipients.Create(ctx, r.owner, r.vopJohnDoe(r.key("recipient-spare"), r.prefix+"/recipient-spare"))
	r.must(err, "Recipients.Create(spare)")
	off, err := c.Recipients.Deactivate(ctx, r.waitActive(spare.Id))
	r.must(err, "Recipients.Deactivate")
	if off.Status != mangopay.RecipientDeactivated {
		t.Errorf("Recipients.Deactivate() = %+v", off)
	}
}

// waitActive polls a recipient until it is ACTIVE and returns its id.
func (r *run) waitActive(id string) string {
	r.poll("recipient "+id, func() (bool, error) {
		g, err := r.c.Recipients.Get(r.ctx, id)
		if err != nil {
			return false, err
		}
		if g.Status == mangopay.RecipientCanceled || g.Status == mangopay.RecipientDeactivated {
			r.t.Fatalf("recipient %s is %s", id, g.Status)
		}
		return g.Status == mangopay.RecipientActive, nil
	})
	return id
}
