package executor_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"settle/executor"
	"settle/mangopay/sandbox"
)

func TestZZPerfDiag(t *testing.T) {
	for _, par := range []int{1, 8, 32} {
		payers := max(20, 8*par)
		p := benchPlan(t, payers)
		e := newEnv(t, sandbox.Options{Faults: sandbox.Faults{Latency: 50 * time.Millisecond}})
		cfg := e.cfg("j.jsonl")
		cfg.Parallelism = par
		var first time.Time
		var doneAt []time.Duration
		start := time.Now()
		cfg.Progress = func(pr executor.Progress) {
			if first.IsZero() {
				first = time.Now()
			}
			doneAt = append(doneAt, time.Since(start))
		}
		stop := make(chan struct{})
		var samples []int64
		go func() {
			tk := time.NewTicker(10 * time.Millisecond)
			defer tk.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tk.C:
					samples = append(samples, e.inflight.Load())
				}
			}
		}()
		sum, err := executor.Apply(context.Background(), cfg, p)
		el := time.Since(start)
		close(stop)
		time.Sleep(20 * time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		st := e.srv.Stats()
		var keys []string
		for k := range st.ByRoute {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("P%d payers=%d done=%d elapsed=%v firstStepDone=%v requests=%d max=%d", par, payers, sum.Done, el, first.Sub(start), st.Requests, e.maxIn.Load())
		for _, k := range keys {
			t.Logf("   %6d %s", st.ByRoute[k], k)
		}
		// inflight profile in 10 buckets
		nb := 10
		for b := 0; b < nb; b++ {
			lo, hi := b*len(samples)/nb, (b+1)*len(samples)/nb
			var s int64
			for _, v := range samples[lo:hi] {
				s += v
			}
			if hi > lo {
				t.Logf("   bucket %d avg inflight %.1f", b, float64(s)/float64(hi-lo))
			}
		}
		t.Logf("   last 5 done at %v", doneAt[max(0, len(doneAt)-5):])
	}
}
