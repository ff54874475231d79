package mangopay

import (
	"context"
	"iter"
)

// HookService manages webhooks, one per EventType.
type HookService struct{ c *Client }

// Create subscribes a URL to an EventType (POST /hooks); a second hook
// for the same EventType answers 400.
func (s *HookService) Create(ctx context.Context, p *HookCreateParams) (*Hook, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[Hook](ctx, s.c, "/hooks", p, p.IdempotencyKey)
}

// Get reads a hook (GET /hooks/{id}).
func (s *HookService) Get(ctx context.Context, id string) (*Hook, error) {
	return get[Hook](ctx, s.c, pathf("/hooks/%s", id))
}

// Update changes a hook's Url, Status, Validity or Tag (PUT /hooks/{id}).
func (s *HookService) Update(ctx context.Context, id string, p *HookUpdateParams) (*Hook, error) {
	if p == nil {
		return nil, errNoParams
	}
	return put[Hook](ctx, s.c, pathf("/hooks/%s", id), p, idempotentPut)
}

// List iterates over the hooks (GET /hooks).
func (s *HookService) List(ctx context.Context, opts *ListOptions) iter.Seq2[Hook, error] {
	return listAll[Hook](ctx, s.c, "/hooks", opts)
}

// Hook is a webhook subscription for one EventType.
type Hook struct {
	Url          string     `json:"Url"`
	Status       string     `json:"Status"`
	Validity     string     `json:"Validity"`
	EventType    string     `json:"EventType"`
	Id           string     `json:"Id"`
	Tag          NullString `json:"Tag"`
	CreationDate int64      `json:"CreationDate"`
}

// HookCreateParams subscribes a URL to one EventType.
type HookCreateParams struct {
	Params
	EventType string `json:"EventType"`
	Url       string `json:"Url"`
	Tag       string `json:"Tag,omitempty"`
}

// HookUpdateParams changes a hook.
type HookUpdateParams struct {
	Url      string `json:"Url,omitempty"`
	Status   string `json:"Status,omitempty"`
	Validity string `json:"Validity,omitempty"`
	Tag      string `json:"Tag,omitempty"`
}
