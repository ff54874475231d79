package plan

import (
	"fmt"
	"strings"
)

// checkGraph checks that every dependency names a step and that the steps
// form no cycle. A cycle is reported once, at its first step (in plan
// order), naming every step of it with its position, starting from that
// step, so the message is the same on every run.
func checkGraph(steps []*Step) ErrorList {
	var errs ErrorList
	index := make(map[string]int, len(steps))
	for i, s := range steps {
		index[s.Key] = i
	}
	for _, s := range steps {
		for _, d := range s.Deps {
			if _, ok := index[d]; !ok {
				errs.Add(s.Pos, "", fmt.Sprintf("step %s depends on %s, which the plan does not declare", s.Key, d))
			}
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(steps))
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, d := range steps[i].Deps {
			j, ok := index[d]
			if !ok {
				continue
			}
			switch color[j] {
			case grey:
				errs = append(errs, cycleError(steps, stack, j))
			case white:
				visit(j)
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range steps {
		if color[i] == white {
			visit(i)
		}
	}
	return errs
}

// cycleError describes the cycle that closes at step j of the stack,
// rotated to start at its first step in plan order.
func cycleError(steps []*Step, stack []int, j int) *Error {
	start := 0
	for k, i := range stack {
		if i == j {
			start = k
		}
	}
	cycle := append([]int(nil), stack[start:]...)
	first := 0
	for k, i := range cycle {
		if i < cycle[first] {
			first = k
		}
	}
	cycle = append(cycle[first:], cycle[:first]...)
	parts := make([]string, 0, len(cycle)+1)
	for _, i := range append(cycle, cycle[0]) {
		parts = append(parts, fmt.Sprintf("%s (%s)", steps[i].Key, steps[i].Pos))
	}
	s := steps[cycle[0]]
	return &Error{Pos: s.Pos, Msg: "the steps wait for each other in a cycle: " + strings.Join(parts, " waits for ")}
}
