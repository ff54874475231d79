package plan

import (
	"slices"
	"strings"
	"testing"
)

func TestBasePlanIsValid(t *testing.T) {
	path := writePlan(t, basePlan)
	p, err := Load(path)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if _, err := Expand(p); err != nil {
		t.Fatalf("Expand() error = %v", err)
	}
}

// semanticCases break basePlan one rule at a time (edits apply in order).
var semanticCases = []struct {
	name  string
	edits []string // old, new, old, new...
	want  []string
}{
	{"unknown wallet owner", []string{"garden:      {owner: cyrano", "garden:      {owner: cyran"},
		[]string{
			`plan.yaml:32:24: wallets.garden.owner: unknown user "cyran" (did you mean "cyrano"?)`,
		}},
	{"unknown far from anything", []string{"{owner: alice}", "{owner: zzzzzz}"},
		[]string{
			`plan.yaml:34:24: wallets.alice.owner: unknown user "zzzzzz"`,
		}},
	{"unknown bank account owner", []string{"cyrano-iban: {owner: cyrano", "cyrano-iban: {owner: cyr"},
		[]string{
			`plan.yaml:38:24: bank_accounts.cyrano-iban.owner: unknown user "cyr" (did you mean "cyrano"?)`,
		}},
	{"unknown kyc user", []string{"    user: cyrano\n", "    user: nobody\n"},
		[]string{
			`plan.yaml:42:11: kyc_documents.cyrano-id.user: unknown user "nobody"`,
		}},
	{"unknown card user", []string{"{user: alice, number", "{user: alicia, number"},
		[]string{
			`plan.yaml:48:22: cards.alice-visa.user: unknown user "alicia" (did you mean "alice"?)`,
		}},
	{"unknown campaign wallet", []string{"wallet: garden", "wallet: gardens"},
		[]string{
			`plan.yaml:52:13: campaigns.garden-2026.wallet: unknown wallet "gardens" (did you mean "garden"?)`,
		}},
	{"unknown payout bank account", []string{"bank_account: cyrano-iban,", "bank_account: cyrano-ibn,"},
		[]string{
			`plan.yaml:55:28: campaigns.garden-2026.payout.bank_account: unknown bank account "cyrano-ibn" (did you mean "cyrano-iban"?)`,
		}},
	{"unknown contribution wallet", []string{"from: alice\n", "from: alce\n"},
		[]string{
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: unknown wallet "alce" (did you mean "alice"?)`,
		}},
	{"unknown payin card", []string{"payin: {card: alice-visa}\n        transfer", "payin: {card: alice}\n        transfer"},
		[]string{
			`plan.yaml:60:23: campaigns.garden-2026.contributions.0.payin.card: unknown card "alice" (did you mean "alice-visa"?)`,
		}},
	{"contributor wallet of an owner", []string{"from: alice\n", "from: acme\n"},
		[]string{
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: wallet "acme" belongs to "acme", an owner: contributions come from payers' wallets`,
			`plan.yaml:60:23: campaigns.garden-2026.contributions.0.payin.card: card "alice-visa" belongs to "alice", but wallet "acme" belongs to "acme": a contributor pays with their own card`,
		}},
	{"contribution from the project wallet", []string{"from: alice\n", "from: garden\n"},
		[]string{
			"plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: a contribution cannot come from the project wallet itself",
			`plan.yaml:60:23: campaigns.garden-2026.contributions.0.payin.card: card "alice-visa" belongs to "alice", but wallet "garden" belongs to "cyrano": a contributor pays with their own card`,
		}},
	{"project wallet of a payer", []string{"wallet: garden", "wallet: alice"},
		[]string{
			`plan.yaml:52:13: campaigns.garden-2026.wallet: project wallet "alice" belongs to "alice", a payer: a project wallet must belong to an owner`,
			`plan.yaml:55:28: campaigns.garden-2026.payout.bank_account: bank account "cyrano-iban" belongs to "cyrano", not to the project owner "alice"`,
			"plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: a contribution cannot come from the project wallet itself",
		}},
	{"payout to someone else's account", []string{"cyrano-iban: {owner: cyrano", "cyrano-iban: {owner: acme"},
		[]string{
			`plan.yaml:55:28: campaigns.garden-2026.payout.bank_account: bank account "cyrano-iban" belongs to "acme", not to the project owner "cyrano"`,
		}},
	{"wallet currency mismatch", []string{"{owner: alice}", "{owner: alice, currency: GBP}"},
		[]string{
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: wallet "alice" holds GBP but the project wallet "garden" holds EUR`,
			`plan.yaml:60:23: campaigns.garden-2026.contributions.0.payin.card: card "alice-visa" is in EUR but wallet "alice" holds GBP`,
			`plan.yaml:69:30: campaigns.acme-2026.contributions.0.from: wallet "alice" holds GBP but the project wallet "acme" holds EUR`,
			`plan.yaml:69:65: campaigns.acme-2026.contributions.0.payin.card: card "alice-visa" is in EUR but wallet "alice" holds GBP`,
			`plan.yaml:70:30: campaigns.acme-2026.contributions.1.from: wallet "alice" holds GBP but the project wallet "acme" holds EUR`,
			`plan.yaml:70:65: campaigns.acme-2026.contributions.1.payin.card: card "alice-visa" is in EUR but wallet "alice" holds GBP`,
		}},
	{"bad IBAN checksum", []string{"FR7630004000031234567890143", "FR7630004000031234567890144"},
		[]string{
			"plan.yaml:38:38: bank_accounts.cyrano-iban.iban: the IBAN's check digits are wrong: a character is mistyped",
		}},
	{"bad IBAN length", []string{"FR7630004000031234567890143", "FR763000400003123456789014"},
		[]string{
			"plan.yaml:38:38: bank_accounts.cyrano-iban.iban: FR IBANs have 27 characters, this one has 26",
		}},
	{"bad IBAN country", []string{"FR7630004000031234567890143", "QQ7630004000031234567890143"},
		[]string{
			`plan.yaml:38:38: bank_accounts.cyrano-iban.iban: "QQ" is not a country that uses IBANs`,
		}},
	{"bank account without address", []string{"cyrano-iban: {owner: cyrano", "cyrano-iban: {owner: alice"},
		[]string{
			`plan.yaml:38:16: bank_accounts.cyrano-iban: needs owner_address: user "alice" has no address in the plan to default to`,
			`plan.yaml:55:28: campaigns.garden-2026.payout.bank_account: bank account "cyrano-iban" belongs to "alice", not to the project owner "cyrano"`,
		}},
	{"card fails Luhn", []string{"4970107111111119", "4970107111111118"},
		[]string{
			"plan.yaml:48:37: cards.alice-visa.number: is not a valid card number (the Luhn check digit is wrong)",
		}},
	{"KYC type for a natural user", []string{"type: IDENTITY_PROOF", "type: REGISTRATION_PROOF"},
		[]string{
			"plan.yaml:43:11: kyc_documents.cyrano-id.type: REGISTRATION_PROOF cannot be filed for a natural user (allowed: IDENTITY_PROOF, ADDRESS_PROOF)",
		}},
	{"KYC of a payer", []string{"    user: cyrano\n", "    user: alice\n", "type: IDENTITY_PROOF", "type: ADDRESS_PROOF"},
		[]string{
			`plan.yaml:42:11: kyc_documents.cyrano-id.user: user "alice" is a payer: MANGOPAY refuses KYC documents of payers (make the user an owner)`,
		}},
	{"KYC articles for a sole trader", []string{"legal_person_type: BUSINESS", "legal_person_type: SOLETRADER", "    user: cyrano\n", "    user: acme\n", "type: IDENTITY_PROOF", "type: ARTICLES_OF_ASSOCIATION", "[kyc/id.pdf]", "[kyc/id.pdf, kyc/id.pdf]"},
		[]string{
			"plan.yaml:43:11: kyc_documents.cyrano-id.type: ARTICLES_OF_ASSOCIATION cannot be filed for a legal user of type SOLETRADER (allowed: IDENTITY_PROOF, REGISTRATION_PROOF, SHAREHOLDER_DECLARATION)",
		}},
	{"KYC page missing", []string{"[kyc/id.pdf]", "[kyc/passport.pdf]"},
		[]string{
			`plan.yaml:44:13: kyc_documents.cyrano-id.pages.0: file "kyc/passport.pdf" not found (paths are relative to the plan's folder)`,
		}},
	{"KYC page outside", []string{"[kyc/id.pdf]", "[kyc/../../id.pdf]"},
		[]string{
			`plan.yaml:44:13: kyc_documents.cyrano-id.pages.0: "kyc/../../id.pdf" is outside the plan's folder`,
		}},
	{"KYC page absolute", []string{"[kyc/id.pdf]", "[/etc/hostname]"},
		[]string{
			`plan.yaml:44:13: kyc_documents.cyrano-id.pages.0: "/etc/hostname" is an absolute path: give a path relative to the plan's folder`,
		}},
	{"KYC page is a folder", []string{"[kyc/id.pdf]", "[kyc]"},
		[]string{
			`plan.yaml:44:13: kyc_documents.cyrano-id.pages.0: "kyc" is not a regular file`,
		}},
	{"KYC page too small for an identity proof", []string{"[kyc/id.pdf]", "[kyc/id.pdf, plan.yaml]"},
		[]string{
			`plan.yaml:44:25: kyc_documents.cyrano-id.pages.1: "plan.yaml" is <size> bytes: MANGOPAY needs at least 32768 bytes (32 KB) per IDENTITY_PROOF page`,
			`plan.yaml:44:25: kyc_documents.cyrano-id.pages.1: "plan.yaml" is not a PDF, JPEG or PNG file (by its content)`,
		}},
	{"outcome succeeded without payout", []string{"    payout: {bank_account: cyrano-iban, wire_ref: GARDEN2026}\n", ""},
		[]string{
			"plan.yaml:51:3: campaigns.garden-2026: a succeeded campaign needs a payout (payout: {bank_account: ...})",
		}},
	{"outcome failed without refund", []string{"    refund: {to: card}\n", ""},
		[]string{
			"plan.yaml:63:3: campaigns.acme-2026: a failed campaign needs a refund (refund: {to: wallet} or {to: card})",
		}},
	{"outcome open with payout", []string{"outcome: succeeded", "outcome: open"},
		[]string{
			"plan.yaml:55:13: campaigns.garden-2026.payout: an open campaign is not paid out yet: remove the payout or set outcome: succeeded",
		}},
	{"outcome failed with payout", []string{"outcome: succeeded", "outcome: failed\n    refund: {to: wallet}", "fees: {percent: 8}", "fees: {percent: 8, on: transfer}"},
		[]string{
			"plan.yaml:56:13: campaigns.garden-2026.payout: only a succeeded campaign is paid out; this one failed",
		}},
	{"outcome succeeded with refund", []string{"outcome: failed", "outcome: succeeded\n    payout: {bank_account: cyrano-iban}"},
		[]string{
			`plan.yaml:66:28: campaigns.acme-2026.payout.bank_account: bank account "cyrano-iban" belongs to "cyrano", not to the project owner "acme"`,
			"plan.yaml:67:13: campaigns.acme-2026.refund: only a failed campaign is refunded; this one succeeded",
			"plan.yaml:71:93: campaigns.acme-2026.contributions.1.refund_amount: only a failed campaign's contributions are refunded; this campaign is succeeded",
		}},
	{"failed campaign with fees on payout", []string{"fees: {percent: 5, on: transfer}", "fees: {percent: 5}"},
		[]string{
			"plan.yaml:67:11: campaigns.acme-2026.fees: a failed campaign takes no fees: it has no payout to take them on; remove fees, or, if a fee was taken on each transfer during the campaign, write on: transfer (full refunds hand it back)",
		}},
	{"refund to card without payin", []string{"{key: alice-2, from: alice, amount: 1000, payin: {card: alice-visa}, refund_amount: 400}", "{key: alice-2, from: alice, amount: 1000}"},
		[]string{
			"plan.yaml:70:9: campaigns.acme-2026.contributions.1: refund to card needs the card pay-in of each contribution: add payin: {card: ...} or payin: {id: ...}",
		}},
	{"refund above net transfer", []string{"refund_amount: 400", "refund_amount: 951"},
		[]string{
			"plan.yaml:70:93: campaigns.acme-2026.contributions.1.refund_amount: refunds 951 but only 950 reached the project wallet (amount 1000 minus fee 50)",
		}},
	{"per-transfer fee eats the amount", []string{"fees: {percent: 5, on: transfer}", "fees: {fixed: 1999, on: transfer}"},
		[]string{
			"plan.yaml:69:45: campaigns.acme-2026.contributions.0.amount: the transfer fee (1999) takes all of the amount (1999): nothing would reach the project wallet",
			"plan.yaml:70:45: campaigns.acme-2026.contributions.1.amount: the transfer fee (1999) takes all of the amount (1000): nothing would reach the project wallet",
		}},
	{"payout above what was received", []string{"wire_ref: GARDEN2026}", "wire_ref: GARDEN2026, amount: 8001}"},
		[]string{
			"plan.yaml:55:71: campaigns.garden-2026.payout.amount: pays out 8001 but the project wallet receives only 8000 (contributions 8000 minus transfer fees 0)",
		}},
	{"payout fee above payout", []string{"fees: {percent: 8}", "fees: {fixed: 7000}", "wire_ref: GARDEN2026}", "wire_ref: GARDEN2026, amount: 6000}"},
		[]string{
			"plan.yaml:54:19: campaigns.garden-2026.fees.fixed: the fee on the payout (7000) is more than the payout (6000)",
		}},
	{"contributions overflow", []string{"amount: 5000\n", "amount: 9223372036854775807\n"},
		[]string{
			"plan.yaml:56:5: campaigns.garden-2026.contributions: the contributions add up to more than 9223372036854775807 cents, which no amount can hold",
		}},
	{"payin fees overflow", []string{"payin: {card: alice-visa, fees: 50}", "payin: {card: alice-visa, fees: 9223372036854775807}"},
		[]string{
			"plan.yaml:69:83: campaigns.acme-2026.contributions.0.payin.fees: amount plus pay-in fees is too large for an amount",
		}},
	{"duplicate contribution key", []string{"key: bob-1", "key: alice-1"},
		[]string{
			`plan.yaml:62:15: campaigns.garden-2026.contributions.1.key: contribution key "alice-1" is already used in this campaign (line 57)`,
		}},
	{"adopted id used twice", []string{"{id: \"wlt_m_01HV\", owner: bob}", "{id: \"user_m_01HV\", owner: bob}"},
		[]string{
			`plan.yaml:35:21: wallets.bob.id: id "user_m_01HV" is already adopted by users.bob (line 29): one MANGOPAY object cannot be two plan objects`,
		}},
	{"legal field on a natural user", []string{"first_name: Alice,", "first_name: Alice, name: Alice Inc,"},
		[]string{
			`plan.yaml:28:68: users.alice.name: "name" is only for legal users; a natural user has first_name and last_name`,
		}},
	{"natural field on a legal user", []string{"    name: ACME SAS\n", "    name: ACME SAS\n    birthday: 1990-01-01\n"},
		[]string{
			`plan.yaml:22:15: users.acme.birthday: "birthday" is only for natural users; a legal user's representative goes under legal_representative`,
		}},
	{"contribution from a user", []string{"  alice:       {owner: alice}", "  alice-eur:   {owner: alice}"},
		[]string{
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: alice is a user; from takes a wallet key: did you mean wallet "alice-eur"?`,
			`plan.yaml:69:30: campaigns.acme-2026.contributions.0.from: alice is a user; from takes a wallet key: did you mean wallet "alice-eur"?`,
			`plan.yaml:70:30: campaigns.acme-2026.contributions.1.from: alice is a user; from takes a wallet key: did you mean wallet "alice-eur"?`,
		}},
	{"contribution from a user without a wallet", []string{"  alice:       {owner: alice}\n", ""},
		[]string{
			`plan.yaml:57:15: campaigns.garden-2026.contributions.0.from: alice is a user; from takes a wallet key, and alice has no wallet for it: declare one under wallets`,
			`plan.yaml:68:30: campaigns.acme-2026.contributions.0.from: alice is a user; from takes a wallet key, and alice has no wallet for it: declare one under wallets`,
			`plan.yaml:69:30: campaigns.acme-2026.contributions.1.from: alice is a user; from takes a wallet key, and alice has no wallet for it: declare one under wallets`,
		}},
	{"contribution from an owner's user key", []string{"from: alice\n        amount: 5000", "from: cyrano\n        amount: 5000"},
		[]string{
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: cyrano is a user, and an owner: from takes the wallet key of a payer`,
		}},
	{"project wallet names a user", []string{"wallet: garden", "wallet: cyrano"},
		[]string{
			`plan.yaml:52:13: campaigns.garden-2026.wallet: cyrano is a user; wallet takes a wallet key: did you mean wallet "garden"?`,
		}},
	{"schema and reference errors together", []string{"nationality: FR\n    country_of_residence: FR\n    address: {line1: Street 7", "nationality: fr\n    country_of_residence: FR\n    address: {line1: Street 7", "from: alice\n        amount: 5000", "from: alyce\n        amount: 5000"},
		[]string{
			"plan.yaml:14:18: users.cyrano.nationality: must be a country code of 2 capital letters, like FR",
			`plan.yaml:58:15: campaigns.garden-2026.contributions.0.from: unknown wallet "alyce" (did you mean "alice"?)`,
		}},
	{"no error follows from an object the schema refused", []string{"  alice:       {owner: alice}", "  alice:       {owner: alice, currency: euro}"},
		[]string{
			`plan.yaml:34:41: wallets.alice.currency: "euro" is not one of AED, AUD, CAD, CHF, CZK, DKK, EUR, GBP, HKD, JPY, NOK, PLN, SEK, USD, ZAR (did you mean "EUR"?)`,
		}},
	{"a top-level schema error stops the semantic checks", []string{"currency: EUR", "currency: euro", "from: alice\n        amount: 5000", "from: alyce\n        amount: 5000"},
		[]string{
			`plan.yaml:4:11: currency: "euro" is not one of AED, AUD, CAD, CHF, CZK, DKK, EUR, GBP, HKD, JPY, NOK, PLN, SEK, USD, ZAR (did you mean "EUR"?)`,
		}},
	{"blocked country", []string{"country_of_residence: FR\n    address", "country_of_residence: KP\n    address"},
		[]string{
			"plan.yaml:15:27: users.cyrano.country_of_residence: MANGOPAY does not accept residents of KP (country restrictions)",
		}},
}

// planSizeMarker stands for the size of the test's plan.yaml in messages.
const planSizeMarker = "<size>"

func TestSemanticChecks(t *testing.T) {
	for _, tc := range semanticCases {
		t.Run(tc.name, func(t *testing.T) {
			text := editAll(t, basePlan, tc.edits)
			got := loadErrors(t, text)
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = strings.ReplaceAll(w, planSizeMarker, itoa(len(text)))
			}
			if !slices.Equal(got, want) {
				t.Errorf("Load() errors =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
