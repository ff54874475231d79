package genplan_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"settle/internal/genplan"
	"settle/plan"
)

func TestGenerateIsValid(t *testing.T) {
	data := genplan.Generate(8, 5)
	p, err := plan.Parse("generated.yaml", data)
	if err != nil {
		t.Fatalf("Parse(Generate(8, 5)) error = %v", err)
	}
	if got := len(p.Campaigns); got != 8 {
		t.Errorf("campaigns = %d, want 8", got)
	}
	n := 0
	for _, c := range p.Campaigns {
		n += len(c.Contributions)
	}
	if n != 40 {
		t.Errorf("contributions = %d, want 40", n)
	}
	steps, err := plan.Expand(p)
	if err != nil {
		t.Fatalf("Expand() error = %v", err)
	}
	kinds := map[plan.Kind]int{}
	for _, s := range steps {
		kinds[s.Kind]++
	}
	for _, k := range []plan.Kind{plan.KindPayIn, plan.KindTransfer, plan.KindPayOut, plan.KindTransferRefund, plan.KindPayInRefund} {
		if kinds[k] == 0 {
			t.Errorf("no %s step: the generator should exercise every outcome", k)
		}
	}
	if !bytes.Equal(data, genplan.Generate(8, 5)) {
		t.Error("Generate is not deterministic")
	}
}

// TestGenerateManyCampaignsIsValid: campaign 1000 is the first whose
// number no longer fits a wire ref as it is ("CAMPAIGN 1000" has 13
// characters, MANGOPAY allows 12).
func TestGenerateManyCampaignsIsValid(t *testing.T) {
	if _, err := plan.Parse("generated.yaml", genplan.Generate(1001, 1)); err != nil {
		t.Fatalf("Parse(Generate(1001, 1)) error = %v", err)
	}
}

// TestGenerateWithKYC: with a KYC page, every owner files an accepted
// IDENTITY_PROOF, and every payout waits for it.
func TestGenerateWithKYC(t *testing.T) {
	data := genplan.GenerateWith(genplan.Options{Campaigns: 4, Contributions: 3, Payers: 4, KYCPage: "kyc/identity.pdf", PayInAll: true})
	p, err := plan.Parse("../../examples/generated.yaml", data) // beside examples/kyc
	if err != nil {
		t.Fatalf("Parse(GenerateWith(KYC)) error = %v", err)
	}
	if len(p.Users) != 8 || len(p.KYCDocuments) != 4 {
		t.Errorf("users = %d, KYC documents = %d, want 8 and 4", len(p.Users), len(p.KYCDocuments))
	}
	steps, err := plan.Expand(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := countKind(steps, plan.KindPayIn); n != 12 {
		t.Errorf("pay-ins = %d, want one per contribution (12)", n)
	}
	for _, s := range steps {
		if s.Kind == plan.KindPayOut && !slices.Contains(s.Deps, "kyc_document/owner-"+strings.TrimPrefix(s.Campaign, "campaign-")+"-id") {
			t.Errorf("%s waits for %v, want the owner's KYC document", s.Key, s.Deps)
		}
	}
}

func countKind(steps []*plan.Step, k plan.Kind) int {
	n := 0
	for _, s := range steps {
		if s.Kind == k {
			n++
		}
	}
	return n
}
