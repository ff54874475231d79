package executor

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
	"settle/plan"
)

func testSteps() []*plan.Step {
	return []*plan.Step{
		{Key: "user/o", Kind: plan.KindUser},
		{Key: "user/a", Kind: plan.KindUser, AdoptedID: "u1"},
		{Key: "wallet/p", Kind: plan.KindWallet, Owner: "user/o", Deps: []string{"user/o"}},
		{Key: "wallet/a", Kind: plan.KindWallet, Owner: "user/a", Deps: []string{"user/a"}},
		{Key: "kyc_document/o-id", Kind: plan.KindKYC, Owner: "user/o", Deps: []string{"user/o"}},
		{Key: "transfer/c/a", Kind: plan.KindTransfer, Debited: "wallet/a", Credited: "wallet/p", Deps: []string{"wallet/a", "wallet/p"}},
		// plan.Expand makes a payout wait for its owner's KYC documents.
		{Key: "payout/c", Kind: plan.KindPayOut, Debited: "wallet/p", Deps: []string{"transfer/c/a", "kyc_document/o-id"}},
	}
}

func TestDOT(t *testing.T) {
	var a, b bytes.Buffer
	if err := DOT(&a, testSteps()); err != nil {
		t.Fatalf("DOT() error = %v", err)
	}
	DOT(&b, testSteps())
	if a.String() != b.String() {
		t.Errorf("DOT() is not stable")
	}
	for _, want := range []string{
		`"payout/c" -> "transfer/c/a";`,
		`"payout/c" -> "kyc_document/o-id";`, // declared by plan.Expand
		`"user/a" [label="user\na", style=dashed];`,
	} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("DOT() = %s\nwant it to contain %s", a.String(), want)
		}
	}
}

func TestGraphCycleAndDownstream(t *testing.T) {
	steps := testSteps()
	g, err := newGraph(steps)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.dag.Downstream("wallet/a"), " "); got != "transfer/c/a payout/c" {
		t.Errorf("downstream(wallet/a) = %s", got)
	}
	steps[0].Deps = []string{"payout/c"}
	_, err = newGraph(steps)
	if err == nil || !strings.Contains(err.Error(), "cycle: user/o") {
		t.Errorf("newGraph(cycle) error = %v, want a cycle naming user/o first", err)
	}
	steps[0].Deps = []string{"user/nobody"}
	if _, err := newGraph(steps); err == nil || !strings.Contains(err.Error(), "unknown step user/nobody") {
		t.Errorf("newGraph(unknown dep) error = %v", err)
	}
}

func TestMinDuration(t *testing.T) {
	cases := []struct {
		calls int
		want  string
	}{{100, "0s"}, {2300, "0s"}, {2301, "15m0s"}, {4601, "30m0s"}}
	for _, c := range cases {
		if got := minDuration(c.calls, mangopayState(), nowForTest).String(); got != c.want {
			t.Errorf("minDuration(%d) = %s, want %s", c.calls, got, c.want)
		}
	}
}

var nowForTest = time.Unix(1_800_000_000, 0)

// mangopayState is a client that has not seen any rate-limit header.
func mangopayState() mangopay.RateLimitState { return mangopay.RateLimitState{} }
