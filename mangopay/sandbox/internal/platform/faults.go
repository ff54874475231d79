package platform

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Faults are injected failures. Ratios are in [0,1].
type Faults struct {
	Seed int64
	// Latency is added to every /v2.01 request.
	Latency time.Duration
	// ErrorRatio answers 500 without doing anything.
	ErrorRatio float64
	// DropAfterCommitRatio performs a POST then drops the connection
	// without answering (the client cannot know it happened).
	DropAfterCommitRatio float64
}

// faultInjector draws the faults of each API request from a seeded RNG, so
// a given seed and request order always give the same faults. Every
// request that reaches its route draws one number for ErrorRatio; POSTs
// draw a second one for DropAfterCommitRatio.
type faultInjector struct {
	mu  sync.Mutex
	cfg Faults     // guarded by mu
	rng *rand.Rand // guarded by mu
}

// fault is what the injector does to one request.
type fault struct {
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

// draw decides the fault of one request.
func (f *faultInjector) draw(method string) fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := fault{latency: f.cfg.Latency}
	if f.cfg.ErrorRatio > 0 {
		out.fail = f.rng.Float64() < f.cfg.ErrorRatio
	}
	if method == http.MethodPost && f.cfg.DropAfterCommitRatio > 0 && !out.fail {
		out.drop = f.rng.Float64() < f.cfg.DropAfterCommitRatio
	}
	return out
}

// Faults returns the fault settings.
func (a *API) Faults() Faults { return a.faults.get() }

// SetFaults replaces the fault settings and reseeds their RNG.
func (a *API) SetFaults(f Faults) { a.faults.set(f) }

// RateLimits returns the rate-limit windows.
func (a *API) RateLimits() []RateWindow { return a.limiter.windows() }

// SetRateLimits replaces the rate-limit windows and forgets the counts.
func (a *API) SetRateLimits(windows []RateWindow) { a.limiter.setLimits(windows) }
