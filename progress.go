package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

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

// progress shows a run's progress on stderr, one line redrawn in place,
// in two phases: "reading state" (steps whose state is known, API calls
// made), then "applying" (steps done of total, rate, ETA, and "waiting for
// the rate limit (12 s)" while the client's governor holds calls back). It
// draws only when stderr is a terminal; on an interrupt it leaves the
// line for its interrupt line.
type progress struct {
	w         io.Writer
	interrupt string                         // the line printed on an interrupt
	rate      func() mangopay.RateLimitState // the governor's state; nil without a client
	now       func() time.Time
	stop      chan struct{}
	done      chan struct{} // closed when poll returns
	// polling is true when poll runs (set before it starts).
	polling bool
	// throttle is the least time between two redraws on updates (the
	// poller redraws every tick); 0 redraws on every update.
	throttle time.Duration

	mu         sync.Mutex // guards the fields below and every write to w
	last       executor.Progress
	started    bool      // a snapshot came
	applySince time.Time // when the first applying snapshot came
	applyDone0 int       // steps already done then (a resumed run)
	shown      string    // the line on screen, "" when none
	drawnAt    time.Time // when an update last redrew
	stopped    bool      // the interrupt line is out, or finish ran: draw no more
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

// newProgressOn draws on w, terminal or not, with the given clock; it
// redraws on updates only until poll runs (tests drive it by hand).
func newProgressOn(w io.Writer, rate func() mangopay.RateLimitState, now func() time.Time) *progress {
	return &progress{w: w, interrupt: interruptApply, rate: rate, now: now, stop: make(chan struct{}), done: make(chan struct{})}
}

// update records one Progress snapshot from Diff or Apply and redraws.
func (pr *progress) update(p executor.Progress) {
	if pr == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	now := pr.now()
	newPhase := !pr.started || pr.last.Phase != p.Phase
	if newPhase && p.Phase == executor.PhaseApplying {
		pr.applySince, pr.applyDone0 = now, p.Done
	}
	pr.last, pr.started = p, true
	if newPhase || now.Sub(pr.drawnAt) >= pr.throttle {
		pr.drawnAt = now
		pr.draw()
	}
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
			pr.mu.Lock()
			pr.draw()
			pr.mu.Unlock()
		}
	}
}

// interrupt erases the line (and the terminal's ^C echo on it) and prints
// the interrupt line; nothing is drawn after it.
func (pr *progress) interrupted() {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.stopped {
		return
	}
	fmt.Fprint(pr.w, clearLine+pr.interrupt)
	pr.stopped, pr.shown = true, ""
}

// draw writes the line when it changed; pr.mu held.
func (pr *progress) draw() {
	if pr.stopped || !pr.started {
		return
	}
	if line := pr.line(); line != pr.shown {
		fmt.Fprint(pr.w, clearLine+line)
		pr.shown = line
	}
}

// line is the progress line of the last snapshot; pr.mu held.
func (pr *progress) line() string {
	p := pr.last
	if p.Phase == executor.PhaseReading {
		return fmt.Sprintf("reading state: %d/%d steps, %d API calls", p.Done, p.Total, p.Calls)
	}
	s := fmt.Sprintf("applying: %d/%d steps", p.Done, p.Total)
	elapsed := pr.now().Sub(pr.applySince)
	var perSecond float64
	if n := p.Done - pr.applyDone0; n > 0 && elapsed > 0 {
		perSecond = float64(n) / elapsed.Seconds()
		s += fmt.Sprintf(", %.1f steps/s", perSecond)
	}
	var wait time.Duration
	if state, ok := pr.rateState(); p.Waiting || ok && state.Waiting {
		wait = rateLimitWait(state, pr.now())
		if wait > 0 {
			s += fmt.Sprintf(", waiting for the rate limit (%d s)", int((wait+time.Second-1)/time.Second))
		} else {
			s += ", waiting for the rate limit"
		}
	}
	if left := p.Total - p.Done; perSecond > 0 && left > 0 {
		eta := time.Duration(float64(left)/perSecond*float64(time.Second)) + wait
		s += ", ETA " + eta.Round(time.Second).String()
	}
	return s
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
// written on stdout. After an interrupt, the interrupt line stays.
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
	if pr.shown != "" {
		fmt.Fprint(pr.w, clearLine)
		pr.shown = ""
	}
	pr.stopped = true // draw no more
}
