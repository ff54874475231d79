package main

import (
	"context"
	"io"

	"settle/schemas"
)

const schemaUsage = `usage: settle schema

Prints the JSON schema (draft-07) of plan files. Save it and point your editor's
YAML language server at it with a first line like:
  # yaml-language-server: $schema=plan.schema.json

exit codes: 0 printed, 1 usage error

flags:
`

// runSchema prints the plan's JSON schema, for editors:
//
//	settle schema > plan.schema.json
//
// and start plans with "# yaml-language-server: $schema=plan.schema.json".
func runSchema(_ context.Context, args []string, stdout, _ io.Writer) error {
	if err := parseNone(newFlagSet("schema", schemaUsage, stdout), args); err != nil {
		return err
	}
	_, err := stdout.Write(schemas.PlanSchema)
	return err
}
