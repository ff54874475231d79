package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// recipientSandbox starts a sandbox that applies MANGOPAY's rules of
// today (a payout to a legacy account created after 2026-04-30 FAILS
// 121018), aims the commands at it and works in a copy of examples/.
func recipientSandbox(t *testing.T) *testSandbox {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{ClientID: testClientID, APIKey: testAPIKey, LegacyBankCutoff: true})
	if err != nil {
		t.Fatal(err)
	}
	s := serveTestSandbox(t, sb)
	sandboxEnv(t, s)
	chdir(t, workDir(t))
	return s
}

// editedExample writes examples/<name> with each old string replaced by
// its new one, and returns its path.
func editedExample(t *testing.T, from, name string, oldNew ...string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("examples", from))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(oldNew); i += 2 {
		if !strings.Contains(text, oldNew[i]) {
			t.Fatalf("%s holds no %q", from, oldNew[i])
		}
		text = strings.Replace(text, oldNew[i], oldNew[i+1], 1)
	}
	path := filepath.Join("examples", name)
	writeTestFile(t, path, text)
	return path
}

// TestRecipientPendingUntilApproved: an owner without the sandbox's
// accept bypass must approve her bank account, registered as a Recipient:
// apply ends it pending with the approval URL and skips the payout (exit
// 5); once the emulator's admin route activates it, the next apply
// journals it, pays out to its RecipientId, and nothing is left to do.
func TestRecipientPendingUntilApproved(t *testing.T) {
	s := recipientSandbox(t)
	ctx := context.Background()
	planFile := editedExample(t, "succeeded-natural.yaml", "approval.yaml", "ines.moreau+accept@", "ines.moreau@")
	r := runInProcess(ctx, "apply", planFile, "--yes")
	url := regexp.MustCompile(`bank_account/ines-iban: owner must approve the bank account: (\S+/sca/recipients/(rec_\S+))`).FindStringSubmatch(r.stdout)
	if r.code != exitPending || url == nil || !strings.Contains(r.stdout, "payout/oven-2026: skipped: upstream bank_account/ines-iban pending") {
		t.Fatalf("apply: exit %d, want %d with the recipient's URL and the payout skipped\n%s\n%s", r.code, exitPending, r.stdout, r.stderr)
	}
	if !strings.HasPrefix(url[1], s.url) {
		t.Errorf("approval URL %s is not the sandbox's page", url[1])
	}
	if r := runInProcess(ctx, "plan", planFile); !strings.Contains(r.stdout, "(pending: owner must approve the bank account: "+url[1]+")") {
		t.Errorf("plan does not show the recipient awaiting approval:\n%s", r.stdout)
	}
	if r := runInProcess(ctx, "apply", planFile, "--yes"); r.code != exitPending {
		t.Fatalf("apply before approval: exit %d, want %d\n%s", r.code, exitPending, r.stdout)
	}
	admin(t, s, "/sandbox/recipients/"+url[2]+"/activate")
	if r := runInProcess(ctx, "apply", planFile, "--yes"); r.code != exitOK {
		t.Fatalf("apply after approval: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runInProcess(ctx, "plan", planFile, "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan --detailed-exitcode: exit %d\n%s", r.code, r.stdout)
	}
	assertPaidToRecipients(t, s.client(t, testAPIKey), planFile, 1)
}

// assertPaidToRecipients checks that the plan's succeeded payouts (at
// least want) went to Recipients (RecipientId set), but for those to a
// legacy bank account the plan adopted (BankAccountId, as MANGOPAY
// still pays out to accounts created before 2026-05-01).
func assertPaidToRecipients(t *testing.T, c *mangopay.Client, planFile string, want int) {
	t.Helper()
	journals, _ := filepath.Glob(filepath.Join(filepath.Dir(planFile), ".settle", "*.journal.jsonl"))
	paid := 0
	for _, j := range journals {
		recs, err := executor.ReadJournal(j)
		if err != nil {
			t.Fatal(err)
		}
		adoptedLegacy := map[string]bool{}
		for _, r := range executor.Latest(recs) {
			if r.Kind == "bank_account" && r.Action == executor.Adopt.Name() && !strings.HasPrefix(r.ID, "rec_") {
				adoptedLegacy[r.ID] = true
			}
		}
		for _, r := range executor.Latest(recs) {
			if r.Kind != "payout" || r.State != executor.StateSucceeded {
				continue
			}
			po, err := c.PayOuts.Get(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(po.RecipientId), "rec_") && !adoptedLegacy[po.BankAccountId] {
				t.Errorf("%s (%s): RecipientId %q, BankAccountId %q, want a Recipient", r.Step, r.ID, po.RecipientId, po.BankAccountId)
			}
			paid++
		}
	}
	if paid < want {
		t.Errorf("%d payouts in %v, want at least %d", paid, journals, want)
	}
}

// embeddedClient is a client of the embedded target's sandbox, as the
// commands run from the plans in dir left it.
func embeddedClient(t *testing.T, dir string) *mangopay.Client {
	t.Helper()
	sb, err := sandbox.Open(filepath.Join(dir, ".settle", "sandbox"), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey,
		BaseURL: serveTestSandbox(t, sb).url})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLegacyBankAccountFails121018: a bank account the plan keeps on the
// legacy route, created today, is accepted; its payout FAILS 121018 and
// the summary says what to do.
func TestLegacyBankAccountFails121018(t *testing.T) {
	recipientSandbox(t)
	planFile := editedExample(t, "succeeded-natural.yaml", "legacy.yaml", "{owner: ines, iban:", "{owner: ines, register_as: legacy_bank_account, iban:")
	r := runInProcess(context.Background(), "apply", planFile, "--yes")
	if r.code != exitFailedSteps || !strings.Contains(r.stdout, "payout/oven-2026: payout FAILED: 121018") ||
		!strings.Contains(r.stdout, mangopay.PayoutRemedy(mangopay.ResultNonSCABankAccount)) {
		t.Fatalf("apply: exit %d, want %d with 121018 and its remedy\n%s\n%s", r.code, exitFailedSteps, r.stdout, r.stderr)
	}
}

// TestVerificationOfPayee: MANGOPAY's VOP test IBAN under John Dae is a
// CLOSE_MATCH, a warning in plan, the apply summary and the report, and
// the payout goes; under another name it is a NO_MATCH, whose payout is
// blocked (never sent) until the account says accept_name_mismatch.
func TestVerificationOfPayee(t *testing.T) {
	ctx := context.Background()
	t.Run("match", func(t *testing.T) {
		recipientSandbox(t)
		planFile := filepath.Join("examples", "vop-recipient.yaml")
		if r := runInProcess(ctx, "apply", planFile, "--yes"); r.code != exitOK || strings.Contains(r.stdout, "Warnings:") {
			t.Fatalf("apply: exit %d, want 0 without warnings\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if r := runInProcess(ctx, "plan", planFile); !regexp.MustCompile(`= bank_account/john-iban +\(Verification of Payee MATCH\)`).MatchString(r.stdout) {
			t.Errorf("plan does not show the MATCH:\n%s", r.stdout)
		}
	})
	t.Run("close match warns", func(t *testing.T) {
		s := recipientSandbox(t)
		planFile := editedExample(t, "vop-recipient.yaml", "close.yaml", "last_name: Doe", "last_name: Dae")
		const warning = "Verification of Payee CLOSE_MATCH: "
		r := runInProcess(ctx, "apply", planFile, "--yes")
		if r.code != exitOK || !strings.Contains(r.stdout, "bank_account/john-iban: "+warning) {
			t.Fatalf("apply: exit %d, want 0 with the CLOSE_MATCH warning\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		if r := runInProcess(ctx, "plan", planFile); !strings.Contains(r.stdout, "warning: "+warning) {
			t.Errorf("plan shows no CLOSE_MATCH warning:\n%s", r.stdout)
		}
		if r := runInProcess(ctx, "report", planFile); r.code != exitOK || !strings.Contains(r.stdout, "bank_account/john-iban: "+warning) {
			t.Errorf("report: exit %d, no CLOSE_MATCH warning:\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		assertPaidToRecipients(t, s.client(t, testAPIKey), planFile, 1)
	})
	t.Run("no match blocks the payout", func(t *testing.T) {
		s := recipientSandbox(t)
		planFile := editedExample(t, "vop-recipient.yaml", "nomatch.yaml", "last_name: Doe", "last_name: Smith")
		r := runInProcess(ctx, "apply", planFile, "--yes")
		if r.code != exitFailedSteps || !strings.Contains(r.stdout, "payout/repair-cafe-2026: Verification of Payee NO_MATCH") {
			t.Fatalf("apply: exit %d, want %d with the payout blocked on NO_MATCH\n%s\n%s", r.code, exitFailedSteps, r.stdout, r.stderr)
		}
		pv := runInProcess(ctx, "plan", planFile)
		if !strings.Contains(pv.stdout, "warning: Verification of Payee NO_MATCH") || !regexp.MustCompile(`! payout/repair-cafe-2026 .*Verification of Payee NO_MATCH`).MatchString(pv.stdout) {
			t.Errorf("plan shows no NO_MATCH block:\n%s", pv.stdout)
		}
		before := apiWrites(s.sb.Stats())
		if r := runInProcess(ctx, "apply", planFile, "--yes"); r.code != exitFailedSteps || apiWrites(s.sb.Stats()) != before {
			t.Errorf("apply again: exit %d, %d writes, want %d and none (the pre-flight blocks it)\n%s", r.code,
				apiWrites(s.sb.Stats())-before, exitFailedSteps, r.stdout)
		}
		accepted := editedExample(t, "vop-recipient.yaml", "nomatch.yaml", "last_name: Doe", "last_name: Smith",
			"    iban: DE75512108001245126199", "    iban: DE75512108001245126199\n    accept_name_mismatch: true")
		if r := runInProcess(ctx, "apply", accepted, "--yes"); r.code != exitOK {
			t.Fatalf("apply with accept_name_mismatch: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		assertPaidToRecipients(t, s.client(t, testAPIKey), planFile, 1)
	})
}

// TestRecipientCanceled: a recipient its owner did not approve (the
// emulator's admin route cancels it) blocks its step with the remedy and
// skips the payout (exit 3), run after run; with reregister_if_canceled
// the next apply registers a new one, pending its owner's approval, and
// once approved the payout goes to it.
func TestRecipientCanceled(t *testing.T) {
	s := recipientSandbox(t)
	ctx := context.Background()
	planFile := editedExample(t, "succeeded-natural.yaml", "canceled.yaml", "ines.moreau+accept@", "ines.moreau@")
	pending := regexp.MustCompile(`owner must approve the bank account: \S+/sca/recipients/(rec_\S+)`)
	r := runInProcess(ctx, "apply", planFile, "--yes")
	first := pending.FindStringSubmatch(r.stdout)
	if r.code != exitPending || first == nil {
		t.Fatalf("apply: exit %d, want %d with the approval URL\n%s", r.code, exitPending, r.stdout)
	}
	admin(t, s, "/sandbox/recipients/"+first[1]+"/cancel")
	for run := 1; run <= 2; run++ {
		r = runInProcess(ctx, "apply", planFile, "--yes")
		if r.code != exitFailedSteps || !strings.Contains(r.stdout, "bank_account/ines-iban: recipient "+first[1]+" CANCELED") ||
			!strings.Contains(r.stdout, "reregister_if_canceled: true") || !strings.Contains(r.stdout, "payout/oven-2026: skipped") {
			t.Fatalf("apply %d after the cancel: exit %d, want %d with the remedy\n%s", run, r.code, exitFailedSteps, r.stdout)
		}
	}
	again := editedExample(t, "succeeded-natural.yaml", "canceled.yaml", "ines.moreau+accept@", "ines.moreau@",
		"{owner: ines, iban:", "{owner: ines, reregister_if_canceled: true, iban:")
	r = runInProcess(ctx, "apply", again, "--yes")
	second := pending.FindStringSubmatch(r.stdout)
	if r.code != exitPending || second == nil || second[1] == first[1] {
		t.Fatalf("apply with reregister_if_canceled: exit %d, want %d with a new recipient's URL\n%s", r.code, exitPending, r.stdout)
	}
	admin(t, s, "/sandbox/recipients/"+second[1]+"/activate")
	if r := runInProcess(ctx, "apply", again, "--yes"); r.code != exitOK {
		t.Fatalf("apply after approval: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := runInProcess(ctx, "plan", again, "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan --detailed-exitcode: exit %d\n%s", r.code, r.stdout)
	}
	assertPaidToRecipients(t, s.client(t, testAPIKey), again, 1)
}

// admin POSTs to the sandbox's admin API, wanting 204.
func admin(t *testing.T, s *testSandbox, path string) {
	t.Helper()
	resp, err := http.Post(s.url+path, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST %s: %d, want 204", path, resp.StatusCode)
	}
}

// TestAdoptedRecipientPending: an adopted recipient still PENDING is not
// waited for: the pre-flight blocks its payout with the approval URL
// (a payout to it would FAIL), and nothing is sent for it.
func TestAdoptedRecipientPending(t *testing.T) {
	recipientSandbox(t)
	ctx := context.Background()
	planFile := editedExample(t, "succeeded-natural.yaml", "adopt.yaml", "ines.moreau+accept@", "ines.moreau@")
	r := runInProcess(ctx, "apply", planFile, "--yes")
	m := regexp.MustCompile(`owner must approve the bank account: (\S+/sca/recipients/(rec_\S+))`).FindStringSubmatch(r.stdout)
	if r.code != exitPending || m == nil {
		t.Fatalf("apply: exit %d, want %d with the approval URL\n%s", r.code, exitPending, r.stdout)
	}
	journals, _ := filepath.Glob(filepath.Join("examples", ".settle", "*.journal.jsonl"))
	recs, err := executor.ReadJournal(journals[0])
	if err != nil {
		t.Fatal(err)
	}
	owner := ""
	for _, rec := range recs {
		if rec.Step == "user/ines" && rec.ID != "" {
			owner = rec.ID
		}
	}
	adopted := editedExample(t, "succeeded-natural.yaml", "adopt.yaml", "ines.moreau+accept@", "ines.moreau@",
		"  ines:\n", "  ines:\n    id: "+owner+"\n",
		"{owner: ines, iban: FR7630004000031234567890143, bic: BNPAFRPP}", "{owner: ines, id: "+m[2]+"}")
	r = runInProcess(ctx, "apply", adopted, "--yes")
	if r.code != exitFailedSteps || !strings.Contains(r.stdout, "payout/oven-2026: bank account bank_account/ines-iban is PENDING: owner must approve the bank account: "+m[1]) {
		t.Fatalf("apply of the adopted recipient: exit %d, want %d with the payout blocked\n%s\n%s", r.code, exitFailedSteps, r.stdout, r.stderr)
	}
}
