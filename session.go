package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"settle/executor"
	"settle/plan"
)

// session is a validated plan with a live connection to its target: what
// plan, apply and report --reconcile work on.
type session struct {
	plan    *plan.Plan
	conn    *connection
	journal string
	log     *slog.Logger
}

// openSession validates the plan, then resolves the target and connects:
// nothing reaches the network before the plan is valid and the target
// allowed (DESIGN §13's production guard is in resolveTarget).
func openSession(ctx context.Context, path string, cf commonFlags, stderr io.Writer) (*session, error) {
	log, err := cf.log.logger(stderr)
	if err != nil {
		return nil, err
	}
	p, err := plan.Load(path)
	if err != nil {
		return nil, err
	}
	spec, err := resolveTarget(cf.target, p.Target, os.Getenv)
	if err != nil {
		return nil, err
	}
	conn, err := connect(ctx, spec, p.Dir, cf.target.basicAuth, log)
	if err != nil {
		return nil, err
	}
	return &session{plan: p, conn: conn, journal: journalPath(p, cf.journal), log: log}, nil
}

// journalPath is --journal, or .settle/<plan name>.journal.jsonl beside
// the plan.
func journalPath(p *plan.Plan, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	return filepath.Join(p.Dir, ".settle", p.Name+".journal.jsonl")
}

// config is the executor configuration of the session.
func (s *session) config() executor.Config {
	return executor.Config{Client: s.conn.Client, JournalPath: s.journal, Target: s.conn.Target.Name, Logger: s.log,
		ProxyConsent: s.conn.Target.ProxyConsent}
}

// renderOptions are the options of the session's human output on stdout:
// colour, and the header's target and base URL (an embedded target's
// loopback port says nothing, so it is left out).
func (s *session) renderOptions(stdout io.Writer) executor.RenderOptions {
	opts := executor.RenderOptions{Color: useColor(stdout, os.Getenv), Target: s.conn.Target.Name}
	if s.conn.Target.Name != targetEmbedded {
		opts.BaseURL = s.conn.Target.BaseURL
	}
	return opts
}

// close releases the connection. The command's work is done by then, so a
// failure is logged (a warning on stderr), not the command's error.
func (s *session) close() {
	if err := s.conn.Close(); err != nil {
		s.log.Warn("closing the target", "target", s.conn.Target.Name, "err", err)
	}
}
