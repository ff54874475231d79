package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"settle/mangopay/sandbox/internal/platform"
)

// The admin API stands in for MANGOPAY's dashboard. It lives outside /v2.01
// under /sandbox/ and takes no authentication unless Options.AdminToken is
// set (a bearer token, guardAdmin); Serve refuses a non-loopback listener
// without it.
// Every call first runs the sandbox's due asynchronous work, like an API call.
//
//	POST   /sandbox/kyc/{id}/validate          validate a KYC document (204)
//	POST   /sandbox/kyc/{id}/refuse?reason=R    refuse it; R is a RefusedReasonType (204)
//	POST   /sandbox/payouts/process            process every CREATED payout now: {"Processed":n}
//	POST   /sandbox/payouts/{id}/process       process one CREATED payout now: the payout
//	POST   /sandbox/payouts/{id}/bounce?reason=R the bank returns a SUCCEEDED payout: its payout refund (bounce.go)
//	POST   /sandbox/payins/{id}/complete         pay a card web pay-in as its payment page would (outcome=cancel fails it): the pay-in
//	POST   /sandbox/sca/{id}/complete          complete a PENDING_USER_ACTION user's SCA enrolment (204)
//	POST   /sandbox/sca/{id}/refuse            refuse it: SCA_ENROLLMENT_FAILED, the user stays pending (204)
//	POST   /sandbox/recipients/{id}/activate   complete a PENDING recipient's SCA: ACTIVE (204)
//	POST   /sandbox/recipients/{id}/cancel     refuse it: CANCELED (204)
//	POST   /sandbox/transfers/{id}/authenticate complete the SCA of a transfer waiting for it: the transfer, settled
//	POST   /sandbox/transfers/{id}/refuse      refuse it: the transfer, FAILED 007101
//	POST   /sandbox/identity-verifications/{id}/outcome?status=S&reason=R
//	                                           end a PENDING session: S is VALIDATED, REFUSED (R a refusal reason) or EXPIRED (204)
//	POST   /sandbox/clock/advance?by=1h         move the sandbox clock forward (Go duration, > 0; persisted)
//	GET    /sandbox/clock                      {"Now":unix,"Offset":"1h0m0s"}
//	GET    /sandbox/faults                     the fault settings (see faultsDoc)
//	PUT    /sandbox/faults                     replace them (reseeds the RNG; RateLimits reset the counts)
//	GET    /sandbox/state                      a JSON dump of every object
//	GET    /sandbox/ledger                     {"OK":bool,"Error":string}; 200 when the invariant holds, else 500
//	GET    /sandbox/stats                      request counts (Stats)
//	DELETE /sandbox/stats                      reset the request counts (204)
//	POST   /sandbox/seed                       create objects with fixed Ids from a SeedDoc (seed.go): a SeedResult
//
// The POST routes are the back office's actions (backoffice.go), which the
// dashboard offers too. Errors use MANGOPAY's error body.
func (s *Server) registerAdmin(mux *http.ServeMux) {
	for _, act := range backofficeActions {
		mux.HandleFunc("POST /sandbox/"+act.path, s.adminAction(act))
	}
	mux.HandleFunc("GET /sandbox/clock", s.adminClock)
	mux.HandleFunc("GET /sandbox/faults", s.adminGetFaults)
	mux.HandleFunc("PUT /sandbox/faults", s.adminPutFaults)
	mux.HandleFunc("GET /sandbox/state", s.adminState)
	mux.HandleFunc("GET /sandbox/ledger", s.adminLedger)
	mux.HandleFunc("POST /sandbox/seed", s.adminSeed)
	mux.HandleFunc("GET /sandbox/stats", func(w http.ResponseWriter, _ *http.Request) {
		platform.WriteJSON(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("DELETE /sandbox/stats", func(w http.ResponseWriter, _ *http.Request) {
		s.api.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
}

// commit runs fn as a Commit (with s.mu held, after the due asynchronous
// work, its changes durable before the answer) and writes its result as
// JSON (nil: 204).
func (s *Server) commit(w http.ResponseWriter, fn func(now time.Time) (any, *apiError)) {
	var v any
	var e *apiError
	if err := s.api.Commit(func(now time.Time) { v, e = fn(now) }); err != nil && e == nil {
		e = &apiError{Status: http.StatusInternalServerError, Type: "other", Message: err.Error()}
	}
	s.writeAnswer(w, v, e)
}

// writeAnswer writes an admin answer: MANGOPAY's error body for e, else v
// as JSON (nil: 204).
func (s *Server) writeAnswer(w http.ResponseWriter, v any, e *apiError) {
	switch {
	case e != nil:
		s.api.WriteError(w, e)
	case v == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		platform.WriteJSON(w, http.StatusOK, v)
	}
}

// clockDoc is the body of the clock endpoints.
type clockDoc struct {
	Now    int64  `json:"Now"`
	Offset string `json:"Offset"`
}

func (s *Server) adminClock(w http.ResponseWriter, _ *http.Request) {
	platform.WriteJSON(w, http.StatusOK, clockDoc{Now: s.now().Unix(), Offset: s.api.ClockOffset().String()})
}

func (s *Server) adminState(w http.ResponseWriter, r *http.Request) {
	s.commit(w, func(time.Time) (any, *apiError) {
		// Marshal under the lock: the snapshot may point into the state.
		data, err := json.Marshal(s.snapshot(s.publicURL(r)))
		if err != nil {
			return nil, &apiError{Status: http.StatusInternalServerError, Type: "other", Message: err.Error()}
		}
		return json.RawMessage(data), nil
	})
}

// ledgerDoc is the body of GET /sandbox/ledger.
type ledgerDoc struct {
	OK    bool   `json:"OK"`
	Error string `json:"Error"`
}

func (s *Server) adminLedger(w http.ResponseWriter, _ *http.Request) {
	err := s.CheckLedger() // takes s.mu itself
	if err != nil {
		platform.WriteJSON(w, http.StatusInternalServerError, ledgerDoc{Error: err.Error()})
		return
	}
	platform.WriteJSON(w, http.StatusOK, ledgerDoc{OK: true})
}

// faultsDoc is the JSON form of the fault settings. Durations are Go
// durations ("50ms", "15m").
type faultsDoc struct {
	Seed                 int64           `json:"Seed"`
	Latency              string          `json:"Latency"`
	ErrorRatio           float64         `json:"ErrorRatio"`
	DropAfterCommitRatio float64         `json:"DropAfterCommitRatio"`
	RateLimits           []rateLimitsDoc `json:"RateLimits"`
}

type rateLimitsDoc struct {
	Period string `json:"Period"`
	Limit  int    `json:"Limit"`
}

func (s *Server) adminGetFaults(w http.ResponseWriter, _ *http.Request) {
	platform.WriteJSON(w, http.StatusOK, s.faultsDoc())
}

// faultsDoc is the current fault settings.
func (s *Server) faultsDoc() faultsDoc {
	f := s.api.Faults()
	doc := faultsDoc{Seed: f.Seed, Latency: f.Latency.String(), ErrorRatio: f.ErrorRatio,
		DropAfterCommitRatio: f.DropAfterCommitRatio, RateLimits: []rateLimitsDoc{}}
	for _, rw := range s.api.RateLimits() {
		doc.RateLimits = append(doc.RateLimits, rateLimitsDoc{Period: rw.Period.String(), Limit: rw.Limit})
	}
	return doc
}

// adminPutFaults replaces the faults; RateLimits, when present, replace the
// windows (an empty list removes them).
func (s *Server) adminPutFaults(w http.ResponseWriter, r *http.Request) {
	f, windows, err := parseFaultsDoc(http.MaxBytesReader(w, r.Body, 1<<16))
	if err != nil {
		s.api.WriteError(w, errField("Faults", err.Error()))
		return
	}
	s.setFaults(f, windows)
	s.adminGetFaults(w, r)
}

// setFaults replaces the faults and, when windows is not nil, the
// rate-limit windows (the admin API's PUT and the dashboard's form).
func (s *Server) setFaults(f Faults, windows []RateWindow) {
	s.api.SetFaults(f)
	if windows != nil {
		s.api.SetRateLimits(windows)
	}
}

// parseFaultsDoc decodes and checks a faultsDoc. windows is nil when the
// document has no RateLimits key.
func parseFaultsDoc(body io.Reader) (Faults, []RateWindow, error) {
	var doc faultsDoc
	if err := json.NewDecoder(body).Decode(&doc); err != nil {
		return Faults{}, nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return doc.settings()
}

// settings checks doc and returns the faults and windows it asks for
// (windows nil when doc.RateLimits is nil). The dashboard's faults form
// fills a faultsDoc too.
func (doc faultsDoc) settings() (Faults, []RateWindow, error) {
	f := Faults{Seed: doc.Seed, ErrorRatio: doc.ErrorRatio, DropAfterCommitRatio: doc.DropAfterCommitRatio}
	if doc.Latency != "" {
		d, err := time.ParseDuration(doc.Latency)
		if err != nil || d < 0 {
			return Faults{}, nil, fmt.Errorf("latency %q is not a duration >= 0", doc.Latency)
		}
		f.Latency = d
	}
	if f.ErrorRatio < 0 || f.ErrorRatio > 1 || f.DropAfterCommitRatio < 0 || f.DropAfterCommitRatio > 1 {
		return Faults{}, nil, fmt.Errorf("ratios must be within [0,1]")
	}
	if doc.RateLimits == nil {
		return f, nil, nil
	}
	windows := []RateWindow{}
	for _, rl := range doc.RateLimits {
		d, err := time.ParseDuration(rl.Period)
		if err != nil || d <= 0 || rl.Limit < 0 {
			return Faults{}, nil, fmt.Errorf("rate limit {%q, %d} needs a positive period and a limit >= 0", rl.Period, rl.Limit)
		}
		windows = append(windows, RateWindow{Period: d, Limit: rl.Limit})
	}
	return f, windows, nil
}
