package executor

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"settle/internal/dag"
	"settle/plan"
)

// graph is the step DAG (see package dag) with the steps behind its
// vertices. Its order is the stable topological order of the steps:
// dependencies first, ties broken by the order Expand gave. The edges are
// the steps' declared dependencies and nothing else: what plan validates
// and `settle graph` draws is what runs.
type graph struct {
	dag   *dag.Graph
	order []*plan.Step
	byKey map[string]*plan.Step
}

// newGraph checks that every dependency exists and that there is no
// cycle, and orders the steps.
func newGraph(steps []*plan.Step) (*graph, error) {
	d, dup := plan.StepGraph(steps)
	if dup != nil {
		return nil, fmt.Errorf("executor: %s: duplicate step %s", dup.Pos, dup.Key)
	}
	g := &graph{dag: d, byKey: make(map[string]*plan.Step, len(steps))}
	for _, s := range steps {
		g.byKey[s.Key] = s
	}
	for _, p := range g.dag.Validate() {
		s := g.byKey[p.Vertex]
		if p.Missing != "" {
			return nil, fmt.Errorf("executor: %s: step %s depends on unknown step %s", s.Pos, s.Key, p.Missing)
		}
		return nil, fmt.Errorf("executor: %s: the steps form a cycle: %s", s.Pos,
			p.Describe(func(k string) string { return g.byKey[k].Pos.String() }))
	}
	keys, err := g.dag.Order()
	if err != nil {
		return nil, fmt.Errorf("executor: %w", err)
	}
	g.order = make([]*plan.Step, len(keys))
	for i, k := range keys {
		g.order[i] = g.byKey[k]
	}
	return g, nil
}

// deps returns the steps key waits for.
func (g *graph) deps(key string) []string { return g.dag.Dependencies(key) }

// DOT writes the step DAG in Graphviz DOT, in a stable order: one node per
// step (labelled with its kind and key, adopted steps dashed) and an edge
// from each step to every step it waits for.
func DOT(w io.Writer, steps []*plan.Step) error {
	g, err := newGraph(steps)
	if err != nil {
		return err
	}
	err = g.dag.DOT(w, "settle", []string{"rankdir=LR", `node [shape=box, fontname="monospace"]`}, func(k string) string {
		s := g.byKey[k]
		attrs := "label=" + strconv.Quote(string(s.Kind)+"\n"+strings.TrimPrefix(s.Key, string(s.Kind)+"/"))
		if s.AdoptedID != "" {
			attrs += ", style=dashed"
		}
		return attrs
	})
	if err != nil {
		return fmt.Errorf("executor: write DOT: %w", err)
	}
	return nil
}
