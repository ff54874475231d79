package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"settle/mangopay"
)

func TestWalletSCA(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		accept  bool
		payer   bool
		prepare func(x *sbx, user string) // before the reads
		query   string
		status  int
	}{
		{name: "gate off", status: 200},
		{name: "owner", opts: Options{WalletSCA: true}, status: 401},
		{name: "owner user present", opts: Options{WalletSCA: true}, query: "?ScaContext=USER_PRESENT", status: 401},
		{name: "accept owner", opts: Options{WalletSCA: true}, accept: true, status: 200},
		{name: "payer", opts: Options{WalletSCA: true}, payer: true, status: 200},
		{name: "after the SCA page", opts: Options{WalletSCA: true}, status: 200, prepare: func(x *sbx, user string) {
			if resp, body := x.raw("GET", walletPath(user), "", false); resp.StatusCode != 200 {
				x.t.Fatalf("wallet SCA page = %d %s", resp.StatusCode, body)
			}
			x.clock.advance(walletSCAValidity - time.Hour)
		}},
		{name: "180 days after the SCA page", opts: Options{WalletSCA: true}, status: 401, prepare: func(x *sbx, user string) {
			x.raw("GET", walletPath(user), "", false)
			x.clock.advance(walletSCAValidity)
		}},
		{name: "user not present without consent", opts: Options{WalletSCA: true, ProxyConsent: true}, query: "?ScaContext=USER_NOT_PRESENT", status: 403},
		{name: "user not present with consent", opts: Options{WalletSCA: true, ProxyConsent: true}, query: "?ScaContext=USER_NOT_PRESENT", status: 200,
			prepare: func(x *sbx, user string) { x.raw("GET", "/sca/"+user+"/consent", "", false) }},
		{name: "bad context", opts: Options{WalletSCA: true}, query: "?ScaContext=MAYBE", status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, tt.opts)
			user := x.owner("John", "Doe", tt.accept)
			if tt.payer {
				user = x.natural("PAYER")
			}
			w := x.wallet(user, "EUR")
			if tt.prepare != nil {
				tt.prepare(x, user)
			}
			for _, path := range []string{"/wallets/" + w, "/users/" + user + "/wallets", "/users/" + user + "/transactions", "/wallets/" + w + "/transactions"} {
				resp, body := x.api("GET", path+tt.query, "")
				if resp.StatusCode != tt.status {
					t.Fatalf("GET %s = %d %s, want %d", path, resp.StatusCode, body, tt.status)
				}
				challenge := resp.Header.Get("WWW-Authenticate")
				want := ""
				if tt.status == 401 {
					want = "PendingUserAction RedirectUrl=" + x.ts.URL + "/sca/wallets/" + user
				}
				if challenge != want {
					t.Errorf("GET %s WWW-Authenticate = %q, want %q", path, challenge, want)
				}
			}
		})
	}
}

// ownerPair is two OWNERs (the first "accept" when accept) and their
// wallets, the first holding amount.
func (x *sbx) ownerPair(amount int64, accept bool) (a, wa, b, wb string) {
	x.t.Helper()
	a, b = x.owner("John", "Doe", accept), x.owner("Jane", "Roe", false)
	return a, x.projectOf(a, amount), b, x.wallet(b, "EUR")
}

func TestTransferSCA(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		accept  bool
		amount  int64
		ctx     string // ScaContext sent
		consent bool
		visit   string // the SCA page's query, "-" for none
		advance time.Duration
		status  int    // HTTP status of the POST
		created bool   // CREATED with a PendingUserAction
		want    string // final Status and ResultCode
	}{
		{name: "over the threshold", amount: 50001, visit: "", status: 200, created: true, want: "SUCCEEDED 000000"},
		{name: "explicit user present", amount: 60000, ctx: "USER_PRESENT", visit: "", status: 200, created: true, want: "SUCCEEDED 000000"},
		{name: "refused", amount: 60000, visit: "?outcome=refuse", status: 200, created: true, want: "FAILED 007101"},
		{name: "expired", amount: 60000, visit: "-", advance: transferSCAExpiry, status: 200, created: true, want: "FAILED 007102"},
		{name: "at the threshold", amount: 50000, visit: "-", status: 200, want: "SUCCEEDED 000000"},
		{name: "accept owner", amount: 60000, accept: true, visit: "-", status: 200, want: "SUCCEEDED 000000"},
		{name: "user not present without consent", amount: 60000, ctx: "USER_NOT_PRESENT", visit: "-", status: 403},
		{name: "user not present with consent", opts: Options{ProxyConsent: true}, amount: 60000, ctx: "USER_NOT_PRESENT", consent: true,
			visit: "-", status: 200, want: "SUCCEEDED 000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newSbx(t, tt.opts)
			a, wa, _, wb := x.ownerPair(100000, tt.accept)
			if tt.consent {
				x.raw("GET", "/sca/"+a+"/consent", "", false)
			}
			body := transferBody(a, wa, wb, tt.amount, 0)
			if tt.ctx != "" {
				body["ScaContext"] = tt.ctx
			}
			m := x.call(tt.status, "POST", "/transfers", body)
			if tt.status != 200 {
				return
			}
			var tr mangopay.Transfer
			remarshal(t, m, &tr)
			if tt.created != (tr.Status == "CREATED" && tr.PendingUserAction != nil) {
				t.Fatalf("transfer %s %+v, want CREATED with a redirect: %v", tr.Status, tr.PendingUserAction, tt.created)
			}
			if tt.created {
				if tr.PendingUserAction.RedirectUrl != x.ts.URL+"/sca/transfers/"+tr.Id || x.balance(wa) != 100000 {
					t.Errorf("RedirectUrl %s, balance %d while CREATED", tr.PendingUserAction.RedirectUrl, x.balance(wa))
				}
			}
			x.clock.advance(tt.advance)
			if tt.visit != "-" {
				if resp, body := x.raw("GET", "/sca/transfers/"+tr.Id+tt.visit, "", false); resp.StatusCode != 200 {
					t.Fatalf("SCA page = %d %s", resp.StatusCode, body)
				}
			}
			x.ok("GET", "/transfers/"+tr.Id, nil, &tr)
			if got := tr.Status + " " + string(tr.ResultCode); got != tt.want || tr.PendingUserAction != nil {
				t.Errorf("transfer = %s %+v, want %s", got, tr.PendingUserAction, tt.want)
			}
			wantBalance := int64(100000)
			if strings.HasPrefix(tt.want, "SUCCEEDED") {
				wantBalance -= tt.amount
			}
			if x.balance(wa) != wantBalance {
				t.Errorf("balance %d, want %d", x.balance(wa), wantBalance)
			}
			x.checkLedger()
		})
	}
}

func TestTransferSCARestart(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	a, wa, _, wb := x.ownerPair(100000, false)
	var tr mangopay.Transfer
	x.ok("POST", "/transfers", transferBody(a, wa, wb, 60000, 0), &tr)
	y := x.restart(Options{StateDir: dir})
	y.ok("GET", "/transfers/"+tr.Id, nil, &tr)
	if tr.Status != "CREATED" || tr.PendingUserAction == nil || tr.PendingUserAction.RedirectUrl != y.ts.URL+"/sca/transfers/"+tr.Id {
		t.Fatalf("restored transfer %s %+v", tr.Status, tr.PendingUserAction)
	}
	y.clock.advance(transferSCAExpiry)
	y.ok("GET", "/transfers/"+tr.Id, nil, &tr)
	if tr.Status != "FAILED" || tr.ResultCode != "007102" {
		t.Errorf("after the expiry: %s %s, want FAILED 007102", tr.Status, tr.ResultCode)
	}
	if resp, _ := y.raw("GET", "/sca/transfers/"+tr.Id, "", false); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("page after the expiry = %d, want 400", resp.StatusCode)
	}
}
