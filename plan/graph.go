package plan

import (
	"fmt"

	"settle/internal/dag"
)

// stepGraph is the steps' graph: a vertex per step key, an edge from each
// step to every step it waits for.
func stepGraph(steps []*Step) *dag.Graph {
	g := dag.New()
	for _, s := range steps {
		g.Add(s.Key)
	}
	for _, s := range steps {
		for _, d := range s.Deps {
			g.Connect(s.Key, d)
		}
	}
	return g
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
	for _, p := range stepGraph(steps).Validate() {
		if p.Missing != "" {
			errs.Add(pos[p.Vertex], "", fmt.Sprintf("step %s depends on %s, which the plan does not declare", p.Vertex, p.Missing))
			continue
		}
		errs = append(errs, &Error{Pos: pos[p.Vertex], Msg: "the steps wait for each other in a cycle: " +
			p.Describe(func(k string) string { return pos[k].String() })})
	}
	return errs
}
