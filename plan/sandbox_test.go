package plan

import (
	"slices"
	"strings"
	"testing"
)

func TestSandboxOnly(t *testing.T) {
	p, err := Load(writePlan(t, basePlan))
	if err != nil {
		t.Fatal(err)
	}
	got := errorLines(p.SandboxOnly().Err(), p.Dir+"/")
	want := []string{
		"plan.yaml:45:22: kyc_documents.cyrano-id.sandbox_outcome: sandbox_outcome only decides a sandbox's KYC verdict: production would file the document with it as a Tag",
		"plan.yaml:48:37: cards.alice-visa.number: a raw card number is a test card: only the embedded target and sandboxes accept it",
	}
	if !slices.Equal(got, want) {
		t.Errorf("SandboxOnly() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
