package executor

import (
	"strings"
	"testing"

	"settle/mangopay"
	"settle/plan"
)

// pfSteps is a small campaign: owner o (project wallet p, bank account b,
// one KYC document), payer a (wallet a, card c): pay-in, transfer, payout,
// and a transfer refund of the transfer.
func pfSteps() []*plan.Step {
	return []*plan.Step{
		{Key: "user/o", Kind: plan.KindUser, User: &plan.User{Key: "o", Type: "natural", Category: "owner"}},
		{Key: "user/a", Kind: plan.KindUser, User: &plan.User{Key: "a", Type: "natural", Category: "payer"}},
		{Key: "wallet/p", Kind: plan.KindWallet, Owner: "user/o", Deps: []string{"user/o"}, Currency: "EUR"},
		{Key: "wallet/a", Kind: plan.KindWallet, Owner: "user/a", Deps: []string{"user/a"}, Currency: "EUR"},
		{Key: "bank_account/b", Kind: plan.KindBankAccount, Owner: "user/o", Deps: []string{"user/o"}},
		{Key: "kyc_document/o", Kind: plan.KindKYC, Owner: "user/o", Deps: []string{"user/o"},
			KYC: &plan.KYCDocument{Type: mangopay.KYCIdentityProof, SandboxOutcome: "accept"}},
		{Key: "card/c", Kind: plan.KindCard, Owner: "user/a", Deps: []string{"user/a"}, CardSpec: &plan.Card{Number: "4970107111111119"}},
		{Key: "payin/x/a", Kind: plan.KindPayIn, Credited: "wallet/a", Card: "card/c", Amount: 1000, Currency: "EUR",
			Deps: []string{"card/c", "wallet/a"}},
		{Key: "transfer/x/a", Kind: plan.KindTransfer, Debited: "wallet/a", Credited: "wallet/p", Amount: 1000, Fees: 100,
			Currency: "EUR", Deps: []string{"payin/x/a", "wallet/a", "wallet/p"}},
		{Key: "payout/x", Kind: plan.KindPayOut, Debited: "wallet/p", BankAccount: "bank_account/b", Amount: 900,
			Currency: "EUR", Deps: []string{"transfer/x/a", "bank_account/b", "kyc_document/o"}}, // as plan.Expand declares it
	}
}

// runPF classifies every step as Create unless st says it exists, and
// runs the pre-flight; it returns the reasons of blocked steps.
func runPF(t *testing.T, target string, steps []*plan.Step, st *state) map[string]string {
	t.Helper()
	g, err := newGraph(steps)
	if err != nil {
		t.Fatal(err)
	}
	if st == nil {
		st = &state{found: map[string]*found{}, fees: map[string]int64{"EUR": 0}}
	}
	e := &engine{cfg: Config{Target: target}, p: &plan.Plan{Currency: "EUR"}, g: g, hist: map[string]*StepHistory{}, st: st}
	changes := map[string]*Change{}
	for _, s := range g.order {
		changes[s.Key] = e.classify(s)
	}
	runPreflight(e.cfg, e.p, g, st, changes)
	out := map[string]string{}
	for k, c := range changes {
		if c.Action == Blocked {
			out[k] = c.Reason
		}
	}
	return out
}

func TestPreflight(t *testing.T) {
	exists := func(f found) *found { f.Exists = true; return &f }
	cases := []struct {
		name   string
		target string
		found  map[string]*found
		fees   int64
		edit   func([]*plan.Step) []*plan.Step
		want   map[string]string // step -> substring of the reason
	}{
		{name: "all clear on the sandbox", target: "embedded", want: map[string]string{}},
		{name: "production: raw card and KYC verdict", target: "production", want: map[string]string{
			"card/c": "raw card numbers", "payin/x/a": "upstream blocked: card/c", "transfer/x/a": "upstream blocked: card/c",
			"payout/x": "upstream blocked: card/c"}},
		{name: "owner REGULAR already, production, adopted card", target: "production",
			found: map[string]*found{"user/o": exists(found{ID: "u", KYCLevel: mangopay.KYCRegular}),
				"card/c": exists(found{ID: "c", Active: true, Validity: "VALID", Currency: "EUR"})},
			edit: func(s []*plan.Step) []*plan.Step { s[6].AdoptedID = "c"; return s },
			want: map[string]string{}},
		{name: "inactive bank account", target: "embedded",
			found: map[string]*found{"bank_account/b": exists(found{ID: "b", Active: false})},
			want:  map[string]string{"payout/x": "bank account bank_account/b is inactive"}},
		{name: "inactive card", target: "embedded",
			found: map[string]*found{"card/c": exists(found{ID: "c", Active: false})},
			want: map[string]string{"payin/x/a": "inactive", "transfer/x/a": "upstream blocked: payin/x/a",
				"payout/x": "upstream blocked: payin/x/a"}},
		{name: "currency mismatch", target: "embedded",
			found: map[string]*found{"wallet/p": exists(found{ID: "p", Currency: "GBP"})},
			want:  map[string]string{"transfer/x/a": "currency mismatch", "payout/x": "upstream blocked: transfer/x/a"}},
		{name: "refused KYC outcome", target: "sandbox",
			edit: func(s []*plan.Step) []*plan.Step { s[5].KYC.SandboxOutcome = "refuse_falsified"; return s },
			want: map[string]string{"kyc_document/o": "REFUSE", "payout/x": "upstream blocked: kyc_document/o"}},
		{name: "legal owner lacks documents", target: "embedded",
			edit: func(s []*plan.Step) []*plan.Step {
				s[0].User = &plan.User{Key: "o", Type: "legal", LegalPersonType: "BUSINESS"}
				return s
			},
			want: map[string]string{"payout/x": "REGISTRATION_PROOF, ARTICLES_OF_ASSOCIATION"}},
		{name: "short balance", target: "embedded",
			edit: func(s []*plan.Step) []*plan.Step { s[9].Amount = 901; return s },
			want: map[string]string{"payout/x": "short balance: wallet wallet/p holds 9.00 EUR, needs 9.01 EUR"}},
		{name: "short balance in yen, which has no minor unit", target: "embedded",
			edit: func(s []*plan.Step) []*plan.Step {
				for _, st := range s {
					if st.Currency != "" {
						st.Currency = "JPY"
					}
					if st.Kind == plan.KindWallet {
						st.Wallet = &plan.Wallet{Currency: "JPY"}
					}
				}
				s[9].Amount = 901
				return s
			},
			want: map[string]string{"payout/x": "short balance: wallet wallet/p holds 900 JPY, needs 901 JPY"}},
		{name: "refund above the rest", target: "embedded",
			edit: func(s []*plan.Step) []*plan.Step {
				return append(s[:9], &plan.Step{Key: "transfer_refund/x/a", Kind: plan.KindTransferRefund, Original: "transfer/x/a",
					Debited: "wallet/p", Credited: "wallet/a", Amount: 901, Currency: "EUR", Deps: []string{"transfer/x/a"}})
			},
			want: map[string]string{"transfer_refund/x/a": "refund above the refundable rest: 9.01 EUR of transfer/x/a, 9.00 EUR refundable"}},
		{name: "refund above the rest, FEES short", target: "embedded",
			edit: func(s []*plan.Step) []*plan.Step {
				s = s[:9] // no payout
				return append(s,
					&plan.Step{Key: "transfer_refund/x/a", Kind: plan.KindTransferRefund, Original: "transfer/x/a", Debited: "wallet/p",
						Credited: "wallet/a", Amount: 900, Fees: -100, Currency: "EUR", Deps: []string{"transfer/x/a"}},
					&plan.Step{Key: "transfer_refund/x/b", Kind: plan.KindTransferRefund, Original: "transfer/x/a", Debited: "wallet/p",
						Credited: "wallet/a", Amount: 1, Currency: "EUR", Deps: []string{"transfer_refund/x/a"}})
			},
			fees: -100, // so the FEES wallet cannot hand back the transfer fee
			want: map[string]string{"transfer_refund/x/a": "FEES_EUR holds 0.00 EUR, cannot hand back 1.00 EUR",
				"transfer_refund/x/b": "upstream blocked"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			steps := pfSteps()
			if c.edit != nil {
				steps = c.edit(steps)
			}
			st := &state{found: map[string]*found{}, fees: map[string]int64{"EUR": c.fees}}
			for k, f := range c.found {
				st.found[k] = f
			}
			got := runPF(t, c.target, steps, st)
			for k, want := range c.want {
				if !strings.Contains(got[k], want) {
					t.Errorf("%s blocked for %q, want %q", k, got[k], want)
				}
			}
			for k, r := range got {
				if _, ok := c.want[k]; !ok {
					t.Errorf("%s blocked for %q, want it clear", k, r)
				}
			}
		})
	}
}
