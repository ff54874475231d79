package sandbox

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Hook delivery: resource handlers call enqueueDelivery (with s.mu held)
// for every event that has an enabled hook; deliveryWorkers goroutines send
// the GETs outside the lock. MANGOPAY expects an answer within 2 s; the
// sandbox gives up after deliveryTimeout and does not retry. When the queue
// is full the notification is dropped and counted in Stats.DroppedHooks, so a
// slow receiver can never stall the API.
const (
	deliveryQueue   = 1024
	deliveryWorkers = 2
	deliveryTimeout = 2 * time.Second
)

// enqueueDelivery queues a GET of url (query already built). Non-blocking.
func (s *Server) enqueueDelivery(url string) {
	select {
	case s.deliveries <- url:
	default:
		s.droppedHooks.Add(1)
	}
}

// deliveryWorker sends queued hook notifications until ctx ends.
func (s *Server) deliveryWorker(ctx context.Context) {
	defer s.workers.Done()
	client := &http.Client{Timeout: deliveryTimeout}
	for {
		select {
		case <-ctx.Done():
			return
		case url := <-s.deliveries:
			deliver(ctx, client, url, &s.hooksSent)
		}
	}
}

// deliver sends one notification; the receiver's answer is read and dropped.
func deliver(ctx context.Context, client *http.Client, url string, sent *atomic.Int64) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return
	}
	resp, err := client.Do(req)
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	_ = resp.Body.Close()
	sent.Add(1)
}
