package plan

import (
	"fmt"
	"math"
	"sync"

	"github.com/xeipuuv/gojsonschema"
	"gopkg.in/yaml.v3"

	"settle/schemas"
)

// compiled holds the plan schema, compiled once per process.
var compiled = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	sl := gojsonschema.NewSchemaLoader()
	sl.Draft = gojsonschema.Draft7
	sl.AutoDetect = false
	s, err := sl.Compile(gojsonschema.NewBytesLoader(schemas.PlanSchema))
	if err != nil {
		return nil, fmt.Errorf("plan: compile plan.schema.json: %w", err)
	}
	return s, nil
})

// validateSchema validates the JSON form of the plan against the plan
// schema and records every violation at the YAML node it concerns.
//
// Speed: on the 100,000-contribution benchmark plan, validation first cost
// more than yaml.v3's parsing. The profile showed why: gojsonschema builds
// a full error (its message rendered through text/template) for every
// schema branch that does not match, even when the document is valid, and
// "oneOf: [{required: [id]}, {required: [card]}]" on every pay-in failed
// one branch per contribution. The schema now says "exactly one of" with
// "dependencies" (a field forbids the other) and "if/else" (the else
// requires the other field), which fail nothing on a valid plan; that
// halved the validation time. The whole document is still validated in
// one pass: splitting it per campaign would not reduce the work.
func (l *loader) validateSchema(root *yaml.Node, doc any) {
	s, err := compiled()
	if err != nil {
		l.errs.Add(l.clamp(1, 1), "", err.Error())
		return
	}
	res, err := s.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		l.errs.Add(l.clamp(1, 1), "", fmt.Sprintf("schema validation failed: %v", err))
		return
	}
	l.schemaErrors(root, "", res.Errors())
	l.checkFloats()
}

// checkFloats flags whole numbers written with a decimal point where the
// plan wants integers: "amount: 50.00" is refused rather than read as 50
// cents, since its author most likely meant 50.00 EUR.
func (l *loader) checkFloats() {
	for _, f := range l.floats {
		var v float64
		if err := f.node.Decode(&v); err != nil || v != math.Trunc(v) {
			continue // the schema reports it
		}
		switch field := lastSeg(f.path); {
		case isAmount(field):
			l.errs.Add(l.pos(f.node), f.path, centsMessage(f.node.Value, v))
		case field == "version" || field == "income_range":
			l.errs.Add(l.pos(f.node), f.path, "must be a whole number, without a decimal point")
		}
	}
}

// centsMessage words an amount written with a decimal point, showing it
// in cents when that is exact (50.00 is 5000 cents).
func centsMessage(written string, v float64) string {
	if c := v * 100; math.Abs(c) < 1e15 {
		return fmt.Sprintf("amounts are whole numbers of cents, without a decimal point: write %d for %s", int64(c), written)
	}
	return "amounts are whole numbers of cents, without a decimal point: write 5000 for 50.00"
}
