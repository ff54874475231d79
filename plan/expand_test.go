package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// stepLine prints a step's identity, dependencies and money.
func stepLine(s *Step) string {
	line := fmt.Sprintf("%s deps=%v", s.Key, s.Deps)
	if s.AdoptedID != "" {
		line += " adopted=" + s.AdoptedID
	}
	if s.Amount != 0 || s.Fees != 0 {
		line += fmt.Sprintf(" amount=%d fees=%d", s.Amount, s.Fees)
	}
	for _, r := range []struct{ name, v string }{{"author", s.Author}, {"owner", s.Owner}, {"debited", s.Debited},
		{"credited", s.Credited}, {"card", s.Card}, {"bank", s.BankAccount}, {"original", s.Original}} {
		if r.v != "" {
			line += " " + r.name + "=" + r.v
		}
	}
	return line
}

func TestExpandBasePlan(t *testing.T) {
	steps := expandPlan(t, basePlan)
	want := []string{
		"user/acme deps=[]",
		"user/alice deps=[]",
		"user/bob deps=[] adopted=user_m_01HV",
		"user/cyrano deps=[]",
		"wallet/acme deps=[user/acme] owner=user/acme",
		"wallet/alice deps=[user/alice] owner=user/alice",
		"wallet/bob deps=[user/bob] adopted=wlt_m_01HV owner=user/bob",
		"wallet/garden deps=[user/cyrano] owner=user/cyrano",
		"bank_account/cyrano-iban deps=[user/cyrano] owner=user/cyrano",
		"kyc_document/cyrano-id deps=[user/cyrano] owner=user/cyrano",
		"card/alice-visa deps=[user/alice] owner=user/alice",
		// acme-2026: failed, 5% per transfer, refunded to card.
		"payin/acme-2026/alice-1 deps=[card/alice-visa wallet/alice] amount=2049 fees=50 author=user/alice credited=wallet/alice card=card/alice-visa",
		"transfer/acme-2026/alice-1 deps=[payin/acme-2026/alice-1 wallet/alice wallet/acme] amount=1999 fees=99 author=user/alice debited=wallet/alice credited=wallet/acme",
		"payin/acme-2026/alice-2 deps=[card/alice-visa wallet/alice] amount=1000 fees=0 author=user/alice credited=wallet/alice card=card/alice-visa",
		"transfer/acme-2026/alice-2 deps=[payin/acme-2026/alice-2 wallet/alice wallet/acme] amount=1000 fees=50 author=user/alice debited=wallet/alice credited=wallet/acme",
		"transfer_refund/acme-2026/alice-1 deps=[transfer/acme-2026/alice-1] amount=1900 fees=-99 author=user/alice debited=wallet/acme credited=wallet/alice original=transfer/acme-2026/alice-1",
		"payin_refund/acme-2026/alice-1 deps=[transfer_refund/acme-2026/alice-1 payin/acme-2026/alice-1] amount=1999 fees=-50 author=user/alice debited=wallet/alice original=payin/acme-2026/alice-1",
		"transfer_refund/acme-2026/alice-2 deps=[transfer/acme-2026/alice-2] amount=400 fees=0 author=user/alice debited=wallet/acme credited=wallet/alice original=transfer/acme-2026/alice-2",
		"payin_refund/acme-2026/alice-2 deps=[transfer_refund/acme-2026/alice-2 payin/acme-2026/alice-2] amount=400 fees=0 author=user/alice debited=wallet/alice original=payin/acme-2026/alice-2",
		// garden-2026: succeeded, 8% of 8000 on the payout.
		"payin/garden-2026/alice-1 deps=[card/alice-visa wallet/alice] amount=5000 fees=0 author=user/alice credited=wallet/alice card=card/alice-visa",
		"transfer/garden-2026/alice-1 deps=[payin/garden-2026/alice-1 wallet/alice wallet/garden] amount=5000 fees=0 author=user/alice debited=wallet/alice credited=wallet/garden",
		"payin/garden-2026/bob-1 deps=[] adopted=wt_1 amount=3000 fees=0 author=user/bob credited=wallet/bob",
		"transfer/garden-2026/bob-1 deps=[payin/garden-2026/bob-1 wallet/bob wallet/garden] adopted=xfer_m_1 amount=3000 fees=0 author=user/bob debited=wallet/bob credited=wallet/garden",
		"payout/garden-2026 deps=[transfer/garden-2026/alice-1 transfer/garden-2026/bob-1 wallet/garden bank_account/cyrano-iban kyc_document/cyrano-id] amount=8000 fees=640 author=user/cyrano debited=wallet/garden bank=bank_account/cyrano-iban",
	}
	var got []string
	for _, s := range steps {
		got = append(got, stepLine(s))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Expand() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range steps {
		wantTag := "settle:spring-2026/" + s.Key
		if s.Kind == KindKYC {
			wantTag = "accept"
		}
		if s.Tag != wantTag {
			t.Errorf("%s: Tag = %q, want %q", s.Key, s.Tag, wantTag)
		}
		if s.Currency != "EUR" && s.Kind != KindUser && s.Kind != KindBankAccount && s.Kind != KindKYC {
			t.Errorf("%s: Currency = %q, want EUR", s.Key, s.Currency)
		}
		if s.Pos.Line == 0 {
			t.Errorf("%s: Pos not set", s.Key)
		}
	}
}

// TestExpandStableKeys adds a contribution, a campaign and a user and
// checks that every step of the original plan keeps its key and
// dependencies, and that map order never changes the result.
func TestExpandStableKeys(t *testing.T) {
	before := expandText(t, basePlan)
	grown := edit(t, basePlan, "      - {key: bob-1,", "      - {key: alice-0, from: alice, amount: 700}\n      - {key: bob-1,")
	grown = edit(t, grown, "  bob:   {id", "  aaron: {type: natural, category: payer, first_name: A, last_name: B, email: a@b.example}\n  bob:   {id")
	after := expandText(t, grown)
	for key, line := range before {
		if key == "payout/garden-2026" {
			continue // its amount and deps grow with the new contribution, by design
		}
		if after[key] != line {
			t.Errorf("step %s changed after adding a contribution:\n got %s\nwant %s", key, after[key], line)
		}
	}
	for _, k := range []string{"transfer/garden-2026/alice-0", "user/aaron"} {
		if _, ok := after[k]; !ok {
			t.Errorf("new step %s missing", k)
		}
	}
	for i := 0; i < 5; i++ {
		again := expandText(t, grown)
		for k, v := range after {
			if again[k] != v {
				t.Fatalf("Expand() is not deterministic: %s = %s then %s", k, v, again[k])
			}
		}
	}
}

// expandPlan loads text as a plan and expands it, failing the test on
// any error.
func expandPlan(t *testing.T, text string) []*Step {
	t.Helper()
	p, err := Load(writePlan(t, text))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := Expand(p)
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

func expandText(t *testing.T, text string) map[string]string {
	t.Helper()
	steps := expandPlan(t, text)
	out := map[string]string{}
	for _, s := range steps {
		out[s.Key] = stepLine(s)
	}
	return out
}

func TestPayoutOverrideLeavesTheRest(t *testing.T) {
	text := edit(t, basePlan, "wire_ref: GARDEN2026}", "wire_ref: GARDEN2026, amount: 6000}")
	text = edit(t, text, "fees: {percent: 8}", "fees: {fixed: 250}")
	steps := expandText(t, text)
	if got, want := steps["payout/garden-2026"], "amount=6000 fees=250"; !strings.Contains(got, want) {
		t.Errorf("payout = %s, want %s", got, want)
	}
}

func TestFixedFeeOnTransfer(t *testing.T) {
	text := edit(t, basePlan, "fees: {percent: 8}", "fees: {fixed: 120, on: transfer}")
	steps := expandText(t, text)
	for key, want := range map[string]string{
		"transfer/garden-2026/alice-1": "amount=5000 fees=120",
		"transfer/garden-2026/bob-1":   "amount=3000 fees=120",
		"payout/garden-2026":           "amount=7760 fees=0",
	} {
		if !strings.Contains(steps[key], want) {
			t.Errorf("%s = %s, want %s", key, steps[key], want)
		}
	}
}

func TestCheckGraphCycle(t *testing.T) {
	steps := []*Step{
		{Key: "user/a", Pos: Pos{"p.yaml", 1, 1}},
		{Key: "wallet/b", Pos: Pos{"p.yaml", 2, 1}, Deps: []string{"transfer/c/x"}},
		{Key: "transfer/c/x", Pos: Pos{"p.yaml", 3, 1}, Deps: []string{"user/a", "payout/c"}},
		{Key: "payout/c", Pos: Pos{"p.yaml", 4, 1}, Deps: []string{"wallet/b", "bank_account/missing"}},
	}
	got := checkGraph(steps)
	got.Sort()
	want := []string{
		"p.yaml:2:1: the steps wait for each other in a cycle: wallet/b (p.yaml:2:1) waits for transfer/c/x (p.yaml:3:1) waits for payout/c (p.yaml:4:1) waits for wallet/b (p.yaml:2:1)",
		"p.yaml:4:1: step payout/c depends on bank_account/missing, which the plan does not declare",
	}
	if lines := errorLines(got.Err(), ""); !slices.Equal(lines, want) {
		t.Errorf("checkGraph() =\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// The same cycle entered from another step is reported the same way.
	slices.Reverse(steps)
	got = checkGraph(steps)
	if len(got) != 2 || !strings.Contains(got.Error(), "cycle: ") {
		t.Fatalf("checkGraph(reversed) = %v", got)
	}
}

func TestExpandKeepsPhoneNumber(t *testing.T) {
	text := strings.Replace(basePlan, "    birthday: 1961-10-23\n",
		"    birthday: 1961-10-23\n    phone_number: \"+33612345678\"\n    phone_number_country: FR\n", 1)
	steps := expandPlan(t, text)
	i := slices.IndexFunc(steps, func(s *Step) bool { return s.Key == "user/cyrano" })
	if i < 0 {
		t.Fatal("no user/cyrano step")
	}
	if u := steps[i].User; u.PhoneNumber != "+33612345678" || u.PhoneNumberCountry != "FR" {
		t.Errorf("user/cyrano phone = %q %q, want +33612345678 FR", u.PhoneNumber, u.PhoneNumberCountry)
	}
}

// TestExpandRecipients: a bank account's step carries the Recipient it
// registers, and none when it keeps the legacy route or is adopted.
func TestExpandRecipients(t *testing.T) {
	text := edit(t, basePlan, "  cyrano-iban: {owner: cyrano, iban: FR7630004000031234567890143, bic: BNPAFRPP}\n",
		"  cyrano-iban: {owner: cyrano, iban: FR7630004000031234567890143, bic: BNPAFRPP}\n"+
			"  cyrano-old: {owner: cyrano, iban: FR7630004000031234567890143, register_as: legacy_bank_account}\n")
	steps := expandPlan(t, text)
	byKey := map[string]*Step{}
	for _, s := range steps {
		byKey[s.Key] = s
	}
	r := byKey["bank_account/cyrano-iban"].Recipient
	if r == nil || r.RecipientType != RecipientIndividual || r.FirstName != "Cyrano" || r.LastName != "de Bergerac" ||
		r.DisplayName != "Cyrano de Bergerac EUR FR account" || r.PayoutMethodType != PayoutLocalBankTransfer || r.Address.PostalCode != "75009" {
		t.Errorf("bank_account/cyrano-iban Recipient = %+v", r)
	}
	if r := byKey["bank_account/cyrano-old"].Recipient; r != nil {
		t.Errorf("bank_account/cyrano-old keeps the legacy route but has Recipient %+v", r)
	}
}

// TestExpandIdentityVerification: hosted identity verification is a step
// of its own, after the user, and the owner's payout waits for it.
func TestExpandIdentityVerification(t *testing.T) {
	text := edit(t, basePlan, "    terms_accepted: true\n  acme:", "    terms_accepted: true\n    identity_verification: hosted\n  acme:")
	text = edit(t, text, "    type: IDENTITY_PROOF\n", "    type: ADDRESS_PROOF\n")
	got := expandText(t, text)
	if want := "identity_verification/cyrano deps=[user/cyrano] owner=user/cyrano"; got["identity_verification/cyrano"] != want {
		t.Errorf("identity_verification/cyrano = %q, want %q", got["identity_verification/cyrano"], want)
	}
	if !strings.Contains(got["payout/garden-2026"], "kyc_document/cyrano-id identity_verification/cyrano]") {
		t.Errorf("payout/garden-2026 does not wait for the identity verification: %s", got["payout/garden-2026"])
	}
}
