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
	fs := newFlagSet("import", importUsage, stdout)
	fs.StringVar(&f.wallet, "project-wallet", "", "MANGOPAY Id of the project wallet (required)")
	fs.StringVar(&f.outcome, "outcome", plan.OutcomeOpen, "open | succeeded | failed")
	fs.StringVar(&f.campaign, "campaign", campaignimport.DefaultCampaign, "key of the campaign in the plan")
	fs.StringVar(&f.name, "name", "", "name of the plan (default import-<wallet id>)")
	fs.StringVar(&f.out, "out", "", "write the plan to FILE instead of stdout")
	f.target.register(fs.FlagSet)
	f.log.register(fs.FlagSet)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if err := f.check(pos, fs); err != nil {
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
func (f *importFlags) check(pos []string, fs *flagSet) error {
	switch {
	case len(pos) != 0:
		return fs.usageErr("import takes no arguments, got %q", pos)
	case f.wallet == "":
		return fs.usageErr("--project-wallet is required")
	case f.outcome != plan.OutcomeOpen && f.outcome != plan.OutcomeSucceeded && f.outcome != plan.OutcomeFailed:
		return fs.usageErr("--outcome %q: want open, succeeded or failed", f.outcome)
	case !planKey(f.campaign):
		return fs.usageErr("--campaign %q: a key is [a-z0-9][a-z0-9-]*", f.campaign)
	}
	if f.name == "" {
		f.name = campaignimport.DefaultName(f.wallet)
	}
	if !planKey(f.name) {
		return fs.usageErr("--name %q: a plan name is [a-z0-9][a-z0-9-]*", f.name)
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

// importProgress shows import's reads on stderr, one line redrawn in
// place ("reading MANGOPAY: 120/10207 API calls"), and how long the
// client's rate-limit governor holds them back (polled, as no call
// completes meanwhile). It draws only on a terminal, like apply's
// [progress], whose line drawing and rate-limit wait it shares.
type importProgress struct {
	w    io.Writer
	rate func() mangopay.RateLimitState // nil without a client
	stop chan struct{}
	done chan struct{} // closed when poll returns

	mu    sync.Mutex // guards last and shown, and every write to w
	last  campaignimport.Progress
	shown string // the line on screen, "" when none
}

// newImportProgress returns a progress line on stderr, or nil when stderr
// is not a terminal.
func newImportProgress(stderr io.Writer, client *mangopay.Client) *importProgress {
	if !isTerminal(stderr) {
		return nil
	}
	p := newImportProgressOn(stderr, client.RateLimit)
	go p.poll(250 * time.Millisecond)
	return p
}

// newImportProgressOn draws on w, terminal or not; without poll it
// redraws on updates only (tests drive it by hand).
func newImportProgressOn(w io.Writer, rate func() mangopay.RateLimitState) *importProgress {
	return &importProgress{w: w, rate: rate, stop: make(chan struct{}), done: make(chan struct{})}
}

// update records the calls made and expected, and redraws.
func (p *importProgress) update(pr campaignimport.Progress) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	p.draw()
}

// poll redraws every tick, so that a rate-limit wait shows.
func (p *importProgress) poll(tick time.Duration) {
	defer close(p.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// draw writes the line when it changed; p.mu held.
func (p *importProgress) draw() {
	if p.last.Calls == 0 {
		return
	}
	line := fmt.Sprintf("%s: %d/%d API calls", descReading, p.last.Calls, p.last.Expected)
	if p.rate != nil {
		if state := p.rate(); state.Waiting {
			line += ", waiting for the rate limit"
			if wait := rateLimitWait(state, time.Now()); wait > 0 {
				line += fmt.Sprintf(" (%d s)", int((wait+time.Second-1)/time.Second))
			}
		}
	}
	if line != p.shown {
		fmt.Fprint(p.w, clearLine+line)
		p.shown = line
	}
}

// descReading starts the import progress line.
const descReading = "reading MANGOPAY"

// finish stops the poller and erases the line.
func (p *importProgress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown != "" {
		fmt.Fprint(p.w, clearLine)
		p.shown = ""
	}
	p.last.Calls = 0 // draw no more
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
