package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"settle/plan"
)

func init() { commands["validate"] = runValidate }

const validateUsage = `usage: settle validate PLAN...

Checks each plan: YAML syntax, the JSON schema, then the rules of
references, roles, currencies, money, IBANs, cards and KYC files. Nothing
is sent anywhere.

stdout: one line per valid plan, "PLAN: ok (N steps)".
stderr: every problem of every invalid plan, one per line, sorted by
position: "file:line:col: path: message".

Exit codes: 0 every plan is valid, 1 a plan is invalid or unreadable.`

// runValidate validates plans (DESIGN §4): all problems of all plans are
// printed at once.
func runValidate(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, validateUsage)
		return exitError
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, validateUsage)
		return exitOK
	}
	code := exitOK
	for _, path := range args {
		p, err := plan.Load(path)
		if err == nil {
			var steps []*plan.Step
			steps, err = plan.Expand(p)
			if err == nil {
				fmt.Fprintf(stdout, "%s: ok (%d steps)\n", path, len(steps))
				continue
			}
		}
		code = exitError
		var list plan.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e)
			}
			continue
		}
		fmt.Fprintf(stderr, "settle validate: %v\n", err)
	}
	return code
}
