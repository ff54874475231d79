package plan_test

import (
	"fmt"
	"os"
	"path/filepath"

	"settle/plan"
)

const examplePlan = `version: 1
name: example
currency: EUR
users:
  cyrano: {type: natural, category: owner, first_name: Cyrano, last_name: de Bergerac,
           email: cyrano@example.org, birthday: 1961-10-23, nationality: FR,
           country_of_residence: FR, terms_accepted: true,
           address: {line1: 7 rue Rostand, city: Paris, postal_code: "75009", country: FR}}
  alice: {type: natural, category: payer, first_name: Alice, last_name: Martin, email: alice@example.org}
wallets:
  garden: {owner: cyrano}
  alice: {owner: alice}
bank_accounts:
  cyrano-iban: {owner: cyrano, iban: FR7630004000031234567890143}
campaigns:
  garden-2026:
    wallet: garden
    outcome: succeeded
    fees: {percent: 8}
    payout: {bank_account: cyrano-iban}
    contributions:
      - {key: alice-1, from: alice, amount: 5000}
`

// ExampleLoad loads a plan and lists its steps.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "plan-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(path, []byte(examplePlan), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	p, err := plan.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	steps, err := plan.Expand(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		fmt.Println(s.Key, s.Amount, s.Fees, s.Deps)
	}
	// Output:
	// user/alice 0 0 []
	// user/cyrano 0 0 []
	// wallet/alice 0 0 [user/alice]
	// wallet/garden 0 0 [user/cyrano]
	// bank_account/cyrano-iban 0 0 [user/cyrano]
	// transfer/garden-2026/alice-1 5000 0 [wallet/alice wallet/garden]
	// payout/garden-2026 5000 400 [transfer/garden-2026/alice-1 wallet/garden bank_account/cyrano-iban]
}

// ExampleParse shows how problems are reported: all at once, sorted, each
// at its line and column.
func ExampleParse() {
	bad := `version: 1
name: example
currency: EUR
campaigns:
  garden-2026:
    wallet: garden
    outcome: succeded
    fees: {percent: 108}
`
	_, err := plan.Parse("plan.yaml", []byte(bad))
	fmt.Println(err)
	// Output:
	// plan.yaml:7:14: campaigns.garden-2026.outcome: "succeded" is not one of open, succeeded, failed (did you mean "succeeded"?)
	// plan.yaml:8:21: campaigns.garden-2026.fees.percent: must be <= 100
}
