package sandbox

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// faultInjector draws the faults of each API request from a seeded RNG, so
// a given seed and request order always give the same faults. Every
// request that reaches its route draws one number for ErrorRatio; POSTs
// draw a second one for DropAfterCommitRatio.
type faultInjector struct {
	mu  sync.Mutex
	cfg Faults     // guarded by mu
	rng *rand.Rand // guarded by mu
}

// faultPlan is what happens to one request.
type faultPlan struct {
	latency time.Duration
	fail    bool // answer 500 without running the handler
	drop    bool // run the handler, then drop the connection
}

func newFaultInjector(cfg Faults) *faultInjector {
	f := &faultInjector{}
	f.set(cfg)
	return f
}

// set replaces the configuration and reseeds the RNG.
func (f *faultInjector) set(cfg Faults) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cfg = cfg
	f.rng = rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(cfg.Seed)^0x5eed))
}

// get returns the current configuration.
func (f *faultInjector) get() Faults {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg
}

// draw decides the faults of one request.
func (f *faultInjector) draw(method string) faultPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := faultPlan{latency: f.cfg.Latency}
	if f.cfg.ErrorRatio > 0 {
		p.fail = f.rng.Float64() < f.cfg.ErrorRatio
	}
	if method == http.MethodPost && f.cfg.DropAfterCommitRatio > 0 && !p.fail {
		p.drop = f.rng.Float64() < f.cfg.DropAfterCommitRatio
	}
	return p
}
