package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"settle/executor"
	"settle/mangopay"
)

// isTerminal reports whether w is a terminal (an *os.File on a tty).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// useColor decides colour for stdout: NO_COLOR (any non-empty value)
// turns it off, CLICOLOR_FORCE (non-empty, not "0") forces it on even
// when stdout is not a terminal; otherwise colour only on a terminal.
func useColor(stdout io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" {
		return false
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	return isTerminal(stdout)
}

// Terminal control: back to the start of the line and erase it.
const clearLine = "\r\x1b[K"

// Interrupt lines, printed on a line of their own when a run is
// interrupted (the terminal's "^C" echo is erased first): apply's, and
// plan's, which writes nothing.
const (
	interruptApply = "interrupted: finishing the calls in flight and journalling them; nothing new is sent\n"
	interruptPlan  = "interrupted: stopping; plan sends nothing\n"
)

// barWidth is the width of the bar itself; progressbar narrows it when
// the line would not fit the terminal.
const barWidth = 20

// progress shows a run's progress on stderr, one line redrawn in place,
// with github.com/schollz/progressbar/v3 (the design card's choice): one
// bar per phase, "reading state" (steps whose state is known, with the API
// calls made in the description), then "applying". The library draws the
// bar, the counts, the rate and the ETA, and throttles redraws; this type
// owns the wording of the description, where the rate-limit wait shows as
// "waiting for the rate limit (12 s)" while the client's governor holds
// calls back (the library's ETA is rate-based and cannot count the wait,
// so the description says how long it is), and the interrupt line. It
// draws only when stderr is a terminal.
type progress struct {
	w         io.Writer
	interrupt string                         // the line printed on an interrupt
	rate      func() mangopay.RateLimitState // the governor's state; nil without a client
	now       func() time.Time               // the clock the rate-limit wait is counted on
	stop      chan struct{}
	done      chan struct{} // closed when poll returns
	// polling is true when poll runs (set before it starts).
	polling bool
	// throttle is each bar's OptionThrottle: the least time between two
	// redraws (the poller redraws every tick); 0 redraws on every update.
	throttle time.Duration

	mu      sync.Mutex               // guards the fields below and every call on bar
	bar     *progressbar.ProgressBar // the current phase's, nil before a snapshot with steps
	last    executor.Progress        // the last snapshot
	desc    string                   // the description bar shows
	stopped bool                     // the interrupt line is out, or finish ran: draw no more
}

// newProgress returns a progress display on stderr, or nil when stderr is
// not a terminal. Call update from Config.Progress and finish at the end;
// when ctx ends first, the interrupt line replaces the bar.
func newProgress(ctx context.Context, stderr io.Writer, client *mangopay.Client, interrupt string) *progress {
	if !isTerminal(stderr) {
		return nil
	}
	var rate func() mangopay.RateLimitState
	if client != nil {
		rate = client.RateLimit
	}
	pr := newProgressOn(stderr, rate, time.Now)
	pr.interrupt, pr.polling, pr.throttle = interrupt, true, 100*time.Millisecond
	go pr.poll(ctx, 250*time.Millisecond)
	return pr
}

// newProgressOn draws on w, terminal or not, counting the rate-limit wait
// on the given clock; without poll and with no throttle it redraws on
// every update (tests drive it by hand).
func newProgressOn(w io.Writer, rate func() mangopay.RateLimitState, now func() time.Time) *progress {
	return &progress{w: w, interrupt: interruptApply, rate: rate, now: now, stop: make(chan struct{}), done: make(chan struct{})}
}

// update records one Progress snapshot from Diff or Apply and redraws: a
// new phase starts a new bar, drawn at once.
func (pr *progress) update(p executor.Progress) {
	if pr == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped {
		return
	}
	newPhase := pr.bar == nil || p.Phase != pr.last.Phase
	pr.last = p
	if p.Total <= 0 {
		return // no steps to count
	}
	// Drawing errors are the terminal's; they are not worth failing a run.
	switch {
	case newPhase:
		if pr.bar != nil {
			_ = pr.bar.Exit()
		}
		pr.desc = pr.description()
		pr.bar = progressbar.NewOptions(p.Total,
			progressbar.OptionSetWriter(pr.w),
			progressbar.OptionSetDescription(pr.desc),
			progressbar.OptionSetWidth(barWidth),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(pr.throttle),
			progressbar.OptionUseANSICodes(true), // "\r" line "\x1b[0K": no padding left behind
		)
	case pr.bar.GetMax() != p.Total:
		pr.bar.ChangeMax(p.Total)
	}
	pr.describe()
	_ = pr.bar.Set(p.Done)
}

// poll redraws every tick, so that the rate, the ETA and the rate-limit
// wait stay current while no step changes state, and prints the interrupt
// line when ctx ends.
func (pr *progress) poll(ctx context.Context, tick time.Duration) {
	defer close(pr.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-pr.stop:
			return
		case <-ctx.Done():
			pr.interrupted()
			<-pr.stop
			return
		case <-t.C:
			pr.tick()
		}
	}
}

// tick redraws the bar with the governor's state of now.
func (pr *progress) tick() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped || pr.bar == nil {
		return
	}
	pr.describe()
	_ = pr.bar.Add(0) // redraws; the library's rate takes the idle time in
}

// interrupted erases the line (and the terminal's ^C echo on it) and
// prints the interrupt line; nothing is drawn after it.
func (pr *progress) interrupted() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped {
		return
	}
	if pr.bar != nil {
		_ = pr.bar.Exit()
	}
	fmt.Fprint(pr.w, clearLine+pr.interrupt)
	pr.stopped = true
}

// describe gives the bar the description of now when it changed; pr.mu
// held.
func (pr *progress) describe() {
	if d := pr.description(); d != pr.desc {
		pr.desc = d
		pr.bar.Describe(d)
	}
}

// description is the words before the bar: the phase, the API calls made
// reading the state, and the rate-limit wait; pr.mu held.
func (pr *progress) description() string {
	p := pr.last
	d := "applying"
	if p.Phase == executor.PhaseReading {
		d = fmt.Sprintf("reading state (%d API calls)", p.Calls)
	}
	state, ok := pr.rateState()
	if !p.Waiting && !(ok && state.Waiting) {
		return d
	}
	if wait := rateLimitWait(state, pr.now()); wait > 0 {
		return fmt.Sprintf("%s, waiting for the rate limit (%d s)", d, int((wait+time.Second-1)/time.Second))
	}
	return d + ", waiting for the rate limit"
}

// rateState is the governor's state, ok false without a client.
func (pr *progress) rateState() (mangopay.RateLimitState, bool) {
	if pr.rate == nil {
		return mangopay.RateLimitState{}, false
	}
	return pr.rate(), true
}

// rateLimitWait is how long until the first exhausted window resets (0
// when none is exhausted: the governor is only pacing calls).
func rateLimitWait(s mangopay.RateLimitState, now time.Time) time.Duration {
	var wait time.Duration
	for _, w := range s.Windows {
		if w.Remaining > 0 || w.Reset.IsZero() {
			continue
		}
		if d := w.Reset.Sub(now); d > 0 && (wait == 0 || d < wait) {
			wait = d
		}
	}
	return wait
}

// finish stops the poller and erases the line, before the summary is
// written on stdout. After an interrupt, the interrupt line stays. The
// line is erased here, not with the bar's Clear, which skips a bar whose
// only drawing was already full (a one-step plan's reading).
func (pr *progress) finish() {
	if pr == nil {
		return
	}
	close(pr.stop)
	if pr.polling {
		<-pr.done
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if !pr.stopped && pr.bar != nil {
		_ = pr.bar.Exit()
		if pr.bar.String() != "" {
			fmt.Fprint(pr.w, clearLine)
		}
	}
	pr.stopped = true // draw no more
}
