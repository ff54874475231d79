package mangopay

import (
	"context"
	"iter"
)

// UserService manages natural and legal users.
type UserService struct{ c *Client }

// usersPath is "/users" or, with Config.SCAUserRoutes, "/sca/users".
func (s *UserService) usersPath() string {
	if s.c.scaUsers {
		return "/sca/users"
	}
	return "/users"
}

// CreateNatural creates a natural user (POST /users/natural).
func (s *UserService) CreateNatural(ctx context.Context, p *NaturalUserParams) (*NaturalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[NaturalUser](ctx, s.c, s.usersPath()+"/natural", p, p.IdempotencyKey)
}

// CreateLegal creates a legal user (POST /users/legal).
func (s *UserService) CreateLegal(ctx context.Context, p *LegalUserParams) (*LegalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[LegalUser](ctx, s.c, s.usersPath()+"/legal", p, p.IdempotencyKey)
}

// UpdateNatural updates a natural user (PUT /users/natural/{id});
// UserCategory and TermsAndConditionsAccepted are required on every update.
func (s *UserService) UpdateNatural(ctx context.Context, id string, p *NaturalUserParams) (*NaturalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[NaturalUser](ctx, s.c, s.usersPath()+pathf("/natural/%s", id), p)
}

// UpdateLegal updates a legal user (PUT /users/legal/{id}).
func (s *UserService) UpdateLegal(ctx context.Context, id string, p *LegalUserParams) (*LegalUser, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[LegalUser](ctx, s.c, s.usersPath()+pathf("/legal/%s", id), p)
}

// Get reads a user of either kind (GET /users/{id}); switch on which of
// Natural and Legal is set.
func (s *UserService) Get(ctx context.Context, id string) (*User, error) {
	return get[User](ctx, s.c, s.usersPath()+pathf("/%s", id))
}

// GetNatural reads a natural user (GET /users/natural/{id}).
func (s *UserService) GetNatural(ctx context.Context, id string) (*NaturalUser, error) {
	return get[NaturalUser](ctx, s.c, s.usersPath()+pathf("/natural/%s", id))
}

// GetLegal reads a legal user (GET /users/legal/{id}).
func (s *UserService) GetLegal(ctx context.Context, id string) (*LegalUser, error) {
	return get[LegalUser](ctx, s.c, s.usersPath()+pathf("/legal/%s", id))
}

// List iterates over every user (GET /users), in summary form.
func (s *UserService) List(ctx context.Context, opts *ListOptions) iter.Seq2[UserSummary, error] {
	return listAll[UserSummary](ctx, s.c, "/users", opts)
}

// ListPage reads one page of GET /users.
func (s *UserService) ListPage(ctx context.Context, opts *ListOptions) (*Page[UserSummary], error) {
	return listPage[UserSummary](ctx, s.c, "/users", opts)
}
