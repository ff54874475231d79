package mangopay_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox"
)

// conformanceEnv is what a conformance target offers besides its client.
// The optional funcs are the powers only the embedded sandbox has (its
// admin API stands in for MANGOPAY's dashboard); without them the suite
// relies on the sandbox's own rules (the KYC Tag "accept") and polls.
type conformanceEnv struct {
	// ValidateKYC validates a submitted KYC document.
	ValidateKYC func(ctx context.Context, docID string) error
	// ProcessPayouts processes every CREATED payout.
	ProcessPayouts func(ctx context.Context) error
	// SCA is a client with Config.SCAUserRoutes, for targets that serve
	// the /sca/users routes without the SCA enrolment the real one demands.
	SCA *mangopay.Client
	// Wait bounds each poll for an asynchronous outcome.
	Wait time.Duration
	// Recipients: the target serves the Recipient endpoints (MANGOPAY's
	// sandbox does): the suite registers the owner's account as a
	// Recipient and pays it out by RecipientId, as MANGOPAY asks since
	// 2026 (a payout to a bank account registered today fails 121018).
	// Without it, the payout goes to the legacy bank account.
	Recipients bool
}

// TestConformance runs the same suite against the embedded sandbox and,
// when MANGOPAY_CLIENT_ID and MANGOPAY_API_KEY are set, against
// https://api.sandbox.mangopay.com.
func TestConformance(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		c, env, _ := newEmbedded(t, sandbox.Options{ManualKYC: true, ManualPayouts: true})
		runConformance(t, c, env)
	})
	t.Run("embedded-basic-auth", func(t *testing.T) {
		c, env, _ := newEmbedded(t, sandbox.Options{BasicAuth: true, ManualKYC: true, ManualPayouts: true},
			func(cfg *mangopay.Config) { cfg.Auth = mangopay.AuthBasic })
		runConformance(t, c, env)
	})
	t.Run("embedded-async", func(t *testing.T) {
		// No admin powers: the KYC Tag "accept" decides and payouts are
		// processed by the sandbox itself, as on MANGOPAY's sandbox.
		c, env, _ := newEmbedded(t, sandbox.Options{})
		env.ValidateKYC, env.ProcessPayouts = nil, nil
		runConformance(t, c, env)
	})
	t.Run("mangopay-sandbox", func(t *testing.T) {
		id, key := os.Getenv("MANGOPAY_CLIENT_ID"), os.Getenv("MANGOPAY_API_KEY")
		if id == "" || key == "" {
			t.Skip("MANGOPAY_CLIENT_ID and MANGOPAY_API_KEY are not set")
		}
		// MANGOPAY_SCA_USER_ROUTES=1 creates users through /sca/users, which
		// replace the legacy user routes MANGOPAY deprecated on 2025-12-15.
		// MANGOPAY_CLIENT_CERT_FILE and MANGOPAY_CLIENT_KEY_FILE (as for the
		// CLI) present an mTLS certificate to the api-mtls host.
		cfg := mangopay.Config{ClientID: id, APIKey: mangopay.Secret(key), BaseURL: mangopay.SandboxURL,
			SCAUserRoutes: os.Getenv("MANGOPAY_SCA_USER_ROUTES") == "1"}
		if cf, kf := os.Getenv("MANGOPAY_CLIENT_CERT_FILE"), os.Getenv("MANGOPAY_CLIENT_KEY_FILE"); cf != "" || kf != "" {
			cert, err := mangopay.LoadClientCertificate(cf, kf)
			if err != nil {
				t.Fatal(err)
			}
			cfg.ClientCertificate, cfg.BaseURL = &cert, mangopay.BaseURL(mangopay.EnvSandbox, true)
		}
		c, err := mangopay.NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		runConformance(t, c, conformanceEnv{Wait: 3 * time.Minute, Recipients: true})
	})
}

// run is one conformance run: its unique prefix and what earlier steps made.
type run struct {
	t      *testing.T
	c      *mangopay.Client
	env    conformanceEnv
	ctx    context.Context
	prefix string // unique per run: keys and tags
	start  int64

	payer, owner, legal   string // user ids
	payerWallet, ownerWal string
	bank, card            string
	recipient             string // the ACTIVE recipient paid out, with env.Recipients
	payin, transfer       string
	walletKey             string
}

// key derives a valid Idempotency-Key for a step of this run.
func (r *run) key(step string) string {
	k := r.prefix + "-" + step
	if len(k) > 36 {
		k = k[:36]
	}
	if !mangopay.ValidIdempotencyKey(k) {
		r.t.Fatalf("test bug: key %q is not valid", k)
	}
	return k
}

// must stops the run on an error.
func (r *run) must(err error, what string) {
	r.t.Helper()
	if err != nil {
		r.t.Fatalf("%s: %v", what, err)
	}
}

// runConformance drives every service of the client through the
// crowdfunding flow and its main error paths. Each step builds on the
// previous ones, so the steps run in order and a failure stops the run.
func runConformance(t *testing.T, c *mangopay.Client, env conformanceEnv) {
	b := make([]byte, 6)
	rand.Read(b)
	r := &run{t: t, c: c, env: env, ctx: context.Background(), prefix: "conf-" + hex.EncodeToString(b),
		start: time.Now().Unix()}
	steps := []struct {
		name string
		fn   func(*run)
	}{
		{"Users", (*run).users},
		{"Wallets", (*run).wallets},
		{"BankAccounts", (*run).bankAccounts},
		{"Recipients", (*run).recipients},
		{"KYC", (*run).kyc},
		{"CardRegistrations", (*run).cardRegistrations},
		{"Cards", (*run).cards},
		{"PayIns", (*run).payIns},
		{"Transfers", (*run).transfers},
		{"Refunds", (*run).refunds},
		{"PayOuts", (*run).payOuts},
		{"ClientWallets", (*run).clientWallets},
		{"Transactions", (*run).transactions},
		{"Events", (*run).events},
		{"Hooks", (*run).hooks},
		{"Responses", (*run).responses},
	}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			r.t = t
			s.fn(r)
		})
		if !ok {
			t.Fatalf("step %s failed; later steps depend on it", s.name)
		}
	}
}

// poll calls check with backoff until it reports done, for r.env.Wait.
func (r *run) poll(what string, check func() (bool, error)) {
	r.t.Helper()
	deadline := time.Now().Add(r.env.Wait)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		done, err := check()
		r.must(err, what)
		if done {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: still pending after %v", what, r.env.Wait)
		}
		<-time.After(wait)
	}
}

// contains reports whether seq yields an item with the id.
func contains[T any](t *testing.T, seq func(func(T, error) bool), id func(T) string, want string) bool {
	t.Helper()
	for it, err := range seq {
		if err != nil {
			t.Fatalf("listing: %v", err)
		}
		if id(it) == want {
			return true
		}
	}
	return false
}

// pdf is a KYC page: a PDF header padded past MANGOPAY's 32 KB minimum.
func pdf() []byte {
	return append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("settle conformance page\n"), 1500)...)
}

func isNatural(u *mangopay.User) bool { return u != nil && u.Natural != nil && u.Legal == nil }
