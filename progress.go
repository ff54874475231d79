package main

import (
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

// Progress bar descriptions.
const (
	descApplying = "applying"
	descWaiting  = "waiting for rate limit"
)

// progress shows an apply's progress on stderr: steps done of total, rate,
// ETA, and "waiting for rate limit" while the client's rate-limit governor
// holds calls back. It draws only when stderr is a terminal.
type progress struct {
	client *mangopay.Client
	stop   chan struct{}
	done   chan struct{}

	mu      sync.Mutex // guards the fields below and every bar call
	bar     *progressbar.ProgressBar
	waiting bool // the last state reported by Apply
	total   int  // the total last given to the bar, 0 before the first update
	shown   string
}

// newProgress returns a progress display on stderr, or nil when stderr is
// not a terminal. Call update from Config.Progress and finish at the end.
func newProgress(stderr io.Writer, client *mangopay.Client) *progress {
	if !isTerminal(stderr) {
		return nil
	}
	return newProgressOn(stderr, client, 100*time.Millisecond)
}

// newProgressOn draws the progress on w, terminal or not, redrawing at
// most once per throttle (tests use it with 0).
func newProgressOn(w io.Writer, client *mangopay.Client, throttle time.Duration) *progress {
	pr := &progress{client: client, stop: make(chan struct{}), done: make(chan struct{})}
	pr.bar = progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(descApplying),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(throttle),
		progressbar.OptionClearOnFinish(),
	)
	pr.shown = descApplying
	go pr.poll()
	return pr
}

// update records one Progress snapshot from Apply.
func (pr *progress) update(p executor.Progress) {
	if pr == nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if p.Total > 0 && p.Total != pr.total {
		pr.bar.ChangeMax(p.Total)
		pr.total = p.Total
	}
	pr.waiting = p.Waiting
	pr.bar.Set(p.Done) //nolint:errcheck // drawing errors are not worth failing a run
	pr.describe()
}

// poll refreshes the waiting state from the client's governor, which can
// pause calls for a long time without any step changing state, and
// redraws the bar so that its rate and ETA stay current.
func (pr *progress) poll() {
	defer close(pr.done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-pr.stop:
			return
		case <-t.C:
			pr.mu.Lock()
			pr.describe()
			pr.bar.Add(0) //nolint:errcheck // see update
			pr.mu.Unlock()
		}
	}
}

// describe sets the description from the waiting state; pr.mu held.
func (pr *progress) describe() {
	want := descApplying
	if pr.waiting || (pr.client != nil && pr.client.RateLimit().Waiting) {
		want = descWaiting
	}
	if want != pr.shown {
		pr.bar.Describe(want)
		pr.shown = want
	}
}

// finish stops the poller and clears the bar, before the summary is
// written on stdout.
func (pr *progress) finish() {
	if pr == nil {
		return
	}
	close(pr.stop)
	<-pr.done
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.bar.Finish() //nolint:errcheck // see update
}
