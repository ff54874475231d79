package plan

import (
	"fmt"

	"settle/internal/dag"
)

// StepGraph is the steps' graph: a vertex per step key, an edge from each
// step to every step it waits for. dup is the first step whose key an
// earlier step already has (nil when none); it adds no vertex.
func StepGraph(steps []*Step) (g *dag.Graph, dup *Step) {
	g = dag.New()
	for _, s := range steps {
		if !g.Add(s.Key) && dup == nil {
			dup = s
		}
	}
	for _, s := range steps {
		for _, d := range s.Deps {
			g.Connect(s.Key, d)
		}
	}
	return g, dup
}

// checkGraph checks that every dependency names a step and that the steps
// form no cycle. A cycle is reported once, at its first step (in plan
// order), naming every step of it with its position, starting from that
// step, so the message is the same on every run.
func checkGraph(steps []*Step) ErrorList {
	pos := make(map[string]Pos, len(steps))
	for _, s := range steps {
		pos[s.Key] = s.Pos
	}
	var errs ErrorList
	g, _ := StepGraph(steps) // keys are unique: Expand builds them from the plan's map keys
	for _, p := range g.Validate() {
		if p.Missing != "" {
			errs.Add(pos[p.Vertex], "", fmt.Sprintf("step %s depends on %s, which the plan does not declare", p.Vertex, p.Missing))
			continue
		}
		errs = append(errs, &Error{Pos: pos[p.Vertex], Msg: "the steps wait for each other in a cycle: " +
			p.Describe(func(k string) string { return pos[k].String() })})
	}
	return errs
}
