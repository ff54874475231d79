package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"settle/executor"
)

// syncBuffer is a bytes.Buffer safe for the bar's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	if pr := newProgress(&bytes.Buffer{}, nil); pr != nil {
		t.Errorf("newProgress(buffer) = %v, want nil (not a terminal)", pr)
	}
	var pr *progress // a nil progress ignores updates
	pr.update(executor.Progress{Done: 1, Total: 2})
	pr.finish()
}

func TestProgressShowsCountsAndWaiting(t *testing.T) {
	var out syncBuffer
	pr := newProgressOn(&out, nil, 0)
	pr.update(executor.Progress{Done: 3, Total: 10, Waiting: true, Step: "wallet/a"})
	waiting := out.String()
	pr.update(executor.Progress{Done: 5, Total: 10})
	pr.update(executor.Progress{Done: 10, Total: 10})
	pr.finish()
	for _, want := range []string{"waiting for rate limit", "3/10"} {
		if !strings.Contains(waiting, want) {
			t.Errorf("progress output while waiting lacks %q: %q", want, waiting)
		}
	}
	// The bar drew "applying" before the wait too: look only at what it
	// drew since.
	if after := strings.TrimPrefix(out.String(), waiting); !strings.Contains(after, "applying") {
		t.Errorf("progress output lacks the applying state after the wait: %q", after)
	}
}
