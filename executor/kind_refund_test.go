package executor_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// TestApplyRefundsAdoptedWebPayInToCard: a contribution collected through
// MANGOPAY's hosted payment page (a card web pay-in) is adopted with
// payin: {id: ...}; the failed campaign refunds it to the card exactly as a
// direct pay-in: transfer, transfer refund, then the pay-in refund, which
// hands the card back DebitedFunds (amount plus fees).
func TestApplyRefundsAdoptedWebPayInToCard(t *testing.T) {
	e := newEnv(t, sandbox.Options{BasicAuth: true})
	ctx := context.Background()
	bd := int64(315532800)
	owner, err := e.c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: "OWNER", TermsAndConditionsAccepted: true,
		FirstName: "Olga", LastName: "Owner", Email: "olga@example.org", Birthday: &bd, Nationality: "FR", CountryOfResidence: "FR"})
	if err != nil {
		t.Fatal(err)
	}
	payer, err := e.c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: "PAYER", TermsAndConditionsAccepted: true,
		FirstName: "Paul", LastName: "Payer", Email: "paul@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	garden, err := e.c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{owner.Id}, Description: "Garden", Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	wallet, err := e.c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{payer.Id}, Description: "Paul", Currency: "EUR"})
	if err != nil {
		t.Fatal(err)
	}
	// The platform's checkout: a web pay-in, paid on the hosted page.
	var web mangopay.PayIn
	webCall(t, e, "POST", "/v2.01/sandbox/payins/card/web", `{"AuthorId":"`+payer.Id+`","CreditedWalletId":"`+wallet.Id+`",
		"DebitedFunds":{"Currency":"EUR","Amount":2000},"Fees":{"Currency":"EUR","Amount":100},
		"CardType":"CB_VISA_MASTERCARD","ReturnURL":"https://shop.example/back","Culture":"EN"}`, &web)
	webCall(t, e, "POST", "/sandbox/payins/"+web.Id+"/complete", "", &web)
	if web.Status != mangopay.StatusSucceeded || web.CardId == "" {
		t.Fatalf("web pay-in = %+v", web)
	}

	p, err := plan.Parse("web.yaml", []byte(`version: 1
name: web-payin-test
currency: EUR
users:
  olga: {id: `+owner.Id+`, type: natural, category: owner}
  paul: {id: `+payer.Id+`, type: natural, category: payer}
wallets:
  garden: {id: `+garden.Id+`, owner: olga}
  paul: {id: `+wallet.Id+`, owner: paul}
campaigns:
  garden:
    wallet: garden
    outcome: failed
    refund: {to: card}
    contributions:
      - {key: paul-1, from: paul, amount: 1900, payin: {id: `+web.Id+`, fees: 100}}
`))
	if err != nil {
		t.Fatalf("plan.Parse() error = %v", err)
	}
	sum := e.apply(ctx, e.cfg("j.jsonl"), p)
	if sum.Failed != 0 || sum.Skipped != 0 || sum.Blocked != 0 || sum.InDoubt != 0 {
		for _, r := range sum.Results {
			t.Logf("%s: %s %v", r.Step.Key, r.State, r.Err)
		}
		t.Fatalf("Apply() = %d failed, %d skipped, %d blocked, %d in doubt", sum.Failed, sum.Skipped, sum.Blocked, sum.InDoubt)
	}
	var refunds []mangopay.Refund
	for r, err := range e.c.PayIns.Refunds(ctx, web.Id, nil) {
		if err != nil {
			t.Fatal(err)
		}
		refunds = append(refunds, r)
	}
	if len(refunds) != 1 || refunds[0].Status != mangopay.StatusSucceeded || refunds[0].CreditedFunds.Amount != 2000 {
		t.Fatalf("refunds of the web pay-in = %+v, want one SUCCEEDED giving the card 2000", refunds)
	}
	if w, err := e.c.Wallets.Get(ctx, wallet.Id); err != nil || w.Balance.Amount != 0 {
		t.Errorf("contributor wallet = %+v, %v; want 0", w, err)
	}
	if err := e.srv.CheckLedger(); err != nil {
		t.Errorf("CheckLedger() = %v", err)
	}
	if pv := e.diff(e.cfg("j.jsonl"), p); pv.HasChanges() {
		t.Errorf("PreviewOf() after apply has changes: %s", changes(pv))
	}
}

// webCall sends body (raw JSON, or nothing) to the sandbox with its Basic
// credentials and decodes the 200 answer into out.
func webCall(t *testing.T, e *env, method, path, body string, out any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, e.ts.URL+path, rd)
	req.SetBasicAuth(sandbox.DefaultClientID, sandbox.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(data, out) != nil {
		t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, data)
	}
}
