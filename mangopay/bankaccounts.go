package mangopay

import (
	"context"
	"iter"
)

// BankAccountService manages users' IBAN bank accounts.
type BankAccountService struct{ c *Client }

// CreateIBAN creates an IBAN account (POST /users/{id}/bankaccounts/iban).
func (s *BankAccountService) CreateIBAN(ctx context.Context, userID string, p *BankAccountIBANCreateParams) (*BankAccount, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[BankAccount](ctx, s.c, pathf("/users/%s/bankaccounts/iban", userID), p, p.IdempotencyKey)
}

// Get reads a bank account (GET /users/{userId}/bankaccounts/{id}).
func (s *BankAccountService) Get(ctx context.Context, userID, id string) (*BankAccount, error) {
	return get[BankAccount](ctx, s.c, pathf("/users/%s/bankaccounts/%s", userID, id))
}

// ListByUser iterates over a user's bank accounts; opts.Active filters
// (GET /users/{id}/bankaccounts).
func (s *BankAccountService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[BankAccount, error] {
	return listAll[BankAccount](ctx, s.c, pathf("/users/%s/bankaccounts", userID), opts)
}

// ListByUserPage reads one page of a user's bank accounts.
func (s *BankAccountService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[BankAccount], error) {
	return listPage[BankAccount](ctx, s.c, pathf("/users/%s/bankaccounts", userID), opts)
}

// Deactivate deactivates a bank account, which cannot be undone
// (PUT /users/{userId}/bankaccounts/{id} with Active false).
func (s *BankAccountService) Deactivate(ctx context.Context, userID, id string) (*BankAccount, error) {
	return put[BankAccount](ctx, s.c, pathf("/users/%s/bankaccounts/%s", userID, id), map[string]bool{"Active": false}, putRepeat{})
}

// BankAccount is an IBAN bank account.
type BankAccount struct {
	OwnerAddress Address    `json:"OwnerAddress"`
	IBAN         string     `json:"IBAN"`
	BIC          NullString `json:"BIC"`
	UserId       string     `json:"UserId"`
	OwnerName    string     `json:"OwnerName"`
	Type         string     `json:"Type"`
	Id           string     `json:"Id"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
	Active       bool       `json:"Active"`
}

// BankAccountIBANCreateParams creates an IBAN bank account.
type BankAccountIBANCreateParams struct {
	Params
	OwnerName    string        `json:"OwnerName"`
	OwnerAddress AddressParams `json:"OwnerAddress"`
	IBAN         string        `json:"IBAN"`
	BIC          string        `json:"BIC,omitempty"`
	Tag          string        `json:"Tag,omitempty"`
}
