package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"settle/plan"
)

const validateUsage = `usage: settle validate PLAN...

Checks each plan: YAML syntax, the JSON schema, then the rules of
references, roles, currencies, money, IBANs, cards and KYC files. Nothing
is sent anywhere.

stdout: one line per valid plan, "PLAN: ok (N steps)".
stderr: every problem of every invalid plan, one per line, sorted by
position: "file:line:col: path: message".

Exit codes: 0 every plan is valid, 1 a plan is invalid or unreadable.`

// runValidate validates plans (DESIGN §4): every problem of every plan
// is reported at once, the plans' error lists joined in order.
func runValidate(_ context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{usage: func() { fmt.Fprintln(stderr, validateUsage) }}
	}
	if args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, validateUsage)
		return nil
	}
	var errs []error
	for _, path := range args {
		n, err := validate(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok (%d steps)\n", path, n)
	}
	return errors.Join(errs...)
}

// validate loads and expands one plan and returns its number of steps.
func validate(path string) (int, error) {
	p, err := plan.Load(path)
	if err != nil {
		return 0, err
	}
	steps, err := plan.Expand(p)
	return len(steps), err
}
