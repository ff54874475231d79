package executor_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// scaClient is a client on the env's sandbox using the /sca/users routes.
func (e *env) scaClient() *mangopay.Client {
	c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey,
		BaseURL: e.ts.URL, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxRetries: 8,
		SCAUserRoutes: true})
	if err != nil {
		e.t.Fatalf("NewClient() error = %v", err)
	}
	return c
}

// scaPlan is examples/succeeded-natural.yaml with the owner's email.
func scaPlan(t *testing.T, email string) *plan.Plan {
	t.Helper()
	path := "../examples/succeeded-natural.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "email: ines.moreau+accept@example.org", "email: "+email+
		"\n    phone_number: \"+33612345678\"\n    phone_number_country: FR", 1)
	p, err := plan.Parse(path, []byte(text))
	if err != nil {
		t.Fatalf("plan.Parse() error = %v", err)
	}
	return p
}

// resultOf finds a step's result.
func resultOf(t *testing.T, sum *executor.Summary, key string) *executor.Result {
	t.Helper()
	for _, r := range sum.Results {
		if r.Step.Key == key {
			return r
		}
	}
	t.Fatalf("no result for %s", key)
	return nil
}

func TestApplySCAEnrolment(t *testing.T) {
	tests := []struct {
		name    string
		email   string
		enrolls bool // the first run waits for the owner's enrolment
	}{
		{"owner must enrol", "ines.moreau@example.org", true},
		{"sandbox bypass", "ines.moreau+accept@example.org", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			cfg := e.cfg("j.jsonl")
			cfg.Client = e.scaClient()
			p := scaPlan(t, tt.email)
			sum := e.apply(context.Background(), cfg, p)
			if !tt.enrolls {
				if sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
					t.Fatalf("Apply() = %s", describe(sum))
				}
				return
			}
			owner := resultOf(t, sum, "user/ines")
			prefix := "owner must complete SCA enrolment: " + e.ts.URL + "/sca/"
			if owner.State != executor.StatePending || owner.Err == nil || !strings.HasPrefix(owner.Err.Error(), prefix) {
				t.Fatalf("user/ines = %s %v, want pending with %q", owner.State, owner.Err, prefix)
			}
			if sum.Failed+sum.InDoubt > 0 || sum.Skipped == 0 {
				t.Fatalf("first Apply() = %s, want dependants skipped, nothing failed", describe(sum))
			}
			u, err := cfg.Client.Users.Get(context.Background(), owner.ID)
			if err != nil || u.Natural == nil || u.Natural.PhoneNumber != "+33612345678" {
				t.Fatalf("Users.Get(%s) = %+v, %v, want the plan's phone number", owner.ID, u, err)
			}
			// MANGOPAY lifted 002704 in September 2025: the enrolment is
			// the owner's step's to wait for, no money step is blocked on it.
			waits := 0
			for _, c := range e.diff(cfg, p).Changes {
				if c.Action == executor.Blocked && strings.Contains(c.Reason, "SCA enrolment") {
					t.Errorf("PreviewOf() blocks %s on the owner's SCA enrolment: %s", c.Step.Key, c.Reason)
				}
				if c.Step.Key == "user/ines" && strings.HasPrefix(c.Reason, "pending: "+prefix) {
					waits++
				}
			}
			if waits == 0 {
				t.Error("PreviewOf() does not show user/ines pending on the owner's SCA enrolment")
			}
			resp, err := http.Get(strings.TrimPrefix(owner.Err.Error(), "owner must complete SCA enrolment: "))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET RedirectUrl = %d, want 200", resp.StatusCode)
			}
			// Enrolled, the owner must still approve her bank account,
			// registered as a Recipient: the second run stops there.
			sum2 := e.apply(context.Background(), cfg, p)
			bank := resultOf(t, sum2, "bank_account/ines-iban")
			prefix = "owner must approve the bank account: " + e.ts.URL + "/sca/recipients/"
			if bank.State != executor.StatePending || bank.Err == nil || !strings.HasPrefix(bank.Err.Error(), prefix) ||
				sum2.Failed+sum2.InDoubt > 0 || resultOf(t, sum2, "payout/oven-2026").State != executor.StateSkipped {
				t.Fatalf("second Apply() = %s, want the bank account pending with %q and its payout skipped", describe(sum2), prefix)
			}
			approveRecipient(t, bank.Err)
			sum3 := e.apply(context.Background(), cfg, p)
			if sum3.Failed+sum3.Skipped+sum3.Pending+sum3.InDoubt > 0 || sum3.Done == 0 {
				t.Fatalf("third Apply() = %s", describe(sum3))
			}
		})
	}
}

// approveRecipient approves a recipient as its owner would, at the URL of
// its step's pending error.
func approveRecipient(t *testing.T, pending error) {
	t.Helper()
	resp, err := http.Get(strings.TrimPrefix(pending.Error(), "owner must approve the bank account: "))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the recipient's RedirectUrl = %d, want 200", resp.StatusCode)
	}
}

// TestOwnerWalletReads: MANGOPAY gates an OWNER's wallet reads by SCA. A
// run that must read them without the owner present ends pending with the
// page where the owner authenticates (OwnerSCAError, never an auth
// failure); with Config.ProxyConsent the reads send ScaContext
// USER_NOT_PRESENT, a missing consent is a 403 explained with what to do,
// and once the owner has consented the run reads her wallets without her.
func TestOwnerWalletReads(t *testing.T) {
	e := newEnv(t, sandbox.Options{WalletSCA: true, ProxyConsent: true})
	cfg := e.cfg("j.jsonl")
	p := scaPlan(t, "ines.moreau@example.org")
	// The owner did not exist: nothing gated was read; only her bank
	// account, a Recipient, waits for her approval, which she gives.
	sum := e.apply(context.Background(), cfg, p)
	if bank := resultOf(t, sum, "bank_account/ines-iban"); sum.Failed+sum.InDoubt > 0 || sum.Pending != 1 ||
		bank.State != executor.StatePending || bank.Err == nil {
		t.Fatalf("first Apply() = %s, want only the bank account pending", describe(sum))
	} else {
		approveRecipient(t, bank.Err)
	}
	owner := ""
	for u, err := range e.c.Users.List(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if u.UserCategory == "OWNER" {
			owner = u.Id
		}
	}

	_, err := executor.PreviewOf(context.Background(), cfg, p)
	var scaErr *executor.OwnerSCAError
	if !errors.As(err, &scaErr) || !errors.Is(err, mangopay.ErrSCARequired) || errors.Is(err, mangopay.ErrAuth) ||
		!strings.HasPrefix(scaErr.URL, e.ts.URL+"/sca/wallets/"+owner) {
		t.Fatalf("PreviewOf() error = %v, want OwnerSCAError with the owner's wallet SCA page", err)
	}

	var mu sync.Mutex       // guards notPresent
	var notPresent []string // paths of the reads sent with USER_NOT_PRESENT
	e.setHook(func(_ http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.URL.Query().Get("ScaContext") == mangopay.ScaUserNotPresent {
			mu.Lock()
			notPresent = append(notPresent, r.URL.Path)
			mu.Unlock()
		}
		return false
	})
	cfg.ProxyConsent = true
	_, err = executor.PreviewOf(context.Background(), cfg, p)
	if !errors.Is(err, mangopay.ErrProxyConsent) || !strings.Contains(err.Error(), "--proxy-consent") {
		t.Fatalf("PreviewOf(ProxyConsent, no consent) error = %v, want ErrProxyConsent explained", err)
	}

	pua, err := e.c.SCA.Consent(context.Background(), owner)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(pua.PendingUserAction.RedirectUrl)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	notPresent = nil
	mu.Unlock()
	pv := e.diff(cfg, p)
	if n := len(pv.Changes); n == 0 {
		t.Fatal("PreviewOf() has no changes")
	}
	mu.Lock()
	// The owner's wallets are listed, or, trusted from the journal, her
	// campaign's wallet is read by its Id (state_trust.go).
	if !slices.ContainsFunc(notPresent, func(path string) bool {
		return path == "/v2.01/"+sandbox.DefaultClientID+"/users/"+owner+"/wallets" ||
			strings.HasPrefix(path, "/v2.01/"+sandbox.DefaultClientID+"/wallets/")
	}) {
		t.Errorf("reads sent with ScaContext USER_NOT_PRESENT = %v, want the owner's wallets among them", notPresent)
	}
	mu.Unlock()

	// With her consent (and her bank account approved) the run pays her
	// out without her.
	if sum := e.apply(context.Background(), cfg, p); sum.Failed+sum.Skipped+sum.Pending+sum.InDoubt > 0 {
		t.Fatalf("Apply(consent) = %s", describe(sum))
	}

	// An owner's update is made without her, as the proxy.
	var updates []string // bodies of the owner's updates
	e.setHook(func(_ http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/users/natural/"+owner) {
			mu.Lock()
			updates = append(updates, string(body))
			mu.Unlock()
		}
		return false
	})
	data, err := os.ReadFile("../examples/succeeded-natural.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(strings.Replace(string(data), "ines.moreau+accept@", "ines.moreau@", 1), "last_name: Moreau", "last_name: Moreau-Blanc", 1)
	p2, err := plan.Parse("../examples/succeeded-natural.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if sum := e.apply(context.Background(), cfg, p2); sum.Failed+sum.InDoubt > 0 || sum.Done == 0 {
		t.Fatalf("Apply(renamed owner) = %s", describe(sum))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(updates) != 1 || !strings.Contains(updates[0], `"ScaContext":"USER_NOT_PRESENT"`) {
		t.Errorf("owner updates = %q, want one with ScaContext USER_NOT_PRESENT", updates)
	}
}
