package executor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// benchPlan is an open campaign with n payers, each with a user, a
// wallet, a card, a pay-in and a transfer: 2 + 5n steps, 2 + 6n API calls
// (a card takes two).
func benchPlan(b testing.TB, n int) *plan.Plan {
	var sb strings.Builder
	sb.WriteString("version: 1\nname: bench\ncurrency: EUR\nusers:\n")
	sb.WriteString("  owner: {type: natural, category: owner, first_name: O, last_name: W, email: o@example.org, birthday: 1980-01-01, nationality: FR, country_of_residence: FR, address: {line1: a, city: Paris, postal_code: \"75001\", country: FR}, terms_accepted: true}\n")
	for i := range n {
		fmt.Fprintf(&sb, "  p%d: {type: natural, category: payer, first_name: P, last_name: N%d, email: p%d@example.org}\n", i, i, i)
	}
	sb.WriteString("wallets:\n  project: {owner: owner, description: Project}\n")
	for i := range n {
		fmt.Fprintf(&sb, "  p%d: {owner: p%d, description: W}\n", i, i)
	}
	sb.WriteString("cards:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  p%d: {user: p%d, number: \"4970107111111119\", expiry: \"12/29\", cvx: \"123\"}\n", i, i)
	}
	sb.WriteString("campaigns:\n  bench:\n    wallet: project\n    outcome: open\n    contributions:\n")
	for i := range n {
		fmt.Fprintf(&sb, "      - {key: c%d, from: p%d, amount: %d, payin: {card: p%d}}\n", i, i, 1000+i, i)
	}
	p, err := plan.Parse("bench.yaml", []byte(sb.String()))
	if err != nil {
		b.Fatalf("Parse(bench plan) error = %v", err)
	}
	return p
}

// BenchmarkApply measures apply throughput against the sandbox with 50 ms
// of latency on every API call, at parallelism 1, 8 and 32 (DESIGN §10:
// at least 90% of parallelism ÷ latency).
//
// Efficiency is counted per API call, because the latency is paid per
// call, not per step: a card step makes two calls (registration, then its
// update after tokenization) and the state read two more. With P workers
// at most P calls are in flight, so P ÷ latency calls/s is the ceiling, and
//
//	efficiency = (API calls/s) / (P / latency)
//
// where the calls are those the sandbox counted (OAuth token calls
// excluded: they carry no latency) and the time is Apply's wall time from
// start to end: journal, sequential state read, DAG walk, tail. steps/s is
// reported too; it is lower than calls/s by the plan's calls per step
// (6 calls for 5 steps per payer here).
//
// The plan gives every worker 16 independent payers (96 calls, about 5 s
// of work at any parallelism) so that the fixed costs, the state read (two
// sequential calls) and the last latency of the DAG's tail, weigh about
// 3%. The sandbox's rate limit is raised so that the governor never paces:
// this benchmark measures latency-bound throughput; the rate limit has
// BenchmarkApplyRateLimited.
func BenchmarkApply(b *testing.B) {
	const latency = 50 * time.Millisecond
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprint("parallelism-", par), func(b *testing.B) {
			payers := max(20, 16*par)
			p := benchPlan(b, payers)
			var steps, calls int64
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				e := newEnv(b, sandbox.Options{Faults: sandbox.Faults{Latency: latency},
					RateLimits: []sandbox.RateWindow{{Period: time.Hour, Limit: 1 << 30}}})
				cfg := e.cfg("j.jsonl")
				cfg.Parallelism = par
				before := apiCalls(e.srv.Stats())
				b.StartTimer()
				start := time.Now()
				sum, err := executor.Apply(context.Background(), cfg, p)
				elapsed += time.Since(start)
				b.StopTimer()
				if err != nil || sum.Done != 2+5*payers {
					b.Fatalf("Apply() = %d done, %v", sum.Done, err)
				}
				steps += int64(sum.Done)
				calls += apiCalls(e.srv.Stats()) - before
				b.StartTimer()
			}
			sec := elapsed.Seconds()
			b.ReportMetric(float64(steps)/sec, "steps/s")
			b.ReportMetric(float64(calls)/sec, "calls/s")
			b.ReportMetric(float64(calls)/sec/(float64(par)/latency.Seconds()), "efficiency")
		})
	}
}

// apiCalls is the number of API calls in st, OAuth token calls excluded.
func apiCalls(st sandbox.Stats) int64 {
	return st.Requests - st.ByRoute["POST /oauth/token"]
}

// BenchmarkReapply measures a re-run of a finished plan (zero writes): the
// state read, one list call per user and per wallet, made Parallelism at a
// time, with 50 ms of latency per call.
func BenchmarkReapply(b *testing.B) {
	const latency = 50 * time.Millisecond
	for _, par := range []int{1, 8, 32} {
		b.Run(fmt.Sprint("parallelism-", par), func(b *testing.B) {
			p := benchPlan(b, 64)
			e := newEnv(b, sandbox.Options{})
			cfg := e.cfg("j.jsonl")
			cfg.Parallelism = 32
			if _, err := executor.Apply(context.Background(), cfg, p); err != nil {
				b.Fatal(err)
			}
			cfg.Parallelism = par
			e.setLatency(b, latency)
			var objects int
			for b.Loop() {
				sum, err := executor.Apply(context.Background(), cfg, p)
				if err != nil || sum.Unchanged != len(sum.Results) {
					b.Fatalf("re-Apply() = %v, %v", sum, err)
				}
				objects += len(sum.Results)
			}
			b.ReportMetric(float64(objects)/b.Elapsed().Seconds(), "objects/s")
		})
	}
}

// setLatency sets the sandbox's injected latency through its admin API.
func (e *env) setLatency(tb testing.TB, d time.Duration) {
	req, _ := http.NewRequest(http.MethodPut, e.ts.URL+"/sandbox/faults", strings.NewReader(`{"Latency":"`+d.String()+`"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("PUT /sandbox/faults: %v %v", err, resp)
	}
	resp.Body.Close()
}

// BenchmarkApplyRateLimited applies a plan that needs several windows of a
// scaled-down rate limit (DESIGN §10: at least 90% of the window's budget
// used, zero 429s), at parallelism 8 without latency, so that only the
// limit holds the run back. From the rate-limit headers of every answer it
// reports, over the windows the run completed (all but the last):
//
//   - budget-used-%: calls the server counted in those windows ÷ their
//     limit. 100% means the governor spent each window's whole budget.
//   - rate-%: those calls ÷ (limit × the time from the opening of the first
//     window to that of the last ÷ period): the share of the limit's
//     long-run rate the run achieved, gaps between windows included.
//   - 429s: answers refused for the rate limit (must be 0).
//
// The sandbox, like MANGOPAY, reports X-RateLimit-Reset in whole seconds,
// rounded up, and opens a window at the first call after the previous one
// ended; a client that waits for the reported reset therefore idles for
// the rounding, 0.5 s on average, up to 1 s, after every window, which
// bounds rate-% at about period ÷ (period + 1 s) whatever the governor
// does: 75% for 3 s windows, 91% for 10 s ones, 99.9% for MANGOPAY's
// 15-minute window.
func BenchmarkApplyRateLimited(b *testing.B) {
	for _, w := range []sandbox.RateWindow{{Period: 3 * time.Second, Limit: 60}, {Period: 10 * time.Second, Limit: 60}} {
		b.Run(fmt.Sprintf("%d-per-%s", w.Limit, w.Period), func(b *testing.B) {
			p := benchPlan(b, 40) // 244 calls: 4 full windows and part of a fifth
			var made, windows, tooMany int
			var span time.Duration
			for b.Loop() {
				rec, cfg := newRateLimitedEnv(b, w)
				sum, err := executor.Apply(context.Background(), cfg, p)
				if err != nil || sum.Done != 2+5*40 {
					b.Fatalf("Apply() = %+v, %v", sum, err)
				}
				m, n, d := rec.complete()
				made, windows, span, tooMany = made+m, windows+n, span+d, tooMany+rec.tooMany
			}
			b.ReportMetric(100*float64(made)/float64(windows*w.Limit), "budget-used-%")
			b.ReportMetric(100*float64(made)/(float64(w.Limit)*span.Seconds()/w.Period.Seconds()), "rate-%")
			b.ReportMetric(float64(tooMany)/float64(b.N), "429s")
		})
	}
}

// newRateLimitedEnv starts a sandbox limited to one window w behind a
// recorder and returns the recorder and an executor Config on it.
func newRateLimitedEnv(b *testing.B, w sandbox.RateWindow) (*windowRecorder, executor.Config) {
	srv, err := sandbox.New(sandbox.Options{RateLimits: []sandbox.RateWindow{w}})
	if err != nil {
		b.Fatal(err)
	}
	rec := &windowRecorder{h: srv, opened: map[string]time.Time{}, made: map[string]int{}}
	ts := httptest.NewServer(rec)
	b.Cleanup(func() { ts.Close(); srv.Close() })
	c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey, BaseURL: ts.URL})
	if err != nil {
		b.Fatal(err)
	}
	return rec, executor.Config{Client: c, JournalPath: b.TempDir() + "/j.jsonl", Target: "embedded", Parallelism: 8,
		Wait: 30 * time.Second}
}

// windowRecorder passes requests to the sandbox and records, per window
// (told apart by X-RateLimit-Reset), when its first call arrived and the
// highest X-RateLimit count answered in it, and counts 429 answers.
type windowRecorder struct {
	h       http.Handler
	mu      sync.Mutex
	opened  map[string]time.Time // reset -> arrival of the window's first call
	made    map[string]int       // reset -> highest X-RateLimit
	tooMany int
}

func (r *windowRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	sw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
	r.h.ServeHTTP(sw, req)
	reset, made := w.Header()["X-RateLimit-Reset"], w.Header()["X-RateLimit"]
	if !strings.HasPrefix(req.URL.Path, "/v2.01/") || len(reset) == 0 || len(made) == 0 {
		return
	}
	n, _ := strconv.Atoi(made[0])
	r.mu.Lock()
	defer r.mu.Unlock()
	if sw.code == http.StatusTooManyRequests {
		r.tooMany++
		return
	}
	if t, ok := r.opened[reset[0]]; !ok || at.Before(t) {
		r.opened[reset[0]] = at
	}
	r.made[reset[0]] = max(r.made[reset[0]], n)
}

// complete sums the calls of every window but the last, and returns how
// many such windows there were and the time from the first one's opening
// to the last one's.
func (r *windowRecorder) complete() (made, windows int, span time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.opened))
	for k := range r.opened {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return r.opened[a].Compare(r.opened[b]) })
	if len(keys) < 2 {
		return 0, 0, 0
	}
	for _, k := range keys[:len(keys)-1] {
		made += r.made[k]
	}
	return made, len(keys) - 1, r.opened[keys[len(keys)-1]].Sub(r.opened[keys[0]])
}

// codeWriter remembers the status code written.
type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
