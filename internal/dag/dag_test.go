package dag

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// build makes a graph from "v: deps..." lines, in order.
func build(lines ...string) *Graph {
	g := New()
	for _, l := range lines {
		v, deps, _ := strings.Cut(l, ":")
		g.Add(v)
		for _, d := range strings.Fields(deps) {
			g.Connect(v, d)
		}
	}
	return g
}

func TestOrder(t *testing.T) {
	g := build("payout: transfer wallet", "transfer: wallet user", "wallet: user", "user:", "card: user")
	got, err := g.Order()
	if err != nil {
		t.Fatal(err)
	}
	// Passes in the order of addition: user, then what it releases in
	// the same pass (card), then wallet, transfer, payout.
	want := []string{"user", "card", "wallet", "transfer", "payout"}
	if !slices.Equal(got, want) {
		t.Errorf("Order() = %v, want %v", got, want)
	}
	if got := g.Downstream("wallet"); !slices.Equal(got, []string{"transfer", "payout"}) {
		t.Errorf("Downstream(wallet) = %v", got)
	}
	if got := g.Dependants("user"); !slices.Equal(got, []string{"transfer", "wallet", "card"}) {
		t.Errorf("Dependants(user) = %v", got)
	}
	if g.Add("user") {
		t.Errorf("Add(user) twice reported new")
	}
	g.Connect("wallet", "user")
	if got := g.Dependencies("wallet"); !slices.Equal(got, []string{"user"}) {
		t.Errorf("Dependencies(wallet) after connecting twice = %v", got)
	}
}

// TestValidate: unknown dependencies first, then each cycle once,
// starting at its first vertex, whichever vertex it is entered from.
func TestValidate(t *testing.T) {
	lines := []string{"user/a:", "wallet/b: transfer/c/x", "transfer/c/x: user/a payout/c", "payout/c: wallet/b bank_account/missing"}
	pos := func(v string) string { return "line " + v[len(v)-1:] }
	for _, rev := range []bool{false, true} {
		ls := slices.Clone(lines)
		if rev {
			slices.Reverse(ls)
		}
		ps := build(ls...).Validate()
		if len(ps) != 2 || ps[0].Missing != "bank_account/missing" || ps[0].Vertex != "payout/c" {
			t.Fatalf("Validate(reversed=%v) = %+v, want the missing bank account then the cycle", rev, ps)
		}
		first := "wallet/b"
		if rev {
			first = "payout/c" // first in the order of addition
		}
		if ps[1].Vertex != first || ps[1].Cycle[0] != first || len(ps[1].Cycle) != 3 {
			t.Errorf("Validate(reversed=%v) cycle = %+v, want 3 vertices from %s", rev, ps[1], first)
		}
	}
	ps := build(lines...).Validate()
	want := "wallet/b (line b) waits for transfer/c/x (line x) waits for payout/c (line c) waits for wallet/b (line b)"
	if got := ps[1].Describe(pos); got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
	if _, err := build(lines...).Order(); err == nil || !strings.Contains(err.Error(), "bank_account/missing") {
		t.Errorf("Order(invalid) error = %v, want the first problem", err)
	}
	if ps := build("a: b", "b:").Validate(); len(ps) != 0 {
		t.Errorf("Validate(valid) = %v", ps)
	}
}

func TestDOT(t *testing.T) {
	g := build("b: a", "a:")
	var out bytes.Buffer
	err := g.DOT(&out, "settle", []string{"rankdir=LR"}, func(v string) string {
		if v == "a" {
			return "style=dashed"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "digraph settle {\n\trankdir=LR;\n\t\"a\" [style=dashed];\n\t\"b\";\n\t\"b\" -> \"a\";\n}\n"
	if out.String() != want {
		t.Errorf("DOT() =\n%s\nwant\n%s", out.String(), want)
	}
}
