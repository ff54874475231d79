package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"settle/internal/flock"
	"settle/plan"
)

const unlockUsage = `usage: settle unlock PLAN [--force]

Removes the locks of PLAN that a settle run left behind: its journal's
(.settle/<plan name>.journal.jsonl.lock, or --journal's) and its embedded
sandbox's (.settle/sandbox.lock). A lock dies with its process on a local
disk; on a shared disk it may outlive a process that crashed. Each lock
records its holder (PID, host, start time, command): unlock removes a lock
when it is free or its holder is on this host and gone, and refuses while
the holder runs, or when it is on another host (it cannot be checked from
here). --force removes it anyway, with a warning: if that run is alive,
two runs may then write the same journal.

exit codes: 0 no lock left, 1 a lock was left (its holder runs or cannot
            be checked) or an error

flags:
`

// runUnlock is `settle unlock PLAN`.
func runUnlock(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("unlock", unlockUsage, stdout)
	force := fs.Bool("force", false, "remove the locks even when their holder cannot be proven gone (warns)")
	journal := fs.String("journal", "", "journal `FILE` (default .settle/<plan name>.journal.jsonl beside the plan)")
	fs.maxPlanSize()
	path, err := parseOnePlan(fs, args)
	if err != nil {
		return err
	}
	p, err := plan.Load(path)
	if err != nil {
		return err
	}
	var errs []error
	for _, lock := range []string{journalPath(p, *journal) + ".lock", filepath.Join(p.Dir, ".settle", "sandbox.lock")} {
		if _, err := os.Stat(lock); errors.Is(err, os.ErrNotExist) {
			continue
		}
		holder, err := flock.Release(lock, *force)
		switch {
		case errors.Is(err, flock.ErrHolderAlive):
			errs = append(errs, fmt.Errorf("%s is held by %s, which is still running: wait for it to finish or stop it", lock, holder))
		case errors.Is(err, flock.ErrHolderUnknown):
			errs = append(errs, fmt.Errorf("%s is held by %s, which cannot be checked from this host: "+
				"make sure that run is over, then 'settle unlock %s --force'", lock, holder, path))
		case err != nil:
			errs = append(errs, err)
		case holder.PID == 0:
			fmt.Fprintf(stdout, "%s: free, removed\n", lock)
		case *force:
			fmt.Fprintf(stderr, "settle unlock: warning: removed %s held by %s: if that run is alive, stop it before any other run\n", lock, holder)
		default:
			fmt.Fprintf(stdout, "%s: its holder, %s, is gone: removed\n", lock, holder)
		}
	}
	return errors.Join(errs...)
}
