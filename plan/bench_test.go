package plan_test

import (
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"settle/internal/genplan"
	"settle/plan"
)

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
		p, err := plan.Parse("large.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		steps, err := plan.Expand(p)
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
