package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"settle/mangopay/sandbox"
)

const sandboxUsage = `usage: settle sandbox serve [flags]
       settle sandbox seed FILE (--plan PLAN | --state DIR | --base-url URL)

seed creates objects with fixed Ids from a seed file (settle sandbox seed -h).

serve serves the embedded MANGOPAY v2.01 sandbox over HTTP until interrupted
(SIGINT/SIGTERM). The first line on stdout gives the base URL, the second the
dashboard's (/dashboard/: MANGOPAY's back office in a browser). The admin API
lives under /sandbox/ (see docs/sandbox.md). On an address that is not
loopback, --admin-token is required: the admin API then asks for it as a
bearer token and the dashboard with a login form. Exit codes: 0 stopped cleanly,
1 error. With --state DIR it holds DIR.lock while it runs (the lock the
embedded target and settle sandbox seed take), so nothing else opens DIR.

serve flags:
`

// runSandboxServe is `settle sandbox serve`.
func runSandboxServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sf := newServeFlags(stdout)
	if err := parseNone(sf.fs, args); err != nil {
		return err
	}
	opts, err := sf.options()
	if err != nil {
		return err
	}
	return serveSandbox(ctx, sf.addr, opts, stdout)
}

// serveFlags are the flags of `settle sandbox serve`.
type serveFlags struct {
	fs                             *flagSet
	addr, state, clientID, apiKey  string
	publicURL, rateLimits          string
	adminToken                     string
	basicAuth, manualKYC, manualPO bool
	lenient, proxyConsent          bool
	tlsCert, tlsKey, clientCA      string
	walletSCA, legacyCutoff        bool
	tokenTTL, kycDelay, payoutDel  time.Duration
	recipientDelay                 time.Duration
	latency                        time.Duration
	errorRatio, dropRatio          float64
	seed                           int64
}

// newServeFlags defines the flags of `settle sandbox serve`; -h prints
// their help on stdout.
func newServeFlags(stdout io.Writer) *serveFlags {
	sf := &serveFlags{fs: newFlagSet("sandbox serve", sandboxUsage, stdout)}
	fs := sf.fs
	fs.StringVar(&sf.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT` (port 0 picks a free port)")
	fs.StringVar(&sf.state, "state", "", "persist the sandbox state in `DIR`")
	fs.StringVar(&sf.clientID, "client-id", sandbox.DefaultClientID, "MANGOPAY ClientId accepted")
	fs.StringVar(&sf.apiKey, "api-key", sandbox.DefaultAPIKey, "API key accepted")
	fs.StringVar(&sf.publicURL, "public-url", "", "scheme://host:port put in the URLs the sandbox hands out (default: from each request)")
	fs.BoolVar(&sf.basicAuth, "basic-auth", false, "accept Basic ClientId:APIKey on resource calls")
	fs.durationVar(&sf.tokenTTL, "token-ttl", sandbox.DefaultTokenTTL, "OAuth token lifetime")
	fs.durationVar(&sf.kycDelay, "kyc-delay", 0, "delay before a submitted KYC document gets its verdict")
	fs.durationVar(&sf.payoutDel, "payout-delay", 0, "delay before a payout is processed")
	fs.BoolVar(&sf.manualKYC, "manual-kyc", false, "leave KYC documents pending until the admin API decides")
	fs.BoolVar(&sf.manualPO, "manual-payouts", false, "leave payouts CREATED until POST /sandbox/payouts/process")
	fs.BoolVar(&sf.lenient, "lenient-category", false, "accept users without UserCategory (an OWNER when every OWNER field is given, else a PAYER)")
	fs.BoolVar(&sf.proxyConsent, "proxy-consent", false, "the client has MANGOPAY's proxy approval: POST /sca/users/{id}/consent hands out the consent page")
	fs.StringVar(&sf.rateLimits, "rate-limit", "", "rate-limit windows as `PERIOD:LIMIT,...` (e.g. 1m:60,1h:1000); default MANGOPAY's four")
	fs.durationVar(&sf.latency, "latency", 0, "latency added to every API request")
	fs.Float64Var(&sf.errorRatio, "error-ratio", 0, "`RATIO` (0 to 1) of API requests answered 500 without effect")
	fs.Float64Var(&sf.dropRatio, "drop-ratio", 0, "`RATIO` (0 to 1) of POSTs committed and then dropped without an answer")
	fs.Int64Var(&sf.seed, "seed", 1, "seed of the fault RNG")
	fs.StringVar(&sf.adminToken, "admin-token", "", "token guarding the admin API (bearer) and the dashboard (login); required on a non-loopback --addr")
	fs.StringVar(&sf.tlsCert, "tls-cert", "", "serve HTTPS with the PEM certificate in `FILE` (with --tls-key)")
	fs.StringVar(&sf.tlsKey, "tls-key", "", "PEM key of --tls-cert in `FILE`")
	fs.StringVar(&sf.clientCA, "client-ca", "", "require client certificates signed by the PEM CAs in `FILE` on every call, OAuth included (mTLS; needs --tls-cert)")
	fs.BoolVar(&sf.walletSCA, "wallet-sca", false, "gate OWNER wallet and transaction reads behind SCA (401 + WWW-Authenticate), as MANGOPAY does")
	fs.durationVar(&sf.recipientDelay, "recipient-delay", 0, "how long a recipient that needs no SCA stays PENDING (0: until the next request)")
	fs.BoolVar(&sf.legacyCutoff, "legacy-bank-cutoff", false, "payouts to legacy bank accounts created after 2026-04-30 FAIL with 121018, as MANGOPAY does")
	return sf
}

// options turns the flags into sandbox.Options.
func (sf *serveFlags) options() (sandbox.Options, error) {
	opts := sandbox.Options{
		ClientID: sf.clientID, APIKey: sf.apiKey, BasicAuth: sf.basicAuth, TokenTTL: sf.tokenTTL,
		StateDir: sf.state, KYCDelay: sf.kycDelay, PayoutDelay: sf.payoutDel,
		ManualKYC: sf.manualKYC, ManualPayouts: sf.manualPO, LenientCategory: sf.lenient,
		PublicURL: sf.publicURL, ProxyConsent: sf.proxyConsent, WalletSCA: sf.walletSCA, LegacyBankCutoff: sf.legacyCutoff,
		RecipientDelay: sf.recipientDelay, AdminToken: sf.adminToken,
		Faults: sandbox.Faults{Seed: sf.seed, Latency: sf.latency, ErrorRatio: sf.errorRatio, DropAfterCommitRatio: sf.dropRatio},
	}
	if sf.errorRatio < 0 || sf.errorRatio > 1 || sf.dropRatio < 0 || sf.dropRatio > 1 {
		return opts, errors.New("--error-ratio and --drop-ratio must be within [0,1]")
	}
	if sf.tlsCert != "" || sf.tlsKey != "" || sf.clientCA != "" {
		if sf.tlsCert == "" || sf.tlsKey == "" {
			return opts, errors.New("--tls-cert and --tls-key go together (and --client-ca needs them)")
		}
		cfg, err := sandbox.TLSConfig(sf.tlsCert, sf.tlsKey, sf.clientCA)
		if err != nil {
			return opts, err
		}
		opts.TLS = cfg
	}
	if sf.rateLimits != "" {
		windows, err := parseRateLimits(sf.rateLimits)
		if err != nil {
			return opts, err
		}
		opts.RateLimits = windows
	}
	return opts, nil
}

// parseRateLimits reads "15m:2300,30m:4500".
func parseRateLimits(s string) ([]sandbox.RateWindow, error) {
	var out []sandbox.RateWindow
	for _, part := range strings.Split(s, ",") {
		p, l, ok := strings.Cut(strings.TrimSpace(part), ":")
		d, derr := time.ParseDuration(p)
		n, nerr := strconv.Atoi(l)
		if !ok || derr != nil || nerr != nil || d <= 0 || n < 0 {
			return nil, fmt.Errorf("--rate-limit: %q is not PERIOD:LIMIT (e.g. 15m:2300)", part)
		}
		out = append(out, sandbox.RateWindow{Period: d, Limit: n})
	}
	return out, nil
}

// serveSandbox opens the sandbox (holding --state's lock, see
// sandbox.Open), listens on addr and serves until ctx ends, then shuts down
// gracefully (in-flight requests get up to 5 s) and closes it.
func serveSandbox(ctx context.Context, addr string, opts sandbox.Options, stdout io.Writer) error {
	sb, err := sandbox.Open(opts.StateDir, opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errors.Join(fmt.Errorf("listen %s: %w", addr, err), sb.Close())
	}
	if err := sb.CheckListener(ln); err != nil {
		return errors.Join(fmt.Errorf("%w: pass --admin-token", err), ln.Close(), sb.Close())
	}
	clientID := opts.ClientID
	if clientID == "" {
		clientID = sandbox.DefaultClientID
	}
	scheme := "http"
	if opts.TLS != nil {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "settle sandbox listening on %s://%s (client id %s)\n", scheme, ln.Addr(), clientID)
	fmt.Fprintf(stdout, "dashboard: %s://%s/dashboard/\n", scheme, ln.Addr())
	return errors.Join(sb.Serve(ctx, ln), sb.Close())
}
