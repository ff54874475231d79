package mangopay_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
)

func (r *run) wallets() {
	t, c, ctx := r.t, r.c, r.ctx
	r.walletKey = r.key("wallet-payer")
	w, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Params: mangopay.Params{IdempotencyKey: r.walletKey},
		Owners: []string{r.payer}, Description: "payer wallet", Currency: "EUR", Tag: r.prefix + "/w1"})
	r.must(err, "Wallets.Create(payer)")
	if w.Balance != (mangopay.Money{Currency: "EUR", Amount: 0}) || w.FundsType != "DEFAULT" || len(w.Owners) != 1 {
		t.Errorf("Wallets.Create() = %+v", w)
	}
	r.payerWallet = w.Id
	again, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Params: mangopay.Params{IdempotencyKey: r.walletKey},
		Owners: []string{r.payer}, Description: "payer wallet", Currency: "EUR"})
	r.must(err, "Wallets.Create(same key)")
	if again.Id != w.Id {
		t.Errorf("Wallets.Create(same key) = %s, want the original %s (resolved through /responses)", again.Id, w.Id)
	}
	ow, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("wallet-owner")},
		Owners: []string{r.owner}, Description: "project", Currency: "EUR"})
	r.must(err, "Wallets.Create(owner)")
	r.ownerWal = ow.Id
	got, err := c.Wallets.Get(ctx, r.payerWallet)
	r.must(err, "Wallets.Get")
	if got.Id != r.payerWallet || got.Currency != "EUR" {
		t.Errorf("Wallets.Get() = %+v", got)
	}
	upd, err := c.Wallets.Update(ctx, r.payerWallet, &mangopay.WalletUpdateParams{Description: "renamed"})
	r.must(err, "Wallets.Update")
	if upd.Description != "renamed" {
		t.Errorf("Wallets.Update() = %+v", upd)
	}
	id := func(w mangopay.Wallet) string { return w.Id }
	if !contains(t, c.Wallets.ListByUser(ctx, r.payer, nil), id, r.payerWallet) {
		t.Errorf("Wallets.ListByUser() lacks %s", r.payerWallet)
	}
	p, err := c.Wallets.ListByUserPage(ctx, r.owner, &mangopay.ListOptions{PerPage: 10})
	r.must(err, "Wallets.ListByUserPage")
	if len(p.Items) != 1 || p.TotalItems != 1 || p.Items[0].Id != r.ownerWal {
		t.Errorf("Wallets.ListByUserPage() = %+v", p)
	}
	_, err = c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{r.payer, r.owner}, Description: "two", Currency: "EUR"})
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("Wallets.Create(two owners) error = %v, want ErrParam", err)
	}
}

func (r *run) bankAccounts() {
	t, c, ctx := r.t, r.c, r.ctx
	p := &mangopay.BankAccountIBANCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("iban")},
		OwnerName: "Cyrano de Bergerac", IBAN: "FR7630004000031234567890143", BIC: "BNPAFRPP",
		OwnerAddress: mangopay.AddressParams{AddressLine1: "7 rue X", City: "Paris", PostalCode: "75009", Country: "FR"}}
	ba, err := c.BankAccounts.CreateIBAN(ctx, r.owner, p)
	r.must(err, "CreateIBAN")
	if !ba.Active || ba.Type != "IBAN" || ba.UserId != r.owner {
		t.Errorf("CreateIBAN() = %+v", ba)
	}
	r.bank = ba.Id
	got, err := c.BankAccounts.Get(ctx, r.owner, r.bank)
	r.must(err, "BankAccounts.Get")
	if got.IBAN != p.IBAN {
		t.Errorf("BankAccounts.Get() = %+v", got)
	}
	bad := *p
	bad.IdempotencyKey, bad.IBAN = "", "FR7630004000031234567890144"
	_, err = c.BankAccounts.CreateIBAN(ctx, r.owner, &bad)
	var e *mangopay.Error
	if !errors.As(err, &e) || e.Errors["IBAN"] == "" {
		t.Errorf("CreateIBAN(bad checksum) error = %v, want errors.IBAN", err)
	}
	spare := *p
	spare.IdempotencyKey = r.key("iban-spare")
	sp, err := c.BankAccounts.CreateIBAN(ctx, r.owner, &spare)
	r.must(err, "CreateIBAN(spare)")
	off, err := c.BankAccounts.Deactivate(ctx, r.owner, sp.Id)
	r.must(err, "Deactivate")
	if off.Active {
		t.Errorf("Deactivate() = %+v, want Active false", off)
	}
	id := func(b mangopay.BankAccount) string { return b.Id }
	active := &mangopay.ListOptions{Active: mangopay.Bool(true)}
	if !contains(t, c.BankAccounts.ListByUser(ctx, r.owner, active), id, r.bank) ||
		contains(t, c.BankAccounts.ListByUser(ctx, r.owner, active), id, sp.Id) {
		t.Errorf("ListByUser(Active=true) should hold %s and not %s", r.bank, sp.Id)
	}
	pg, err := c.BankAccounts.ListByUserPage(ctx, r.owner, nil)
	r.must(err, "BankAccounts.ListByUserPage")
	if pg.TotalItems != 2 {
		t.Errorf("ListByUserPage() TotalItems = %d, want 2", pg.TotalItems)
	}
}

func (r *run) kyc() {
	t, c, ctx := r.t, r.c, r.ctx
	doc, err := c.KYC.CreateDocument(ctx, r.owner, &mangopay.KYCDocumentCreateParams{
		Params: mangopay.Params{IdempotencyKey: r.key("kyc")}, Type: mangopay.KYCIdentityProof, Tag: "accept"})
	r.must(err, "CreateDocument")
	if doc.Status != mangopay.KYCStatusCreated || doc.UserId != r.owner {
		t.Errorf("CreateDocument() = %+v", doc)
	}
	r.must(c.KYC.CreatePage(ctx, r.owner, doc.Id, pdf(), mangopay.Params{IdempotencyKey: r.key("kyc-page")}), "CreatePage")
	err = c.KYC.CreatePage(ctx, r.owner, doc.Id, []byte("%PDF-1.4 too small"))
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("CreatePage(tiny) error = %v, want ErrParam", err)
	}
	sub, err := c.KYC.Submit(ctx, r.owner, doc.Id)
	r.must(err, "Submit")
	if sub.Status != mangopay.KYCStatusValidationAsked {
		t.Errorf("Submit() = %+v, want VALIDATION_ASKED", sub)
	}
	if r.env.ValidateKYC != nil {
		r.must(r.env.ValidateKYC(ctx, doc.Id), "ValidateKYC")
	}
	r.poll("KYC verdict", func() (bool, error) {
		d, err := c.KYC.Get(ctx, doc.Id)
		if err != nil || d.Status == mangopay.KYCStatusRefused {
			return false, fmt.Errorf("KYC.Get() = %+v, %v", d, err)
		}
		return d.Status == mangopay.KYCStatusValidated, nil
	})
	d, err := c.KYC.GetForUser(ctx, r.owner, doc.Id)
	r.must(err, "GetForUser")
	if d.ProcessedDate == nil {
		t.Errorf("GetForUser() = %+v, want ProcessedDate set", d)
	}
	u, err := c.Users.GetNatural(ctx, r.owner)
	r.must(err, "GetNatural(owner)")
	if u.KYCLevel != mangopay.KYCRegular || u.ProofOfIdentity != mangopay.NullString(doc.Id) {
		t.Errorf("owner after KYC = %s, proof %q; want REGULAR, %s", u.KYCLevel, u.ProofOfIdentity, doc.Id)
	}
	id := func(k mangopay.KYCDocument) string { return k.Id }
	if !contains(t, c.KYC.ListByUser(ctx, r.owner, &mangopay.ListOptions{Status: []string{"VALIDATED"}}), id, doc.Id) {
		t.Errorf("KYC.ListByUser(VALIDATED) lacks %s", doc.Id)
	}
	pg, err := c.KYC.ListByUserPage(ctx, r.owner, &mangopay.ListOptions{Type: []string{mangopay.KYCAddressProof}})
	r.must(err, "KYC.ListByUserPage")
	if len(pg.Items) != 0 {
		t.Errorf("KYC.ListByUserPage(ADDRESS_PROOF) = %+v, want none", pg.Items)
	}
	if !contains(t, c.KYC.List(ctx, &mangopay.ListOptions{AfterDate: r.start - 60}), id, doc.Id) {
		t.Errorf("KYC.List() lacks %s", doc.Id)
	}
}

// expiry is a card expiry date (MMYY) three years ahead.
func expiry() string { return fmt.Sprintf("12%02d", (time.Now().Year()+3)%100) }

// registerCard registers a test card for the payer and returns the
// registration after its update.
func (r *run) registerCard(step, number string) *mangopay.CardRegistration {
	c, ctx := r.c, r.ctx
	reg, err := c.CardRegistrations.Create(ctx, &mangopay.CardRegistrationCreateParams{
		Params: mangopay.Params{IdempotencyKey: r.key(step)}, UserId: r.payer, Currency: "EUR"})
	r.must(err, "CardRegistrations.Create")
	if reg.Status != "CREATED" || reg.AccessKey == "" || reg.CardRegistrationURL == "" {
		r.t.Errorf("CardRegistrations.Create() = %+v", reg)
	}
	data, err := c.CardRegistrations.Tokenize(ctx, reg, number, expiry(), "123")
	r.must(err, "Tokenize")
	upd, err := c.CardRegistrations.Update(ctx, reg.Id, &mangopay.CardRegistrationUpdateParams{
		RegistrationData: data, CardHolderName: "Alice Martin"})
	r.must(err, "CardRegistrations.Update")
	return upd
}

func (r *run) cardRegistrations() {
	t, c, ctx := r.t, r.c, r.ctx
	ok := r.registerCard("cardreg", "4970107111111119")
	if ok.Status != "VALIDATED" || ok.ResultCode != mangopay.ResultSuccess || ok.CardId == "" {
		t.Fatalf("registration = %+v, want VALIDATED with a card", ok)
	}
	r.card = string(ok.CardId)
	got, err := c.CardRegistrations.Get(ctx, ok.Id)
	r.must(err, "CardRegistrations.Get")
	if got.CardId != ok.CardId || !strings.HasPrefix(string(got.RegistrationData), "data=") {
		t.Errorf("CardRegistrations.Get() = %+v", got)
	}
	bad := r.registerCard("cardreg-bad", "4970107111111118")
	if bad.Status != "ERROR" || bad.ResultCode != "105202" || bad.CardId != "" {
		t.Errorf("registration of a bad number = %+v, want ERROR 105202 (HTTP 200)", bad)
	}
}

func (r *run) cards() {
	t, c, ctx := r.t, r.c, r.ctx
	card, err := c.Cards.Get(ctx, r.card)
	r.must(err, "Cards.Get")
	if !card.Active || card.UserId != r.payer || !strings.HasPrefix(card.Alias, "497010") || card.Country != "FRA" {
		t.Errorf("Cards.Get() = %+v", card)
	}
	spare := r.registerCard("cardreg-spare", "4970107111111119")
	off, err := c.Cards.Deactivate(ctx, string(spare.CardId))
	r.must(err, "Cards.Deactivate")
	if off.Active {
		t.Errorf("Cards.Deactivate() = %+v", off)
	}
	_, err = c.Cards.Deactivate(ctx, string(spare.CardId))
	var e *mangopay.Error
	if !errors.As(err, &e) || e.Type != "card_already_not_active" {
		t.Errorf("second Deactivate() error = %v, want card_already_not_active", err)
	}
	id := func(c mangopay.Card) string { return c.Id }
	if !contains(t, c.Cards.ListByUser(ctx, r.payer, &mangopay.ListOptions{Active: mangopay.Bool(true)}), id, r.card) {
		t.Errorf("Cards.ListByUser() lacks %s", r.card)
	}
	pg, err := c.Cards.ListByUserPage(ctx, r.payer, &mangopay.ListOptions{Active: mangopay.Bool(false)})
	r.must(err, "Cards.ListByUserPage")
	if len(pg.Items) != 1 || pg.Items[0].Id != string(spare.CardId) {
		t.Errorf("Cards.ListByUserPage(inactive) = %+v", pg.Items)
	}
}
