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

// TransactionError is a transaction that ended FAILED (or a card
// registration that ended ERROR), as an error; see [Transaction.Err].
type TransactionError struct {
	ID            string
	Type          string // PAYIN, TRANSFER, PAYOUT
	Status        string
	ResultCode    string
	ResultMessage string
	// Remedy says what the operator must do, for the payout result codes
	// that have one ([PayoutRemedy]); "" otherwise.
	Remedy string
}

// Error prints "mangopay: TRANSFER xfer_1 FAILED: 001001 Unsufficient wallet
// balance", followed by ": <remedy>" when there is one.
func (e *TransactionError) Error() string {
	s := "mangopay: " + e.Type + " " + e.ID + " " + e.Status + ": " + e.ResultCode + " " + e.ResultMessage
	if e.Remedy != "" {
		s += ": " + e.Remedy
	}
	return s
}

// Err returns nil unless the transaction FAILED, and then a
// [*TransactionError] carrying its ResultCode. MANGOPAY answers functional
// failures with HTTP 200, so the client returns them as objects; Err is for
// callers that want them as errors.
func (t *Transaction) Err() error {
	if t.Status != StatusFailed {
		return nil
	}
	e := &TransactionError{ID: t.Id, Type: t.Type, Status: t.Status,
		ResultCode: string(t.ResultCode), ResultMessage: string(t.ResultMessage)}
	if t.Type == "PAYOUT" {
		e.Remedy = PayoutRemedy(e.ResultCode)
	}
	return e
}

// Transaction holds the fields every money movement carries. Items of the
// transaction lists are Transactions.
type Transaction struct {
	Id               string     `json:"Id"`
	Tag              NullString `json:"Tag"`
	CreationDate     int64      `json:"CreationDate"`
	AuthorId         string     `json:"AuthorId"`
	CreditedUserId   NullString `json:"CreditedUserId"`
	DebitedFunds     Money      `json:"DebitedFunds"`
	CreditedFunds    Money      `json:"CreditedFunds"`
	Fees             Money      `json:"Fees"`
	Status           string     `json:"Status"`
	ResultCode       NullString `json:"ResultCode"`
	ResultMessage    NullString `json:"ResultMessage"`
	ExecutionDate    *int64     `json:"ExecutionDate"`
	Type             string     `json:"Type"`
	Nature           string     `json:"Nature"`
	CreditedWalletId NullString `json:"CreditedWalletId"`
	DebitedWalletId  NullString `json:"DebitedWalletId"`
}
