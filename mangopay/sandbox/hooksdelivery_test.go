package sandbox

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestHookDelivery(t *testing.T) {
	got := make(chan url.Values, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.URL.Query():
		default: // the flood below
		}
	}))
	defer receiver.Close()
	h := newSbx(t, Options{})
	h.call(200, "POST", "/hooks", map[string]any{"EventType": "PAYIN_NORMAL_SUCCEEDED", "Url": receiver.URL + "/hook"})
	f := h.fund()
	q := <-got
	if q.Get("EventType") != "PAYIN_NORMAL_SUCCEEDED" || q.Get("RessourceId") != f.payin || q.Get("Date") == "" {
		t.Errorf("delivery query = %v, want EventType PAYIN_NORMAL_SUCCEEDED, RessourceId %s, Date", q, f.payin)
	}
}

func TestEnqueueDeliveryNeverBlocks(t *testing.T) {
	// No workers: the queue fills up and further notifications are dropped.
	s := &Server{deliveries: make(chan string, 2)}
	for range 5 {
		s.enqueueDelivery("http://127.0.0.1:1/hook")
	}
	if got := s.droppedHooks.Load(); got != 3 {
		t.Errorf("DroppedHooks = %d, want 3", got)
	}
}
