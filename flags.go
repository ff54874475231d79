package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// commonFlags are the flags every command that reaches the API shares.
type commonFlags struct {
	journal string
	target  targetFlags
	log     logFlags
}

// register adds the common flags to fs.
func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.journal, "journal", "", "journal file (default .settle/<plan name>.journal.jsonl beside the plan)")
	c.target.register(fs)
	c.log.register(fs)
}

// logFlags are the logging flags every command that reaches the API shares.
type logFlags struct {
	format string
	level  string
}

// register adds --log-format and --log-level to fs.
func (f *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "log-format", "text", "log format on stderr: text | json")
	fs.StringVar(&f.level, "log-level", "warn", "log level: debug | info | warn | error")
}

// logger builds the one slog.Logger of a command, writing to stderr.
func (f *logFlags) logger(stderr io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", f.level)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f.format {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", f.format)
}

// newFlagSet returns a flag set whose usage prints text then the flags.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("settle "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses flags placed before, between or after the positional
// arguments ("settle plan x.yaml --json" works), and returns the
// positional ones. Its error is flag.ErrHelp for -h, or a usage error
// (the flag package has printed the problem and the usage).
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return nil, err
		} else if err != nil {
			return nil, &usageError{}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseOnePlan parses args that must hold exactly one PLAN.
func parseOnePlan(fs *flag.FlagSet, args []string) (string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", &usageError{msg: fmt.Sprintf("want exactly one PLAN, got %d arguments", len(pos)), usage: fs.Usage}
	}
	return pos[0], nil
}
