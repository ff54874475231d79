package plan

import "testing"

// TestAliasesAndMergeKeys checks that aliases and merge keys give each
// object its own values, located where they are written.
func TestAliasesAndMergeKeys(t *testing.T) {
	text := edit(t, basePlan, "  alice: {type: natural, category: payer, first_name: Alice, last_name: Martin, email: alice@example.org}",
		"  alice: &payer {type: natural, category: payer, first_name: Alice, last_name: Martin, email: alice@example.org}\n"+
			"  carol:\n    <<: *payer\n    first_name: Carol\n    email: carol@example.org\n  dave: *payer")
	p, err := Load(writePlan(t, text))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	carol, dave := p.Users["carol"], p.Users["dave"]
	if carol == nil || carol.FirstName != "Carol" || carol.LastName != "Martin" || carol.Email != "carol@example.org" || carol.Category != "payer" {
		t.Errorf("merged user carol = %+v, want Carol Martin, carol@example.org, payer", carol)
	}
	if dave == nil || dave.FirstName != "Alice" || dave.Key != "dave" {
		t.Errorf("aliased user dave = %+v, want a copy of alice keyed dave", dave)
	}
	if dave == p.Users["alice"] {
		t.Error("aliased users share one *User; want distinct values")
	}
	// A merged field is located where it is written (the anchor).
	if got, want := p.PosOf("users.carol.last_name"), p.PosOf("users.alice.last_name"); got != want {
		t.Errorf("PosOf(users.carol.last_name) = %v, want the anchor's %v", got, want)
	}
}
