package main

import (
	"context"
	"fmt"
	"io"

	"settle/schemas"
)

func init() { commands["schema"] = runSchema }

// runSchema prints the plan's JSON schema, for editors:
//
//	settle schema > plan.schema.json
//
// and start plans with "# yaml-language-server: $schema=plan.schema.json".
func runSchema(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(stdout, "usage: settle schema\n\nPrints the JSON schema (draft-07) of plan files. Save it and point your editor's\nYAML language server at it with a first line like:\n  # yaml-language-server: $schema=plan.schema.json\nExit codes: 0 printed, 1 usage error.")
			return exitOK
		}
		fmt.Fprintln(stderr, "usage: settle schema")
		return exitError
	}
	if _, err := stdout.Write(schemas.PlanSchema); err != nil {
		fmt.Fprintf(stderr, "settle schema: %v\n", err)
		return exitError
	}
	return exitOK
}
