package main

import (
	"context"
	"io"

	"settle/executor"
	"settle/plan"
)

const graphUsage = `usage: settle graph PLAN

Prints the step graph of PLAN in Graphviz DOT: one node per step, an edge
from each step to every step it waits for. Reads nothing from the API.

  settle graph plan.yaml | dot -Tsvg > plan.svg

exit codes: 0 graph printed, 1 error or invalid plan

flags:
`

// runGraph is `settle graph PLAN`.
func runGraph(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("graph", graphUsage, stdout)
	fs.maxPlanSize()
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	p, err := plan.Load(path)
	if err != nil {
		return err
	}
	steps, err := plan.Expand(p)
	if err != nil {
		return err
	}
	return executor.DOT(stdout, steps)
}
