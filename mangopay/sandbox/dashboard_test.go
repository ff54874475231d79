package sandbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"settle/mangopay"
)

// browser is a cookie-keeping client of x's dashboard that does not follow
// redirects (a test reads the 303 itself).
type browser struct {
	x *sbx
	c *http.Client
}

func newBrowser(x *sbx) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{x: x, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// get fetches a dashboard path and returns the status and body.
func (b *browser) get(path string) (int, string) {
	b.x.t.Helper()
	resp, err := b.c.Get(b.x.ts.URL + path)
	if err != nil {
		b.x.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// post posts a form and returns the status, Location and body.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.x.t.Helper()
	resp, err := b.c.PostForm(b.x.ts.URL+path, form)
	if err != nil {
		b.x.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]{64})"`)

// csrf reads the CSRF token from a page the browser fetched.
func (b *browser) csrf(page string) string {
	b.x.t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		b.x.t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

func TestDashboardActionIsACommittedChange(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{ManualKYC: true, StateDir: dir})
	owner, doc := x.submittedKYC("accept")
	b := newBrowser(x)
	status, queues := b.get("/dashboard/queues")
	if status != 200 || !strings.Contains(queues, doc) || !strings.Contains(queues, "/dashboard/act/kyc/"+doc+"/validate") {
		t.Fatalf("queues = %d, want document %s with its validate form:\n%s", status, doc, queues)
	}
	token := b.csrf(queues)

	// Without the token, or with another browser's, nothing happens.
	if st, _, _ := b.post("/dashboard/act/kyc/"+doc+"/validate", url.Values{"back": {"/dashboard/queues"}}); st != 403 {
		t.Errorf("POST without CSRF token = %d, want 403", st)
	}
	other := newBrowser(x)
	other.get("/dashboard/")
	if st, _, _ := other.post("/dashboard/act/kyc/"+doc+"/validate", url.Values{"csrf": {token}}); st != 403 {
		t.Errorf("POST with another browser's token = %d, want 403", st)
	}
	if d := x.call(200, "GET", "/kyc/documents/"+doc, nil); d["Status"] != "VALIDATION_ASKED" {
		t.Fatalf("after refused posts the document is %v", d["Status"])
	}

	st, loc, body := b.post("/dashboard/act/kyc/"+doc+"/validate", url.Values{"csrf": {token}, "back": {"/dashboard/queues"}})
	if st != 303 || !strings.HasPrefix(loc, "/dashboard/queues?done=") {
		t.Fatalf("validate = %d Location %q, want 303 to the queues: %s", st, loc, body)
	}
	if _, after := b.get(loc); !strings.Contains(after, "Validated KYC document "+doc) {
		t.Errorf("the page after the action does not say what was done:\n%s", after)
	}
	// The action is the admin API's: a second validation is refused alike.
	st, _, body = b.post("/dashboard/act/kyc/"+doc+"/validate", url.Values{"csrf": {token}})
	if st != 400 || !strings.Contains(body, "Only a document with status VALIDATION_ASKED") {
		t.Errorf("validating twice = %d, want 400 with the admin API's message:\n%s", st, body)
	}
	// A back outside the dashboard is ignored.
	_, other2 := x.submittedKYC("x")
	if _, loc, _ := b.post("/dashboard/act/kyc/"+other2+"/refuse", url.Values{"csrf": {token}, "reason": {"DOCUMENT_UNREADABLE"},
		"back": {"https://evil.example/"}}); !strings.HasPrefix(loc, "/dashboard/queues?") {
		t.Errorf("refuse with a foreign back redirected to %q", loc)
	}

	// Recorded like any other change: a restart on the state folder has it.
	y := x.restart(Options{ManualKYC: true, StateDir: dir})
	if d := y.call(200, "GET", "/kyc/documents/"+doc, nil); d["Status"] != "VALIDATED" {
		t.Errorf("after a restart the document is %v, want VALIDATED", d["Status"])
	}
	if d := y.call(200, "GET", "/kyc/documents/"+other2, nil); d["Status"] != "REFUSED" || d["RefusedReasonType"] != "DOCUMENT_UNREADABLE" {
		t.Errorf("after a restart the refused document is %v %v", d["Status"], d["RefusedReasonType"])
	}
	if u := y.call(200, "GET", "/users/"+owner, nil); u["KYCLevel"] != "REGULAR" {
		t.Errorf("owner KYCLevel = %v, want REGULAR", u["KYCLevel"])
	}
	// The document's page is viewable, as uploaded, after the restart too.
	yb := newBrowser(y)
	if _, body := yb.get("/dashboard/users/" + owner); !strings.Contains(body, "/dashboard/kyc/"+doc+"/pages/1") {
		t.Errorf("the user page does not link the document's page")
	}
	resp, err := yb.c.Get(y.ts.URL + "/dashboard/kyc/" + doc + "/pages/1")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want, _ := base64.StdEncoding.DecodeString(page(40 << 10))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != pageTypes[pageFormat(want)] || !bytes.Equal(data, want) {
		t.Errorf("page 1 = %d %s, %d bytes; want 200 and the %d bytes uploaded", resp.StatusCode, resp.Header.Get("Content-Type"), len(data), len(want))
	}
	if st, _ := yb.get("/dashboard/kyc/" + doc + "/pages/2"); st != 404 {
		t.Errorf("page 2 of a one-page document = %d, want 404", st)
	}
}

func TestDashboardPayoutsSCAAndWebPayins(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	owner, wallet := x.projectWith(10000)
	x.regular(owner)
	bank := x.bank(owner)
	var po mangopay.PayOut
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, wallet, bank, 6000, 100), &po)
	pending, _, _ := x.scaOwner()
	payer := x.natural("PAYER")
	var web mangopay.PayIn
	x.ok("POST", "/payins/card/web/", webPayinBody(payer, x.wallet(payer, "EUR"), 5000), &web)

	b := newBrowser(x)
	_, page := b.get("/dashboard/queues")
	token := b.csrf(page)
	for _, want := range []string{"/dashboard/act/payouts/" + po.Id + "/process", "/dashboard/act/sca/" + pending + "/complete",
		"/dashboard/act/payins/" + web.Id + "/complete"} {
		if !strings.Contains(page, want) {
			t.Errorf("queues page has no form posting to %s", want)
		}
	}
	act := func(path string, form url.Values) {
		t.Helper()
		form.Set("csrf", token)
		if st, _, body := b.post("/dashboard/act/"+path, form); st != 303 {
			t.Fatalf("%s = %d:\n%s", path, st, body)
		}
	}
	act("payouts/"+po.Id+"/process", url.Values{})
	x.ok("GET", "/payouts/"+po.Id, nil, &po)
	if po.Status != "SUCCEEDED" || x.balance(wallet) != 4000 {
		t.Errorf("processed payout %s, wallet %d; want SUCCEEDED and 4000", po.Status, x.balance(wallet))
	}
	act("payouts/"+po.Id+"/bounce", url.Values{"reason": {"BANKACCOUNT_HAS_BEEN_CLOSED"}})
	if x.balance(wallet) != 9900 {
		t.Errorf("after the bounce the wallet holds %d, want 9900 (the payout's credited funds back)", x.balance(wallet))
	}
	act("sca/"+pending+"/refuse", url.Values{})
	if u := x.call(200, "GET", "/users/"+pending, nil); u["UserStatus"] != "PENDING_USER_ACTION" {
		t.Errorf("after a refused SCA the user is %v, want still PENDING_USER_ACTION", u["UserStatus"])
	}
	act("sca/"+pending+"/complete", url.Values{})
	if u := x.call(200, "GET", "/users/"+pending, nil); u["UserStatus"] != "ACTIVE" {
		t.Errorf("after a completed SCA the user is %v, want ACTIVE", u["UserStatus"])
	}
	act("payins/"+web.Id+"/complete", url.Values{"outcome": {"cancel"}})
	x.ok("GET", "/payins/"+web.Id, nil, &web)
	if web.Status != "FAILED" || web.ResultCode != "001031" {
		t.Errorf("failed payment page: pay-in %s %s, want FAILED 001031", web.Status, web.ResultCode)
	}
	x.checkLedger()

	// The admin API has the same actions, one payout at a time included.
	x.ok("POST", "/payouts/bankwire", payoutBody(owner, wallet, bank, 1000, 0), &po)
	if st, body := x.adminPost("/sandbox/payouts/" + po.Id + "/process"); st != 200 || !strings.Contains(string(body), `"Status":"SUCCEEDED"`) {
		t.Errorf("admin process one = %d %s", st, body)
	}
	if st, _ := x.adminPost("/sandbox/payouts/" + po.Id + "/process"); st != 400 {
		t.Errorf("processing a SUCCEEDED payout = %d, want 400", st)
	}
	if st, _ := x.adminPost("/sandbox/sca/" + pending + "/complete"); st != 400 {
		t.Errorf("completing the SCA of an ACTIVE user = %d, want 400", st)
	}
}

func TestDashboardPages(t *testing.T) {
	x := newSbx(t, Options{ManualPayouts: true})
	owner, wallet := x.projectWith(123456)
	x.regular(owner)
	x.bank(owner)
	b := newBrowser(x)
	for path, wants := range map[string][]string{
		"/dashboard/":                  {"Ledger balanced", owner, "Rate-limit windows in use"},
		"/dashboard/users/" + owner:    {"OWNER", "<dd>REGULAR</dd>", "FR76*******************0143", "IDENTITY_PROOF", "VALIDATED"},
		"/dashboard/wallets/" + wallet: {"EUR 1,234.56", "TRANSFER", "SUCCEEDED"},
		"/dashboard/faults":            {"Advance the clock", "Set faults"},
		"/dashboard/search?q=" + owner: {"/dashboard/users/" + owner},
		"/dashboard/queues":            {"KYC documents waiting"},
	} {
		status, page := b.get(path)
		if status != 200 {
			t.Errorf("GET %s = %d:\n%s", path, status, page)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("GET %s does not show %q", path, w)
			}
		}
		if strings.Contains(page, "FR7630004000031234567890143") {
			t.Errorf("GET %s shows an IBAN unmasked", path)
		}
	}
	for _, path := range []string{"/dashboard/users/nobody", "/dashboard/wallets/nothing", "/dashboard/nowhere"} {
		if status, _ := b.get(path); status != 404 {
			t.Errorf("GET %s = %d, want 404", path, status)
		}
	}
}

func TestDashboardFaultsAndClock(t *testing.T) {
	x := newSbx(t, Options{})
	b := newBrowser(x)
	_, page := b.get("/dashboard/faults")
	token := b.csrf(page)
	form := url.Values{"csrf": {token}, "latency": {"5ms"}, "error_ratio": {"0.25"}, "drop_ratio": {"0"}, "seed": {"7"},
		"rate_limits": {"1m:60,1h:1000"}}
	if st, loc, body := b.post("/dashboard/faults", form); st != 303 || !strings.HasPrefix(loc, "/dashboard/faults") {
		t.Fatalf("faults = %d %s:\n%s", st, loc, body)
	}
	if f := x.s.faultsDoc(); f.Latency != "5ms" || f.ErrorRatio != 0.25 || f.Seed != 7 || len(f.RateLimits) != 2 {
		t.Errorf("faults after the form = %+v", f)
	}
	form.Set("error_ratio", "2")
	if st, _, _ := b.post("/dashboard/faults", form); st != 400 {
		t.Errorf("ratio 2 = %d, want 400", st)
	}
	before := x.s.now()
	if st, _, body := b.post("/dashboard/act/clock/advance", url.Values{"csrf": {token}, "by": {"2h"}}); st != 303 {
		t.Fatalf("clock = %d:\n%s", st, body)
	}
	if got := x.s.now().Sub(before); got != 2*3600e9 {
		t.Errorf("clock moved %v, want 2h", got)
	}
}

func TestAdminToken(t *testing.T) {
	x := newSbx(t, Options{AdminToken: "s3cret"})
	// The admin API wants the bearer token.
	for _, auth := range []string{"", "Bearer wrong", "Basic czNjcmV0"} {
		req, _ := http.NewRequest("GET", x.ts.URL+"/sandbox/ledger", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if st, body := x.send(req); st != 401 || !strings.Contains(string(body), `"Type":"unauthorized"`) {
			t.Errorf("admin API with %q = %d %s, want 401", auth, st, body)
		}
	}
	req, _ := http.NewRequest("GET", x.ts.URL+"/sandbox/ledger", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	if st, _ := x.send(req); st != 200 {
		t.Errorf("admin API with the token = %d, want 200", st)
	}
	// The API itself keeps its own credentials; the public pages stay open.
	x.ok("GET", "/users", nil, nil)

	// The dashboard answers 401 with its login form until a login.
	b := newBrowser(x)
	status, page := b.get("/dashboard/")
	if status != 401 || !strings.Contains(page, `action="/dashboard/login"`) || strings.Contains(page, "Ledger") {
		t.Fatalf("dashboard without a session = %d, want 401 and the login form only:\n%s", status, page)
	}
	token := b.csrf(page)
	if st, _, _ := b.post("/dashboard/act/clock/advance", url.Values{"csrf": {token}, "by": {"1h"}}); st != 401 {
		t.Errorf("an action without a session = %d, want 401", st)
	}
	if st, _, body := b.post("/dashboard/login", url.Values{"csrf": {token}, "token": {"wrong"}}); st != 401 || !strings.Contains(body, "not the admin token") {
		t.Errorf("login with a wrong token = %d", st)
	}
	if st, loc, _ := b.post("/dashboard/login", url.Values{"csrf": {token}, "token": {"s3cret"}}); st != 303 || loc != "/dashboard/" {
		t.Fatalf("login = %d %s, want 303 to the overview", st, loc)
	}
	if status, page := b.get("/dashboard/"); status != 200 || !strings.Contains(page, "Ledger balanced") || !strings.Contains(page, "Log out") {
		t.Errorf("dashboard after login = %d", status)
	}
	// The session is this browser's: another one still gets the form.
	if status, _ := newBrowser(x).get("/dashboard/"); status != 401 {
		t.Errorf("another browser = %d, want 401", status)
	}
	if st, _, _ := b.post("/dashboard/logout", url.Values{"csrf": {token}}); st != 303 {
		t.Errorf("logout = %d", st)
	}
	if status, _ := b.get("/dashboard/"); status != 401 {
		t.Errorf("after logout = %d, want 401", status)
	}
}

func TestServeRefusesAnOpenBackOfficeOffLoopback(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := s.Serve(context.Background(), ln); !errors.Is(err, ErrAdminTokenNeeded) {
		t.Fatalf("Serve on %s without an admin token = %v, want ErrAdminTokenNeeded", ln.Addr(), err)
	}
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			continue // no IPv6 loopback here
		}
		if err := s.CheckListener(l); err != nil {
			t.Errorf("CheckListener(%s) = %v, want nil", addr, err)
		}
		l.Close()
	}
	guarded, err := New(Options{AdminToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer guarded.Close()
	if err := guarded.CheckListener(ln); err != nil {
		t.Errorf("CheckListener with an admin token = %v, want nil", err)
	}
}

func TestMoneyText(t *testing.T) {
	for _, tt := range []struct {
		m    mangopay.Money
		want string
	}{
		{mangopay.Money{Currency: "EUR", Amount: 0}, "EUR 0.00"},
		{mangopay.Money{Currency: "EUR", Amount: 5}, "EUR 0.05"},
		{mangopay.Money{Currency: "EUR", Amount: -5}, "EUR -0.05"},
		{mangopay.Money{Currency: "GBP", Amount: 123456789}, "GBP 1,234,567.89"},
		{mangopay.Money{Currency: "EUR", Amount: 100000}, "EUR 1,000.00"},
	} {
		if got := moneyText(tt.m); got != tt.want {
			t.Errorf("moneyText(%v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestDashboardRecipientsAndIdentityVerifications(t *testing.T) {
	x := newSbx(t, Options{})
	owner := x.owner("John", "Doe", false)
	rec := x.recipient(owner, recipientBody())
	canceled := x.recipient(owner, recipientBody("DisplayName", "Second account"))
	var idv, refused mangopay.IdentityVerification
	x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &idv)
	x.ok("POST", "/users/"+owner+"/identity-verifications", map[string]any{"ReturnUrl": "https://app.example/kyc"}, &refused)
	if rec.Status != "PENDING" || idv.Status != "PENDING" {
		t.Fatalf("recipient %s, session %s, want both PENDING", rec.Status, idv.Status)
	}
	b := newBrowser(x)
	_, queues := b.get("/dashboard/queues")
	for _, want := range []string{"/dashboard/act/recipients/" + rec.Id + "/activate", "/dashboard/act/recipients/" + rec.Id + "/cancel",
		"/dashboard/act/identity-verifications/" + idv.Id + "/outcome", "VOP MATCH", "DE75**************6199"} {
		if !strings.Contains(queues, want) {
			t.Errorf("queues page does not show %q", want)
		}
	}
	if strings.Contains(queues, "DE75512108001245126199") {
		t.Errorf("queues page shows a recipient's IBAN unmasked")
	}
	token := b.csrf(queues)
	act := func(path string, form url.Values) {
		t.Helper()
		form.Set("csrf", token)
		if st, _, body := b.post("/dashboard/act/"+path, form); st != 303 {
			t.Fatalf("%s = %d:\n%s", path, st, body)
		}
	}
	act("recipients/"+rec.Id+"/activate", url.Values{})
	act("recipients/"+canceled.Id+"/cancel", url.Values{})
	act("identity-verifications/"+idv.Id+"/outcome", url.Values{"status": {"VALIDATED"}})
	act("identity-verifications/"+refused.Id+"/outcome", url.Values{"status": {"REFUSED"}, "reason": {"DOCUMENT_FALSIFIED"}})
	if got := x.getRecipient(rec.Id).Status; got != "ACTIVE" {
		t.Errorf("activated recipient is %s", got)
	}
	if got := x.getRecipient(canceled.Id).Status; got != "CANCELED" {
		t.Errorf("canceled recipient is %s", got)
	}
	x.ok("GET", "/identity-verifications/"+idv.Id, nil, &idv)
	x.ok("GET", "/identity-verifications/"+refused.Id, nil, &refused)
	if idv.Status != "VALIDATED" || refused.Status != "REFUSED" {
		t.Errorf("sessions %s and %s, want VALIDATED and REFUSED", idv.Status, refused.Status)
	}
	if u := x.call(200, "GET", "/users/"+owner, nil); u["KYCLevel"] != "REGULAR" {
		t.Errorf("after a validated session the owner is %v, want REGULAR", u["KYCLevel"])
	}
	_, page := b.get("/dashboard/users/" + owner)
	for _, want := range []string{rec.Id, "ACTIVE", "CANCELED", idv.Id, "VALIDATED", "DOCUMENT_FALSIFIED"} {
		if !strings.Contains(page, want) {
			t.Errorf("user page does not show %q", want)
		}
	}
}

// TestDashboardTransfersWaitingForSCA: a transfer held for its owner's SCA
// is a queue row whose actions settle it or fail it (007101), as its page
// does; the admin API offers the same actions and answers the transfer.
func TestDashboardTransfersWaitingForSCA(t *testing.T) {
	x := newSbx(t, Options{})
	a, wa, _, wb := x.ownerPair(200000, false)
	transfer := func() mangopay.Transfer {
		t.Helper()
		var tr mangopay.Transfer
		x.ok("POST", "/transfers", transferBody(a, wa, wb, 60000, 0), &tr)
		if tr.Status != "CREATED" || tr.PendingUserAction == nil {
			t.Fatalf("transfer %s %v, want CREATED waiting for SCA", tr.Status, tr.PendingUserAction)
		}
		return tr
	}
	authenticated, refused, byAdmin := transfer(), transfer(), transfer()
	b := newBrowser(x)
	_, queues := b.get("/dashboard/queues")
	for _, want := range []string{"/dashboard/act/transfers/" + authenticated.Id + "/authenticate",
		"/dashboard/act/transfers/" + refused.Id + "/refuse", "/dashboard/act/transfers/" + byAdmin.Id + "/authenticate"} {
		if !strings.Contains(queues, want) {
			t.Errorf("queues page has no form posting to %s", want)
		}
	}
	token := b.csrf(queues)
	for _, path := range []string{"transfers/" + authenticated.Id + "/authenticate", "transfers/" + refused.Id + "/refuse"} {
		if st, _, body := b.post("/dashboard/act/"+path, url.Values{"csrf": {token}}); st != 303 {
			t.Fatalf("%s = %d:\n%s", path, st, body)
		}
	}
	x.ok("GET", "/transfers/"+authenticated.Id, nil, &authenticated)
	x.ok("GET", "/transfers/"+refused.Id, nil, &refused)
	if authenticated.Status != "SUCCEEDED" || refused.Status != "FAILED" || refused.ResultCode != "007101" {
		t.Errorf("transfers %s and %s %s, want SUCCEEDED and FAILED 007101", authenticated.Status, refused.Status, refused.ResultCode)
	}
	st, body := x.adminPost("/sandbox/transfers/" + byAdmin.Id + "/authenticate")
	if st != 200 || !strings.Contains(string(body), `"Status":"SUCCEEDED"`) || strings.Contains(string(body), "RedirectUrl") {
		t.Errorf("admin authenticate = %d %s, want 200 and the SUCCEEDED transfer", st, body)
	}
	if st, body := x.adminPost("/sandbox/transfers/" + byAdmin.Id + "/refuse"); st != 400 || !strings.Contains(string(body), "invalid_action") {
		t.Errorf("admin refuse of a settled transfer = %d %s, want 400 invalid_action", st, body)
	}
	if got := x.balance(wb); got != 120000 {
		t.Errorf("credited wallet holds %d, want 120000 (two authenticated transfers)", got)
	}
	if _, queues = b.get("/dashboard/queues"); strings.Contains(queues, "/dashboard/act/transfers/") {
		t.Errorf("queues page still offers a transfer action once none waits")
	}
	x.checkLedger()
}

// BenchmarkDashboardOverview renders the overview of a sandbox holding 500
// users with a wallet each (the overview lists 50 of each, paginated, and
// scans the queues).
func BenchmarkDashboardOverview(b *testing.B) {
	x := newSbx(b, Options{})
	for range 500 {
		x.wallet(x.natural("PAYER"), "EUR")
	}
	br := newBrowser(x)
	for b.Loop() {
		if st, _ := br.get("/dashboard/"); st != 200 {
			b.Fatalf("overview = %d", st)
		}
	}
}

func TestDashboardWalletPagination(t *testing.T) {
	x := newSbx(t, Options{})
	payer, wc, _, _ := x.fundedPayer(10000)
	owner := x.natural("OWNER")
	wp := x.wallet(owner, "EUR")
	var last mangopay.Transfer
	for i := range 24 {
		x.ok("POST", "/transfers", with(transferBody(payer, wc, wp, int64(100+i), 0), "Tag", fmt.Sprintf("t-%02d", i)), &last)
	}
	b := newBrowser(x)
	// The payer's wallet has the pay-in and 24 transfers: 25, newest first.
	_, first := b.get("/dashboard/wallets/" + wc)
	if n := strings.Count(first, "<td>xfer_"); n != 20 || !strings.Contains(first, "Page 1 of 2 (25 in all)") ||
		!strings.Contains(first, `href="/dashboard/wallets/`+wc+`?page=2"`) || !strings.Contains(first, "<td>"+last.Id+"</td>") {
		t.Errorf("page 1: %d transfers, want the 20 newest and a link to page 2", n)
	}
	if !strings.Contains(first, "EUR 1.23") || !strings.Contains(first, "t-23") || !strings.Contains(first, "000000") {
		t.Errorf("page 1 does not show amounts as money, Tags and result codes")
	}
	_, second := b.get("/dashboard/wallets/" + wc + "?page=2")
	if n := strings.Count(second, "<td>xfer_"); n != 4 || !strings.Contains(second, "<td>payin_") || !strings.Contains(second, "Page 2 of 2") {
		t.Errorf("page 2: %d transfers, want the 4 oldest and the pay-in", n)
	}
	if _, over := b.get("/dashboard/wallets/" + wc + "?page=9"); !strings.Contains(over, "Page 2 of 2") {
		t.Errorf("a page past the end does not show the last page")
	}
}
