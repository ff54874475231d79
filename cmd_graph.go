package main

import (
	"context"
	"fmt"
	"io"

	"settle/executor"
	"settle/plan"
)

func init() { commands["graph"] = runGraph }

const graphUsage = `usage: settle graph PLAN

Prints the step graph of PLAN in Graphviz DOT: one node per step, an edge
from each step to every step it waits for. Reads nothing from the API.

  settle graph plan.yaml | dot -Tsvg > plan.svg

exit codes: 0 graph printed, 1 error or invalid plan

flags:
`

// runGraph is `settle graph PLAN`.
func runGraph(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("graph", graphUsage, stderr)
	path, code, ok := parseOnePlan(fs, args, stderr)
	if !ok {
		return code
	}
	p, ok := loadPlan(path, stderr)
	if !ok {
		return exitError
	}
	steps, err := plan.Expand(p)
	if err != nil {
		fmt.Fprintf(stderr, "settle graph: %v\n", err)
		return exitError
	}
	if err := executor.DOT(stdout, steps); err != nil {
		fmt.Fprintf(stderr, "settle graph: %v\n", err)
		return exitError
	}
	return exitOK
}
