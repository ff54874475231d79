package executor_test

import (
	"context"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// seed creates, for each adopted object of p, an object of the same kind
// on the sandbox (as a platform's checkout would have made it), and
// returns the plan ids to replace with the real ones. It handles users,
// wallets, bank accounts, pay-ins and transfers, which is what adoption is for.
func (e *env) seed(p *plan.Plan) map[string]string {
	e.t.Helper()
	steps, err := plan.Expand(p)
	if err != nil {
		e.t.Fatalf("Expand() error = %v", err)
	}
	ctx := context.Background()
	ids := map[string]string{}    // plan id -> real id
	byStep := map[string]string{} // step key -> real id
	cards := map[string]string{}  // user step -> seeded card id
	for _, s := range steps {
		if s.AdoptedID == "" {
			continue
		}
		id := e.seedOne(ctx, s, byStep, cards)
		ids[s.AdoptedID], byStep[s.Key] = id, id
	}
	return ids
}

func (e *env) seedOne(ctx context.Context, s *plan.Step, byStep, cards map[string]string) string {
	c := e.c
	must := func(id string, err error) string {
		if err != nil {
			e.t.Fatalf("seeding %s: %v", s.Key, err)
		}
		return id
	}
	switch s.Kind {
	case plan.KindUser:
		u := s.User
		cat := strings.ToUpper(u.Category)
		if u.Type == "legal" {
			r, err := c.Users.CreateLegal(ctx, &mangopay.LegalUserParams{UserCategory: cat, TermsAndConditionsAccepted: true,
				LegalPersonType: "BUSINESS", Name: "Seeded " + u.Key, Email: u.Key + "@seed.example",
				LegalRepresentativeFirstName: "Seed", LegalRepresentativeLastName: "Rep"})
			return must(idOf(r, func(r *mangopay.LegalUser) string { return r.Id }), err)
		}
		bd := int64(315532800)
		r, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: cat, TermsAndConditionsAccepted: true,
			FirstName: orDefault(u.FirstName, "Seed"), LastName: orDefault(u.LastName, u.Key), Email: orDefault(u.Email, u.Key+"@seed.example"),
			Birthday: &bd, Nationality: "FR", CountryOfResidence: "FR",
			Address: &mangopay.AddressParams{AddressLine1: "1 Seed St", City: "Paris", PostalCode: "75001", Country: "FR"}})
		return must(idOf(r, func(r *mangopay.NaturalUser) string { return r.Id }), err)
	case plan.KindWallet:
		r, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{byStep[s.Owner]},
			Description: "seeded " + s.Key, Currency: s.Currency})
		return must(idOf(r, func(r *mangopay.Wallet) string { return r.Id }), err)
	case plan.KindBankAccount:
		r, err := c.BankAccounts.CreateIBAN(ctx, byStep[s.Owner], &mangopay.BankAccountIBANCreateParams{OwnerName: "Seeded Owner",
			OwnerAddress: mangopay.AddressParams{AddressLine1: "1 Seed St", City: "Paris", PostalCode: "75001", Country: "FR"},
			IBAN:         "FR7630004000031234567890143", BIC: "BNPAFRPP"})
		return must(idOf(r, func(r *mangopay.BankAccount) string { return r.Id }), err)
	case plan.KindPayIn:
		author := byStep[s.Author]
		card := cards[author]
		if card == "" {
			card = e.seedCard(ctx, author, s.Currency)
			cards[author] = card
		}
		r, err := c.PayIns.CreateCardDirect(ctx, &mangopay.PayInCardDirectCreateParams{AuthorId: author,
			CreditedWalletId: byStep[s.Credited], DebitedFunds: mangopay.Money{Currency: s.Currency, Amount: s.Amount},
			Fees: mangopay.Money{Currency: s.Currency, Amount: s.Fees}, CardId: card, SecureModeReturnURL: "https://seed.invalid/",
			SecureMode: "DEFAULT", BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "*/*", Language: "en-US", ColorDepth: 24,
				ScreenHeight: 800, ScreenWidth: 600, UserAgent: "seed"}, IpAddress: "192.0.2.7"})
		if err == nil && r.Status != mangopay.StatusSucceeded {
			e.t.Fatalf("seeding %s: pay-in %s %s", s.Key, r.Status, r.ResultCode)
		}
		return must(idOf(r, func(r *mangopay.PayIn) string { return r.Id }), err)
	case plan.KindTransfer:
		r, err := c.Transfers.Create(ctx, &mangopay.TransferCreateParams{AuthorId: byStep[s.Author],
			DebitedFunds: mangopay.Money{Currency: s.Currency, Amount: s.Amount}, Fees: mangopay.Money{Currency: s.Currency, Amount: s.Fees},
			DebitedWalletId: byStep[s.Debited], CreditedWalletId: byStep[s.Credited]})
		return must(idOf(r, func(r *mangopay.Transfer) string { return r.Id }), err)
	}
	e.t.Fatalf("seeding an adopted %s is not supported by this test", s.Kind)
	return ""
}

// seedCard registers the sandbox's frictionless test card for a user.
func (e *env) seedCard(ctx context.Context, user, cur string) string {
	c := e.c
	reg, err := c.CardRegistrations.Create(ctx, &mangopay.CardRegistrationCreateParams{UserId: user, Currency: cur})
	if err != nil {
		e.t.Fatalf("seeding a card: %v", err)
	}
	data, err := c.CardRegistrations.Tokenize(ctx, reg, "4970107111111119", "1240", "123")
	if err != nil {
		e.t.Fatalf("seeding a card: tokenize: %v", err)
	}
	done, err := c.CardRegistrations.Update(ctx, reg.Id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
	if err != nil || done.CardId == "" {
		e.t.Fatalf("seeding a card: update: %v %+v", err, done)
	}
	return string(done.CardId)
}

func idOf[T any](v *T, id func(*T) string) string {
	if v == nil {
		return ""
	}
	return id(v)
}

func orDefault(s, d string) string {
	if s != "" {
		return s
	}
	return d
}
