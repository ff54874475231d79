package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"settle/plan"
)

// commonFlags are the flags every command that reaches the API shares.
type commonFlags struct {
	journal string
	target  targetFlags
	log     logFlags
}

// register adds the common flags to fs.
func (c *commonFlags) register(fs *flagSet) {
	fs.StringVar(&c.journal, "journal", "", "journal `FILE` (default .settle/<plan name>.journal.jsonl beside the plan)")
	c.target.register(fs.FlagSet)
	c.log.register(fs.FlagSet)
	fs.maxPlanSize()
}

// logFlags are the logging flags every command that reaches the API shares.
type logFlags struct {
	format string
	level  string
}

// register adds --log-format and --log-level to fs.
func (f *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "log-format", "text", "log `FORMAT` on stderr: text | json (durations as <name>_ms)")
	fs.StringVar(&f.level, "log-level", "warn", "log `LEVEL`: debug | info | warn | error")
}

// logger builds the one slog.Logger of a command, writing to stderr. JSON
// logs carry durations as whole milliseconds, under the name <key>_ms.
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
		opts.ReplaceAttr = durationMS
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", f.format)
}

// durationMS turns a duration attribute into <key>_ms, whole milliseconds
// (a JSON log's reader should not have to know Go's nanoseconds).
func durationMS(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		return slog.Int64(a.Key+"_ms", a.Value.Duration().Milliseconds())
	}
	return a
}

// flagSet is a command's flags: -h prints its help on stdout, a flag it
// cannot parse is a one-line usage error (printError adds where the help is).
type flagSet struct {
	*flag.FlagSet
	name  string // the command, "apply" or "sandbox seed"
	usage string // the help text printed before the flags
	out   io.Writer
}

// newFlagSet returns the flag set of command name; -h prints usage then
// the flags on stdout.
func newFlagSet(name, usage string, stdout io.Writer) *flagSet {
	fs := flag.NewFlagSet("settle "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned, help is printed by help
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, name: name, usage: usage, out: stdout}
}

// help prints the usage text then every flag, with its value hint and
// default.
func (fs *flagSet) help() {
	fmt.Fprint(fs.out, fs.usage)
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		if isBool(f) {
			value = ""
		}
		line := "  --" + f.Name
		if value != "" {
			line += " " + value
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(fs.out, "%s\n      %s\n", line, usage)
	})
}

// isBool reports whether f takes no value.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// usageErr is a usage error of this command, with its help pointed at.
func (fs *flagSet) usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), cmd: fs.name}
}

// durationVar defines a duration flag whose bad values get a hint ("5"
// suggests 5s).
func (fs *flagSet) durationVar(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*durationValue)(p), name, usage)
}

// maxPlanSize defines --max-plan-size, the largest plan file read
// (plan.MaxFileSize).
func (fs *flagSet) maxPlanSize() {
	fs.Var((*byteSize)(&plan.MaxFileSize), "max-plan-size",
		"refuse plan files larger than `SIZE` (bytes, or with KiB, MiB, GiB), checked before reading")
}

// durationValue is a time.Duration flag with a helpful parse error.
type durationValue time.Duration

func (d *durationValue) String() string { return time.Duration(*d).String() }

// Set parses a Go duration; a bare number is refused with its unit
// suggested.
func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err == nil {
		*d = durationValue(v)
		return nil
	}
	if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
		return fmt.Errorf("a duration needs a unit: did you mean %ss?", s)
	}
	return errors.New("want a duration such as 30s, 5m or 1h30m")
}

// byteSize is a size flag: bytes, or a number with KiB, MiB or GiB.
type byteSize int64

func (b *byteSize) String() string {
	switch n := int64(*b); {
	case n > 0 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n > 0 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	default:
		return strconv.FormatInt(n, 10)
	}
}

// Set parses "1048576", "512KiB", "64MiB" or "1GiB".
func (b *byteSize) Set(s string) error {
	num, unit := s, int64(1)
	for suffix, u := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			num, unit = n, u
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return errors.New("want a size > 0 such as 67108864, 64MiB or 1GiB")
	}
	*b = byteSize(n * unit)
	return nil
}

// parseArgs parses flags placed before, between or after the positional
// arguments ("settle plan x.yaml --json" works), and returns the
// positional ones. Every command parses its arguments here. Its error is
// flag.ErrHelp for -h (the help is printed on stdout), or a one-line
// usage error.
func parseArgs(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			fs.help()
			return nil, err
		} else if err != nil {
			return nil, &usageError{msg: flagError(err), cmd: fs.name}
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

// flagError rewords the flag package's errors with the double dash the
// help shows.
func flagError(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "flag --" + strings.TrimPrefix(name, "-") + " needs a value"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// invalid value "5" for flag -wait: <why>
		value, rest, _ := strings.Cut(rest, " for flag -")
		name, why, _ := strings.Cut(rest, ": ")
		return fmt.Sprintf("--%s %s: %s", name, value, why)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		value, rest, _ := strings.Cut(rest, " for -")
		name, _, _ := strings.Cut(rest, ": ")
		return fmt.Sprintf("--%s %s: want true or false (--%s alone means true)", name, value, name)
	}
	return msg
}

// parseOnePlan parses args that must hold exactly one PLAN.
func parseOnePlan(fs *flagSet, args []string) (string, error) {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", fs.usageErr("want exactly one PLAN, got %d arguments", len(pos))
	}
	return pos[0], nil
}

// parseNone parses args that must hold no positional argument.
func parseNone(fs *flagSet, args []string) error {
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fs.usageErr("unexpected argument %q", pos[0])
	}
	return nil
}
