package executor

import (
	"context"
	"fmt"

	"settle/mangopay"
	"settle/plan"
)

// A pay-in step charges a payer's card into the payer's wallet (card
// direct, SecureMode DEFAULT); it is found in the credited wallet's
// transactions. A pay-in still CREATED waits for a 3DS challenge.
func init() {
	register(plan.KindPayIn, movement(moneyKind{from: payerCard, to: payerWallet}, getPayIn, &stepKind{
		check:   (*preflight).checkPayIn,
		checked: func(_ *graph, s *plan.Step) []string { return []string{s.Card} },
		create:  (*attempt).createPayIn,
		flow:    func(s *plan.Step) string { return cardOf(s) + " -> " + shortKey(s.Credited) },
	}))
}

func payInTx(p *mangopay.PayIn) *mangopay.Transaction { return &p.Transaction }

// getPayIn GETs a pay-in.
func getPayIn(c *mangopay.Client, ctx context.Context, id string) (*mangopay.Transaction, error) {
	p, err := c.PayIns.Get(ctx, id)
	return txOf(p, payInTx), err
}

// checkPayIn checks the card (active, valid, of the pay-in's currency),
// the credited wallet's currency and that the fees leave something.
func (pf *preflight) checkPayIn(s *plan.Step) string {
	if f := pf.st.found[s.Card]; f != nil && f.Exists {
		switch {
		case !f.Active:
			return "card " + s.Card + " is inactive"
		case f.Validity == "INVALID":
			return "card " + s.Card + " is INVALID"
		case f.Currency != "" && f.Currency != s.Currency:
			return fmt.Sprintf("currency mismatch: card %s is %s, pay-in is %s", s.Card, f.Currency, s.Currency)
		}
	}
	if reason := pf.walletCurrency(s, "pay-in"); reason != "" {
		return reason
	}
	if s.Fees >= s.Amount {
		return fmt.Sprintf("fees %d must be below the amount %d", s.Fees, s.Amount)
	}
	return ""
}

// createPayIn charges the card.
func (a *attempt) createPayIn(ctx context.Context) outcome {
	x, s := a.x, a.s
	p := payInParams(s, x.author(s), x.id(s.Credited), x.id(s.Card))
	return postMoney(a, ctx, p, &p.Params, func(ctx context.Context) (*mangopay.PayIn, error) {
		return x.cfg.Client.PayIns.CreateCardDirect(ctx, p)
	}, payInTx)
}

// Fixed values for card pay-ins made server-side with sandbox test cards:
// MANGOPAY requires 3DS2 browser data and an IP address on every card
// pay-in, even frictionless ones.
const (
	secureModeReturnURL = "https://settle.invalid/3ds"
	payInIPAddress      = "192.0.2.1" // TEST-NET-1, RFC 5737
)

var payInBrowser = mangopay.BrowserInfo{
	AcceptHeader: "text/html, application/json", JavaEnabled: false, Language: "en-US", ColorDepth: 24,
	ScreenHeight: 1080, ScreenWidth: 1920, TimeZoneOffset: 0, UserAgent: "settle/1 (server-side sandbox pay-in)",
	JavascriptEnabled: true,
}

// payInParams builds a card direct pay-in: SecureMode DEFAULT, so the
// sandbox's frictionless card succeeds synchronously.
func payInParams(s *plan.Step, author, wallet, card string) *mangopay.PayInCardDirectCreateParams {
	bi := payInBrowser
	return &mangopay.PayInCardDirectCreateParams{AuthorId: author, CreditedWalletId: wallet, DebitedFunds: funds(s, s.Amount),
		Fees: funds(s, s.Fees), CardId: card, SecureModeReturnURL: secureModeReturnURL, SecureMode: "DEFAULT",
		BrowserInfo: &bi, IpAddress: payInIPAddress, Tag: s.Tag}
}
