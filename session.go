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
	conn, err := dial(ctx, cf.target, p.Target, p.Dir, log)
	if err != nil {
		return nil, err
	}
	return &session{plan: p, conn: conn, journal: journalPath(p, cf.journal), log: log}, nil
}

// dial resolves the target (the flags, else planTarget, else the
// environment) and connects; an embedded sandbox lives beside dir.
func dial(ctx context.Context, f targetFlags, planTarget, dir string, log *slog.Logger) (*connection, error) {
	spec, err := resolveTarget(f, planTarget, os.Getenv)
	if err != nil {
		return nil, err
	}
	return connect(ctx, spec, dir, f.basicAuth, log)
}

// hangUp releases a connection. The command's work is done by then, so a
// failure is logged (a warning on stderr), not the command's error.
func hangUp(conn *connection, log *slog.Logger) {
	if err := conn.Close(); err != nil {
		log.Warn("closing the target", "target", conn.Target.Name, "err", err)
	}
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

// close releases the connection (hangUp).
func (s *session) close() { hangUp(s.conn, s.log) }
