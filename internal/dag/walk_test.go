package dag

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// recorder is a Walker's trivial vertices: each visit takes a second of
// fake time (synctest) and ends with the status the test chose.
type recorder struct {
	mu      sync.Mutex // guards visited, skipped and done
	visited []string
	skipped []string // "v<-root" or "v<-root!" under fail-fast
	done    map[string]bool

	inflight, most atomic.Int64
	status         map[string]Status
	deps           func(string) []string
}

func newRecorder(g *Graph, status map[string]Status) *recorder {
	return &recorder{status: status, done: map[string]bool{}, deps: g.Dependencies}
}

func (r *recorder) walker(par int) *Walker {
	return &Walker{
		Parallelism: par,
		Visit: func(ctx context.Context, v string) (Status, error) {
			n := r.inflight.Add(1)
			for m := r.most.Load(); n > m && !r.most.CompareAndSwap(m, n); m = r.most.Load() {
			}
			r.mu.Lock()
			for _, d := range r.deps(v) {
				if !r.done[d] {
					r.mu.Unlock()
					return Failed, fmt.Errorf("%s visited before %s was done", v, d)
				}
			}
			r.visited = append(r.visited, v)
			r.mu.Unlock()
			time.Sleep(time.Second) // fake time: every visit in flight is blocked here at once
			r.inflight.Add(-1)
			return r.status[v], nil
		},
		Skip: func(v, root string, failFast bool) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			s := v + "<-" + root
			if failFast {
				s += "!"
			}
			r.skipped = append(r.skipped, s)
			return nil
		},
		Done: func(v string, st Status) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.done[v] = st == Succeeded
		},
	}
}

// wide is n independent vertices, then one that waits for them all.
func wide(n int) *Graph {
	g := New()
	for i := range n {
		g.Add(fmt.Sprint("v", i))
	}
	g.Add("last")
	for i := range n {
		g.Connect("last", fmt.Sprint("v", i))
	}
	return g
}

// TestWalkLimit counts the visits in flight with atomics, like errgroup's
// TestGoLimit: never more than Parallelism, and exactly Parallelism when
// there is enough ready work (synctest makes that deterministic).
func TestWalkLimit(t *testing.T) {
	for _, par := range []int{1, 3, 8} {
		synctest.Test(t, func(t *testing.T) {
			g := wide(40)
			r := newRecorder(g, nil)
			if err := r.walker(par).Walk(context.Background(), g); err != nil {
				t.Fatalf("Walk() error = %v", err)
			}
			if got := r.most.Load(); got != int64(par) {
				t.Errorf("most visits in flight = %d, want %d", got, par)
			}
			if len(r.visited) != 41 || r.visited[40] != "last" {
				t.Errorf("visited %d vertices (last %s), want 41, ending with last", len(r.visited), r.visited[len(r.visited)-1])
			}
		})
	}
}

// TestWalkSkipsDownstream: a failed vertex skips what waits for it,
// naming it as the root cause, once; a held one does the same; the
// independent branch goes on.
func TestWalkSkipsDownstream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := build("a:", "b: a", "c: b", "d: c b", "x:", "y: x", "h:", "k: h")
		r := newRecorder(g, map[string]Status{"b": Failed, "h": Held})
		if err := r.walker(4).Walk(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		slices.Sort(r.visited)
		if want := []string{"a", "b", "h", "x", "y"}; !slices.Equal(r.visited, want) {
			t.Errorf("visited %v, want %v", r.visited, want)
		}
		slices.Sort(r.skipped)
		if want := []string{"c<-b", "d<-b", "k<-h"}; !slices.Equal(r.skipped, want) {
			t.Errorf("skipped %v, want %v", r.skipped, want)
		}
	})
}

// TestWalkFailFast: the first failure stops the dispatch; every vertex
// not visited is skipped with it as the root cause.
func TestWalkFailFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := build("a:", "b:", "c: a", "d:", "e: d")
		r := newRecorder(g, map[string]Status{"b": Failed})
		w := r.walker(1)
		w.FailFast = true
		if err := w.Walk(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		if want := []string{"a", "b"}; !slices.Equal(r.visited, want) {
			t.Errorf("visited %v, want %v", r.visited, want)
		}
		if want := []string{"c<-b!", "d<-b!", "e<-b!"}; !slices.Equal(r.skipped, want) {
			t.Errorf("skipped %v, want %v", r.skipped, want)
		}
	})
}

// TestWalkFirst: vertices First picks start before the others, then the
// order.
func TestWalkFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := build("a:", "b:", "c:", "d: a")
		r := newRecorder(g, nil)
		w := r.walker(1)
		w.First = func(v string) bool { return v == "c" || v == "d" }
		if err := w.Walk(context.Background(), g); err != nil {
			t.Fatal(err)
		}
		if want := []string{"c", "a", "d", "b"}; !slices.Equal(r.visited, want) {
			t.Errorf("visited %v, want %v", r.visited, want)
		}
	})
}

// TestWalkFatal: a visit's error stops the dispatch and is returned; the
// visits in flight end, nothing more starts, nothing is skipped.
func TestWalkFatal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := wide(10)
		boom := errors.New("journal full")
		var visits atomic.Int64
		var done []string
		w := &Walker{Parallelism: 2,
			Visit: func(ctx context.Context, v string) (Status, error) {
				visits.Add(1)
				if v == "v0" {
					return Held, boom // while v1 is in flight
				}
				time.Sleep(time.Second)
				return Succeeded, nil
			},
			Skip: func(v, root string, failFast bool) error { t.Errorf("Skip(%s, %s)", v, root); return nil },
			Done: func(v string, st Status) { done = append(done, v) },
		}
		if err := w.Walk(context.Background(), g); !errors.Is(err, boom) {
			t.Errorf("Walk() error = %v, want %v", err, boom)
		}
		if visits.Load() != 2 || len(done) != 2 {
			t.Errorf("%d visits, %d done, want the 2 in flight only", visits.Load(), len(done))
		}
	})
}

// TestWalkCancel: once ctx is cancelled nothing more starts; visits that
// did nothing are neither done nor skipped.
func TestWalkCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := build("a:", "b: a", "c:", "d:")
		ctx, cancel := context.WithCancel(context.Background())
		var visited []string
		w := &Walker{Parallelism: 1,
			Visit: func(ctx context.Context, v string) (Status, error) {
				visited = append(visited, v)
				cancel()
				return NotRun, nil
			},
			Skip: func(v, root string, failFast bool) error { t.Errorf("Skip(%s, %s)", v, root); return nil },
			Done: func(v string, st Status) { t.Errorf("Done(%s)", v) },
		}
		if err := w.Walk(ctx, g); err != nil {
			t.Errorf("Walk() error = %v", err)
		}
		if !slices.Equal(visited, []string{"a"}) {
			t.Errorf("visited %v, want [a]", visited)
		}
	})
}

func TestWalkParallelismBelowOne(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Errorf("Walk(Parallelism 0) did not panic")
		}
	}()
	(&Walker{}).Walk(context.Background(), New())
}
