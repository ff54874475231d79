package executor_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/internal/genplan"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// generated is a plan of genplan's realistic shape, one payer per
// contribution, every contribution with its pay-in; with kyc, every
// owner's KYC document accepted (so the succeeded campaigns are paid out).
func generated(t testing.TB, campaigns, per int, kyc bool) *plan.Plan {
	o := genplan.Options{Campaigns: campaigns, Contributions: per, Payers: campaigns * per, PayInAll: true}
	if kyc {
		o.KYCPage = "kyc/identity.pdf"
	}
	data := genplan.GenerateWith(o)
	p, err := plan.Parse("../examples/generated.yaml", data)
	if err != nil {
		t.Fatalf("Parse(generated) error = %v", err)
	}
	return p
}

// calls counts the API calls the sandbox served, OAuth excluded.
func (e *env) calls() int64 { return apiCalls(e.srv.Stats()) }

// readModes are the ways of reading the state of a plan applied in full
// that the README's table measures: the default (the journal's final steps
// trusted), a re-run, --refresh, and without the journal; max is the
// issue's target in calls per step.
var readModes = []struct {
	name, reading string
	says          string // what the plan's text says of it
	max           float64
	run           func(e *env, cfg executor.Config, p *plan.Plan) *executor.Preview
}{
	{"plan", executor.ReadTrusted, "final steps taken from the journal, the campaigns' wallets checked", 0.05, func(e *env, cfg executor.Config, p *plan.Plan) *executor.Preview { return e.diff(cfg, p) }},
	{"re-run", "", "", 0.05, func(e *env, cfg executor.Config, p *plan.Plan) *executor.Preview {
		if sum := e.apply(context.Background(), cfg, p); sum.Done != 0 {
			e.t.Errorf("re-run wrote %d steps", sum.Done)
		}
		return nil
	}},
	{"plan-refresh", executor.ReadRefresh, "--refresh, everything a decision depends on read", 0.7, func(e *env, cfg executor.Config, p *plan.Plan) *executor.Preview {
		cfg.Refresh = true
		return e.diff(cfg, p)
	}},
	{"plan-without-journal", executor.ReadFull, "nothing final in the journal, everything read", 0.7, func(e *env, cfg executor.Config, p *plan.Plan) *executor.Preview {
		cfg.JournalPath = e.dir + "/none.jsonl"
		return e.diff(cfg, p)
	}},
}

// appliedShape applies the realistic shape (4 campaigns × 50
// contributions, owners' KYC accepted) in full and returns its env, config
// and plan, and the number of steps.
func appliedShape(tb testing.TB) (*env, executor.Config, *plan.Plan, int) {
	e := newEnv(tb, sandbox.Options{RateLimits: []sandbox.RateWindow{{Period: time.Hour, Limit: 1 << 30}}})
	p := generated(tb, 4, 50, true)
	cfg := e.cfg("j.jsonl")
	cfg.Parallelism = 16
	e.apply(context.Background(), cfg, p)
	return e, cfg, p, len(e.diff(cfg, p).Changes)
}

// TestReadCosts: on the realistic shape, once applied, a plan and a re-run
// with the journal spend at most 0.05 API calls per step, --refresh and a
// plan without the journal at most 0.7, and every mode decides what the
// first plan decided; the figures are the README's table
// (BenchmarkReadCosts).
func TestReadCosts(t *testing.T) {
	e, cfg, p, steps := appliedShape(t)
	want := actions(e.diff(cfg, p))
	for _, m := range readModes {
		before := e.calls()
		pv := m.run(e, cfg, p)
		calls := e.calls() - before
		if pv != nil {
			var text strings.Builder
			if err := executor.RenderPreview(&text, pv, executor.RenderOptions{}); err != nil {
				t.Fatal(err)
			}
			if pv.Reading != m.reading || !strings.Contains(text.String(), fmt.Sprintf("reading the state took %d: ", calls)) ||
				!strings.Contains(text.String(), m.says) {
				t.Errorf("%s: Reading = %q, want %q, and the plan says %q", m.name, pv.Reading, m.reading, m.says)
			}
		}
		per := float64(calls) / float64(steps)
		t.Logf("%s: %d calls, %.3f per step (%d steps)", m.name, calls, per, steps)
		if per > m.max {
			t.Errorf("%s: %.3f calls per step, want <= %.2f", m.name, per, m.max)
		}
	}
	refresh, none := cfg, cfg
	refresh.Refresh = true
	none.JournalPath = e.dir + "/none.jsonl"
	for _, c := range []executor.Config{refresh, none} {
		if got := actions(e.diff(c, p)); !slices.Equal(got, want) {
			t.Errorf("plan (Refresh %v, journal %s) decides otherwise than the first plan", c.Refresh, c.JournalPath)
		}
	}
}

// BenchmarkReadCosts reports the README's table: what reading the state of
// the realistic shape costs after a complete apply, in API calls per step
// counted by the emulator, in each mode; and, for a resume after a run
// interrupted at 300 steps, its reads of the steps already final per
// final step (finalReads) and its calls per step.
func BenchmarkReadCosts(b *testing.B) {
	for _, m := range readModes {
		b.Run(m.name, func(b *testing.B) {
			e, cfg, p, steps := appliedShape(b)
			before := e.calls()
			for b.Loop() {
				m.run(e, cfg, p)
			}
			b.ReportMetric(float64(e.calls()-before)/float64(b.N)/float64(steps), "calls/step")
		})
	}
	b.Run("resume-after-300", func(b *testing.B) {
		e, cfg, p := interruptedShape(b, 300)
		var fin, final, calls, steps int
		for b.Loop() {
			before := e.calls()
			fin, final = e.finalReads(cfg, p)
			calls = int(e.calls() - before)
		}
		steps = len(e.diff(cfg, p).Changes)
		b.ReportMetric(float64(fin)/float64(final), "final-reads/final-step")
		b.ReportMetric(float64(calls)/float64(steps), "calls/step")
	})
}

// interruptedShape applies the realistic shape without KYC and stops the
// run after n steps.
func interruptedShape(tb testing.TB, n int) (*env, executor.Config, *plan.Plan) {
	e := newEnv(tb, sandbox.Options{RateLimits: []sandbox.RateWindow{{Period: time.Hour, Limit: 1 << 30}}})
	p := generated(tb, 4, 50, false)
	cfg := e.cfg("j.jsonl")
	half := cfg
	half.Parallelism = 4
	e.interrupted(half, p, n)
	return e, cfg, p
}

// finalReads plans p and returns how many of the calls its reading made
// served only steps the journal holds final (a user's GET, a list of a
// user's objects of one kind, a wallet's transactions, all of whose steps
// are final; a campaign wallet's check), and how many steps are final.
// A call is named by the object in its path: what it reads for a step
// still to run (a card's Tag search, the wallet a transfer still debits)
// is not counted.
func (e *env) finalReads(cfg executor.Config, p *plan.Plan) (reads, final int) {
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		e.t.Fatal(err)
	}
	hist := executor.Fold(recs)
	done := func(key string) bool {
		h := hist[key]
		return h != nil && h.ID != "" && h.Last.State == executor.StateSucceeded &&
			(h.Last.Status == "" || h.Last.Status == mangopay.StatusSucceeded || h.Last.Status == "VALIDATED")
	}
	var mu sync.Mutex
	var paths []string
	e.setHook(func(_ http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Method == http.MethodGet {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			mu.Unlock()
		}
		return false
	})
	pv := e.diff(cfg, p)
	e.setHook(nil)
	byID := map[string]string{}
	for key, h := range hist {
		byID[h.ID] = key
	}
	// serves lists, for each object a read names, the steps it serves:
	// the object's own step and the steps whose pre-flight checks it
	// live (a wallet's movements, a card's pay-ins, the payouts of an
	// owner's bank account); owned, per kind and owner, the owned steps.
	serves := map[string][]string{}
	owned := map[string][]string{}
	for _, ch := range pv.Changes {
		s := ch.Step
		if done(s.Key) {
			final++
		}
		serves[s.Key] = append(serves[s.Key], s.Key)
		if s.Owner != "" {
			owned[string(s.Kind)+" "+s.Owner] = append(owned[string(s.Kind)+" "+s.Owner], s.Key)
		}
		for _, on := range []string{s.Debited, s.Credited, s.Card, s.BankAccount} {
			if on != "" {
				serves[on] = append(serves[on], s.Key)
			}
		}
	}
	for _, ch := range pv.Changes {
		if s := ch.Step; s.Kind == plan.KindBankAccount {
			serves[s.Owner] = append(serves[s.Owner], serves[s.Key]...)
		}
	}
	servedBy := func(objects ...string) []string {
		var out []string
		for _, o := range objects {
			out = append(out, serves[o]...)
		}
		return out
	}
	allDone := func(keys []string) bool {
		for _, k := range keys {
			if !done(k) {
				return false
			}
		}
		return len(keys) > 0
	}
	lists := map[string]plan.Kind{"wallets": plan.KindWallet, "cards": plan.KindCard, "kyc": plan.KindKYC,
		"recipients": plan.KindBankAccount, "bankaccounts": plan.KindBankAccount}
	for _, path := range paths {
		parts := strings.Split(path, "/")[3:] // "", "v2.01", client
		switch {
		case len(parts) == 2 && parts[0] == "users":
			if allDone(servedBy(byID[parts[1]])) {
				reads++
			}
		case len(parts) >= 3 && parts[0] == "users":
			if ks := servedBy(owned[string(lists[parts[2]])+" "+byID[parts[1]]]...); allDone(ks) {
				reads++
			}
		case len(parts) == 3 && parts[0] == "wallets" && parts[2] == "transactions":
			if allDone(servedBy(byID[parts[1]])) {
				reads++
			}
		case len(parts) == 2 && parts[0] == "wallets":
			reads++ // a campaign's wallet, checked against the journal
		}
	}
	return reads, final
}

// actions lists a preview's actions, in step order.
func actions(pv *executor.Preview) []string {
	out := make([]string, len(pv.Changes))
	for i, ch := range pv.Changes {
		out[i] = ch.Step.Key + " " + ch.Action.Name()
	}
	return out
}

// TestReadNoticesChangesBehindSettle: a transfer refunded through the API
// and its payer's email changed after an apply; the default reading
// notices through the campaign's wallet, reads that campaign in full (the
// email's drift is an update) and trusts the other.
func TestReadNoticesChangesBehindSettle(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := generated(t, 2, 3, false)
	cfg := e.cfg("j.jsonl")
	e.apply(context.Background(), cfg, p)
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	hist := executor.Fold(recs)
	i := slices.IndexFunc(recs, func(r executor.Record) bool { return r.Kind == string(plan.KindTransfer) && r.ID != "" })
	if i < 0 {
		t.Fatal("no transfer journalled")
	}
	campaign := recs[i].Campaign
	ctx := context.Background()
	tr, err := e.c.Transfers.Get(ctx, recs[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Transfers.Refund(ctx, tr.Id, &mangopay.RefundCreateParams{AuthorId: tr.AuthorId}); err != nil {
		t.Fatalf("refund behind settle's back: %v", err)
	}
	u, err := e.c.Users.Get(ctx, tr.AuthorId)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Users.UpdateNatural(ctx, tr.AuthorId, &mangopay.NaturalUserParams{Email: "changed@example.org",
		UserCategory: u.Summary().UserCategory}); err != nil {
		t.Fatalf("email change behind settle's back: %v", err)
	}
	userKey := ""
	for k, h := range hist {
		if h.ID == tr.AuthorId && strings.HasPrefix(k, string(plan.KindUser)+"/") {
			userKey = k
		}
	}
	pv := e.diff(cfg, p)
	if !slices.Equal(pv.Rechecked, []string{campaign}) {
		t.Errorf("Rechecked = %v, want [%s] (its wallet lost the refund)", pv.Rechecked, campaign)
	}
	if pv.Trusted == 0 {
		t.Errorf("Trusted = 0: the other campaign was read in full too")
	}
	for _, ch := range pv.Changes {
		if ch.Step.Key == userKey && (ch.Action != executor.Update || !strings.Contains(strings.Join(ch.Drift, " "), "changed@example.org")) {
			t.Errorf("%s: %s %v, want an update of the email changed behind settle's back", userKey, ch.Action.Name(), ch.Drift)
		}
	}
	if userKey == "" {
		t.Errorf("the refunded transfer's author is no user step of the journal")
	}
}

// TestPlanEstimatesTheRun: the calls a plan says a run needs (its writes
// and polls, and reading the state again) are what the run then spends,
// within 10 %: on a fresh plan, on a resume after an interrupted run, and
// on a re-run after either. The resume spends at most 0.05 calls per
// already-final step reading what is final (finalReads).
func TestPlanEstimatesTheRun(t *testing.T) {
	for _, stop := range []int{0, 300} {
		t.Run(fmt.Sprint("interrupted-after-", stop), func(t *testing.T) {
			var e *env
			var cfg executor.Config
			var p *plan.Plan
			if stop > 0 {
				e, cfg, p = interruptedShape(t, stop)
				before := e.calls()
				fin, final := e.finalReads(cfg, p)
				t.Logf("resume reads %d calls, %d of them for the %d final steps only", e.calls()-before, fin, final)
				if final < stop/2 || float64(fin) > 0.05*float64(final) {
					t.Errorf("resume read %d calls for %d final steps, want at most 0.05 per final step", fin, final)
				}
			} else {
				e = newEnv(t, sandbox.Options{RateLimits: []sandbox.RateWindow{{Period: time.Hour, Limit: 1 << 30}}})
				p = generated(t, 4, 50, false)
				cfg = e.cfg("j.jsonl")
			}
			for _, run := range []string{"first", "again"} {
				pv := e.diff(cfg, p)
				want := pv.Calls + pv.Reads
				before := e.calls()
				e.apply(context.Background(), cfg, p)
				got := int(e.calls() - before)
				t.Logf("%s: plan said %d calls (%d to apply, %d reading), the run spent %d", run, want, pv.Calls, pv.Reads, got)
				if d := got - want; d*10 > want || -d*10 > want {
					t.Errorf("%s: the run spent %d calls, the plan said %d (more than 10 %% off)", run, got, want)
				}
			}
		})
	}
}

// TestCardDeactivatedBehindSettle: a card the journal holds as made, whose
// pay-in was refused and is still to run, is deactivated through the API.
// The default reading trusts the journal for what is final, but reads the
// card live (the pay-in's pre-flight checks it), so the pay-in is blocked,
// not sent, in both reading modes; a card whose pay-in succeeded is not
// read at all.
func TestCardDeactivatedBehindSettle(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	p := generated(t, 1, 2, false)
	var payin *plan.Step
	for _, ch := range e.diff(e.cfg("probe.jsonl"), p).Changes {
		if ch.Step.Kind == plan.KindPayIn && payin == nil {
			payin = ch.Step
		}
	}
	if payin == nil {
		t.Fatal("the generated plan has no pay-in")
	}
	e.setHook(refuseOnce(payin.Tag))
	cfg := e.cfg("j.jsonl")
	cfg.Client = e.quick
	if sum := e.apply(context.Background(), cfg, p); sum.Failed != 1 {
		t.Fatalf("first Apply() = %s, want the refused pay-in failed", describe(sum))
	}
	e.setHook(nil)
	card := journalledID(t, cfg, payin.Card)
	if _, err := e.c.Cards.Deactivate(context.Background(), card); err != nil {
		t.Fatalf("deactivating %s behind settle's back: %v", card, err)
	}
	refresh := cfg
	refresh.Refresh = true
	for _, c := range []executor.Config{cfg, refresh} {
		cards := e.srv.Stats().ByRoute["GET /users/{id}/cards"]
		pv := e.diff(c, p)
		if got := e.srv.Stats().ByRoute["GET /users/{id}/cards"] - cards; got != 1 {
			t.Errorf("Refresh %v: %d card lists read, want 1 (the card of the pay-in still to run)", c.Refresh, got)
		}
		if c.Refresh == false && pv.Trusted == 0 {
			t.Errorf("default reading trusted nothing from the journal")
		}
		for _, ch := range pv.Changes {
			if ch.Step.Key == payin.Key && (ch.Action != executor.Blocked || !strings.Contains(ch.Reason, "inactive")) {
				t.Errorf("Refresh %v: %s %s (%s), want blocked: its card is inactive", c.Refresh, payin.Key, ch.Action.Name(), ch.Reason)
			}
		}
	}
	payins := e.srv.Stats().ByRoute["POST /payins/card/direct"]
	if sum := e.apply(context.Background(), cfg, p); sum.Blocked != 1 {
		t.Errorf("second Apply() = %s, want the pay-in blocked", describe(sum))
	}
	if got := e.srv.Stats().ByRoute["POST /payins/card/direct"] - payins; got != 0 {
		t.Errorf("%d pay-ins sent with a deactivated card", got)
	}
}

// TestResumeWithJournalBehind: a run killed mid-flight leaves MANGOPAY
// ahead of its journal (writes made, their outcomes never journalled).
// Shown by cutting a complete run's journal to its first lines: the
// resume still reads nothing for the steps the journal holds final (at
// most 0.05 calls per final step, finalReads), finds the rest by Tag, so
// no campaign's wallet check fails, and writes nothing.
func TestResumeWithJournalBehind(t *testing.T) {
	for _, lines := range []int{300, 1100} {
		t.Run(fmt.Sprint("journal-cut-at-", lines), func(t *testing.T) {
			e := newEnv(t, sandbox.Options{RateLimits: []sandbox.RateWindow{{Period: time.Hour, Limit: 1 << 30}}})
			p := generated(t, 4, 50, false)
			cfg := e.cfg("j.jsonl")
			e.apply(context.Background(), cfg, p)
			data, err := os.ReadFile(cfg.JournalPath)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.SplitAfter(string(data), "\n")
			if len(all) <= lines {
				t.Fatalf("the journal has %d lines, want more than %d", len(all), lines)
			}
			if err := os.WriteFile(cfg.JournalPath, []byte(strings.Join(all[:lines], "")), 0o600); err != nil {
				t.Fatal(err)
			}
			fin, final := e.finalReads(cfg, p)
			t.Logf("%d of %d journal lines kept: %d calls for the %d final steps only", lines, len(all), fin, final)
			if final == 0 || float64(fin) > 0.05*float64(final) {
				t.Errorf("resume read %d calls for %d final steps, want at most 0.05 per final step", fin, final)
			}
			if pv := e.diff(cfg, p); len(pv.Rechecked) > 0 || pv.Trusted == 0 {
				t.Errorf("Rechecked = %v, Trusted = %d: want every campaign's wallet as the journal and the live reads imply", pv.Rechecked, pv.Trusted)
			}
			writes := e.writes()
			if sum := e.apply(context.Background(), cfg, p); sum.Done != 0 || e.writes() != writes {
				t.Errorf("resume wrote %d steps (%d API writes), want none: everything was made", sum.Done, e.writes()-writes)
			}
		})
	}
}
