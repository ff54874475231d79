package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
)

// fakeTerminal is a terminal's screen for the progress tests: it keeps
// the lines written to it, with "\r" back to the start of the line,
// "\x1b[K" and "\x1b[0K" erasing to its end and "\x1b[2K" erasing it
// whole, as a terminal shows them. Other escapes stay as written, so that
// the golden file shows them.
type fakeTerminal struct {
	lines []string // the screen, the cursor on the last line
	col   int
}

func (t *fakeTerminal) Write(p []byte) (int, error) {
	if len(t.lines) == 0 {
		t.lines = []string{""}
	}
	s := string(p)
	for len(s) > 0 {
		cur := &t.lines[len(t.lines)-1]
		switch {
		case strings.HasPrefix(s, "\x1b[K"), strings.HasPrefix(s, "\x1b[0K"):
			*cur = (*cur)[:min(t.col, len(*cur))]
			s = s[strings.IndexByte(s, 'K')+1:]
		case strings.HasPrefix(s, "\x1b[2K"):
			*cur = ""
			s = s[4:]
		case s[0] == '\r':
			t.col, s = 0, s[1:]
		case s[0] == '\n':
			t.lines, t.col, s = append(t.lines, ""), 0, s[1:]
		default:
			line := []byte(*cur)
			for len(line) < t.col {
				line = append(line, ' ')
			}
			if t.col < len(line) {
				line[t.col] = s[0]
			} else {
				line = append(line, s[0])
			}
			*cur, t.col, s = string(line), t.col+1, s[1:]
		}
	}
	return len(p), nil
}

// screen is what the terminal shows, one line per line.
func (t *fakeTerminal) screen() string { return strings.Join(t.lines, "\n") }

func TestProgressOnlyOnATerminal(t *testing.T) {
	if pr := newProgress(context.Background(), &bytes.Buffer{}, nil, interruptApply); pr != nil {
		t.Errorf("newProgress(buffer) = %v, want nil (not a terminal)", pr)
	}
	var pr *progress // a nil progress ignores updates
	pr.update(executor.Progress{Done: 1, Total: 2})
	pr.finish()
}

// wallClock matches what progressbar computes from the wall clock, which
// a test does not control: the rate, and the elapsed time and ETA.
var wallClock = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d+ (steps|calls)/(s|min|hr)\)`), "<rate>)"},
	{regexp.MustCompile(`\[[0-9hmsµn.]+:[0-9hmsµn.]+\]`), "[<elapsed>:<ETA>]"},
}

// TestProgressGolden renders a resumed run to a fake terminal, frame by
// frame: the "reading state" phase with its counts, then "applying" with
// steps, rate and ETA, a rate-limit wait that says how long it waits,
// then an interrupt typed on the terminal, whose "^C" echo must not stay
// glued to the interrupt line. The frames, with the rate, elapsed time and
// ETA that progressbar takes from the wall clock masked (wallClock), are
// compared with testdata/progress.golden (-update rewrites it).
func TestProgressGolden(t *testing.T) {
	now := time.Date(2026, 12, 5, 4, 0, 0, 0, time.UTC)
	var rl mangopay.RateLimitState
	term := &fakeTerminal{}
	pr := newProgressOn(term, func() mangopay.RateLimitState { return rl }, func() time.Time { return now })
	var frames strings.Builder
	frame := func(what string) {
		screen := term.screen()
		for _, m := range wallClock {
			screen = m.re.ReplaceAllString(screen, m.with)
		}
		frames.WriteString("--- " + what + "\n" + screen + "\n")
	}
	for _, p := range []executor.Progress{
		{Phase: executor.PhaseReading, Done: 0, Total: 400, Calls: 1},
		{Phase: executor.PhaseReading, Done: 0, Total: 400, Calls: 37},
		{Phase: executor.PhaseReading, Done: 400, Total: 400, Calls: 58},
	} {
		now = now.Add(2 * time.Second)
		pr.update(p)
		frame("reading")
	}
	// A resumed run: 100 steps were done before.
	pr.update(executor.Progress{Done: 100, Total: 400})
	frame("applying, resumed")
	now = now.Add(10 * time.Second)
	pr.update(executor.Progress{Done: 150, Total: 400, Step: "wallet/a"})
	frame("applying")
	rl = mangopay.RateLimitState{Waiting: true, Windows: []mangopay.RateLimitWindow{
		{Made: 2300, Remaining: 0, Reset: now.Add(12 * time.Second)},
		{Made: 2300, Remaining: 2200, Reset: now.Add(20 * time.Minute)}}}
	pr.tick() // what poll does on its tick
	frame("waiting for the rate limit")
	now = now.Add(12 * time.Second)
	rl = mangopay.RateLimitState{}
	pr.update(executor.Progress{Done: 160, Total: 400})
	frame("applying again")
	term.Write([]byte("^C")) // the terminal echoes Ctrl-C at the cursor
	pr.interrupted()
	pr.update(executor.Progress{Done: 161, Total: 400}) // steps in flight end: nothing drawn
	pr.finish()
	frame("interrupted")

	golden := filepath.Join("testdata", "progress.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(frames.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := frames.String(); got != string(want) {
		t.Errorf("progress frames differ from %s (-update rewrites it):\n%s", golden, got)
	}
	if strings.Contains(term.screen(), "^C") {
		t.Errorf("the ^C echo stayed on screen:\n%s", term.screen())
	}
}

// TestProgressFinishClears: at the end the bar leaves the screen empty for
// the summary, also when its only drawing was already full.
func TestProgressFinishClears(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    executor.Progress
		want []string // on screen before finish
	}{
		{"waiting", executor.Progress{Done: 3, Total: 10, Waiting: true, Step: "wallet/a"},
			[]string{"applying, waiting for the rate limit ", "(3/10, "}},
		{"full at once", executor.Progress{Phase: executor.PhaseReading, Done: 1, Total: 1, Calls: 2},
			[]string{"reading state (2 API calls) 100% ", "(1/1, "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := &fakeTerminal{}
			pr := newProgressOn(term, nil, time.Now)
			pr.update(tc.p)
			for _, w := range tc.want {
				if !strings.Contains(term.screen(), w) {
					t.Errorf("screen = %q, want %q in it", term.screen(), w)
				}
			}
			pr.finish()
			if got := term.screen(); got != "" {
				t.Errorf("screen after finish = %q, want it empty", got)
			}
		})
	}
}
