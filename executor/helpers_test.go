package executor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"settle/executor"
	"settle/internal/canonjson"
	"settle/mangopay"
	"settle/mangopay/sandbox"
	"settle/plan"
)

// env is a sandbox behind httptest, a real client and a journal path.
type env struct {
	t        testing.TB
	srv      *sandbox.Server
	ts       *httptest.Server
	c        *mangopay.Client
	dir      string
	inflight atomic.Int64 // API requests in flight, counted by the client's transport
	maxIn    atomic.Int64 // most API requests seen in flight at once
	// postFault breaks API POSTs (OAuth excluded): faultDrop runs them
	// and drops the connection, faultFail answers 503 without running them.
	postFault atomic.Int32
	// tooMany counts 429 answers.
	tooMany atomic.Int64
	// quick is a second client on the same server, with fewer and shorter
	// retries, for runs whose requests a hook holds or fails.
	quick *mangopay.Client

	hookMu sync.Mutex // guards hook
	// hook sees every API request (OAuth excluded) first, for faults and
	// barriers the sandbox cannot express; it returns true when it
	// answered the request itself.
	hook func(w http.ResponseWriter, r *http.Request, body []byte) bool
}

// statusWriter counts 429 answers.
type statusWriter struct {
	http.ResponseWriter
	e *env
}

func (w statusWriter) WriteHeader(code int) {
	if code == http.StatusTooManyRequests {
		w.e.tooMany.Add(1)
	}
	w.ResponseWriter.WriteHeader(code)
}

// POST faults of env.postFault.
const (
	faultNone int32 = iota
	faultDrop
	faultFail
)

func newEnv(t testing.TB, opts sandbox.Options) *env {
	t.Helper()
	srv, err := sandbox.New(opts)
	if err != nil {
		t.Fatalf("sandbox.New() error = %v", err)
	}
	e := &env{t: t, srv: srv, dir: t.TempDir()}
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.hooked(w, r) {
			return
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/v2.01/") && !strings.Contains(r.URL.Path, "oauth") {
			switch e.postFault.Load() {
			case faultDrop:
				srv.ServeHTTP(httptest.NewRecorder(), r)
				panic(http.ErrAbortHandler)
			case faultFail:
				w.WriteHeader(http.StatusServiceUnavailable)
				w.Write([]byte(`{"Message":"injected","Type":"other","Id":"x","Date":0,"errors":null}`))
				return
			}
		}
		srv.ServeHTTP(statusWriter{w, e}, r)
	}))
	t.Cleanup(func() {
		e.ts.Close()
		srv.Close()
	})
	e.c = newTestClient(t, e.ts.URL, 20*time.Millisecond, 8, &countingTransport{e: e, base: http.DefaultTransport})
	e.quick = e.newClient()
	return e
}

// newClient is another client on the env's server, with fewer and
// shorter retries than e.c.
func (e *env) newClient() *mangopay.Client {
	return newTestClient(e.t, e.ts.URL, 5*time.Millisecond, 3, nil)
}

// setHook installs h (nil removes it).
func (e *env) setHook(h func(w http.ResponseWriter, r *http.Request, body []byte) bool) {
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	e.hook = h
}

// hooked passes an API request to the hook, if any, and reports whether
// the hook answered it; the request's body is left to be read again.
func (e *env) hooked(w http.ResponseWriter, r *http.Request) bool {
	e.hookMu.Lock()
	h := e.hook
	e.hookMu.Unlock()
	if h == nil || !strings.HasPrefix(r.URL.Path, "/v2.01/") || strings.Contains(r.URL.Path, "oauth") {
		return false
	}
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if h(w, r, body) {
		return true
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return false
}

// newTestClient returns a client on the sandbox served at baseURL, with
// the sandbox's credentials and backoffs from 1ms up to maxBackoff.
func newTestClient(t testing.TB, baseURL string, maxBackoff time.Duration, maxRetries int, rt http.RoundTripper) *mangopay.Client {
	t.Helper()
	var hc *http.Client
	if rt != nil {
		hc = &http.Client{Transport: rt}
	}
	c, err := mangopay.NewClient(mangopay.Config{ClientID: sandbox.DefaultClientID, APIKey: sandbox.DefaultAPIKey,
		BaseURL: baseURL, MinBackoff: time.Millisecond, MaxBackoff: maxBackoff, MaxRetries: maxRetries, HTTPClient: hc})
	if err != nil {
		t.Fatalf("NewClient() error = %v", err)
	}
	return c
}

// cfg is a Config on this env's sandbox with the given journal name.
func (e *env) cfg(journal string) executor.Config {
	return executor.Config{Client: e.c, JournalPath: filepath.Join(e.dir, journal), Target: "embedded",
		Parallelism: 8, Wait: 30 * time.Second}
}

// writes counts the API writes (POST, PUT) made so far, OAuth excluded.
func (e *env) writes() int64 {
	st := e.srv.Stats()
	return st.Writes - st.ByRoute["POST /oauth/token"]
}

// reads counts the API reads (GET) made so far.
func (e *env) reads() int64 {
	return e.srv.Stats().ByMethod["GET"]
}

// load reads a plan; adopted ids in it are first created on the sandbox
// (seed) and substituted.
func (e *env) load(path string) *plan.Plan {
	e.t.Helper()
	p, err := plan.Load(path)
	if err != nil {
		e.t.Fatalf("plan.Load(%s) error = %v", path, err)
	}
	ids := e.seed(p)
	if len(ids) == 0 {
		return p
	}
	data, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	text := string(data)
	for from, to := range ids {
		text = strings.ReplaceAll(text, from, to)
	}
	p, err = plan.Parse(path, []byte(text))
	if err != nil {
		e.t.Fatalf("plan.Parse(seeded %s) error = %v", path, err)
	}
	return p
}

// apply runs Apply and fails the test on error.
func (e *env) apply(ctx context.Context, cfg executor.Config, p *plan.Plan) *executor.Summary {
	e.t.Helper()
	sum, err := executor.Apply(ctx, cfg, p)
	if err != nil {
		e.t.Fatalf("Apply() error = %v", err)
	}
	return sum
}

// diff runs Diff and fails the test on error.
func (e *env) diff(cfg executor.Config, p *plan.Plan) *executor.Preview {
	e.t.Helper()
	pv, err := executor.PreviewOf(context.Background(), cfg, p)
	if err != nil {
		e.t.Fatalf("PreviewOf() error = %v", err)
	}
	return pv
}

// countingTransport counts the API requests (OAuth excluded) in flight on
// the client's side, from sending until the answer's body is closed. It is
// counted there, not in the server's handler, because a client may read a
// whole answer and send its next request before the handler has returned.
type countingTransport struct {
	e    *env
	base http.RoundTripper
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(r.URL.Path, "/v2.01/") || strings.Contains(r.URL.Path, "oauth") {
		return ct.base.RoundTrip(r)
	}
	e := ct.e
	n := e.inflight.Add(1)
	for m := e.maxIn.Load(); n > m && !e.maxIn.CompareAndSwap(m, n); m = e.maxIn.Load() {
	}
	resp, err := ct.base.RoundTrip(r)
	if err != nil {
		e.inflight.Add(-1)
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, done: func() { e.inflight.Add(-1) }}
	return resp, nil
}

// countedBody calls done once, when the body is closed.
type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *countedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// tagOf is the Tag of a JSON request body, "" when none.
func tagOf(body []byte) string {
	var v struct{ Tag string }
	_ = json.Unmarshal(body, &v)
	return v.Tag
}

// moneyPost reports a POST that moves money.
func moneyPost(r *http.Request) bool {
	p := r.URL.Path
	return r.Method == http.MethodPost && (strings.HasSuffix(p, "/transfers") || strings.HasSuffix(p, "/refunds") ||
		strings.Contains(p, "/payins/card/direct") || strings.Contains(p, "/payouts/bankwire"))
}

// pairBarrier holds each money POST until a second POST with the same Tag
// arrives (or a safety release fires), so two runs send each movement
// together, both having read the state before either wrote it.
type pairBarrier struct {
	mu      sync.Mutex
	waiting map[string]chan struct{}
	paired  int
}

func newPairBarrier() *pairBarrier { return &pairBarrier{waiting: map[string]chan struct{}{}} }

// hook is an auditEnv hook; it never answers by itself.
func (b *pairBarrier) hook(_ http.ResponseWriter, r *http.Request, body []byte) bool {
	if !moneyPost(r) {
		return false
	}
	tag := tagOf(body)
	b.mu.Lock()
	ch, ok := b.waiting[tag]
	if ok {
		delete(b.waiting, tag)
		b.paired++
		close(ch)
		b.mu.Unlock()
		return false
	}
	ch = make(chan struct{})
	b.waiting[tag] = ch
	b.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(3 * time.Second): // the twin never came (found by Tag, or skipped)
		b.mu.Lock()
		if b.waiting[tag] == ch {
			delete(b.waiting, tag)
		}
		b.mu.Unlock()
	case <-r.Context().Done():
	}
	return false
}

// pairs is how many movements the two runs sent together.
func (b *pairBarrier) pairs() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.paired
}

// commitThenFail runs the first POST carrying tag on the sandbox but
// answers it 503, and answers every later POST with that tag 503 without
// running it: the write happened, the runner never learns it, and its
// retries under the same key never reach MANGOPAY.
func (a *env) commitThenFail(tag string) func(w http.ResponseWriter, r *http.Request, body []byte) bool {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.Method != http.MethodPost || tagOf(body) != tag {
			return false
		}
		once.Do(func() { a.srv.ServeHTTP(httptest.NewRecorder(), r) })
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"Message":"injected","Type":"other","Id":"x#0","Date":0,"errors":null}`))
		return true
	}
}

// advance moves the sandbox clock forward by d (a Go duration).
func (a *env) advance(t *testing.T, d string) {
	t.Helper()
	res, err := http.Post(a.ts.URL+"/sandbox/clock/advance?by="+d, "", nil)
	if err != nil {
		t.Fatalf("clock advance: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("clock advance: HTTP %d", res.StatusCode)
	}
}

// reportJSON is `settle report --format json` of the plan's journal, as
// one canonical document: arrays sorted, so that two runs that finished
// steps in another order compare equal, whatever the report's shape.
func (e *env) reportJSON(cfg executor.Config, p *plan.Plan) string {
	e.t.Helper()
	steps, err := plan.Expand(p)
	if err != nil {
		e.t.Fatal(err)
	}
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		e.t.Fatalf("ReadJournal() error = %v", err)
	}
	rep := executor.AuditReportOf(recs, steps)
	rep.Plan = p.Name
	out, err := canonjson.Marshal(rep)
	if err != nil {
		e.t.Fatal(err)
	}
	return string(out)
}

func journalLen(t *testing.T, cfg executor.Config) int {
	t.Helper()
	recs, err := executor.ReadJournal(cfg.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

// ledger is the money a plan implies once applied: every wallet's balance
// (by plan key), the FEES wallet, and what reached bank accounts. It is
// computed here from the plan model alone, independently of plan.Expand
// and of the executor.
type ledger struct {
	Wallets map[string]int64
	Fees    int64
	PaidOut int64 // CreditedFunds of the payouts
}

// fee computes a campaign fee on an amount: percent rounded down, or fixed.
func fee(f *plan.Fees, amount int64) int64 {
	switch {
	case f == nil:
		return 0
	case f.Percent != nil:
		return amount * int64(math.Round(*f.Percent*100)) / 10000
	case f.Fixed != nil:
		return *f.Fixed
	}
	return 0
}

// expected replays the plan's money by the rules of DESIGN §3 and
// mangopay-api.md §18.
func expected(p *plan.Plan) ledger {
	l := ledger{Wallets: map[string]int64{}}
	for k := range p.Wallets {
		l.Wallets[k] = 0
	}
	for _, c := range p.Campaigns {
		onTransfer := c.Fees != nil && c.Fees.On == plan.FeesOnTransfer
		var collected, received int64
		for _, x := range c.Contributions {
			var pf, tf int64
			if x.PayIn != nil {
				pf = x.PayIn.Fees
				l.Wallets[x.From] += x.Amount // debited amount+pf, pf to FEES
				l.Fees += pf
			}
			if onTransfer {
				tf = fee(c.Fees, x.Amount)
			}
			l.Wallets[x.From] -= x.Amount
			l.Wallets[c.Wallet] += x.Amount - tf
			l.Fees += tf
			collected += x.Amount
			received += x.Amount - tf
			if c.Outcome == plan.OutcomeFailed {
				refundContribution(&l, c, x, pf, tf)
			}
		}
		if c.Outcome == plan.OutcomeSucceeded {
			payout := received
			if c.Payout != nil && c.Payout.Amount != nil {
				payout = *c.Payout.Amount
			}
			var pfee int64
			if !onTransfer {
				pfee = fee(c.Fees, collected)
			}
			l.Wallets[c.Wallet] -= payout
			l.Fees += pfee
			l.PaidOut += payout - pfee
		}
	}
	return l
}

// refundContribution: transfer refund (fees handed back on a full one),
// then, refunding to the card, the pay-in refund of what came back.
func refundContribution(l *ledger, c *plan.Campaign, x *plan.Contribution, pf, tf int64) {
	amount, rfee, pinFee := x.Amount-tf, -tf, -pf
	if x.RefundAmount != nil {
		amount, rfee, pinFee = *x.RefundAmount, 0, 0
	}
	l.Wallets[c.Wallet] -= amount
	l.Wallets[x.From] += amount - rfee
	l.Fees += rfee
	if c.Refund != nil && c.Refund.To == plan.RefundToCard && x.PayIn != nil {
		l.Wallets[x.From] -= amount - rfee
		l.Fees += pinFee
	}
}

// actual reads the ledger from the sandbox: wallet balances through Diff
// (the pre-flight's "before"), FEES and the SUCCEEDED payouts.
func (e *env) actual(cfg executor.Config, p *plan.Plan) ledger {
	e.t.Helper()
	pv := e.diff(cfg, p)
	l := ledger{Wallets: map[string]int64{}}
	ids := map[string]string{}
	for _, w := range pv.Wallets {
		if len(w.Key) > 7 && w.Key[:7] == "wallet/" {
			l.Wallets[w.Key[7:]] = w.Before
			ids[w.Key[7:]] = w.ID
		}
	}
	ctx := context.Background()
	fw, err := e.c.ClientWallets.Get(ctx, mangopay.FundsFees, p.Currency)
	if err == nil {
		l.Fees = fw.Balance.Amount
	}
	for _, c := range p.Campaigns {
		txs, err := mangopay.Collect(e.c.Transactions.ListByWallet(ctx, ids[c.Wallet],
			&mangopay.ListOptions{Type: []string{"PAYOUT"}, Nature: []string{"REGULAR"}, Status: []string{"SUCCEEDED"}}))
		if err != nil {
			e.t.Fatalf("listing payouts: %v", err)
		}
		for _, t := range txs {
			l.PaidOut += t.CreditedFunds.Amount
		}
	}
	return l
}

// checkLedger compares the actual ledger with the expected one.
func checkLedger(t *testing.T, got, want ledger) {
	t.Helper()
	keys := map[string]bool{}
	for k := range want.Wallets {
		keys[k] = true
	}
	for k := range got.Wallets {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if got.Wallets[k] != want.Wallets[k] {
			t.Errorf("wallet %s balance = %d, want %d", k, got.Wallets[k], want.Wallets[k])
		}
	}
	if got.Fees != want.Fees {
		t.Errorf("FEES balance = %d, want %d", got.Fees, want.Fees)
	}
	if got.PaidOut != want.PaidOut {
		t.Errorf("paid out = %d, want %d", got.PaidOut, want.PaidOut)
	}
}

// seed creates, for each adopted object of p, an object of the same kind
// on the sandbox (as a platform's checkout would have made it), and
// returns the plan ids to replace with the real ones. It handles users,
// wallets, bank accounts, pay-ins and transfers, which is what adoption is for.
func (e *env) seed(p *plan.Plan) map[string]string {
	e.t.Helper()
	steps, err := plan.Expand(p)
	if err != nil {
		e.t.Fatalf("Expand() error = %v", err)
	}
	ctx := context.Background()
	ids := map[string]string{}    // plan id -> real id
	byStep := map[string]string{} // step key -> real id
	cards := map[string]string{}  // user step -> seeded card id
	for _, s := range steps {
		if s.AdoptedID == "" {
			continue
		}
		id := e.seedOne(ctx, s, byStep, cards)
		ids[s.AdoptedID], byStep[s.Key] = id, id
	}
	return ids
}

func (e *env) seedOne(ctx context.Context, s *plan.Step, byStep, cards map[string]string) string {
	c := e.c
	must := func(id string, err error) string {
		if err != nil {
			e.t.Fatalf("seeding %s: %v", s.Key, err)
		}
		return id
	}
	switch s.Kind {
	case plan.KindUser:
		u := s.User
		cat := strings.ToUpper(u.Category)
		if u.Type == "legal" {
			r, err := c.Users.CreateLegal(ctx, &mangopay.LegalUserParams{UserCategory: cat, TermsAndConditionsAccepted: true,
				LegalPersonType: "BUSINESS", Name: "Seeded " + u.Key, Email: u.Key + "@seed.example",
				LegalRepresentativeFirstName: "Seed", LegalRepresentativeLastName: "Rep"})
			return must(idOf(r, func(r *mangopay.LegalUser) string { return r.Id }), err)
		}
		bd := int64(315532800)
		r, err := c.Users.CreateNatural(ctx, &mangopay.NaturalUserParams{UserCategory: cat, TermsAndConditionsAccepted: true,
			FirstName: orDefault(u.FirstName, "Seed"), LastName: orDefault(u.LastName, u.Key), Email: orDefault(u.Email, u.Key+"@seed.example"),
			Birthday: &bd, Nationality: "FR", CountryOfResidence: "FR",
			Address: &mangopay.AddressParams{AddressLine1: "1 Seed St", City: "Paris", PostalCode: "75001", Country: "FR"}})
		return must(idOf(r, func(r *mangopay.NaturalUser) string { return r.Id }), err)
	case plan.KindWallet:
		r, err := c.Wallets.Create(ctx, &mangopay.WalletCreateParams{Owners: []string{byStep[s.Owner]},
			Description: "seeded " + s.Key, Currency: s.Currency})
		return must(idOf(r, func(r *mangopay.Wallet) string { return r.Id }), err)
	case plan.KindBankAccount:
		r, err := c.BankAccounts.CreateIBAN(ctx, byStep[s.Owner], &mangopay.BankAccountIBANCreateParams{OwnerName: "Seeded Owner",
			OwnerAddress: mangopay.AddressParams{AddressLine1: "1 Seed St", City: "Paris", PostalCode: "75001", Country: "FR"},
			IBAN:         "FR7630004000031234567890143", BIC: "BNPAFRPP"})
		return must(idOf(r, func(r *mangopay.BankAccount) string { return r.Id }), err)
	case plan.KindPayIn:
		author := byStep[s.Author]
		card := cards[author]
		if card == "" {
			card = e.seedCard(ctx, author, s.Currency)
			cards[author] = card
		}
		r, err := c.PayIns.CreateCardDirect(ctx, &mangopay.PayInCardDirectCreateParams{AuthorId: author,
			CreditedWalletId: byStep[s.Credited], DebitedFunds: mangopay.Money{Currency: s.Currency, Amount: s.Amount},
			Fees: mangopay.Money{Currency: s.Currency, Amount: s.Fees}, CardId: card, SecureModeReturnURL: "https://seed.invalid/",
			SecureMode: "DEFAULT", BrowserInfo: &mangopay.BrowserInfo{AcceptHeader: "*/*", Language: "en-US", ColorDepth: 24,
				ScreenHeight: 800, ScreenWidth: 600, UserAgent: "seed"}, IpAddress: "192.0.2.7"})
		if err == nil && r.Status != mangopay.StatusSucceeded {
			e.t.Fatalf("seeding %s: pay-in %s %s", s.Key, r.Status, r.ResultCode)
		}
		return must(idOf(r, func(r *mangopay.PayIn) string { return r.Id }), err)
	case plan.KindTransfer:
		r, err := c.Transfers.Create(ctx, &mangopay.TransferCreateParams{AuthorId: byStep[s.Author],
			DebitedFunds: mangopay.Money{Currency: s.Currency, Amount: s.Amount}, Fees: mangopay.Money{Currency: s.Currency, Amount: s.Fees},
			DebitedWalletId: byStep[s.Debited], CreditedWalletId: byStep[s.Credited]})
		return must(idOf(r, func(r *mangopay.Transfer) string { return r.Id }), err)
	}
	e.t.Fatalf("seeding an adopted %s is not supported by this test", s.Kind)
	return ""
}

// seedCard registers the sandbox's frictionless test card for a user.
func (e *env) seedCard(ctx context.Context, user, cur string) string {
	c := e.c
	reg, err := c.CardRegistrations.Create(ctx, &mangopay.CardRegistrationCreateParams{UserId: user, Currency: cur})
	if err != nil {
		e.t.Fatalf("seeding a card: %v", err)
	}
	data, err := c.CardRegistrations.Tokenize(ctx, reg, "4970107111111119", "1240", "123")
	if err != nil {
		e.t.Fatalf("seeding a card: tokenize: %v", err)
	}
	done, err := c.CardRegistrations.Update(ctx, reg.Id, &mangopay.CardRegistrationUpdateParams{RegistrationData: data})
	if err != nil || done.CardId == "" {
		e.t.Fatalf("seeding a card: update: %v %+v", err, done)
	}
	return string(done.CardId)
}

func idOf[T any](v *T, id func(*T) string) string {
	if v == nil {
		return ""
	}
	return id(v)
}

func orDefault(s, d string) string {
	if s != "" {
		return s
	}
	return d
}
