package mangopay

import (
	"context"
	"iter"
)

// EventService searches the platform's events.
type EventService struct{ c *Client }

// List iterates over events (GET /events). MANGOPAY requires
// opts.EventType and searches at most the last 45 days.
func (s *EventService) List(ctx context.Context, opts *ListOptions) iter.Seq2[Event, error] {
	return listAll[Event](ctx, s.c, "/events", opts)
}

// ListPage reads one page of events.
func (s *EventService) ListPage(ctx context.Context, opts *ListOptions) (*Page[Event], error) {
	return listPage[Event](ctx, s.c, "/events", opts)
}

// Event is one entry of GET /events.
type Event struct {
	ResourceId string `json:"ResourceId"`
	EventType  string `json:"EventType"`
	Date       int64  `json:"Date"`
}
