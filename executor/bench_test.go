package executor_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"settle/executor"
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
