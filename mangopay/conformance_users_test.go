package mangopay_test

import (
	"errors"
	"time"

	"settle/mangopay"
)

func (r *run) users() {
	t, c, ctx := r.t, r.c, r.ctx
	birthday := time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC).Unix()
	payer, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{
		Params:       mangopay.Params{IdempotencyKey: r.key("payer")},
		UserCategory: mangopay.CategoryPayer, FirstName: "Alice", LastName: "Martin",
		Email: "alice+accept@example.org", Tag: r.prefix + "/payer"})
	r.must(err, "CreateNatural(payer)")
	if payer.Id == "" || payer.PersonType != mangopay.PersonNatural || payer.UserCategory != mangopay.CategoryPayer {
		t.Errorf("CreateNatural(payer) = %+v", payer)
	}
	r.payer = payer.Id

	owner, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{
		Params:       mangopay.Params{IdempotencyKey: r.key("owner")},
		UserCategory: mangopay.CategoryOwner, TermsAndConditionsAccepted: true,
		FirstName: "Cyrano", LastName: "de Bergerac", Email: "cyrano+accept@example.org",
		Birthday: &birthday, Nationality: "FR", CountryOfResidence: "FR",
		Address: &mangopay.AddressParams{AddressLine1: "7 rue X", City: "Paris", PostalCode: "75009", Country: "FR"},
		Tag:     r.prefix + "/owner"})
	r.must(err, "CreateNatural(owner)")
	if owner.KYCLevel != mangopay.KYCLight || owner.Birthday == nil || *owner.Birthday != birthday || owner.Address.City != "Paris" {
		t.Errorf("CreateNatural(owner) = %+v", owner)
	}
	r.owner = owner.Id

	legal, err := c.Users.CreateLegal(ctx, &mangopay.LegalUserParams{
		Params:       mangopay.Params{IdempotencyKey: r.key("legal")},
		UserCategory: mangopay.CategoryPayer, LegalPersonType: "BUSINESS", Name: "Acme",
		Email: "acme+accept@example.org", LegalRepresentativeFirstName: "Roxane", LegalRepresentativeLastName: "R"})
	r.must(err, "CreateLegal")
	r.legal = legal.Id

	upd, err := c.Users.UpdateNatural(ctx, r.payer, &mangopay.NaturalUserParams{
		UserCategory: mangopay.CategoryPayer, LastName: "Martin-Durand"})
	r.must(err, "UpdateNatural")
	if upd.LastName != "Martin-Durand" || upd.FirstName != "Alice" {
		t.Errorf("UpdateNatural() = %+v", upd)
	}
	lupd, err := c.Users.UpdateLegal(ctx, r.legal, &mangopay.LegalUserParams{
		UserCategory: mangopay.CategoryPayer, Name: "Acme SA"})
	r.must(err, "UpdateLegal")
	if lupd.Name != "Acme SA" || lupd.PersonType != mangopay.PersonLegal {
		t.Errorf("UpdateLegal() = %+v", lupd)
	}
	r.userReads()
	r.userErrors()
	if r.env.SCA != nil {
		r.scaUsers()
	}
}

func (r *run) userReads() {
	t, c, ctx := r.t, r.c, r.ctx
	u, err := c.Users.Get(ctx, r.owner)
	r.must(err, "Get(owner)")
	if !isNatural(u) || u.Summary().Id != r.owner {
		t.Errorf("Get(owner) = %+v, want the natural user", u)
	}
	l, err := c.Users.Get(ctx, r.legal)
	r.must(err, "Get(legal)")
	if l.Legal == nil || l.Legal.Name != "Acme SA" {
		t.Errorf("Get(legal) = %+v, want the legal user", l)
	}
	n, err := c.Users.GetNatural(ctx, r.payer)
	r.must(err, "GetNatural")
	if n.LastName != "Martin-Durand" {
		t.Errorf("GetNatural() = %+v", n)
	}
	lg, err := c.Users.GetLegal(ctx, r.legal)
	r.must(err, "GetLegal")
	if lg.LegalRepresentativeFirstName != "Roxane" {
		t.Errorf("GetLegal() = %+v", lg)
	}
	page, err := c.Users.ListPage(ctx, &mangopay.ListOptions{Sort: "CreationDate:DESC", PerPage: 20})
	r.must(err, "Users.ListPage")
	found := false
	for _, s := range page.Items {
		found = found || s.Id == r.legal
	}
	if !found || page.TotalItems < 3 {
		t.Errorf("Users.ListPage() = %d items of %d, newest first without %s", len(page.Items), page.TotalItems, r.legal)
	}
	n2 := 0
	for _, err := range c.Users.List(ctx, nil) {
		r.must(err, "Users.List")
		if n2++; n2 == 3 {
			break
		}
	}
}

func (r *run) userErrors() {
	t, c, ctx := r.t, r.c, r.ctx
	_, err := c.Users.Get(ctx, "user_m_does_not_exist")
	if !errors.Is(err, mangopay.ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
	_, err = c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryPayer, FirstName: "No", Email: "bad"})
	var e *mangopay.Error
	if !errors.As(err, &e) || !errors.Is(err, mangopay.ErrParam) || len(e.Errors) == 0 || e.StatusCode != 400 {
		t.Errorf("CreateNatural(invalid) error = %v, want a 400 param_error with field errors", err)
	}
}

// scaUsers creates and reads a user through the /sca/users routes.
func (r *run) scaUsers() {
	sca := r.env.SCA
	u, err := sca.Users.CreateNatural(r.ctx, &mangopay.NaturalUserParams{UserCategory: mangopay.CategoryPayer,
		FirstName: "Sca", LastName: "User", Email: "sca+accept@example.org"})
	r.must(err, "CreateNatural(SCA)")
	got, err := sca.Users.GetNatural(r.ctx, u.Id)
	r.must(err, "GetNatural(SCA)")
	if got.Id != u.Id || got.LastName != "User" {
		r.t.Errorf("GetNatural(SCA) = %+v", got)
	}
}
