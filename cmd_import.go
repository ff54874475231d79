package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"settle/internal/campaignimport"
	"settle/mangopay"
	"settle/plan"
)

const importUsage = `usage: settle import --project-wallet WALLET_ID [--outcome open|succeeded|failed] [--campaign KEY] [--name NAME] [--out FILE]

Reads a campaign that already lives on MANGOPAY (the project wallet, its
owner, the owner's active bank accounts and identity state, every transfer
into the wallet with its payer, wallet and funding pay-in, and the refunds
and payouts already made) and writes the plan that settles what is left:
every object adopted by id, one campaign keyed by transfer id, the outcome
given. Read only: it never writes to MANGOPAY. The plan goes to stdout, or
to FILE with --out (the embedded target then uses the sandbox beside FILE).

A contribution whose pay-in cannot be told with certainty (several pay-ins
of its amount, or none) is said in a comment and refunded to the payer's
wallet only. Refunds and payouts made outside the plan are taken into
account: the plan settles only what they left.

Exit codes: 0 written, 1 error (unknown wallet, a payer's wallet, a
currency mix, a contribution from a closed wallet, ...): nothing written.

flags:
`

// importFlags are the flags of `settle import`.
type importFlags struct {
	wallet, outcome, campaign, name, out string
	target                               targetFlags
	log                                  logFlags
}

// runImport is `settle import`.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f importFlags
	fs := newFlagSet("import", importUsage, stderr)
	fs.StringVar(&f.wallet, "project-wallet", "", "MANGOPAY Id of the project wallet (required)")
	fs.StringVar(&f.outcome, "outcome", plan.OutcomeOpen, "open | succeeded | failed")
	fs.StringVar(&f.campaign, "campaign", campaignimport.DefaultCampaign, "key of the campaign in the plan")
	fs.StringVar(&f.name, "name", "", "name of the plan (default import-<wallet id>)")
	fs.StringVar(&f.out, "out", "", "write the plan to FILE instead of stdout")
	f.target.register(fs)
	f.log.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := f.check(pos, fs.Usage); err != nil {
		return err
	}
	data, err := importPlan(ctx, f, stderr)
	if err != nil {
		return err
	}
	if f.out == "" {
		_, err := stdout.Write(data)
		return err
	}
	return writeFileAtomic(f.out, data)
}

// check validates the flags and fills the default name.
func (f *importFlags) check(pos []string, usage func()) error {
	switch {
	case len(pos) != 0:
		return &usageError{msg: fmt.Sprintf("import takes no arguments, got %q", pos), usage: usage}
	case f.wallet == "":
		return &usageError{msg: "--project-wallet is required", usage: usage}
	case f.outcome != plan.OutcomeOpen && f.outcome != plan.OutcomeSucceeded && f.outcome != plan.OutcomeFailed:
		return &usageError{msg: fmt.Sprintf("--outcome %q: want open, succeeded or failed", f.outcome), usage: usage}
	case !planKey(f.campaign):
		return &usageError{msg: fmt.Sprintf("--campaign %q: a key is [a-z0-9][a-z0-9-]*", f.campaign), usage: usage}
	}
	if f.name == "" {
		f.name = campaignimport.DefaultName(f.wallet)
	}
	if !planKey(f.name) {
		return &usageError{msg: fmt.Sprintf("--name %q: a plan name is [a-z0-9][a-z0-9-]*", f.name), usage: usage}
	}
	return nil
}

// planKey reports whether s is a plan key or name ([a-z0-9][a-z0-9-]*).
func planKey(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || i > 0 && r == '-') {
			return false
		}
	}
	return s != ""
}

// importPlan connects to the target, reads the campaign and returns the
// plan's YAML.
func importPlan(ctx context.Context, f importFlags, stderr io.Writer) ([]byte, error) {
	log, err := f.log.logger(stderr)
	if err != nil {
		return nil, err
	}
	spec, err := resolveTarget(f.target, "", os.Getenv)
	if err != nil {
		return nil, err
	}
	dir := "."
	if f.out != "" {
		dir = filepath.Dir(f.out)
	}
	conn, err := connect(ctx, spec, dir, f.target.basicAuth, log)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := conn.Close(); err != nil {
			log.Warn("closing the target", "target", spec.Name, "err", err)
		}
	}()
	bar := newImportProgress(stderr, conn.Client)
	src, err := campaignimport.Read(ctx, conn.Client, campaignimport.ReadOptions{
		WalletID: f.wallet, PlanName: f.name, Campaign: f.campaign,
		CardCheck: f.outcome == plan.OutcomeFailed, Progress: bar.update})
	bar.finish()
	if err != nil {
		return nil, err
	}
	imp, err := src.Plan(f.outcome)
	if err != nil {
		return nil, err
	}
	return imp.YAML()
}

// importProgress draws import's calls on stderr, on a terminal only, and
// says when the client's rate-limit governor holds them back (polled, as
// no call completes meanwhile).
type importProgress struct {
	client *mangopay.Client
	stop   chan struct{}
	done   chan struct{}

	mu    sync.Mutex // guards bar and shown
	bar   *progressbar.ProgressBar
	shown string
}

// descReading is the import progress bar's description.
const descReading = "reading MANGOPAY"

// newImportProgress returns a progress bar on stderr, or nil when stderr
// is not a terminal.
func newImportProgress(stderr io.Writer, client *mangopay.Client) *importProgress {
	if !isTerminal(stderr) {
		return nil
	}
	return newImportProgressOn(stderr, client, 100*time.Millisecond)
}

// newImportProgressOn draws on w, terminal or not, redrawing at most once
// per throttle (tests use it with 0).
func newImportProgressOn(w io.Writer, client *mangopay.Client, throttle time.Duration) *importProgress {
	p := &importProgress{client: client, shown: descReading, stop: make(chan struct{}), done: make(chan struct{}),
		bar: progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(descReading),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("calls"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(throttle),
			progressbar.OptionClearOnFinish(),
		)}
	go p.poll()
	return p
}

// update records the calls made and expected.
func (p *importProgress) update(pr campaignimport.Progress) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.ChangeMax(pr.Expected)
	p.describe()
	p.bar.Set(pr.Calls) //nolint:errcheck // drawing errors are not worth failing an import
}

// poll redraws while the governor holds calls back.
func (p *importProgress) poll() {
	defer close(p.done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.describe()
			p.bar.Add(0) //nolint:errcheck // see update
			p.mu.Unlock()
		}
	}
}

// describe sets the description from the governor's state; p.mu held.
func (p *importProgress) describe() {
	want := descReading
	if p.client != nil && p.client.RateLimit().Waiting {
		want = descWaiting
	}
	if want != p.shown {
		p.bar.Describe(want)
		p.shown = want
	}
}

// finish stops the poller and clears the bar.
func (p *importProgress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Finish() //nolint:errcheck // see update
}

// writeFileAtomic writes data to path through a temporary file in the
// same folder, so that path is the whole plan or untouched.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".import-*.yaml")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
