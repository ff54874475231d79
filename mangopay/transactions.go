package mangopay

import (
	"context"
	"iter"
)

// TransactionService lists money movements; opts.Status, Type, Nature and
// ResultCode filter.
type TransactionService struct{ c *Client }

// ListByWallet iterates over a wallet's transactions
// (GET /wallets/{id}/transactions).
func (s *TransactionService) ListByWallet(ctx context.Context, walletID string, opts *ListOptions) iter.Seq2[Transaction, error] {
	return listAll[Transaction](ctx, s.c, pathf("/wallets/%s/transactions", walletID), opts)
}

// ListByWalletPage reads one page of a wallet's transactions.
func (s *TransactionService) ListByWalletPage(ctx context.Context, walletID string, opts *ListOptions) (*Page[Transaction], error) {
	return listPage[Transaction](ctx, s.c, pathf("/wallets/%s/transactions", walletID), opts)
}

// ListByUser iterates over a user's transactions
// (GET /users/{id}/transactions).
func (s *TransactionService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[Transaction, error] {
	return listAll[Transaction](ctx, s.c, pathf("/users/%s/transactions", userID), opts)
}

// ListByUserPage reads one page of a user's transactions.
func (s *TransactionService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[Transaction], error) {
	return listPage[Transaction](ctx, s.c, pathf("/users/%s/transactions", userID), opts)
}
