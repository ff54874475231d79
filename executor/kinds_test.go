package executor

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"settle/mangopay"
	"settle/plan"
)

// TestKindTable: every step kind the examples expand to has its row in the
// kind table, with what every phase needs of it (found, got when adopted,
// created), and a money kind a money row and a wallet its transactions
// are searched in; the examples and the testscripts' valid plans use every
// row (a kind whose steps end pending, like identity_verification, is in a
// testscript: every example applies to exit 0).
func TestKindTable(t *testing.T) {
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var plans [][]*plan.Step
	for _, path := range paths {
		p, err := plan.Load(path)
		if err != nil {
			t.Fatalf("Load(%s) error = %v", path, err)
		}
		steps, err := plan.Expand(p)
		if err != nil {
			t.Fatalf("Expand(%s) error = %v", path, err)
		}
		plans = append(plans, steps)
	}
	plans = append(plans, scriptPlans(t)...)
	used := map[plan.Kind]bool{}
	for _, steps := range plans {
		path := "plan " + steps[0].Key
		for _, s := range steps {
			used[s.Kind] = true
			k := kindOf(s.Kind)
			switch {
			case k == nil:
				t.Errorf("%s: step %s: kind %q has no row", path, s.Key, s.Kind)
			case k.find == nil || k.get == nil || k.create == nil || k.prefetch == nil:
				t.Errorf("kind %q: a row without find, get, create or prefetch", s.Kind)
			case k.money != nil && func() bool { w, _ := searchWallet(s); return w == "" }():
				t.Errorf("%s: money step %s has no wallet to be searched in", path, s.Key)
			}
		}
	}
	var unused []string
	for k := range kinds {
		if !used[k] {
			unused = append(unused, string(k))
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("no example uses the kinds %v", unused)
	}
}

// scriptPlans expands the plans of the testscripts (../../testdata/script)
// that load and validate; the others are bad on purpose.
func scriptPlans(t *testing.T) [][]*plan.Step {
	paths, err := filepath.Glob("../testdata/script/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testscripts: %v", err)
	}
	var plans [][]*plan.Step
	for _, path := range paths {
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if filepath.Ext(f.Name) != ".yaml" {
				continue
			}
			p, err := plan.Parse(filepath.Join(t.TempDir(), f.Name), f.Data)
			if err != nil {
				continue
			}
			if steps, err := plan.Expand(p); err == nil && len(steps) > 0 {
				plans = append(plans, steps)
			}
		}
	}
	return plans
}

// TestUnchangedPollsCounted: the plan counts one call for an unchanged
// step exactly when its kind's await asks MANGOPAY again (polls): a
// payout still CREATED, a document VALIDATION_ASKED, a PENDING recipient;
// not a pay-in still CREATED (its 3DS challenge waits for a person, read
// from the state with no call), nor what is final.
func TestUnchangedPollsCounted(t *testing.T) {
	for _, tt := range []struct {
		kind plan.Kind
		f    found
		want int
	}{
		{plan.KindPayOut, found{Status: mangopay.StatusCreated}, 1},
		{plan.KindPayOut, found{Status: mangopay.StatusSucceeded}, 0},
		{plan.KindKYC, found{Status: mangopay.KYCStatusValidationAsked}, 1},
		{plan.KindKYC, found{Status: mangopay.KYCStatusValidated}, 0},
		{plan.KindBankAccount, found{Recipient: true, Status: mangopay.RecipientPending}, 1},
		{plan.KindBankAccount, found{Recipient: true, Status: mangopay.RecipientActive, Active: true}, 0},
		{plan.KindPayIn, found{Status: mangopay.StatusCreated}, 0},
		{plan.KindTransfer, found{Status: mangopay.StatusCreated}, 0},
		{plan.KindIdentityVerification, found{Status: mangopay.IDVPending}, 0},
	} {
		f := tt.f
		f.Exists = true
		ch := &Change{Step: &plan.Step{Key: string(tt.kind) + "/x", Kind: tt.kind}, Action: Unchanged}
		if got := callsFor(ch, &f); got != tt.want {
			t.Errorf("callsFor(unchanged %s, status %s) = %d, want %d", tt.kind, tt.f.Status, got, tt.want)
		}
	}
}
