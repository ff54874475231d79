package dag

import (
	"container/heap"
	"context"

	"github.com/sourcegraph/conc/pool"
)

// Status is how a visit ended.
type Status int

// Statuses of [Walker.Visit].
const (
	// Succeeded releases the vertex's dependants.
	Succeeded Status = iota
	// Failed skips everything downstream; with FailFast it stops the walk.
	Failed
	// Held skips everything downstream, the walk goes on (an outcome
	// still awaited, unknown, or refused before it was tried).
	Held
	// NotRun: the visit did nothing (the walk was cancelled first); its
	// dependants are neither released nor skipped.
	NotRun
)

// Walker visits the vertices of a graph, each once every vertex it waits
// for Succeeded, at most Parallelism at a time. A vertex that ends Failed
// or Held skips everything downstream of it, which is reported once with
// it as the root cause, as Terraform's walker does; independent branches
// go on unless FailFast is set.
//
// One dispatcher goroutine (the caller of [Walker.Walk]) keeps a ready
// queue, a heap ordered by First then by [Graph.Order], and starts ready
// vertices on a conc pool, only as many as there are free slots, so it
// looks at every outcome (FailFast, cancellation) before starting more.
// Visits report back on a channel buffered to the number of vertices, so
// they never block. Skip and Done run on the dispatcher, never
// concurrently.
type Walker struct {
	// Parallelism bounds the visits in flight; it must be at least 1.
	Parallelism int
	// FailFast stops starting visits at the first Failed one; every
	// vertex not visited by then is skipped with it as the root cause.
	FailFast bool
	// First, when set, picks the vertices to start before every other
	// ready one (the executor's in-doubt steps).
	First func(v string) bool
	// Visit does one vertex, on a pool goroutine. A non-nil error is
	// fatal: no visit starts after it, and Walk returns it.
	Visit func(ctx context.Context, v string) (Status, error)
	// Skip is told of each vertex that will not be visited because root
	// ended Failed or Held, or, with failFast, because the walk failed
	// fast at root. An error is fatal, as Visit's.
	Skip func(v, root string, failFast bool) error
	// Done, when set, is told of each vertex visited (NotRun excepted),
	// after Visit returned.
	Done func(v string, st Status)
}

// visited is a finished visit, sent from a pool goroutine to the
// dispatcher.
type visited struct {
	v   int // rank in order
	st  Status
	err error
}

// walk is the dispatcher's state; only the dispatcher goroutine uses it.
type walk struct {
	w       *Walker
	g       *Graph
	order   []string
	waiting []int  // per rank, dependencies not yet Succeeded
	settled []bool // per rank, visited or skipped
	ready   readyQueue
	stop    bool
	fatal   error
	// failed is the rank of the vertex that stopped the walk under
	// FailFast, -1 if none.
	failed int
}

// Walk visits g (see [Walker]). It returns the first fatal error, or the
// graph's first problem if it is not valid. It panics if Parallelism is
// below 1 (a programmer's error). A cancelled ctx stops the dispatch;
// visits in flight end with it.
func (w *Walker) Walk(ctx context.Context, g *Graph) error {
	if w.Parallelism < 1 {
		panic("dag: Walker.Parallelism below 1")
	}
	order, err := g.Order()
	if err != nil {
		return err
	}
	k := &walk{w: w, g: g, order: order, waiting: make([]int, len(order)), settled: make([]bool, len(order)), failed: -1}
	for r, v := range order {
		k.waiting[r] = len(g.Dependencies(v))
		if k.waiting[r] == 0 {
			k.push(r)
		}
	}
	doneCh := make(chan visited, len(order))
	p := pool.New().WithMaxGoroutines(w.Parallelism).WithContext(ctx)
	inflight := 0
	for {
		if !k.stop && ctx.Err() == nil && len(k.ready) > 0 && inflight < w.Parallelism {
			for range min(len(k.ready), w.Parallelism-inflight) {
				r := heap.Pop(&k.ready).(readyVertex).rank
				inflight++
				p.Go(func(ctx context.Context) error {
					if ctx.Err() != nil {
						doneCh <- visited{v: r, st: NotRun}
						return nil
					}
					st, err := w.Visit(ctx, order[r])
					doneCh <- visited{v: r, st: st, err: err}
					return nil
				})
			}
		}
		if inflight == 0 {
			break
		}
		d := <-doneCh
		inflight--
		k.finish(d)
	}
	_ = p.Wait() // visits return nil; a panic is re-raised here
	if k.failed >= 0 && k.fatal == nil && ctx.Err() == nil {
		for r, v := range order {
			if !k.settled[r] {
				k.settled[r] = true
				k.fail(w.Skip(v, order[k.failed], true))
			}
		}
	}
	return k.fatal
}

// fail records the first fatal error and stops the dispatch.
func (k *walk) fail(err error) {
	if err == nil {
		return
	}
	if k.fatal == nil {
		k.fatal = err
	}
	k.stop = true
}

// finish takes a visit's outcome: it releases or skips the dependants.
func (k *walk) finish(d visited) {
	if d.st == NotRun {
		k.fail(d.err)
		return
	}
	v := k.order[d.v]
	k.settled[d.v] = true
	if k.w.Done != nil {
		k.w.Done(v, d.st)
	}
	if d.err != nil {
		k.fail(d.err)
		return
	}
	if d.st == Succeeded {
		for _, dep := range k.g.Dependants(v) {
			r := k.g.rank[dep]
			k.waiting[r]--
			if k.waiting[r] == 0 && !k.settled[r] {
				k.push(r)
			}
		}
		return
	}
	if d.st == Failed && k.w.FailFast && k.failed < 0 {
		k.stop, k.failed = true, d.v
	}
	for _, dep := range k.g.Downstream(v) {
		r := k.g.rank[dep]
		if k.settled[r] {
			continue
		}
		k.settled[r] = true
		k.fail(k.w.Skip(dep, v, false))
	}
}

// push adds a vertex whose dependencies all succeeded to the ready queue.
func (k *walk) push(r int) {
	prio := r
	if k.w.First != nil && k.w.First(k.order[r]) {
		prio -= len(k.order)
	}
	heap.Push(&k.ready, readyVertex{prio: prio, rank: r})
}

// readyQueue holds the ready vertices, First ones first, then in order:
// a binary heap, so that dispatching n vertices costs O(n log n) where
// sorting the whole queue before each dispatch cost O(n² log n) on the
// dispatcher, the one goroutine every vertex goes through.
type readyQueue []readyVertex

// readyVertex is a ready vertex and its priority: its rank, less the
// number of vertices if First picks it.
type readyVertex struct {
	prio, rank int
}

func (q readyQueue) Len() int           { return len(q) }
func (q readyQueue) Less(i, j int) bool { return q[i].prio < q[j].prio }
func (q readyQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)        { *q = append(*q, x.(readyVertex)) }
func (q *readyQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
