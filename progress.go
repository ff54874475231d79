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
	"settle/internal/campaignimport"
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
// plan's and import's, which write nothing.
const (
	interruptApply  = "interrupted: finishing the calls in flight and journalling them; nothing new is sent\n"
	interruptPlan   = "interrupted: stopping; plan sends nothing\n"
	interruptImport = "interrupted: stopping; import writes nothing\n"
)

// barWidth is the width of the bar itself; progressbar narrows it when
// the line would not fit the terminal.
const barWidth = 20

// progress shows a run's progress on stderr, one line redrawn in place,
// with github.com/schollz/progressbar/v3 (the design card's choice), for
// plan and apply (update: one bar of steps per phase, "reading state"
// with the API calls made in the description, then "applying") and for
// import (updateImport: one bar of API calls against those expected). The
// library draws the bar, the counts, the rate and the ETA, and throttles
// redraws; this type owns the wording of the description, where the
// rate-limit wait shows as "waiting for the rate limit (12 s)" while the
// client's governor holds calls back (the library's ETA is rate-based and
// cannot count the wait, so the description says how long it is), and
// the interrupt line. It draws only when stderr is a terminal.
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
	bar     *progressbar.ProgressBar // the current phase's, nil before a frame with a total
	last    frame                    // the last update's
	desc    string                   // the description bar shows
	stopped bool                     // the interrupt line is out, or finish ran: draw no more
}

// frame is what one update shows.
type frame struct {
	// phase starts the description; another phase starts a new bar.
	phase string
	// detail follows the phase in the description, e.g. " (37 API calls)".
	detail string
	// unit is what the bar counts, named after its rate ("steps", "calls").
	unit        string
	done, total int
	// waiting is true when the caller says the rate limit holds it back;
	// the governor's state is asked besides.
	waiting bool
}

// newProgress returns a progress display on stderr, or nil when stderr is
// not a terminal. Call update or updateImport with each snapshot and
// finish at the end; when ctx ends first, the interrupt line replaces the
// bar.
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

// update shows one Progress snapshot from Diff or Apply.
func (pr *progress) update(p executor.Progress) {
	f := frame{phase: "applying", unit: "steps", done: p.Done, total: p.Total, waiting: p.Waiting}
	if p.Phase == executor.PhaseReading {
		f.phase, f.detail = "reading state", fmt.Sprintf(" (%d API calls)", p.Calls)
	}
	pr.show(f)
}

// updateImport shows how far import's reads are: a bar of the API calls
// made against those expected so far, which grow as Read learns how many
// pages and wallets there are.
func (pr *progress) updateImport(p campaignimport.Progress) {
	pr.show(frame{phase: "reading MANGOPAY", unit: "calls", done: p.Calls, total: p.Expected})
}

// show records f and redraws: a new phase starts a new bar, drawn at
// once, and so does a total that grows past a full bar (the library
// draws a bar that was full once no more; the new one's rate and elapsed
// time start again).
func (pr *progress) show(f frame) {
	if pr == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped {
		return
	}
	newPhase := pr.bar == nil || f.phase != pr.last.phase
	pr.last = f
	if f.total <= 0 {
		return // nothing to count
	}
	// Drawing errors are the terminal's; they are not worth failing a run.
	switch {
	case newPhase, pr.bar.IsFinished() && f.total > pr.bar.GetMax():
		if pr.bar != nil {
			_ = pr.bar.Exit()
		}
		pr.desc = pr.description()
		pr.bar = newBar(pr.w, f.total, pr.desc, f.unit, pr.throttle)
	case pr.bar.GetMax() != f.total:
		pr.bar.ChangeMax(f.total)
	}
	pr.describe()
	_ = pr.bar.Set(f.done)
}

// newBar is a bar of total units on w, described by desc, with its
// counts, rate, elapsed time and ETA, redrawn at most once per throttle.
func newBar(w io.Writer, total int, desc, unit string, throttle time.Duration) *progressbar.ProgressBar {
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(barWidth),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionUseANSICodes(true), // "\r" line "\x1b[0K": no padding left behind
	)
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

// description is the words before the bar: the phase, its detail, and the
// rate-limit wait while the caller or the governor says calls are held
// back; pr.mu held.
func (pr *progress) description() string {
	f := pr.last
	d := f.phase + f.detail
	state, ok := pr.rateState()
	if !f.waiting && !(ok && state.Waiting) {
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
