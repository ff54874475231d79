package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"settle/internal/genplan"
	"slices"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// parseCases check the YAML stage: syntax, documents, keys, anchors.
var parseCases = []struct {
	name string
	text string
	want []string
}{
	{"empty file", "", []string{"p.yaml:1:1: the plan is empty"}},
	{"only comments", "# nothing\n", []string{"p.yaml:1:1: the plan is empty"}},
	{"two documents", "version: 1\n---\nversion: 2\n",
		[]string{"p.yaml:2:1: a plan is one YAML document: remove this --- and the document after it"}},
	{"tab indent", "version: 1\n\tname: x\n",
		[]string{"p.yaml:2:1: a tab indents this line: YAML indents with spaces only (replace the tab with spaces)"}},
	{"unclosed quote", "version: 1\nname: \"x\n",
		[]string{`p.yaml:2:7: the value in quotes starting here is never closed: end it with " on the same line`}},
	{"unclosed quote after a multi-line one", "d: \"long\ntext\"\nb: 'it''s\nc: 1\n",
		[]string{"p.yaml:3:4: the value in quotes starting here is never closed: end it with ' on the same line"}},
	{"unclosed list after a multi-line one", "pages: [\n  a,\n]\nb: [1\nc: 2\n",
		[]string{"p.yaml:4:4: this [ opens a list that is never closed: add the ] that ends it"}},
	{"unclosed mapping", "a: {x: 1\nb: 1\n",
		[]string{"p.yaml:1:4: this { opens a mapping that is never closed: add the } that ends it"}},
	{"wrong closer", "a: [x, y}\nb: 1\n",
		[]string{"p.yaml:1:9: this } does not close the [ opened at line 1, column 4: write ]"}},
	{"brackets in a block scalar", "d: |\n  \"x [\nb: [1\nc: 2\n",
		[]string{"p.yaml:3:4: this [ opens a list that is never closed: add the ] that ends it"}},
	{"tabs and quotes inside a block scalar", "d: |\n  x\t\"y [\n  z\nb: [1\nc: 2\n",
		[]string{"p.yaml:4:4: this [ opens a list that is never closed: add the ] that ends it"}},
	{"stepping back to no level", "a:\n  b: 1\n c: 2\n",
		[]string{"p.yaml:3:2: this line lines up with no line above it: indent it by 2 spaces like line 2, or by 0 like line 1"}},
	{"indented under a value", "d: \"long\n  text\"\nb: x\n  c: y\n",
		[]string{"p.yaml:4:3: this line is indented deeper than b (line 3), which already has a value: indent it like b"}},
	{"quote closed in a list not found", "k: [a, 'b]\nc: d\n",
		[]string{"p.yaml:2:1: YAML syntax error: found unexpected end of stream"}},
	{"invalid UTF-8", "a: 1\nb: é\xff\n",
		[]string{"p.yaml:2:5: the plan is not valid UTF-8: byte 0xFF here is not part of a UTF-8 character (save the file as UTF-8)"}},
	{"control character", "a: 1\nb: x\x01\n",
		[]string{"p.yaml:2:5: the control character U+0001 is not allowed in a plan: remove it"}},
	{"merge of a scalar", "base: &b 1\nw:\n  <<: *b\n",
		[]string{`p.yaml:3:3: w: << merges a mapping (or a list of mappings) only, and *b is the value "1"`}},
	{"merge of a list holding a list", "base: &b [1]\nw:\n  <<: [{a: 1}, *b]\n",
		[]string{"p.yaml:3:16: w: << merges mappings only, and *b is a list"}},
	{"duplicate key", "version: 1\nname: a\nname: b\n",
		[]string{`p.yaml:3:1: name: duplicate key "name" (first defined at line 2)`}},
	{"duplicate nested key", "users:\n  a: {type: natural, type: legal}\n",
		[]string{`p.yaml:2:22: users.a.type: duplicate key "type" (first defined at line 2)`}},
	{"list key", "? [a, b]\n: 1\n",
		[]string{"p.yaml:1:3: a key must be a plain name, not a list or a mapping"}},
	{"unknown anchor", "version: 1\nname: *nope\n",
		[]string{`p.yaml:2:7: unknown anchor "nope": define it with &nope before using *nope`}},
	{"alias inside its anchor", "users: &x\n  a: *x\n",
		[]string{"p.yaml:2:6: users.a: alias *x is used inside its own anchor &x"}},
	{"alias bomb", aliasBomb(), []string{
		"p.yaml:5:36: e.7: aliases expand to more than 100160 values: the plan is too large once *d is expanded"}},
	{"unsupported tag", "version: !custom 1\n",
		[]string{"p.yaml:1:10: version: unsupported YAML tag !custom: write the value without a tag"}},
	{"infinite number", "version: .inf\n",
		[]string{"p.yaml:1:10: version: .inf is not a usable number"}},
}

// aliasBomb is a "billion laughs" document: each level holds ten aliases
// of the previous one.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		b.WriteString(name + ": &" + name + " [")
		for i := 0; i < 10; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	return b.String()
}

func TestParseYAMLErrors(t *testing.T) {
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(tc.text))
			got := errorLines(err, "")
			if !slices.Equal(got, tc.want) {
				t.Errorf("Parse() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			assertInside(t, err, tc.text)
		})
	}
}

// assertInside fails when an error of err points outside text.
func assertInside(t testing.TB, err error, text string) {
	t.Helper()
	list, ok := err.(ErrorList)
	if err != nil && !ok {
		t.Fatalf("error %v is a %T, want ErrorList", err, err)
	}
	lines := lineLengths([]byte(text))
	for _, e := range list {
		if e.Pos.Line < 1 || e.Pos.Line > len(lines) || e.Pos.Col < 1 || e.Pos.Col > lines[e.Pos.Line-1]+1 {
			t.Errorf("error %q is outside the input (%d lines)", e, len(lines))
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, err := Load("does/not/exist.yaml"); err == nil || !strings.Contains(err.Error(), "does/not/exist.yaml") {
		t.Errorf("Load() error = %v, want one naming the file", err)
	}
}

// TestParseConcurrent parses plans from several goroutines at once (the
// compiled schema is shared); run with -race.
func TestParseConcurrent(t *testing.T) {
	path := writePlan(t, basePlan)
	done := make(chan error, 8)
	for i := 0; i < cap(done); i++ {
		go func() {
			p, err := Load(path)
			if err == nil {
				_, err = Expand(p)
			}
			done <- err
		}()
	}
	for i := 0; i < cap(done); i++ {
		if err := <-done; err != nil {
			t.Errorf("Load() error = %v", err)
		}
	}
}

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
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, path := range append(examples, bad...) {
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
		"a: \"x\\0\\u2028\\\"\\x1b\"\nb: 0x_1\nc: 0o7\nd: 1e999\ne: 18446744073709551616\n",
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

// largePlan is the benchmark plan of DESIGN §10: 1,000 campaigns of 100
// contributions each (about 9.7 MB of YAML).
var largePlan = sync.OnceValue(func() []byte { return genplan.Generate(1000, 100) })

// BenchmarkLoadLarge measures parse + schema + semantic validation +
// expansion of the large plan. Target (DESIGN §10): under 5 s and 1 GiB,
// within 4x BenchmarkYAMLDecodeLarge.
func BenchmarkLoadLarge(b *testing.B) {
	data := largePlan()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse("large.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		steps, err := Expand(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(steps) < 100_000 {
			b.Fatalf("Expand() = %d steps, want >= 100000", len(steps))
		}
	}
}

// BenchmarkYAMLDecodeLarge is the baseline: yaml.v3 decoding the same plan
// into an untyped value, nothing else.
func BenchmarkYAMLDecodeLarge(b *testing.B) {
	data := largePlan()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
