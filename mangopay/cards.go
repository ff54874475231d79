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
	return put[Card](ctx, s.c, pathf("/cards/%s", id), p)
}

// Deactivate deactivates a card, which cannot be undone; a second call
// answers 400 card_already_not_active.
func (s *CardService) Deactivate(ctx context.Context, id string) (*Card, error) {
	return s.Update(ctx, id, &CardUpdateParams{Active: Bool(false)})
}
