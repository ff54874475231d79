package executor

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"settle/plan"
)

// graph is the step DAG: an edge from a step to each step it waits for.
// Its order is the stable topological order of the steps: dependencies
// first, ties broken by the order Expand gave.
type graph struct {
	order      []*plan.Step
	byKey      map[string]*plan.Step
	index      map[string]int      // step key -> position in order
	deps       map[string][]string // step key -> steps it waits for
	dependants map[string][]string // step key -> steps waiting for it, in order
}

// newGraph checks that every dependency exists and that there is no
// cycle, and orders the steps.
func newGraph(steps []*plan.Step) (*graph, error) {
	g := &graph{byKey: make(map[string]*plan.Step, len(steps)), deps: map[string][]string{},
		dependants: map[string][]string{}}
	index := make(map[string]int, len(steps))
	for i, s := range steps {
		if _, dup := g.byKey[s.Key]; dup {
			return nil, fmt.Errorf("executor: %s: duplicate step %s", s.Pos, s.Key)
		}
		g.byKey[s.Key] = s
		index[s.Key] = i
	}
	waiting := make(map[string]int, len(steps))
	for _, s := range steps {
		for _, d := range g.withImplied(s) {
			if _, ok := g.byKey[d]; !ok {
				return nil, fmt.Errorf("executor: %s: step %s depends on unknown step %s", s.Pos, s.Key, d)
			}
			g.deps[s.Key] = append(g.deps[s.Key], d)
			g.dependants[d] = append(g.dependants[d], s.Key)
		}
		waiting[s.Key] = len(g.deps[s.Key])
	}
	g.order = topoOrder(steps, g, waiting)
	if len(g.order) != len(steps) {
		return nil, cycleError(steps, waiting)
	}
	g.index = make(map[string]int, len(g.order))
	for i, s := range g.order {
		g.index[s.Key] = i
	}
	return g, nil
}

// withImplied returns a step's dependencies plus those the executor
// implies: a payout also waits for every KYC document of the project
// wallet's owner, so that it is never sent before the verdict.
func (g *graph) withImplied(s *plan.Step) []string {
	deps := append([]string(nil), s.Deps...)
	if s.Kind != plan.KindPayOut {
		return deps
	}
	w := g.byKey[s.Debited]
	if w == nil {
		return deps
	}
	seen := map[string]bool{}
	for _, d := range deps {
		seen[d] = true
	}
	for _, k := range sortedKeys(g.byKey) {
		if o := g.byKey[k]; o.Kind == plan.KindKYC && o.Owner == w.Owner && !seen[k] {
			deps = append(deps, k)
		}
	}
	return deps
}

// topoOrder is Kahn's algorithm taking ready steps in their input order.
func topoOrder(steps []*plan.Step, g *graph, waiting map[string]int) []*plan.Step {
	var order []*plan.Step
	done := make(map[string]bool, len(steps))
	for progress := true; progress; {
		progress = false
		for _, s := range steps {
			if done[s.Key] || waiting[s.Key] > 0 {
				continue
			}
			done[s.Key] = true
			order = append(order, s)
			progress = true
			for _, d := range g.dependants[s.Key] {
				waiting[d]--
			}
		}
	}
	return order
}

// cycleError names the steps left on a cycle, in input order, with their
// positions.
func cycleError(steps []*plan.Step, waiting map[string]int) error {
	var names []string
	for _, s := range steps {
		if waiting[s.Key] > 0 {
			names = append(names, s.Key+" ("+s.Pos.String()+")")
		}
	}
	return fmt.Errorf("executor: the steps form a cycle: %s", strings.Join(names, ", "))
}

// downstream returns every step that depends on key, transitively, in
// graph order.
func (g *graph) downstream(key string) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(k string) {
		for _, d := range g.dependants[k] {
			if !seen[d] {
				seen[d] = true
				walk(d)
			}
		}
	}
	walk(key)
	var out []string
	for _, s := range g.order {
		if seen[s.Key] {
			out = append(out, s.Key)
		}
	}
	return out
}

// DOT writes the step DAG in Graphviz DOT, in a stable order: one node per
// step (labelled with its kind and key, adopted steps dashed) and an edge
// from each step to every step it waits for.
func DOT(w io.Writer, steps []*plan.Step) error {
	g, err := newGraph(steps)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("digraph settle {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n")
	for _, s := range g.order {
		attrs := "label=" + strconv.Quote(string(s.Kind)+"\n"+strings.TrimPrefix(s.Key, string(s.Kind)+"/"))
		if s.AdoptedID != "" {
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "\t%s [%s];\n", strconv.Quote(s.Key), attrs)
	}
	for _, s := range g.order {
		for _, d := range g.deps[s.Key] {
			fmt.Fprintf(&b, "\t%s -> %s;\n", strconv.Quote(s.Key), strconv.Quote(d))
		}
	}
	b.WriteString("}\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("executor: write DOT: %w", err)
	}
	return nil
}
