package executor_test

import (
	"context"
	"net/http"
	"os"
	"strings"
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
			blocked := 0
			for _, c := range e.diff(cfg, p).Changes {
				if c.Action == executor.Blocked && strings.Contains(c.Reason, "SCA enrolment") {
					blocked++
				}
			}
			if blocked == 0 {
				t.Error("PreviewOf() blocks no step on the owner's SCA enrolment")
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
			resp, err = http.Get(strings.TrimPrefix(bank.Err.Error(), "owner must approve the bank account: "))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET the recipient's RedirectUrl = %d, want 200", resp.StatusCode)
			}
			sum3 := e.apply(context.Background(), cfg, p)
			if sum3.Failed+sum3.Skipped+sum3.Pending+sum3.InDoubt > 0 || sum3.Done == 0 {
				t.Fatalf("third Apply() = %s", describe(sum3))
			}
		})
	}
}
