package mangopay

import (
	"context"
	"iter"
)

// Funds types of client wallets.
const (
	FundsFees   = "FEES"
	FundsCredit = "CREDIT"
)

// ClientWalletService reads the platform's own wallets (FEES_<CUR>,
// CREDIT_<CUR>).
type ClientWalletService struct{ c *Client }

// List iterates over every client wallet (GET /clients/wallets).
func (s *ClientWalletService) List(ctx context.Context, opts *ListOptions) iter.Seq2[Wallet, error] {
	return listAll[Wallet](ctx, s.c, "/clients/wallets", opts)
}

// ListByFundsType iterates over the client wallets of one funds type,
// FundsFees or FundsCredit (GET /clients/wallets/{FundsType}).
func (s *ClientWalletService) ListByFundsType(ctx context.Context, fundsType string, opts *ListOptions) iter.Seq2[Wallet, error] {
	return listAll[Wallet](ctx, s.c, pathf("/clients/wallets/%s", fundsType), opts)
}

// Get reads one client wallet, e.g. Get(ctx, FundsFees, "EUR")
// (GET /clients/wallets/{FundsType}/{Currency}).
func (s *ClientWalletService) Get(ctx context.Context, fundsType, currency string) (*Wallet, error) {
	return get[Wallet](ctx, s.c, pathf("/clients/wallets/%s/%s", fundsType, currency))
}

// Transactions iterates over the movements made directly on a client
// wallet (GET /clients/wallets/{FundsType}/{Currency}/transactions).
// Fees taken on user transactions are not separate transactions.
func (s *ClientWalletService) Transactions(ctx context.Context, fundsType, currency string, opts *ListOptions) iter.Seq2[Transaction, error] {
	return listAll[Transaction](ctx, s.c, pathf("/clients/wallets/%s/%s/transactions", fundsType, currency), opts)
}
