package plan

import (
	"testing"
)

func TestPosOf(t *testing.T) {
	p, err := Load(writePlan(t, basePlan))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][2]int{
		"":                                      {2, 1},
		"users.cyrano":                          {7, 3},   // block mapping: its key
		"users.alice":                           {28, 10}, // flow mapping: the brace
		"users.cyrano.address.postal_code":      {16, 81},
		"campaigns.garden-2026.contributions.1": {62, 9},
		"campaigns.garden-2026.contributions.1.key": {62, 15},
		"campaigns.garden-2026.contributions.9.key": {56, 5}, // missing: nearest ancestor
		"users.nobody.email":                        {6, 1},
	} {
		got := p.PosOf(path)
		if got.Line != want[0] || got.Col != want[1] {
			t.Errorf("PosOf(%q) = %d:%d, want %d:%d", path, got.Line, got.Col, want[0], want[1])
		}
	}
}
