package sandbox

import (
	"fmt"
	"net/http"

	"settle/mangopay"
)

// SeedPayIn is a seeded card direct pay-in, which must succeed: it credits
// Amount - Fees to Wallet through a ledger entry, as any pay-in does. The
// author defaults to the wallet's owner. The card is Card (a card Id) or a
// card registered for the author with CardNumber (a fresh card Id, made
// only when the pay-in is created). Currency is the wallet's.
type SeedPayIn struct {
	Wallet     string         `json:"wallet"`
	Author     string         `json:"author,omitempty"`
	Card       string         `json:"card,omitempty"`
	CardNumber SeedCardNumber `json:"card_number,omitempty"`
	Amount     int64          `json:"amount"`
	Fees       int64          `json:"fees,omitempty"`
	Tag        string         `json:"tag,omitempty"`
}

// SeedTransfer is a seeded transfer between two wallets, which must
// succeed. The author defaults to the owner of From.
type SeedTransfer struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Author string `json:"author,omitempty"`
	Amount int64  `json:"amount"`
	Fees   int64  `json:"fees,omitempty"`
	Tag    string `json:"tag,omitempty"`
}

// seedBrowser is the BrowserInfo of seeded pay-ins.
var seedBrowser = mangopay.BrowserInfo{AcceptHeader: "text/html, application/json", Language: "en-US", ColorDepth: 24,
	ScreenHeight: 1080, ScreenWidth: 1920, UserAgent: "settle sandbox seed", JavascriptEnabled: true}

// payinObj is a seeded pay-in: POST /payins/card/direct.
func (sd *seeder) payinObj(id string, p SeedPayIn) seedObj {
	old, exists := sd.s.st.payins.get(id)
	owner, cur, walletOK := sd.walletInfo(p.Wallet)
	author := p.Author
	if author == "" {
		author = owner
	}
	return seedObj{kind: "payin", id: id, exists: exists,
		check: func(f fieldErrs) {
			if !walletOK {
				f.add("wallet", fmt.Sprintf("wallet %q is neither in the sandbox nor in the seed", p.Wallet))
			} else {
				sd.checkUser(f, "author", author)
			}
			checkSeedAmounts(f, p.Amount, p.Fees)
			if amountTriggers[p.Amount] != "" {
				f.add("amount", fmt.Sprintf("%d is a sandbox test amount that makes a pay-in fail", p.Amount))
			}
			sd.checkPayinCard(f, p, author, cur)
		},
		diff: func(d *diffs) { sd.diffPayin(d, p, author, cur, old) },
		create: func(sd *seeder) *apiError {
			card := p.Card
			if card == "" {
				var e *apiError
				if card, e = sd.registerCard(author, cur, string(p.CardNumber), "", "", ""); e != nil {
					return e
				}
			}
			body := &mangopay.PayInCardDirectCreateParams{AuthorId: author, CreditedWalletId: p.Wallet,
				DebitedFunds: mangopay.Money{Currency: cur, Amount: p.Amount}, Fees: mangopay.Money{Currency: cur, Amount: p.Fees},
				CardId: card, SecureModeReturnURL: "https://seed.invalid/return", SecureMode: "DEFAULT",
				BrowserInfo: &seedBrowser, IpAddress: "192.0.2.1", Tag: p.Tag}
			var out mangopay.PayIn
			if e := sd.create(sd.s.createPayin, nil, "payin_m_", id, body, &out); e != nil {
				return e
			}
			return succeeded(out.Status, string(out.ResultCode), string(out.ResultMessage))
		},
	}
}

// checkSeedAmounts wants amount > 0 and 0 <= fees < amount.
func checkSeedAmounts(f fieldErrs, amount, fees int64) {
	if amount <= 0 {
		f.add("amount", "amount must be a positive number of cents")
	}
	if fees < 0 || fees >= amount && amount > 0 {
		f.add("fees", "fees must be at least 0 and below the amount")
	}
}

// checkPayinCard checks that the pay-in's card would let it succeed.
func (sd *seeder) checkPayinCard(f fieldErrs, p SeedPayIn, author, cur string) {
	switch {
	case (p.Card == "") == (p.CardNumber == ""):
		f.add("card", "give card (a card Id) or card_number, not both")
	case p.CardNumber != "":
		if !luhn(string(p.CardNumber)) {
			f.add("card_number", fmt.Sprintf("%q is not a valid card number", p.CardNumber))
		} else if challengeCards[string(p.CardNumber)] {
			f.add("card_number", "a 3DS challenge card cannot make a seeded pay-in succeed")
		}
	default:
		k, ok := sd.cardInfo(p.Card)
		switch {
		case !ok:
			f.add("card", fmt.Sprintf("card %q is neither in the sandbox nor in the seed", p.Card))
		case k.user != author:
			f.add("card", fmt.Sprintf("card %s belongs to %s, not to the author %s", p.Card, k.user, author))
		case !k.active:
			f.add("card", fmt.Sprintf("card %s is not active", p.Card))
		case challengeCards[k.number] || k.cvv == "999":
			f.add("card", fmt.Sprintf("card %s is a test card that makes pay-ins fail or ask for 3DS", p.Card))
		case cur != "" && k.currency != cur:
			f.add("card", fmt.Sprintf("card %s is in %s, the wallet in %s", p.Card, k.currency, cur))
		}
	}
}

// diffPayin compares a seeded pay-in with the existing one.
func (sd *seeder) diffPayin(d *diffs, p SeedPayIn, author, cur string, old *payinRec) {
	t := &old.P.Transaction
	d.str("Status", mangopay.StatusSucceeded, t.Status)
	d.str("CreditedWalletId", p.Wallet, string(t.CreditedWalletId))
	d.str("AuthorId", author, t.AuthorId)
	d.str("Currency", cur, t.DebitedFunds.Currency)
	d.num("DebitedFunds.Amount", p.Amount, t.DebitedFunds.Amount)
	d.num("Fees.Amount", p.Fees, t.Fees.Amount)
	d.str("CardId", p.Card, old.P.CardId)
	d.str("Tag", p.Tag, string(t.Tag))
	if p.CardNumber != "" {
		number := ""
		if k, ok := sd.s.st.cards.get(old.P.CardId); ok {
			number = k.Number
		}
		d.str("card number", string(p.CardNumber), number)
	}
}

// succeeded turns a final status other than SUCCEEDED into an error.
func succeeded(status, code, msg string) *apiError {
	if status == mangopay.StatusSucceeded {
		return nil
	}
	return &apiError{Status: http.StatusBadRequest, Type: "seed_not_succeeded",
		Message: fmt.Sprintf("the sandbox answered Status %s (%s %s); seeded money movements must succeed", status, code, msg)}
}

// transferObj is a seeded transfer: POST /transfers.
func (sd *seeder) transferObj(id string, t SeedTransfer) seedObj {
	old, exists := sd.s.st.transfers.get(id)
	owner, cur, fromOK := sd.walletInfo(t.From)
	_, toCur, toOK := sd.walletInfo(t.To)
	author := t.Author
	if author == "" {
		author = owner
	}
	return seedObj{kind: "transfer", id: id, exists: exists,
		check: func(f fieldErrs) {
			for field, ok := range map[string]bool{"from": fromOK, "to": toOK} {
				if !ok {
					f.add(field, "the wallet is neither in the sandbox nor in the seed")
				}
			}
			if fromOK && toOK && cur != toCur {
				f.add("to", fmt.Sprintf("the wallets are in %s and %s", cur, toCur))
			}
			checkSeedAmounts(f, t.Amount, t.Fees)
		},
		diff: func(d *diffs) {
			tx := &old.T.Transaction
			d.str("Status", mangopay.StatusSucceeded, tx.Status)
			d.str("DebitedWalletId", t.From, string(tx.DebitedWalletId))
			d.str("CreditedWalletId", t.To, string(tx.CreditedWalletId))
			d.str("AuthorId", author, tx.AuthorId)
			d.num("DebitedFunds.Amount", t.Amount, tx.DebitedFunds.Amount)
			d.num("Fees.Amount", t.Fees, tx.Fees.Amount)
			d.str("Tag", t.Tag, string(tx.Tag))
		},
		create: func(sd *seeder) *apiError {
			if have := sd.s.balance(t.From); have < t.Amount {
				return errAction("seed_not_succeeded", fmt.Sprintf("wallet %s holds %d, the transfer needs %d", t.From, have, t.Amount))
			}
			body := &mangopay.TransferCreateParams{AuthorId: author, DebitedWalletId: t.From, CreditedWalletId: t.To,
				DebitedFunds: mangopay.Money{Currency: cur, Amount: t.Amount}, Fees: mangopay.Money{Currency: cur, Amount: t.Fees},
				Tag: t.Tag}
			var out mangopay.Transfer
			if e := sd.create(sd.s.createTransfer, nil, "xfer_m_", id, body, &out); e != nil {
				return e
			}
			return succeeded(out.Status, string(out.ResultCode), string(out.ResultMessage))
		},
	}
}
