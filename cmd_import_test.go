package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"settle/internal/campaignimport"
	"settle/mangopay"
)

// sandboxEnv aims the commands of the test at s, with its credentials.
func sandboxEnv(t *testing.T, s *testSandbox) {
	t.Helper()
	t.Setenv(envClientID, testClientID)
	t.Setenv(envAPIKey, testAPIKey)
	t.Setenv(envAPIKeyFile, "")
	t.Setenv(envBaseURL, s.url)
	t.Setenv("NO_COLOR", "1")
}

// importCampaign is the campaign the import tests build through the API:
// four payers, each transfer taking a 100 fee. Anna pays by card (a direct
// pay-in), Ben on the hosted payment page (a card web pay-in), and each
// transfers it all; Clara pays by card and transfers it too, then the platform refunded 800 of hers
// (transfer and card); Dan paid in 1500 twice with the same card and
// transferred 1500 once, so which pay-in funded it cannot be told.
type importCampaign struct {
	*apiCampaign
	anna, ben, clara, dan        *apiPayer
	payAnna, payBen, payClara    string
	xferAnna, xferClara, xferDan string
}

func newImportCampaign(t *testing.T, s *testSandbox, kyc bool) *importCampaign {
	t.Helper()
	a := &importCampaign{apiCampaign: newAPICampaign(t, s, kyc)}
	a.anna, a.ben, a.clara, a.dan = a.payer("Anna"), a.payer("Ben"), a.payer("Clara"), a.payer("Dan")
	a.payAnna = a.payInDirect(a.anna, 5000)
	a.xferAnna = a.transfer(a.anna, 5000, 100)
	a.payBen = a.payInWeb(a.ben, 3000)
	a.transfer(a.ben, 3000, 100)
	a.payClara = a.payInDirect(a.clara, 2000)
	a.xferClara = a.transfer(a.clara, 2000, 100)
	a.refund(a.clara, a.xferClara, a.payClara, 800)
	a.payInDirect(a.dan, 1500)
	a.payInDirect(a.dan, 1500)
	a.xferDan = a.transfer(a.dan, 1500, 100)
	return a
}

// mustRun runs a command and fails the test unless it exits want.
func mustRun(t *testing.T, want int, args ...string) captured {
	t.Helper()
	r := runInProcess(context.Background(), args...)
	if r.code != want {
		t.Fatalf("settle %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, want, r.stdout, r.stderr)
	}
	return r
}

// readFile returns the text of path.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportFailedApplyRefundsWhatIsLeft: a campaign made through the API
// alone is imported as failed, validated and applied: every payer gets
// back exactly what was left of their contribution (to the card that paid,
// or to the wallet when the pay-in cannot be told), once; a re-import
// after apply has nothing left to do.
func TestImportFailedApplyRefundsWhatIsLeft(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	c := s.client(t, testAPIKey)
	a := newImportCampaign(t, s, false)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)

	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	mustRun(t, exitOK, "import", "--project-wallet", a.wallet, "--outcome", "failed", "--out", "failed.yaml")
	if n := apiWrites(s.sb.Stats()); n != 0 {
		t.Errorf("import made %d writes, want 0 (read only)", n)
	}
	text := readFile(t, "failed.yaml")
	for _, want := range []string{
		"Source: project wallet " + a.wallet,
		"refund_amount: 1100", // Clara: 1900 reached the project, 800 refunded before
		"refund_to: wallet",   // Dan: two pay-ins of 1500
		"not paired with certainty",
		"3 contributions paired with the pay-in that funded them (2 CARD DIRECT, 1 CARD WEB), 1 not with certainty",
		"Refunds: 3 to the card that paid, 1 to the payer's wallet only",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("imported plan lacks %q:\n%s", want, text)
		}
	}
	mustRun(t, exitOK, "validate", "failed.yaml")
	mustRun(t, exitOK, "apply", "failed.yaml", "--yes")

	checkLedger(t, s)
	for _, w := range []struct {
		name, id string
		want     int64
	}{{"project", a.wallet, 0}, {"Anna", a.anna.wallet, 0}, {"Ben", a.ben.wallet, 0}, {"Clara", a.clara.wallet, 0},
		{"Dan", a.dan.wallet, 3000}} { // Dan: the 1500 never transferred, and the 1500 refunded to his wallet
		if got := balance(t, c, w.id); got != w.want {
			t.Errorf("%s's wallet holds %d after apply, want %d", w.name, got, w.want)
		}
	}
	for _, p := range []struct {
		name, id string
		want     []int64
	}{{"Anna", a.payAnna, []int64{5000}}, {"Ben", a.payBen, []int64{3000}}, {"Clara", a.payClara, []int64{800, 1100}}} {
		if got := cardRefunds(t, c, p.id); !equalAmounts(got, p.want) {
			t.Errorf("%s's card refunds = %v, want %v", p.name, got, p.want)
		}
	}

	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	mustRun(t, exitOK, "apply", "failed.yaml", "--yes")
	if got := apiWrites(s.sb.Stats()); got != 0 {
		t.Errorf("second apply made %d writes, want 0", got)
	}
	mustRun(t, exitOK, "import", "--project-wallet", a.wallet, "--outcome", "failed", "--out", "again.yaml")
	mustRun(t, exitOK, "plan", "again.yaml", "--detailed-exitcode")
}

// TestImportSucceededPaysOutNetOfFees: imported as succeeded and applied,
// the campaign is paid out to the owner's bank account: what reached the
// project wallet (net of the transfer fees) less what was refunded before;
// a re-import after apply has nothing left to do.
func TestImportSucceededPaysOutNetOfFees(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	c := s.client(t, testAPIKey)
	a := newImportCampaign(t, s, true)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)

	mustRun(t, exitOK, "import", "--project-wallet", a.wallet, "--outcome", "succeeded", "--out", "succeeded.yaml")
	const want = 4900 + 2900 + 1900 - 800 + 1400
	if text := readFile(t, "succeeded.yaml"); !strings.Contains(text, "amount: 10300") {
		t.Errorf("imported plan does not pay out %d:\n%s", want, text)
	}
	mustRun(t, exitOK, "validate", "succeeded.yaml")
	mustRun(t, exitOK, "apply", "succeeded.yaml", "--yes")
	checkLedger(t, s)
	if got := balance(t, c, a.wallet); got != 0 {
		t.Errorf("project wallet holds %d after the payout, want 0", got)
	}
	var paid []int64
	for tx, err := range c.Transactions.ListByWallet(context.Background(), a.wallet, &mangopay.ListOptions{Type: []string{"PAYOUT"}}) {
		if err != nil {
			t.Fatal(err)
		}
		if tx.Status == mangopay.StatusSucceeded {
			paid = append(paid, tx.DebitedFunds.Amount)
		}
	}
	if !equalAmounts(paid, []int64{want}) {
		t.Errorf("payouts = %v, want one of %d", paid, want)
	}
	mustRun(t, exitOK, "import", "--project-wallet", a.wallet, "--outcome", "succeeded", "--out", "again.yaml")
	mustRun(t, exitOK, "plan", "again.yaml", "--detailed-exitcode")
}

// TestImportOpenOnlyAdopts: the plan of an open campaign adopts what
// exists and creates nothing.
func TestImportOpenOnlyAdopts(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	a := newImportCampaign(t, s, false)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)
	r := mustRun(t, exitOK, "import", "--project-wallet", a.wallet)
	if err := os.WriteFile("open.yaml", []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	p := mustRun(t, exitOK, "plan", "open.yaml", "--detailed-exitcode")
	for _, line := range strings.Split(p.stdout, "\n") {
		if l := strings.TrimSpace(line); strings.HasPrefix(l, "+") || strings.HasPrefix(l, "~") || strings.HasPrefix(l, "!") {
			t.Errorf("plan of an open import: %q, want only adopt or unchanged", l)
		}
	}
	if !strings.Contains(p.stdout, "0 to create, 0 to update") {
		t.Errorf("plan of an open import:\n%s", p.stdout)
	}
}

// checkLedger asks the sandbox's admin API whether its ledger adds up.
func checkLedger(t *testing.T, s *testSandbox) {
	t.Helper()
	resp, err := http.Get(s.url + "/sandbox/ledger")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var doc struct{ OK bool }
	if json.Unmarshal(body, &doc) != nil || !doc.OK {
		t.Errorf("GET /sandbox/ledger: %d %s", resp.StatusCode, body)
	}
}

func balance(t *testing.T, c *mangopay.Client, wallet string) int64 {
	t.Helper()
	w, err := c.Wallets.Get(context.Background(), wallet)
	if err != nil {
		t.Fatal(err)
	}
	return w.Balance.Amount
}

// cardRefunds lists the SUCCEEDED refunds of a pay-in, oldest first.
func cardRefunds(t *testing.T, c *mangopay.Client, payin string) []int64 {
	t.Helper()
	var out []int64
	for r, err := range c.PayIns.Refunds(context.Background(), payin, &mangopay.ListOptions{Sort: "CreationDate:ASC"}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == mangopay.StatusSucceeded {
			out = append(out, r.DebitedFunds.Amount)
		}
	}
	return out
}

func equalAmounts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rewriteProxy serves the sandbox s, letting edit change the decoded JSON
// answer of any GET whose path ends with suffix (or answer 404 when edit
// is nil): a MANGOPAY in a state the sandbox cannot be driven into.
func rewriteProxy(t *testing.T, s *testSandbox, suffix string, edit func(any) any) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, suffix) {
			s.sb.ServeHTTP(w, r)
			return
		}
		if edit == nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"Message":"The ressource does not exist","Type":"ressource_not_found","Id":"x","Date":0,"errors":{"RessourceNotFound":"Cannot found the ressource with the given Id"}}`)
			return
		}
		rec := httptest.NewRecorder()
		s.sb.ServeHTTP(rec, r)
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Errorf("rewriteProxy: %s: %v", r.URL.Path, err)
		}
		body, _ := json.Marshal(edit(v))
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// setWhere sets field to value in the first object of a list, or every
// object, whose Id is id ("" for the first object).
func setWhere(id, field string, value any) func(any) any {
	return func(v any) any {
		items, ok := v.([]any)
		if !ok {
			items = []any{v}
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m != nil && (id == "" || m["Id"] == id) {
				m[field] = value
				if id == "" {
					break
				}
			}
		}
		return v
	}
}

// TestImportBadInput: an unknown wallet, a payer's wallet, a currency mix,
// a contribution from a closed wallet: each a clear message, exit 1,
// nothing written (no file, no API write).
func TestImportBadInput(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	a := newImportCampaign(t, s, false)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)
	gbp := func(v any) any {
		for _, it := range v.([]any) {
			if m := it.(map[string]any); m["Type"] == "TRANSFER" {
				m["DebitedFunds"] = map[string]any{"Currency": "GBP", "Amount": 5000}
				break
			}
		}
		return v
	}
	tests := []struct {
		name, wallet, baseURL, want string
	}{
		{"unknown wallet", "wlt_m_01JNOSUCHWALLET0000000000000", s.url, "wallet wlt_m_01JNOSUCHWALLET0000000000000 not found on MANGOPAY"},
		{"payer's wallet", a.anna.wallet, s.url, "a PAYER: a project wallet belongs to an OWNER"},
		{"currency mix", a.wallet, rewriteProxy(t, s, "/wallets/"+a.wallet+"/transactions", gbp), "a currency mix"},
		{"closed wallet", a.wallet, rewriteProxy(t, s, "/wallets/"+a.dan.wallet+"/transactions", nil),
			"transfer " + a.xferDan + " was debited from wallet " + a.dan.wallet + ", which is closed"},
		{"closed payer", a.wallet, rewriteProxy(t, s, "/users", setWhere(a.clara.user, "UserStatus", "CLOSED")),
			"transfer " + a.xferClara + " was debited from a wallet of " + a.clara.user + ", whose account is CLOSED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envBaseURL, tt.baseURL)
			if err := resetStats(s.sb); err != nil {
				t.Fatal(err)
			}
			r := mustRun(t, exitError, "import", "--project-wallet", tt.wallet, "--outcome", "failed", "--out", "bad.yaml")
			if !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("stderr = %q, want %q (stdout %q)", r.stderr, tt.want, r.stdout)
			}
			if _, err := os.Stat("bad.yaml"); !os.IsNotExist(err) {
				t.Errorf("bad.yaml written (%v)", err)
			}
			if n := apiWrites(s.sb.Stats()); n != 0 {
				t.Errorf("import made %d writes, want 0", n)
			}
		})
	}
}

// TestImportInterrupted: an import cut short exits 130 and writes
// nothing, neither the plan nor to MANGOPAY.
func TestImportInterrupted(t *testing.T) {
	s := newTestSandbox(t, testAPIKey, 0)
	a := newImportCampaign(t, s, false)
	chdir(t, t.TempDir())
	sandboxEnv(t, s)
	if err := resetStats(s.sb); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runInProcess(ctx, "import", "--project-wallet", a.wallet, "--outcome", "failed", "--out", "cut.yaml")
	if r.code != exitInterrupted || r.stdout != "" {
		t.Errorf("exit %d, stdout %q, want %d and nothing\nstderr:\n%s", r.code, r.stdout, exitInterrupted, r.stderr)
	}
	if _, err := os.Stat("cut.yaml"); !os.IsNotExist(err) {
		t.Errorf("cut.yaml written (%v)", err)
	}
	if n := apiWrites(s.sb.Stats()); n != 0 {
		t.Errorf("import made %d writes, want 0", n)
	}
}

// TestImportProgress: the bar counts calls against those expected, also
// when they grow past a bar that was full, says how long the rate limit
// holds the reads back, is drawn only on a terminal, and is erased at the
// end. The rate, elapsed time and ETA are the wall clock's (wallClock).
func TestImportProgress(t *testing.T) {
	if pr := newProgress(context.Background(), &bytes.Buffer{}, nil, interruptImport); pr != nil {
		t.Errorf("newProgress(buffer) = %v, want nil (not a terminal)", pr)
	}
	now := time.Date(2026, 12, 5, 4, 0, 0, 0, time.UTC)
	var rl mangopay.RateLimitState
	term := &fakeTerminal{}
	pr := newProgressOn(term, func() mangopay.RateLimitState { return rl }, func() time.Time { return now })
	pr.interrupt = interruptImport
	screen := func() string {
		s := term.screen()
		for _, m := range wallClock {
			s = m.re.ReplaceAllString(s, m.with)
		}
		return s
	}
	for _, tc := range []struct {
		p       campaignimport.Progress
		waiting bool
		want    string
	}{
		{campaignimport.Progress{Calls: 7, Expected: 120}, false,
			"reading MANGOPAY   5% |█                   | (7/120, <rate>) [<elapsed>:<ETA>]"},
		{campaignimport.Progress{Calls: 8, Expected: 8}, false,
			"reading MANGOPAY 100% |████████████████████| (8/8, <rate>)"},
		{campaignimport.Progress{Calls: 9, Expected: 40}, false,
			"reading MANGOPAY  22% |████                | (9/40, <rate>) [<elapsed>:<ETA>]"},
		{campaignimport.Progress{Calls: 10, Expected: 40}, true,
			"reading MANGOPAY, waiting for the rate limit (12 s)  25% |█████               | (10/40, <rate>) [<elapsed>:<ETA>]"},
	} {
		if tc.waiting {
			rl = mangopay.RateLimitState{Waiting: true, Windows: []mangopay.RateLimitWindow{
				{Made: 2300, Remaining: 0, Reset: now.Add(12 * time.Second)}}}
		}
		pr.updateImport(tc.p)
		if got := screen(); got != tc.want {
			t.Errorf("after %+v, screen = %q, want %q", tc.p, got, tc.want)
		}
	}
	pr.finish()
	if got := term.screen(); got != "" {
		t.Errorf("screen after finish = %q, want it empty", got)
	}
}
