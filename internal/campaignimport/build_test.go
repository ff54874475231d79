package campaignimport

import (
	"errors"
	"strings"
	"testing"

	"settle/internal/mask"
	"settle/mangopay"
	"settle/plan"
)

// source is a Source of two contributions (5000 and 3000, paired with
// card pay-ins) into a wallet holding balance, for the plan "imp",
// campaign "c".
func source(balance int64) *Source {
	s := &Source{PlanName: "imp", Campaign: "c",
		Wallet:       mangopay.Wallet{Id: "w", Currency: "EUR", Owners: []string{"o"}, Balance: mangopay.Money{Currency: "EUR", Amount: balance}},
		Owner:        mangopay.User{Natural: &mangopay.NaturalUser{UserSummary: mangopay.UserSummary{Id: "o", PersonType: "NATURAL", UserCategory: "OWNER"}}},
		Payers:       map[string]mangopay.UserSummary{"u1": {Id: "u1", PersonType: "NATURAL"}, "u2": {Id: "u2", PersonType: "LEGAL"}},
		BankAccounts: []mangopay.BankAccount{{Id: "ba", Active: true, Type: "IBAN", IBAN: "FR7630004000031234567890143"}},
	}
	for i, amount := range []int64{5000, 3000} {
		u, w := []string{"u1", "u2"}[i], []string{"w1", "w2"}[i]
		t := tx([]string{"x1", "x2"}[i], amount, 10)
		t.AuthorId, t.DebitedWalletId, t.CreditedWalletId = u, mangopay.NullString(w), "w"
		p := tx([]string{"p1", "p2"}[i], amount, 5)
		s.Contributions = append(s.Contributions, &Contribution{Transfer: t, PayIn: &p, CardPayIn: true})
	}
	s.keys = contributionKeys(s.Contributions)
	return s
}

// TestPlanSettlesWhatIsLeft: refunds and payouts made outside the plan
// are taken off; the plan's own (by Tag) are not.
func TestPlanSettlesWhatIsLeft(t *testing.T) {
	t.Run("refunded in full elsewhere: left out", func(t *testing.T) {
		s := source(3000)
		s.Contributions[0].Refunds = []RefundOf{{ID: "r1", Amount: 5000}}
		imp := mustPlan(t, s, plan.OutcomeFailed)
		if cs := imp.Plan.Campaigns["c"].Contributions; len(cs) != 1 || cs[0].Transfer.ID != "x2" || cs[0].RefundAmount != nil {
			t.Errorf("contributions = %+v, want x2 alone, refunded in full", cs)
		}
		if !strings.Contains(strings.Join(imp.Header, "\n"), "1 settled already") {
			t.Errorf("header does not count the settled contribution:\n%s", strings.Join(imp.Header, "\n"))
		}
	})
	t.Run("own refund: still the plan's step", func(t *testing.T) {
		s := source(3000)
		s.Contributions[0].Refunds = []RefundOf{{ID: "r1", Amount: 5000, Own: true}}
		if cs := mustPlan(t, s, plan.OutcomeFailed).Plan.Campaigns["c"].Contributions; len(cs) != 2 || cs[0].RefundAmount != nil {
			t.Errorf("contributions = %+v, want both, refunded in full", cs)
		}
	})
	t.Run("payout elsewhere: paid out less", func(t *testing.T) {
		s := source(6000)
		s.PayOuts = []mangopay.Transaction{{Id: "po", Status: mangopay.StatusSucceeded, DebitedFunds: mangopay.Money{Amount: 2000}}}
		if got := *mustPlan(t, s, plan.OutcomeSucceeded).Plan.Campaigns["c"].Payout.Amount; got != 6000 {
			t.Errorf("payout = %d, want 6000", got)
		}
	})
	t.Run("own payout: counted back in", func(t *testing.T) {
		s := source(0)
		s.PayOuts = []mangopay.Transaction{{Id: "po", Status: mangopay.StatusSucceeded, Tag: "settle:imp/payout/c",
			DebitedFunds: mangopay.Money{Amount: 8000}}}
		if got := *mustPlan(t, s, plan.OutcomeSucceeded).Plan.Campaigns["c"].Payout.Amount; got != 8000 {
			t.Errorf("payout = %d, want 8000 (the plan's own)", got)
		}
	})
	t.Run("not a card pay-in: to the wallet", func(t *testing.T) {
		s := source(8000)
		s.Contributions[1].CardPayIn = false
		c := mustPlan(t, s, plan.OutcomeFailed).Plan.Campaigns["c"]
		if c.Refund.To != plan.RefundToCard || c.Contributions[0].RefundTo != "" || c.Contributions[1].RefundTo != plan.RefundToWallet {
			t.Errorf("refund %+v, contributions %+v %+v", c.Refund, c.Contributions[0], c.Contributions[1])
		}
	})
}

func mustPlan(t *testing.T, s *Source, outcome string) *Imported {
	t.Helper()
	imp, err := s.Plan(outcome)
	if err != nil {
		t.Fatalf("Plan(%s) error = %v", outcome, err)
	}
	if _, err := imp.YAML(); err != nil {
		t.Fatalf("YAML() error = %v", err)
	}
	return imp
}

// TestPlanRefuses: what a plan cannot settle is an input error.
func TestPlanRefuses(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Source)
		outcome string
		want    string
	}{
		{"different transfer fees", func(s *Source) { s.Contributions[1].Transfer.Fees.Amount = 50 }, plan.OutcomeOpen,
			"carry different fees (0 and 50)"},
		{"no bank account", func(s *Source) { s.BankAccounts = nil }, plan.OutcomeSucceeded, "has no active bank account"},
		{"nothing left to pay out", func(s *Source) {
			s.PayOuts = []mangopay.Transaction{{Id: "po", Status: mangopay.StatusSucceeded, DebitedFunds: mangopay.Money{Amount: 8000}}}
		}, plan.OutcomeSucceeded, "nothing left to pay out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := source(8000)
			tt.edit(s)
			_, err := s.Plan(tt.outcome)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Plan() error = %v, want an InputError with %q", err, tt.want)
			}
		})
	}
}

// TestHeaderMasksIBAN: the plan's head comment shows the owner's IBAN
// through the one masking rule, never in full.
func TestHeaderMasksIBAN(t *testing.T) {
	iban := "FR7630004000031234567890143"
	header := strings.Join(mustPlan(t, source(8000), plan.OutcomeSucceeded).Header, "\n")
	if !strings.Contains(header, "bank account ba (IBAN "+mask.IBAN(iban)+") adopted as owner-account") || strings.Contains(header, iban) {
		t.Errorf("header does not show the IBAN masked as %s:\n%s", mask.IBAN(iban), header)
	}
}
