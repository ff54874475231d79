package mangopay

import (
	"context"
	"iter"
)

// CardService reads and deactivates registered cards.
type CardService struct{ c *Client }

// Get reads a card (GET /cards/{id}).
func (s *CardService) Get(ctx context.Context, id string) (*Card, error) {
	return get[Card](ctx, s.c, pathf("/cards/%s", id))
}

// ListByUser iterates over a user's cards; opts.Active filters
// (GET /users/{id}/cards).
func (s *CardService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[Card, error] {
	return listAll[Card](ctx, s.c, pathf("/users/%s/cards", userID), opts)
}

// ListByUserPage reads one page of a user's cards.
func (s *CardService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[Card], error) {
	return listPage[Card](ctx, s.c, pathf("/users/%s/cards", userID), opts)
}

// Update deactivates a card or sets its holder name once (PUT /cards/{id}).
func (s *CardService) Update(ctx context.Context, id string, p *CardUpdateParams) (*Card, error) {
	if p == nil {
		return nil, errNoParams
	}
	// A second deactivation is refused (400), so the PUT is not repeated.
	return put[Card](ctx, s.c, pathf("/cards/%s", id), p, putRepeat{})
}

// Deactivate deactivates a card, which cannot be undone; a second call
// answers 400 card_already_not_active.
func (s *CardService) Deactivate(ctx context.Context, id string) (*Card, error) {
	return s.Update(ctx, id, &CardUpdateParams{Active: Bool(false)})
}

// Card is a registered card.
type Card struct {
	ExpirationDate string     `json:"ExpirationDate"`
	Alias          string     `json:"Alias"`
	CardType       string     `json:"CardType"`
	CardProvider   string     `json:"CardProvider"`
	Country        string     `json:"Country"`
	Product        string     `json:"Product"`
	BankCode       string     `json:"BankCode"`
	Active         bool       `json:"Active"`
	Currency       string     `json:"Currency"`
	Validity       string     `json:"Validity"`
	UserId         string     `json:"UserId"`
	Id             string     `json:"Id"`
	Tag            NullString `json:"Tag"`
	CreationDate   int64      `json:"CreationDate"`
	Fingerprint    string     `json:"Fingerprint"`
	CardHolderName NullString `json:"CardHolderName"`
}

// CardUpdateParams deactivates a card (Active false, one way) or sets its
// holder name once.
type CardUpdateParams struct {
	Active         *bool  `json:"Active,omitempty"`
	CardHolderName string `json:"CardHolderName,omitempty"`
}
