package campaignimport

import (
	"reflect"
	"testing"

	"settle/mangopay"
	"settle/plan"
)

func tx(id string, amount, at int64) mangopay.Transaction {
	return mangopay.Transaction{Id: id, CreationDate: at, DebitedFunds: mangopay.Money{Currency: "EUR", Amount: amount},
		CreditedFunds: mangopay.Money{Currency: "EUR", Amount: amount}}
}

func TestPair(t *testing.T) {
	tests := []struct {
		name      string
		transfers []mangopay.Transaction
		payins    []mangopay.Transaction
		want      []string   // paired pay-in per transfer, "" when not paired
		cands     [][]string // candidates per transfer
	}{
		{"one each", []mangopay.Transaction{tx("t1", 500, 10)}, []mangopay.Transaction{tx("p1", 500, 5)},
			[]string{"p1"}, [][]string{nil}},
		{"by amount", []mangopay.Transaction{tx("t1", 500, 10), tx("t2", 300, 11)},
			[]mangopay.Transaction{tx("p2", 300, 6), tx("p1", 500, 5)},
			[]string{"p1", "p2"}, [][]string{nil, nil}},
		{"two pay-ins of the amount", []mangopay.Transaction{tx("t1", 500, 10)},
			[]mangopay.Transaction{tx("p1", 500, 5), tx("p2", 500, 6)},
			[]string{""}, [][]string{{"p1", "p2"}}},
		{"one pay-in, two transfers of its amount", []mangopay.Transaction{tx("t1", 500, 10), tx("t2", 500, 11)},
			[]mangopay.Transaction{tx("p1", 500, 5)},
			[]string{"", ""}, [][]string{{"p1"}, {"p1"}}},
		{"pay-in after the transfer", []mangopay.Transaction{tx("t1", 500, 10)}, []mangopay.Transaction{tx("p1", 500, 11)},
			[]string{""}, [][]string{nil}},
		{"no pay-in of the amount", []mangopay.Transaction{tx("t1", 500, 10)}, []mangopay.Transaction{tx("p1", 1000, 5)},
			[]string{""}, [][]string{nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs []*Contribution
			for _, tr := range tt.transfers {
				cs = append(cs, &Contribution{Transfer: tr})
			}
			pair(cs, tt.payins)
			for i, c := range cs {
				got := ""
				if c.PayIn != nil {
					got = c.PayIn.Id
				}
				if got != tt.want[i] || !reflect.DeepEqual(c.Candidates, tt.cands[i]) {
					t.Errorf("pair() transfer %s: pay-in %q candidates %v, want %q %v", c.Transfer.Id, got, c.Candidates, tt.want[i], tt.cands[i])
				}
			}
		})
	}
}

// TestStepTagIsExpandsTag: the Tags import recognizes as the plan's own
// steps are those plan.Expand gives them.
func TestStepTagIsExpandsTag(t *testing.T) {
	amount := int64(700)
	p := &plan.Plan{Version: 1, Name: "imp", Currency: "EUR",
		Users: map[string]*plan.User{"owner": {ID: "u1", Type: "natural", Category: "owner"},
			"pay": {ID: "u2", Type: "natural", Category: "payer"}},
		Wallets:      map[string]*plan.Wallet{"project": {ID: "w1", Owner: "owner"}, "pay": {ID: "w2", Owner: "pay"}},
		BankAccounts: map[string]*plan.BankAccount{"acc": {ID: "b1", Owner: "owner"}},
		Campaigns: map[string]*plan.Campaign{"c": {Key: "c", Wallet: "project", Outcome: plan.OutcomeSucceeded,
			Payout:        &plan.Payout{BankAccount: "acc", Amount: &amount},
			Contributions: []*plan.Contribution{{Key: "k1", From: "pay", Amount: 700, Transfer: &plan.TransferSpec{ID: "x1"}}}}},
	}
	failed := *p.Campaigns["c"]
	failed.Outcome, failed.Payout, failed.Refund = plan.OutcomeFailed, nil, &plan.RefundPolicy{To: plan.RefundToWallet}
	tags := map[string]bool{}
	for _, c := range []*plan.Campaign{p.Campaigns["c"], &failed} {
		p.Campaigns["c"] = c
		steps, err := plan.Expand(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range steps {
			tags[s.Tag] = true
		}
	}
	for _, want := range []string{stepTag("imp", plan.KindPayOut, "c"), stepTag("imp", plan.KindTransferRefund, "c", "k1")} {
		if !tags[want] {
			t.Errorf("stepTag() = %q, which plan.Expand gives no step (%v)", want, tags)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"wlt_m_01ABC": "wlt-m-01abc", "123456": "123456", "_x": "x-x", "": "x"} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
