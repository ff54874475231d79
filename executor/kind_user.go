package executor

import (
	"context"
	"fmt"
	"strings"

	"settle/mangopay"
	"settle/plan"
)

// A user step is a natural or legal user: found by the journal's Id, else
// in the users list by Tag (read first, in a wave of its own: every other
// object is found through its owner); updated when a declared field
// drifted; pending while SCA enrolment waits for the person (sca.go).
func init() {
	register(plan.KindUser, &stepKind{
		wave:     0,
		prefetch: (*reader).readItself,
		find:     (*reader).readUser,
		get: func(r *reader, ctx context.Context, s *plan.Step) (*found, error) {
			u, err := r.c.Users.Get(ctx, s.AdoptedID)
			if err != nil {
				return nil, err
			}
			return userFound(u, s.User), nil
		},
		classify: classifyUser,
		create:   (*attempt).createUser,
		update: func(a *attempt, ctx context.Context, id string) outcome {
			return updated(id, a.updateUser(ctx, id))
		},
	})
}

// readUser finds a managed user by its journalled Id, else by Tag.
func (r *reader) readUser(ctx context.Context, s *plan.Step) error {
	id, dups := r.journalID(s.Key), 0
	if id == "" {
		tagged := r.usersByTag[s.Tag]
		if len(tagged) == 0 {
			return nil
		}
		id, dups = tagged[0].Id, len(tagged)-1
	}
	r.count(1)
	u, err := r.c.Users.Get(ctx, id)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	f := userFound(u, s.User)
	f.Dups = dups
	r.setFound(s.Key, f)
	return nil
}

// listUsersIfNeeded lists every user once, indexed by Tag, when a managed
// user is not in the journal: GET /users has no Tag filter, so this is the
// last resort (one call per 100 users).
func (r *reader) listUsersIfNeeded(ctx context.Context) error {
	need := false
	for _, s := range r.g.order {
		need = need || s.Kind == plan.KindUser && s.AdoptedID == "" && r.journalID(s.Key) == ""
	}
	if !need {
		return nil
	}
	r.usersByTag = map[string][]mangopay.UserSummary{}
	n, err := countPages(r.c.Users.List(ctx, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage}), func(u mangopay.UserSummary) {
		r.usersByTag[string(u.Tag)] = append(r.usersByTag[string(u.Tag)], u)
	})
	r.count(n)
	return err
}

// userFound describes a user and its drift from the declaration.
func userFound(u *mangopay.User, decl *plan.User) *found {
	sum := u.Summary()
	f := &found{ID: sum.Id, Exists: true, KYCLevel: sum.KYCLevel, user: u, Created: sum.CreationDate,
		UserStatus: sum.UserStatus, SCAURL: scaURL(u.Natural, u.Legal)}
	f.Drift = userDrift(u, decl)
	return f
}

// userDrift lists the declared user fields MANGOPAY disagrees with. Only
// declared (non-empty) fields are compared.
func userDrift(u *mangopay.User, d *plan.User) []string {
	if d == nil {
		return nil
	}
	var out []string
	cmp := func(field, plan, mp string) {
		if plan != "" && plan != mp {
			out = append(out, fmt.Sprintf("%s: plan %q, MANGOPAY %q", field, plan, mp))
		}
	}
	if n := u.Natural; n != nil {
		cmp("Email", d.Email, n.Email)
		cmp("FirstName", d.FirstName, n.FirstName)
		cmp("LastName", d.LastName, n.LastName)
		cmp("Nationality", d.Nationality, string(n.Nationality))
		cmp("CountryOfResidence", d.CountryOfResidence, string(n.CountryOfResidence))
	}
	if l := u.Legal; l != nil {
		cmp("Email", d.Email, l.Email)
		cmp("Name", d.Name, l.Name)
		cmp("CompanyNumber", d.CompanyNumber, string(l.CompanyNumber))
	}
	if cat := u.Summary().UserCategory; d.Category != "" && !strings.EqualFold(d.Category, cat) {
		out = append(out, fmt.Sprintf("UserCategory: plan %s, MANGOPAY %s", d.Category, cat))
	}
	return out
}

// createUser creates a natural or legal user.
func (a *attempt) createUser(ctx context.Context) outcome {
	c, u := a.x.cfg.Client, a.s.User
	if u.Type == "legal" {
		p, err := legalParams(u, a.s.Tag)
		if err != nil {
			return outcome{State: StateFailed, Err: err}
		}
		return postUser(a, ctx, p, &p.Params, c.Users.CreateLegal, func(r *mangopay.LegalUser) (string, string, string) {
			return r.Id, r.UserStatus, scaURL(nil, r)
		})
	}
	p, err := naturalParams(u, a.s.Tag)
	if err != nil {
		return outcome{State: StateFailed, Err: err}
	}
	return postUser(a, ctx, p, &p.Params, c.Users.CreateNatural, func(r *mangopay.NaturalUser) (string, string, string) {
		return r.Id, r.UserStatus, scaURL(r, nil)
	})
}

// postUser creates a user with create and reads its Id, status and SCA
// RedirectUrl with person: a user PENDING_USER_ACTION ends pending.
func postUser[P, U any](a *attempt, ctx context.Context, p *P, params *mangopay.Params,
	create func(context.Context, *P) (*U, error), person func(*U) (id, status, url string)) outcome {
	got, o := postFor(a, ctx, p, params, func(ctx context.Context) (*U, error) { return create(ctx, p) },
		func(r *U) string { id, _, _ := person(r); return id })
	if got == nil {
		return o
	}
	_, status, url := person(got)
	return scaPendingOutcome(o, status, url)
}

// updateUser sends the declared fields of a user (the same body each
// time, so the client sends it again after a lost answer).
func (a *attempt) updateUser(ctx context.Context, id string) error {
	c, sc := a.x.cfg.Client, a.x.ownerUpdateContext(a.s.User)
	if a.s.User.Type == "legal" {
		p, err := legalParams(a.s.User, a.s.Tag)
		if err != nil {
			return err
		}
		p.ScaContext = sc
		_, err = c.Users.UpdateLegal(ctx, id, p)
		return err
	}
	p, err := naturalParams(a.s.User, a.s.Tag)
	if err != nil {
		return err
	}
	p.ScaContext = sc
	_, err = c.Users.UpdateNatural(ctx, id, p)
	return err
}
