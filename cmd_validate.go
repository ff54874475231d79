package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"settle/plan"
)

const validateUsage = `usage: settle validate PLAN... [--format text|json|github]

Checks each plan: YAML syntax, the JSON schema, then the rules of
references, roles, currencies, money, IBANs, cards and KYC files. Nothing
is sent anywhere.

--format text (the default): on stdout one line per valid plan,
"PLAN: ok (N steps)"; on stderr every problem of every invalid plan, one
per line, sorted by position: "file:line:col: path: message".

--format json: one JSON document on stdout (format_version 1):
{"format_version":1,"plans":[{"file","valid","steps","problems":
[{"file","line","col","path","message"}]}]}.

--format github: GitHub Actions workflow commands on stdout, one per
problem, "::error file=F,line=L,col=C,title=settle validate::path: message",
so that each problem shows on its line of the pull request
(docs/ci-example.yml).

exit codes: 0 every plan is valid, 1 a plan is invalid or unreadable

flags:
`

// validateFormatVersion is the format_version of validate --format json.
const validateFormatVersion = 1

// errInvalidPlans is the outcome of validate --format json|github with an
// invalid plan: the output already lists the problems.
var errInvalidPlans = errors.New("plans are invalid")

// planCheck is the result of validating one plan.
type planCheck struct {
	File     string    `json:"file"`
	Valid    bool      `json:"valid"`
	Steps    int       `json:"steps"`
	Problems []problem `json:"problems"`
	err      error
}

// problem is one problem of a plan, as validate --format json prints it.
type problem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// runValidate validates plans (DESIGN §4): every problem of every plan
// is reported at once, the plans' error lists joined in order.
func runValidate(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("validate", validateUsage, stdout)
	format := fs.String("format", "text", "output `FORMAT`: text | json | github")
	fs.maxPlanSize()
	paths, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fs.usageErr("want at least one PLAN")
	}
	switch *format {
	case "text", "json", "github":
	default:
		return fs.usageErr("--format %q: want text, json or github", *format)
	}
	checks := make([]planCheck, len(paths))
	var errs []error
	for i, path := range paths {
		checks[i] = check(path)
		if checks[i].err != nil {
			errs = append(errs, checks[i].err)
		}
	}
	switch *format {
	case "json":
		if err := writeJSON(stdout, map[string]any{"format_version": validateFormatVersion, "plans": checks}); err != nil {
			return err
		}
	case "github":
		for _, c := range checks {
			for _, p := range c.Problems {
				fmt.Fprintln(stdout, githubAnnotation(p))
			}
		}
	default:
		for _, c := range checks {
			if c.Valid {
				fmt.Fprintf(stdout, "%s: ok (%d steps)\n", c.File, c.Steps)
			}
		}
		return errors.Join(errs...)
	}
	if len(errs) > 0 {
		return errInvalidPlans
	}
	return nil
}

// check loads and expands one plan.
func check(path string) planCheck {
	c := planCheck{File: path, Problems: []problem{}}
	p, err := plan.Load(path)
	if err == nil {
		var steps []*plan.Step
		steps, err = plan.Expand(p)
		c.Steps = len(steps)
	}
	if err == nil {
		c.Valid = true
		return c
	}
	c.err = err
	var list plan.ErrorList
	if !errors.As(err, &list) {
		c.Problems = append(c.Problems, problem{File: path, Message: forPeople(err)})
		return c
	}
	for _, e := range list {
		file := e.Pos.File
		if file == "" {
			file = path
		}
		c.Problems = append(c.Problems, problem{File: file, Line: e.Pos.Line, Col: e.Pos.Col, Path: e.Path, Message: e.Msg})
	}
	return c
}

// githubAnnotation is a problem as a GitHub Actions error command.
func githubAnnotation(p problem) string {
	props := "file=" + escapeProperty(p.File)
	if p.Line > 0 {
		props += fmt.Sprintf(",line=%d", p.Line)
	}
	if p.Col > 0 {
		props += fmt.Sprintf(",col=%d", p.Col)
	}
	props += ",title=settle validate"
	msg := p.Message
	if p.Path != "" {
		msg = p.Path + ": " + msg
	}
	return "::error " + props + "::" + escapeData(msg)
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
