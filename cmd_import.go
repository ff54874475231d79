package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"settle/internal/campaignimport"
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

On a terminal, a progress bar on stderr counts the API calls made against
those expected, and says how long MANGOPAY's rate limit holds them back.

Exit codes: 0 written, 1 error (unknown wallet, a payer's wallet, a
currency mix, a contribution from a closed wallet, ...), 130 interrupted:
nothing written.

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
	dir := "."
	if f.out != "" {
		dir = filepath.Dir(f.out)
	}
	conn, err := dial(ctx, f.target, "", dir, log)
	if err != nil {
		return nil, err
	}
	defer hangUp(conn, log)
	bar := newProgress(ctx, stderr, conn.Client, interruptImport)
	src, err := campaignimport.Read(ctx, conn.Client, campaignimport.ReadOptions{
		WalletID: f.wallet, PlanName: f.name, Campaign: f.campaign,
		CardCheck: f.outcome == plan.OutcomeFailed, Progress: bar.updateImport})
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
