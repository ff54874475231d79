package mangopay_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// ExampleNewClient points a client at the embedded sandbox (use
// mangopay.SandboxURL or mangopay.ProductionURL for MANGOPAY itself),
// creates a user and a wallet, and shows how API errors are matched.
func ExampleNewClient() {
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()
	srv := httptest.NewServer(sb)
	defer srv.Close()

	c, err := mangopay.NewClient(mangopay.Config{
		ClientID: sandbox.DefaultClientID,
		APIKey:   sandbox.DefaultAPIKey, // in real use: mangopay.Secret(os.Getenv("MANGOPAY_API_KEY"))
		BaseURL:  srv.URL,
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	u, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{
		Params:       mangopay.Params{IdempotencyKey: "example-user-0001"},
		UserCategory: mangopay.CategoryPayer, FirstName: "Alice", LastName: "Martin", Email: "alice@example.org",
	})
	if err != nil {
		log.Fatal(err)
	}
	w, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{
		Params: mangopay.Params{IdempotencyKey: "example-wallet-0001"},
		Owners: []string{u.Id}, Description: "Alice's wallet", Currency: "EUR",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserCategory, u.KYCLevel, w.Balance.Currency, w.Balance.Amount)

	_, err = c.Wallets.Get(ctx, "wlt_m_unknown")
	fmt.Println(errors.Is(err, mangopay.ErrNotFound))
	fmt.Println(c.RateLimit().Windows[0].Remaining < 2300)
	// Output:
	// PAYER LIGHT EUR 0
	// true
	// true
}
