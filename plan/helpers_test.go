package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// basePlan is a valid plan using every kind of object; tests break it one
// rule at a time with edit.
const basePlan = `# yaml-language-server: $schema=../schemas/plan.schema.json
version: 1
name: spring-2026
currency: EUR

users:
  cyrano:
    type: natural
    category: owner
    first_name: Cyrano
    last_name: de Bergerac
    email: cyrano@bergerac.example
    birthday: 1961-10-23
    nationality: FR
    country_of_residence: FR
    address: {line1: Street 7, city: Paris, region: Ile de France, postal_code: "75009", country: FR}
    terms_accepted: true
  acme:
    type: legal
    category: owner
    name: ACME SAS
    legal_person_type: BUSINESS
    company_number: "123456789"
    email: finance@acme.example
    address: {line1: 1 rue Haute, city: Lyon, postal_code: "69001", country: FR}
    terms_accepted: true
    legal_representative: {first_name: Ada, last_name: Lovelace, email: ada@acme.example.org, birthday: 1980-12-10, nationality: FR, country_of_residence: FR}
  alice: {type: natural, category: payer, first_name: Alice, last_name: Martin, email: alice@example.org}
  bob:   {id: "user_m_01HV", type: natural, category: payer}

wallets:
  garden:      {owner: cyrano, description: Community garden}
  acme:        {owner: acme}
  alice:       {owner: alice}
  bob:         {id: "wlt_m_01HV", owner: bob}

bank_accounts:
  cyrano-iban: {owner: cyrano, iban: FR7630004000031234567890143, bic: BNPAFRPP}

kyc_documents:
  cyrano-id:
    user: cyrano
    type: IDENTITY_PROOF
    pages: [kyc/id.pdf]
    sandbox_outcome: accept

cards:
  alice-visa: {user: alice, number: "4970107111111119", expiry: "12/49", cvx: "123"}

campaigns:
  garden-2026:
    wallet: garden
    outcome: succeeded
    fees: {percent: 8}
    payout: {bank_account: cyrano-iban, wire_ref: GARDEN2026}
    contributions:
      - key: alice-1
        from: alice
        amount: 5000
        payin: {card: alice-visa}
        transfer: {}
      - {key: bob-1, from: bob, amount: 3000, payin: {id: "wt_1"}, transfer: {id: "xfer_m_1"}}
  acme-2026:
    wallet: acme
    outcome: failed
    refund: {to: card}
    fees: {percent: 5, on: transfer}
    contributions:
      - {key: alice-1, from: alice, amount: 1999, payin: {card: alice-visa, fees: 50}}
      - {key: alice-2, from: alice, amount: 1000, payin: {card: alice-visa}, refund_amount: 400}
`

// testNow is the one clock of the package's tests: the checks that depend
// on the date (card expiry, birthdays) run at this instant.
var testNow = time.Date(2026, time.November, 23, 22, 0, 0, 0, time.UTC)

// testChecker returns a checker of an empty plan on the test clock, and
// the list its errors go to, to test one rule alone.
func testChecker() (*checker, *ErrorList) {
	errs := &ErrorList{}
	return &checker{p: &Plan{}, errs: errs, clock: func() time.Time { return testNow }}, errs
}

// edit replaces old by new in s, failing the test when old is missing.
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("edit: %q not in the plan", old)
	}
	return strings.Replace(s, old, new, 1)
}

// editAll applies edits, pairs of old and new, to s in order with edit.
func editAll(t *testing.T, s string, edits []string) string {
	t.Helper()
	for i := 0; i+1 < len(edits); i += 2 {
		s = edit(t, s, edits[i], edits[i+1])
	}
	return s
}

// writePlan writes a plan and its KYC sample page into a new folder and
// returns the plan's path.
func writePlan(t testing.TB, text string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "kyc", "id.pdf"), pdf(40<<10))
	path := filepath.Join(dir, "plan.yaml")
	writeFile(t, path, []byte(text))
	return path
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdf returns a file of size bytes that starts like a PDF.
func pdf(size int) []byte {
	b := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{'0'}, size)...)
	return b[:size]
}

// loadErrors loads a plan and returns its errors, one line each, with the
// folder removed from file names.
func loadErrors(t *testing.T, text string) []string {
	t.Helper()
	path := writePlan(t, text)
	_, err := Load(path)
	return errorLines(err, filepath.Dir(path)+string(filepath.Separator))
}

func errorLines(err error, trim string) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		out = append(out, strings.TrimPrefix(line, trim))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
