package mangopay_test

import (
	"encoding/json"
	"errors"
	"time"

	"settle/mangopay"
)

func (r *run) events() {
	t, c, ctx := r.t, r.c, r.ctx
	opts := &mangopay.ListOptions{EventType: "PAYIN_NORMAL_SUCCEEDED", AfterDate: r.start - 60, BeforeDate: time.Now().Unix() + 60}
	id := func(e mangopay.Event) string { return e.ResourceId }
	if !contains(t, c.Events.List(ctx, opts), id, r.payin) {
		t.Errorf("Events.List(PAYIN_NORMAL_SUCCEEDED) lacks %s", r.payin)
	}
	pg, err := c.Events.ListPage(ctx, &mangopay.ListOptions{EventType: "TRANSFER_NORMAL_SUCCEEDED", AfterDate: r.start - 60, PerPage: 100})
	r.must(err, "Events.ListPage")
	found := false
	for _, e := range pg.Items {
		found = found || (e.ResourceId == r.transfer && e.EventType == "TRANSFER_NORMAL_SUCCEEDED")
	}
	if !found {
		t.Errorf("Events.ListPage(TRANSFER_NORMAL_SUCCEEDED) lacks %s", r.transfer)
	}
	_, err = c.Events.ListPage(ctx, &mangopay.ListOptions{EventType: "PAYIN_NORMAL_SUCCEEDED",
		AfterDate: time.Now().Add(-100 * 24 * time.Hour).Unix(), BeforeDate: time.Now().Add(-90 * 24 * time.Hour).Unix()})
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("Events.ListPage(older than 45 days) error = %v, want ErrParam", err)
	}
}

// hooks creates a hook, or adopts the one a previous run of the real
// sandbox left (one hook per EventType), then reads and updates it.
func (r *run) hooks() {
	t, c, ctx := r.t, r.c, r.ctx
	const event = "PAYOUT_REFUND_SUCCEEDED"
	h, err := c.Hooks.Create(ctx, &mangopay.HookCreateParams{Params: mangopay.Params{IdempotencyKey: r.key("hook")},
		EventType: event, Url: "https://example.org/settle/hooks"})
	if errors.Is(err, mangopay.ErrParam) {
		for it, lerr := range c.Hooks.List(ctx, nil) {
			r.must(lerr, "Hooks.List")
			if it.EventType == event {
				h, err = &it, nil
				break
			}
		}
	}
	r.must(err, "Hooks.Create")
	if h.EventType != event || h.Status == "" {
		t.Errorf("Hooks.Create() = %+v", h)
	}
	upd, err := c.Hooks.Update(ctx, h.Id, &mangopay.HookUpdateParams{Tag: r.prefix, Status: "ENABLED"})
	r.must(err, "Hooks.Update")
	if upd.Tag != mangopay.NullString(r.prefix) {
		t.Errorf("Hooks.Update() = %+v", upd)
	}
	got, err := c.Hooks.Get(ctx, h.Id)
	r.must(err, "Hooks.Get")
	if got.Id != h.Id || got.Url != h.Url {
		t.Errorf("Hooks.Get() = %+v", got)
	}
	_, err = c.Hooks.Create(ctx, &mangopay.HookCreateParams{EventType: event, Url: "https://example.org/other"})
	if !errors.Is(err, mangopay.ErrParam) {
		t.Errorf("second Hooks.Create(%s) error = %v, want ErrParam", event, err)
	}
}

func (r *run) responses() {
	t, c, ctx := r.t, r.c, r.ctx
	resp, err := c.Responses.Get(ctx, r.walletKey)
	r.must(err, "Responses.Get")
	var w mangopay.Wallet
	if resp.Status() != 200 || resp.Decode(&w) != nil || w.Id != r.payerWallet {
		t.Errorf("Responses.Get() = %+v (status %d), want the wallet %s", resp, resp.Status(), r.payerWallet)
	}
	var raw map[string]any
	if json.Unmarshal(resp.Resource, &raw) != nil || raw["Id"] != r.payerWallet {
		t.Errorf("Responses.Get() Resource = %s", resp.Resource)
	}
	_, err = c.Responses.Get(ctx, r.key("never-used"))
	var e *mangopay.Error
	if !errors.As(err, &e) || e.StatusCode != 400 || e.Type != mangopay.TypeCorrelationIDNotFound {
		t.Errorf("Responses.Get(unknown) error = %v, want 400 correlationid_not_found", err)
	}
}
