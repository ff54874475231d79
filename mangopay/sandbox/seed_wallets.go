package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"settle/mangopay"
)

// SeedWallet is a seeded user wallet; currency defaults to the document's,
// description to the wallet's Id.
type SeedWallet struct {
	Owner       string `json:"owner"`
	Currency    string `json:"currency,omitempty"`
	Description string `json:"description,omitempty"`
	Tag         string `json:"tag,omitempty"`
}

// SeedBankAccount is a seeded IBAN account; the holder's name and address
// default to the owner's. Created (YYYY-MM-DD) dates it, as an account a
// platform registered long ago: one created on or before 2026-04-30 is
// never refused with 121018 (Options.LegacyBankCutoff); the default is
// the sandbox clock's today.
type SeedBankAccount struct {
	Created      string       `json:"created,omitempty"`
	Owner        string       `json:"owner"`
	IBAN         string       `json:"iban"`
	BIC          string       `json:"bic,omitempty"`
	OwnerName    string       `json:"owner_name,omitempty"`
	OwnerAddress *SeedAddress `json:"owner_address,omitempty"`
	Tag          string       `json:"tag,omitempty"`
}

// knownUser reports whether a user exists or is seeded by the document.
func (sd *seeder) knownUser(id string) bool {
	_, inState := sd.s.st.users.get(id)
	_, inDoc := sd.doc.Users[id]
	return inState || inDoc
}

// walletInfo returns the owner and currency of an existing or seeded wallet.
func (sd *seeder) walletInfo(id string) (owner, currency string, ok bool) {
	if w, found := sd.s.st.wallets.get(id); found {
		return walletOwner(w), w.W.Currency, true
	}
	if w, found := sd.doc.Wallets[id]; found {
		return w.Owner, sd.currency(w.Currency), true
	}
	return "", "", false
}

// currency is cur, else the document's, in capitals.
func (sd *seeder) currency(cur string) string {
	if cur == "" {
		cur = sd.doc.Currency
	}
	return strings.ToUpper(cur)
}

// checkUser reports, under field, a user that is neither in the sandbox nor
// in the seed.
func (sd *seeder) checkUser(f fieldErrs, field, id string) {
	if !sd.knownUser(id) {
		f.add(field, fmt.Sprintf("user %q is neither in the sandbox nor in the seed", id))
	}
}

// checkCurrency reports a currency given neither by the object nor by the
// document (cur as returned by currency).
func checkCurrency(f fieldErrs, cur string) {
	if cur == "" {
		f.add("currency", "currency is required (or a currency for the whole document)")
	}
}

// walletObj is a seeded wallet: POST /wallets.
func (sd *seeder) walletObj(id string, w SeedWallet) seedObj {
	old, exists := sd.s.st.wallets.get(id)
	cur := sd.currency(w.Currency)
	return seedObj{kind: "wallet", id: id, exists: exists,
		check: func(f fieldErrs) {
			sd.checkUser(f, "owner", w.Owner)
			checkCurrency(f, cur)
		},
		diff: func(d *diffs) {
			d.str("Owner", w.Owner, walletOwner(old))
			d.str("Currency", cur, old.W.Currency)
			d.str("Description", strings.TrimSpace(w.Description), old.W.Description)
			d.str("Tag", strings.TrimSpace(w.Tag), string(old.W.Tag))
		},
		create: func(sd *seeder) *apiError {
			desc := w.Description
			if desc == "" {
				desc = id
			}
			body := &mangopay.WalletCreateParams{Owners: []string{w.Owner}, Description: desc, Currency: cur, Tag: w.Tag}
			var out json.RawMessage
			return sd.create(sd.s.createWallet, nil, "wlt_m_", id, body, &out)
		},
	}
}

// bankObj is a seeded IBAN account: POST /users/{owner}/bankaccounts/iban.
func (sd *seeder) bankObj(id string, b SeedBankAccount) seedObj {
	old, exists := sd.s.st.banks.get(id)
	return seedObj{kind: "bank_account", id: id, exists: exists,
		check: func(f fieldErrs) {
			sd.checkUser(f, "owner", b.Owner)
			if b.IBAN == "" {
				f.required("iban")
			}
			if _, err := seedDate(b.Created); err != nil {
				f.add("created", err.Error())
			}
		},
		diff: func(d *diffs) {
			d.str("UserId", b.Owner, old.B.UserId)
			d.str("IBAN", normIBAN(b.IBAN), old.B.IBAN)
			d.str("BIC", strings.TrimSpace(b.BIC), string(old.B.BIC))
			d.str("OwnerName", strings.TrimSpace(b.OwnerName), old.B.OwnerName)
			d.str("Tag", strings.TrimSpace(b.Tag), string(old.B.Tag))
			if p := b.OwnerAddress.params(); p != nil {
				d.address("OwnerAddress", addressOf(p), old.B.OwnerAddress)
			}
			if c, _ := seedDate(b.Created); c != nil {
				d.date("CreationDate", c, ptr(time.Unix(old.B.CreationDate, 0).UTC().Truncate(24*time.Hour).Unix()))
			}
		},
		create: func(sd *seeder) *apiError {
			body := &mangopay.BankAccountIBANCreateParams{OwnerName: b.OwnerName, IBAN: b.IBAN, BIC: b.BIC, Tag: b.Tag}
			name, addr := sd.holder(b.Owner)
			if body.OwnerName == "" {
				body.OwnerName = name
			}
			if p := b.OwnerAddress.params(); p != nil {
				body.OwnerAddress = *p
			} else {
				body.OwnerAddress = addr
			}
			var out json.RawMessage
			if e := sd.create(sd.s.createIBAN, map[string]string{"userid": b.Owner}, "ba_m_", id, body, &out); e != nil {
				return e
			}
			if c, _ := seedDate(b.Created); c != nil {
				nb := *sd.s.st.banks.m[id]
				nb.B.CreationDate = *c
				sd.s.putBank(&nb)
			}
			return nil
		},
	}
}

// holder is a user's name and address as a bank account holder.
func (sd *seeder) holder(userID string) (string, mangopay.AddressParams) {
	u, ok := sd.s.st.users.get(userID)
	if !ok {
		return "", mangopay.AddressParams{}
	}
	name, a := "", mangopay.Address{}
	if u.Legal != nil {
		name, a = u.Legal.Name, u.Legal.HeadquartersAddress
	} else {
		name, a = strings.TrimSpace(u.Natural.FirstName+" "+u.Natural.LastName), u.Natural.Address
	}
	return name, mangopay.AddressParams{AddressLine1: string(a.AddressLine1), AddressLine2: string(a.AddressLine2),
		City: string(a.City), Region: string(a.Region), PostalCode: string(a.PostalCode), Country: string(a.Country)}
}

// addressOf is the stored form of an address the seed declares.
func addressOf(p *mangopay.AddressParams) mangopay.Address {
	a := mangopay.Address{AddressLine1: mangopay.NullString(p.AddressLine1), AddressLine2: mangopay.NullString(p.AddressLine2),
		City: mangopay.NullString(p.City), Region: mangopay.NullString(p.Region), PostalCode: mangopay.NullString(p.PostalCode),
		Country: mangopay.NullString(p.Country)}
	normAddress(&a)
	return a
}
