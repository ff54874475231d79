package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// fuzzName places fuzzed plans in examples/, so that seeds taken from the
// examples find their KYC files.
const fuzzName = "../examples/fuzz.yaml"

// FuzzParse checks three properties of Parse on any input:
//   - it never panics;
//   - every error is an ErrorList whose positions are inside the input;
//   - a plan that parses survives a round trip: yaml.Marshal of the model,
//     parsed again, gives the same model (compared through its marshalled
//     form, which covers every field the plan file can set; Pos, Dir and
//     Key are not marshalled: positions change by construction and keys
//     are the map keys, checked separately).
func FuzzParse(f *testing.F) {
	examples, _ := filepath.Glob("../examples/*.yaml")
	for _, path := range examples {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		basePlan,
		"version: 1\nname: x\ncurrency: EUR\n",
		"a: &a [1]\nb: *a\nc: {<<: {d: 1}}\n",
		"version: 1\n---\nversion: 2\n",
		"users: {a: {type: natural}}\n",
		"\tversion: 1\n",
		"campaigns: {c: {wallet: w, outcome: open, contributions: [{key: a, from: w, amount: 1.5e3}]}}\n",
		"? [a]\n: 1\n",
		"x: *y\n",
		"a: \"x\nb: 'it''s\n",
		"a: {x: [1, 2}\nb: 1\n",
		"d: |\n  x\t\"y [\nb: [1\nc: 2\n",
		"a:\n  b: 1\n c: 2\n",
		"base: &b 1\nw:\n  <<: [{a: 1}, *b]\n",
		"a: 1\nb: \xc3x\x01\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(fuzzName, data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse() error %v is a %T, want ErrorList", err, err)
			}
			lines := lineLengths(data)
			for _, e := range list {
				if e.Pos.File != fuzzName || e.Pos.Line < 1 || e.Pos.Line > len(lines) || e.Pos.Col < 1 || e.Pos.Col > lines[e.Pos.Line-1]+1 {
					t.Fatalf("error %q is outside the input (%d lines)", e, len(lines))
				}
			}
			return
		}
		roundTrip(t, p)
	})
}

func roundTrip(t *testing.T, p *Plan) {
	out, err := yaml.Marshal(p)
	if err != nil {
		t.Fatalf("yaml.Marshal(plan) error = %v", err)
	}
	q, err := Parse(fuzzName, out)
	if err != nil {
		t.Fatalf("Parse(yaml.Marshal(plan)) error = %v\n%s", err, out)
	}
	again, err := yaml.Marshal(q)
	if err != nil {
		t.Fatalf("yaml.Marshal(round trip) error = %v", err)
	}
	if !bytes.Equal(out, again) {
		t.Fatalf("round trip changed the plan:\n%s\nthen\n%s", out, again)
	}
	for k, u := range q.Users {
		if u.Key != k {
			t.Fatalf("user %q has Key %q", k, u.Key)
		}
	}
	for k, c := range q.Campaigns {
		if c.Key != k {
			t.Fatalf("campaign %q has Key %q", k, c.Key)
		}
	}
}

func TestRoundTripBasePlan(t *testing.T) {
	path := writePlan(t, basePlan)
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(path, out)
	if err != nil {
		t.Fatalf("Parse(yaml.Marshal(plan)) error = %v\n%s", err, out)
	}
	again, _ := yaml.Marshal(q)
	if !bytes.Equal(out, again) {
		t.Errorf("round trip changed the plan:\n%s\nthen\n%s", out, again)
	}
}
