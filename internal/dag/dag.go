// Package dag is the step graph of settle, in the manner of Terraform's
// internal/dag: vertices named by strings, kept in the order they were
// added; [Graph.Connect] (a, b) meaning a waits for b. It is checked once
// ([Graph.Validate]: dependencies on names never added, cycles reported
// in a stable order with positions supplied by the caller), ordered
// ([Graph.Order]: dependencies first, ties in the order of addition),
// drawn ([Graph.DOT]) and walked ([Walker]).
//
// plan validates the expanded steps with it, and the executor runs them
// with it, so the graph `settle plan` checks and `settle graph` draws is
// the graph that runs: every dependency is an edge the plan declares
// (plan.Expand adds the implied ones, such as a payout waiting for its
// owner's KYC documents).
//
// A Graph is built by one goroutine. Once [Graph.Order] has returned, its
// read methods are safe for concurrent use (they compute nothing more).
package dag

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Graph is a directed graph of named vertices; an edge goes from a vertex
// to each vertex it waits for.
type Graph struct {
	names []string
	index map[string]int
	deps  [][]string // per vertex, in Connect order; may name unknown vertices

	// order and rank cache the topological order (see Order); Add and
	// Connect reset them.
	order []string
	rank  map[string]int
	// dependants lists, per vertex, the known vertices waiting for it, in
	// Add order.
	dependants map[string][]string
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{index: map[string]int{}}
}

// Add adds a vertex and reports whether it is new.
func (g *Graph) Add(name string) bool {
	if _, ok := g.index[name]; ok {
		return false
	}
	g.index[name] = len(g.names)
	g.names = append(g.names, name)
	g.deps = append(g.deps, nil)
	g.reset()
	return true
}

// Connect makes a wait for b. a must have been added; b may be added
// later, or never (Validate reports it). Connecting twice is connecting
// once.
func (g *Graph) Connect(a, b string) {
	i, ok := g.index[a]
	if !ok {
		panic("dag: Connect from a vertex never added: " + a)
	}
	for _, d := range g.deps[i] {
		if d == b {
			return
		}
	}
	g.deps[i] = append(g.deps[i], b)
	g.reset()
}

func (g *Graph) reset() { g.order, g.rank, g.dependants = nil, nil, nil }

// Len is the number of vertices.
func (g *Graph) Len() int { return len(g.names) }

// Has reports whether name is a vertex.
func (g *Graph) Has(name string) bool {
	_, ok := g.index[name]
	return ok
}

// Vertices returns the vertices in the order they were added.
func (g *Graph) Vertices() []string { return append([]string(nil), g.names...) }

// Dependencies returns what v waits for, in Connect order.
func (g *Graph) Dependencies(v string) []string {
	if i, ok := g.index[v]; ok {
		return g.deps[i]
	}
	return nil
}

// Dependants returns the vertices waiting for v, in the order they were
// added.
func (g *Graph) Dependants(v string) []string {
	if g.dependants == nil {
		g.dependants = map[string][]string{}
		for i, name := range g.names {
			for _, d := range g.deps[i] {
				if g.Has(d) {
					g.dependants[d] = append(g.dependants[d], name)
				}
			}
		}
	}
	return g.dependants[v]
}

// Problem is one thing [Graph.Validate] found wrong.
type Problem struct {
	// Vertex is where the problem is: the vertex with the unknown
	// dependency, or a cycle's first vertex in the order of addition.
	Vertex string
	// Missing is the dependency that names no vertex ("" for a cycle).
	Missing string
	// Cycle is a cycle's vertices, starting at Vertex, each waiting for
	// the next and the last for Vertex.
	Cycle []string
}

// Describe writes the cycle as "a (pos) waits for b (pos) waits for a
// (pos)", each vertex followed by what pos returns for it (nothing when
// pos is nil or returns "").
func (p Problem) Describe(pos func(v string) string) string {
	parts := make([]string, 0, len(p.Cycle)+1)
	for _, v := range append(p.Cycle, p.Vertex) {
		if at := callPos(pos, v); at != "" {
			v += " (" + at + ")"
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " waits for ")
}

func callPos(pos func(string) string, v string) string {
	if pos == nil {
		return ""
	}
	return pos(v)
}

// Error describes the problem without positions.
func (p Problem) Error() string {
	if p.Missing != "" {
		return fmt.Sprintf("%s depends on %s, which is not in the graph", p.Vertex, p.Missing)
	}
	return "cycle: " + p.Describe(nil)
}

// Validate returns every dependency on a name never added, in the order
// of addition, then every cycle a depth-first search finds from the
// vertices in the order of addition, each once, starting at its first
// vertex in that order: the same problems in the same order on every
// run, whatever order the cycle is entered from.
func (g *Graph) Validate() []Problem {
	var out []Problem
	for i, v := range g.names {
		for _, d := range g.deps[i] {
			if !g.Has(d) {
				out = append(out, Problem{Vertex: v, Missing: d})
			}
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(g.names))
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, d := range g.deps[i] {
			j, ok := g.index[d]
			if !ok {
				continue
			}
			switch color[j] {
			case grey:
				out = append(out, g.cycle(stack, j))
			case white:
				visit(j)
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range g.names {
		if color[i] == white {
			visit(i)
		}
	}
	return out
}

// cycle is the cycle that closes at vertex j of the stack, rotated to
// start at its first vertex in the order of addition.
func (g *Graph) cycle(stack []int, j int) Problem {
	start := 0
	for k, i := range stack {
		if i == j {
			start = k
		}
	}
	c := append([]int(nil), stack[start:]...)
	first := 0
	for k, i := range c {
		if i < c[first] {
			first = k
		}
	}
	c = append(c[first:], c[:first]...)
	names := make([]string, len(c))
	for k, i := range c {
		names[k] = g.names[i]
	}
	return Problem{Vertex: names[0], Cycle: names}
}

// Order returns the vertices in a stable topological order: Kahn's
// algorithm in passes over the vertices in the order of addition, each
// pass taking every vertex whose dependencies are all taken, so that ties
// keep the order of addition. It fails with the first problem Validate
// finds when there is one.
func (g *Graph) Order() ([]string, error) {
	if g.order != nil {
		return g.order, nil
	}
	if ps := g.Validate(); len(ps) > 0 {
		return nil, ps[0]
	}
	waiting := make([]int, len(g.names))
	for i := range g.names {
		waiting[i] = len(g.deps[i])
	}
	order := make([]string, 0, len(g.names))
	taken := make([]bool, len(g.names))
	for progress := true; progress; {
		progress = false
		for i, v := range g.names {
			if taken[i] || waiting[i] > 0 {
				continue
			}
			taken[i], progress = true, true
			order = append(order, v)
			for _, d := range g.Dependants(v) {
				waiting[g.index[d]]--
			}
		}
	}
	g.order = order
	g.rank = make(map[string]int, len(order))
	for i, v := range order {
		g.rank[v] = i
	}
	return order, nil
}

// Downstream returns every vertex that waits for v, directly or not, in
// [Graph.Order]. The graph must be valid.
func (g *Graph) Downstream(v string) []string {
	if _, err := g.Order(); err != nil {
		panic("dag: Downstream of an invalid graph: " + err.Error())
	}
	seen := map[string]bool{}
	var walk func(string)
	walk = func(k string) {
		for _, d := range g.Dependants(k) {
			if !seen[d] {
				seen[d] = true
				walk(d)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for _, k := range g.order {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// DOT writes the graph in Graphviz DOT as "digraph name": the graph
// statements (such as "rankdir=LR"), then one node per vertex in
// [Graph.Order] with the attributes attrs returns for it (none when attrs
// is nil or returns ""), then an edge from each vertex to every vertex it
// waits for, in the same order.
func (g *Graph) DOT(w io.Writer, name string, statements []string, attrs func(v string) string) error {
	order, err := g.Order()
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", name)
	for _, s := range statements {
		fmt.Fprintf(&b, "\t%s;\n", s)
	}
	for _, v := range order {
		if a := callPos(attrs, v); a != "" {
			fmt.Fprintf(&b, "\t%s [%s];\n", strconv.Quote(v), a)
		} else {
			fmt.Fprintf(&b, "\t%s;\n", strconv.Quote(v))
		}
	}
	for _, v := range order {
		for _, d := range g.Dependencies(v) {
			fmt.Fprintf(&b, "\t%s -> %s;\n", strconv.Quote(v), strconv.Quote(d))
		}
	}
	b.WriteString("}\n")
	_, err = io.WriteString(w, b.String())
	return err
}
