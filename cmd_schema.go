package main

import (
	"context"
	"fmt"
	"io"

	"settle/schemas"
)

// runSchema prints the plan's JSON schema, for editors:
//
//	settle schema > plan.schema.json
//
// and start plans with "# yaml-language-server: $schema=plan.schema.json".
func runSchema(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Fprintln(stdout, schemaUsage)
			return nil
		}
		return &usageError{usage: func() { fmt.Fprintln(stderr, "usage: settle schema") }}
	}
	_, err := stdout.Write(schemas.PlanSchema)
	return err
}

const schemaUsage = `usage: settle schema

Prints the JSON schema (draft-07) of plan files. Save it and point your editor's
YAML language server at it with a first line like:
  # yaml-language-server: $schema=plan.schema.json
Exit codes: 0 printed, 1 usage error.`
