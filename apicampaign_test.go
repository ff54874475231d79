package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"settle/mangopay"
)

// apiCampaign builds a campaign through the MANGOPAY API alone, as a
// platform's web app would have (not through settle): an owner with a
// bank account and a project wallet, payers with wallets and cards, their
// pay-ins and their transfers into the project wallet.
type apiCampaign struct {
	tb     testing.TB
	ctx    context.Context
	c      *mangopay.Client
	base   string // the sandbox's URL, for what the client has no method for
	owner  string
	wallet string // the project wallet
	bank   string
}

// apiPayer is one payer of an apiCampaign.
type apiPayer struct {
	user, wallet, card string
}

// newAPICampaign creates the owner (KYC REGULAR when kyc), a bank account
// and the project wallet.
func newAPICampaign(tb *testing.T, s *testSandbox, kyc bool) *apiCampaign {
	tb.Helper()
	c := s.client(tb, testAPIKey)
	a := &apiCampaign{tb: tb, ctx: context.Background(), c: c, base: s.url}
	a.owner = a.user("OWNER", "Olga", "Owner")
	a.wallet = a.newWallet(a.owner, "Community bakery oven")
	ba, err := c.BankAccounts.CreateIBAN(a.ctx, a.owner, &mangopay.BankAccountIBANCreateParams{OwnerName: "Olga Owner",
		OwnerAddress: testAddress(), IBAN: "FR7630004000031234567890143", BIC: "BNPAFRPP"})
	a.must(err, "bank account")
	a.bank = ba.Id
	if kyc {
		a.validateKYC()
	}
	return a
}

func testAddress() mangopay.AddressParams {
	return mangopay.AddressParams{AddressLine1: "1 rue de la Paix", City: "Paris", PostalCode: "75002", Country: "FR"}
}

func (a *apiCampaign) must(err error, what string) {
	a.tb.Helper()
	if err != nil {
		a.tb.Fatalf("building the campaign through the API: %s: %v", what, err)
	}
}

// user creates a natural user of category cat.
func (a *apiCampaign) user(cat, first, last string) string {
	a.tb.Helper()
	bd := int64(315532800)
	u, err := a.c.Users.CreateNatural(a.ctx, &mangopay.NaturalUserParams{UserCategory: cat, TermsAndConditionsAccepted: true,
		FirstName: first, LastName: last, Email: first + ".accept@example.org", Birthday: &bd, Nationality: "FR",
		CountryOfResidence: "FR", Address: ptr(testAddress())})
	a.must(err, "user "+first)
	return u.Id
}

func ptr[T any](v T) *T { return &v }

// newWallet creates a EUR wallet.
func (a *apiCampaign) newWallet(owner, desc string) string {
	a.tb.Helper()
	w, err := a.c.Wallets.Create(a.ctx, &mangopay.WalletCreateParams{Owners: []string{owner}, Description: desc, Currency: "EUR"})
	a.must(err, "wallet")
	return w.Id
}

// validateKYC files the owner's identity proof with the Tag that makes the
// sandbox validate it: the owner becomes KYC REGULAR.
func (a *apiCampaign) validateKYC() {
	a.tb.Helper()
	doc, err := a.c.KYC.CreateDocument(a.ctx, a.owner, &mangopay.KYCDocumentCreateParams{Type: mangopay.KYCIdentityProof, Tag: "accept"})
	a.must(err, "KYC document")
	page, err := os.ReadFile("examples/kyc/identity.pdf")
	a.must(err, "KYC page")
	a.must(a.c.KYC.CreatePage(a.ctx, a.owner, doc.Id, page), "KYC page")
	_, err = a.c.KYC.Submit(a.ctx, a.owner, doc.Id)
	a.must(err, "KYC submit")
}

// payer creates a payer with a wallet and a registered card.
func (a *apiCampaign) payer(first string) *apiPayer {
	a.tb.Helper()
	p := &apiPayer{user: a.user("PAYER", first, "Payer")}
	p.wallet = a.newWallet(p.user, first+"'s wallet")
	reg, err := a.c.CardRegistrations.Create(a.ctx, &mangopay.CardRegistrationCreateParams{UserId: p.user, Currency: "EUR"})
	a.must(err, "card registration")
	data, err := a.c.CardRegistrations.Tokenize(a.ctx, reg, "4970107111111119", "1240", "123")
	a.must(err, "tokenize")
	done, err := a.c.CardRegistrations.Update(a.ctx, reg.Id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
	a.must(err, "card registration update")
	p.card = string(done.CardId)
	return p
}

// payInDirect charges p's card amount cents into p's wallet.
func (a *apiCampaign) payInDirect(p *apiPayer, amount int64) string {
	a.tb.Helper()
	r, err := a.c.PayIns.CreateCardDirect(a.ctx, &mangopay.PayInCardDirectCreateParams{AuthorId: p.user,
		CreditedWalletId: p.wallet, DebitedFunds: eur(amount), Fees: eur(0), CardId: p.card,
		SecureModeReturnURL: "https://platform.invalid/return", SecureMode: "DEFAULT",
		BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "*/*", Language: "fr-FR", ColorDepth: 24, ScreenHeight: 800,
			ScreenWidth: 600, UserAgent: "platform"}, IpAddress: "192.0.2.7"})
	a.must(err, "card direct pay-in")
	if r.Status != mangopay.StatusSucceeded {
		a.tb.Fatalf("pay-in %s: %s %s", r.Id, r.Status, r.ResultCode)
	}
	return r.Id
}

// payInWeb makes a card web pay-in of amount cents into p's wallet and
// pays it on the hosted page (the sandbox's admin completion route, with
// its default test card), as the payer would have.
func (a *apiCampaign) payInWeb(p *apiPayer, amount int64) string {
	a.tb.Helper()
	var web mangopay.PayIn
	a.raw("POST", "/v2.01/"+testClientID+"/payins/card/web", fmt.Sprintf(`{"AuthorId":%q,"CreditedWalletId":%q,
		"DebitedFunds":{"Currency":"EUR","Amount":%d},"Fees":{"Currency":"EUR","Amount":0},
		"CardType":"CB_VISA_MASTERCARD","ReturnURL":"https://platform.invalid/back","Culture":"FR"}`, p.user, p.wallet, amount), &web)
	a.raw("POST", "/sandbox/payins/"+web.Id+"/complete", "", &web)
	if web.Status != mangopay.StatusSucceeded || web.ExecutionType != "WEB" {
		a.tb.Fatalf("web pay-in = %+v", web)
	}
	return web.Id
}

// raw sends body (JSON, or nothing) with the sandbox's Basic credentials
// and decodes the 200 answer into out.
func (a *apiCampaign) raw(method, path, body string, out any) {
	a.tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	a.must(err, path)
	req.Header.Set("Authorization", "Bearer "+a.token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	a.must(err, path)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(data, out) != nil {
		a.tb.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, data)
	}
}

// token is an OAuth access token of the sandbox.
func (a *apiCampaign) token() string {
	a.tb.Helper()
	req, err := http.NewRequest("POST", a.base+"/v2.01/oauth/token", strings.NewReader("grant_type=client_credentials"))
	a.must(err, "token")
	req.SetBasicAuth(testClientID, testAPIKey)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	a.must(err, "token")
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		a.tb.Fatalf("POST /oauth/token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

func eur(n int64) mangopay.Money { return mangopay.Money{Currency: "EUR", Amount: n} }

// transfer moves amount cents (fee taken on the way) from p's wallet into
// the project wallet.
func (a *apiCampaign) transfer(p *apiPayer, amount, fee int64) string {
	a.tb.Helper()
	r, err := a.c.Transfers.Create(a.ctx, &mangopay.TransferCreateParams{AuthorId: p.user, DebitedFunds: eur(amount),
		Fees: eur(fee), DebitedWalletId: p.wallet, CreditedWalletId: a.wallet})
	a.must(err, "transfer")
	if r.Status != mangopay.StatusSucceeded {
		a.tb.Fatalf("transfer %s: %s %s", r.Id, r.Status, r.ResultCode)
	}
	return r.Id
}

// refund refunds amount of a transfer to the payer's wallet, then as much
// of the pay-in to the card: what a platform does for a partial refund.
func (a *apiCampaign) refund(p *apiPayer, transfer, payin string, amount int64) {
	a.tb.Helper()
	_, err := a.c.Transfers.Refund(a.ctx, transfer, &mangopay.RefundCreateParams{AuthorId: p.user, DebitedFunds: ptr(eur(amount)), Fees: ptr(eur(0))})
	a.must(err, "transfer refund")
	_, err = a.c.PayIns.Refund(a.ctx, payin, &mangopay.RefundCreateParams{AuthorId: p.user, DebitedFunds: ptr(eur(amount)), Fees: ptr(eur(0))})
	a.must(err, "pay-in refund")
}
