package sandbox

import (
	"net/http"
	"strings"
	"testing"

	"settle/mangopay"
)

func TestPayinFrictionless(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	card := x.card(u, "EUR", "4970107111111119")
	m := x.obj("POST", "/payins/card/direct/", with(payinBody(u, w, card, 1000, 100, "EUR"), "PaymentType", "CARD", "ExecutionType", "DIRECT"))
	want := map[string]any{"Status": "SUCCEEDED", "ResultCode": "000000", "ResultMessage": "Success", "Type": "PAYIN",
		"Nature": "REGULAR", "PaymentType": "CARD", "ExecutionType": "DIRECT", "SecureMode": "DEFAULT",
		"SecureModeNeeded": false, "SecureModeRedirectURL": nil, "CreditedUserId": u, "DebitedWalletId": nil,
		"PaymentCategory": "ECommerce", "AuthorId": u, "CreditedWalletId": w, "CardId": card}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	id := m["Id"].(string)
	if m["SecureModeReturnURL"] != "https://example.com/return?transactionId="+id || m["ExecutionDate"] == nil {
		t.Errorf("SecureModeReturnURL = %v, ExecutionDate = %v", m["SecureModeReturnURL"], m["ExecutionDate"])
	}
	if cf := m["CreditedFunds"].(map[string]any); cf["Amount"] != 900.0 {
		t.Errorf("CreditedFunds = %v", cf)
	}
	if si := m["SecurityInfo"].(map[string]any); si["AVSResult"] != "NO_CHECK" {
		t.Errorf("SecurityInfo = %v", si)
	}
	if bi := m["BrowserInfo"].(map[string]any); bi["TimeZoneOffset"] != 60.0 {
		t.Errorf("BrowserInfo.TimeZoneOffset = %v, want 60", bi["TimeZoneOffset"])
	}
	if b := m["Billing"].(map[string]any); b["FirstName"] != "Alex" {
		t.Errorf("Billing = %v", b)
	}
	if x.balance(w) != 900 || x.balance("FEES_EUR") != 100 {
		t.Errorf("balances %d / %d, want 900 / 100", x.balance(w), x.balance("FEES_EUR"))
	}
	var c mangopay.Card
	x.ok("GET", "/cards/"+card, nil, &c)
	if c.Validity != "VALID" {
		t.Errorf("card Validity = %s, want VALID", c.Validity)
	}
	got := x.obj("GET", "/payins/"+id, nil)
	if got["Status"] != "SUCCEEDED" {
		t.Errorf("GET pay-in = %v", got)
	}
	x.fails("GET", "/payins/payin_m_none", nil, 404, "ressource_not_found")
	var events []mangopay.Event
	x.ok("GET", "/events?EventType=PAYIN_NORMAL_CREATED", nil, &events)
	if len(events) != 1 || events[0].ResourceId != id {
		t.Errorf("PAYIN_NORMAL_CREATED events = %+v", events)
	}
}

func TestPayinChallenge(t *testing.T) {
	for _, tc := range []struct{ name, number, mode, outcome, status string }{
		{"challenge card", "4970105181818183", "", "", "SUCCEEDED"},
		{"FORCE", "4970107111111119", "FORCE", "", "SUCCEEDED"},
		{"failed challenge", "4970105181818183", "NO_CHOICE", "?outcome=fail", "FAILED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newSbx(t, Options{})
			u := x.natural("PAYER")
			w := x.wallet(u, "EUR")
			card := x.card(u, "EUR", tc.number)
			body := payinBody(u, w, card, 2000, 0, "EUR")
			body["SecureModeReturnURL"] = "https://shop.example/back?order=7"
			if tc.mode != "" {
				body["SecureMode"] = tc.mode
			}
			var p mangopay.PayIn
			x.ok("POST", "/payins/card/direct", body, &p)
			if p.Status != "CREATED" || !p.SecureModeNeeded || !strings.HasPrefix(string(p.SecureModeRedirectURL), x.ts.URL+"/3ds/") {
				t.Fatalf("pay-in = %+v", p)
			}
			if x.balance(w) != 0 {
				t.Fatalf("balance before the challenge = %d", x.balance(w))
			}
			client := *x.ts.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := client.Get(string(p.SecureModeRedirectURL) + tc.outcome)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			wantLoc := "https://shop.example/back?order=7&transactionId=" + p.Id
			if resp.StatusCode != 302 || resp.Header.Get("Location") != wantLoc {
				t.Errorf("3DS page = %d Location %q, want 302 %q", resp.StatusCode, resp.Header.Get("Location"), wantLoc)
			}
			x.ok("GET", "/payins/"+p.Id, nil, &p)
			if p.Status != tc.status {
				t.Errorf("after the challenge Status = %s, want %s", p.Status, tc.status)
			}
			if want := map[string]int64{"SUCCEEDED": 2000, "FAILED": 0}[tc.status]; x.balance(w) != want {
				t.Errorf("balance = %d, want %d", x.balance(w), want)
			}
			x.checkLedger()
		})
	}
}

func TestPayinFailures(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	other := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	card := x.card(u, "EUR", "4970107111111119")
	dead := x.card(u, "EUR", "4970107111111119")
	x.ok("PUT", "/cards/"+dead, map[string]any{"Active": false}, nil)
	fresh := x.card(u, "EUR", "4970107111111119")
	tests := []struct {
		name          string
		author, card  string
		amount, fees  int64
		code          string
		validityAfter string
	}{
		{"author not owner", other, card, 1000, 0, "001023", "UNKNOWN"},
		{"inactive card", u, dead, 1000, 0, "101410", "UNKNOWN"},
		{"fees equal amount", u, card, 1000, 1000, "001014", "UNKNOWN"},
		{"do not honor", u, card, 33305, 0, "101101", "INVALID"},
		{"INVALID card", u, card, 1000, 0, "101410", "INVALID"},
		{"fraud", u, fresh, 33341, 0, "008002", "INVALID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p mangopay.PayIn
			x.ok("POST", "/payins/card/direct", payinBody(tt.author, w, tt.card, tt.amount, tt.fees, "EUR"), &p)
			if p.Status != "FAILED" || string(p.ResultCode) != tt.code || p.ResultMessage == "" || p.ExecutionDate != nil || p.SecureModeNeeded {
				t.Errorf("pay-in = %+v", p.Transaction)
			}
			var c mangopay.Card
			x.ok("GET", "/cards/"+tt.card, nil, &c)
			if tt.card != dead && c.Validity != tt.validityAfter {
				t.Errorf("card Validity = %s, want %s", c.Validity, tt.validityAfter)
			}
		})
	}
	if x.balance(w) != 0 {
		t.Errorf("balance after failures = %d", x.balance(w))
	}
}

func TestPayinRequestErrors(t *testing.T) {
	x := newSbx(t, Options{})
	u := x.natural("PAYER")
	w := x.wallet(u, "EUR")
	gbp := x.wallet(u, "GBP")
	card := x.card(u, "EUR", "4970107111111119")
	base := payinBody(u, w, card, 1000, 0, "EUR")
	for _, field := range []string{"AuthorId", "CreditedWalletId", "CardId", "DebitedFunds", "Fees", "SecureModeReturnURL", "BrowserInfo", "IpAddress"} {
		t.Run("missing "+field, func(t *testing.T) {
			m := x.fails("POST", "/payins/card/direct", with(base, field, nil), 400, "param_error")
			if fieldErr(m, field) != "The "+field+" field is required." {
				t.Errorf("errors = %v", m["errors"])
			}
		})
	}
	m := x.fails("POST", "/payins/card/direct", with(base, "IpAddress", "999.1.1.1"), 400, "param_error")
	if fieldErr(m, "IpAddress") == "" {
		t.Errorf("bad IP: %v", m)
	}
	bi := base["BrowserInfo"].(map[string]any)
	m = x.fails("POST", "/payins/card/direct", with(base, "BrowserInfo", with(bi, "ColorDepth", 7)), 400, "param_error")
	if fieldErr(m, "BrowserInfo.ColorDepth") == "" {
		t.Errorf("bad ColorDepth: %v", m)
	}
	x.obj("POST", "/payins/card/direct", with(base, "BrowserInfo", with(bi, "TimeZoneOffset", "garbage")))
	m = x.fails("POST", "/payins/card/direct", payinBody(u, gbp, card, 1000, 0, "EUR"), 400, "currency_incompatibility")
	if m["Message"] != "Error: multi-currency usage is not authorized" ||
		fieldErr(m, "currency") != "The Wallet's currency GBP and the DebitedFunds's currency EUR must be the same" {
		t.Errorf("currency body = %v", m)
	}
	m = x.fails("POST", "/payins/card/direct", payinBody(u, gbp, card, 1000, 0, "GBP"), 400, "currency_incompatibility")
	if !strings.HasPrefix(fieldErr(m, "currency"), "The Card's currency EUR") {
		t.Errorf("card currency body = %v", m)
	}
	x.fails("POST", "/payins/card/direct", payinBody(u, w, "card_m_none", 1000, 0, "EUR"), 404, "ressource_not_found")
}
