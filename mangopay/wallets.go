package mangopay

import (
	"context"
	"iter"
)

// WalletService manages user wallets.
type WalletService struct{ c *Client }

// Create creates a wallet (POST /wallets).
func (s *WalletService) Create(ctx context.Context, p *WalletCreateParams) (*Wallet, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Wallet](ctx, s.c, "/wallets", p, p.IdempotencyKey)
}

// Get reads a wallet (GET /wallets/{id}).
func (s *WalletService) Get(ctx context.Context, id string) (*Wallet, error) {
	return get[Wallet](ctx, s.c, pathf("/wallets/%s", id))
}

// Update changes a wallet's Description or Tag (PUT /wallets/{id}).
func (s *WalletService) Update(ctx context.Context, id string, p *WalletUpdateParams) (*Wallet, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[Wallet](ctx, s.c, pathf("/wallets/%s", id), p, idempotentPut)
}

// ListByUser iterates over a user's wallets (GET /users/{id}/wallets).
func (s *WalletService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[Wallet, error] {
	return listAll[Wallet](ctx, s.c, pathf("/users/%s/wallets", userID), opts)
}

// ListByUserPage reads one page of a user's wallets.
func (s *WalletService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[Wallet], error) {
	return listPage[Wallet](ctx, s.c, pathf("/users/%s/wallets", userID), opts)
}

// Wallet is a user e-wallet or a client wallet (FEES_EUR, CREDIT_EUR), which
// has no Owners and no Description.
type Wallet struct {
	Description  string     `json:"Description,omitempty"`
	Owners       []string   `json:"Owners,omitempty"`
	Id           string     `json:"Id"`
	Balance      Money      `json:"Balance"`
	Currency     string     `json:"Currency"`
	FundsType    string     `json:"FundsType"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
}

// WalletCreateParams creates a wallet with exactly one owner.
type WalletCreateParams struct {
	Params
	Owners      []string `json:"Owners"`
	Description string   `json:"Description"`
	Currency    string   `json:"Currency"`
	Tag         string   `json:"Tag,omitempty"`
}

// WalletUpdateParams changes a wallet's Description or Tag.
type WalletUpdateParams struct {
	Description string `json:"Description,omitempty"`
	Tag         string `json:"Tag,omitempty"`
}
