package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"settle/mangopay"
)

// Card web pay-ins as the Node SDK creates them, paid on the sandbox's
// page (as a browser) or through the admin API.

// webPayinBody is POST /payins/card/web as the Node SDK sends a flat PayIn.
func webPayinBody(author, wallet string, amount int64) string {
	return `{"AuthorId":"` + author + `","CreditedWalletId":"` + wallet + `","PaymentType":"CARD","ExecutionType":"WEB",
	 "DebitedFunds":{"Currency":"EUR","Amount":` + jsonInt(amount) + `},"Fees":{"Currency":"EUR","Amount":100},
	 "CardType":"CB_VISA_MASTERCARD","ReturnURL":"https://example.com/return","Culture":"FR","SecureMode":"DEFAULT","Tag":"web"}`
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestSDKCardWebPayin(t *testing.T) {
	x := newSbx(t, Options{})
	payer := x.natural("PAYER")
	w := x.wallet(payer, "EUR")
	var p mangopay.PayIn
	x.ok("POST", "/payins/card/web/", webPayinBody(payer, w, 5000), &p)
	if p.Status != "CREATED" || p.ExecutionType != "WEB" || p.PaymentType != "CARD" || p.ExecutionDate != nil ||
		string(p.RedirectURL) != x.ts.URL+"/pay/"+p.Id || string(p.ReturnURL) != "https://example.com/return?transactionId="+p.Id ||
		p.CardType != "CB_VISA_MASTERCARD" || p.Culture != "FR" || p.CardId != "" {
		t.Fatalf("web pay-in = %+v", p)
	}
	page := strings.TrimPrefix(string(p.RedirectURL), x.ts.URL)
	if resp, body := x.raw("GET", page, "", false); resp.StatusCode != 200 || !strings.Contains(string(body), `name="cardNumber"`) {
		t.Fatalf("payment page = %d %s", resp.StatusCode, body)
	}
	form := url.Values{"cardNumber": {"4970 1071 1111 1119"}, "cardExpirationDate": {"1240"}, "cardCvx": {"12"}}
	resp, err := x.ts.Client().PostForm(string(p.RedirectURL), form)
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("bad CVV: %v %v", resp, err)
	}
	resp.Body.Close()
	form.Set("cardCvx", "123")
	req, _ := http.NewRequest("POST", string(p.RedirectURL), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := *x.ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if resp, err = client.Do(req); err != nil || resp.StatusCode != 302 || resp.Header.Get("Location") != string(p.ReturnURL) {
		t.Fatalf("pay = %v %v", resp, err)
	}
	resp.Body.Close()
	x.ok("GET", "/payins/"+p.Id, nil, &p)
	if p.Status != "SUCCEEDED" || p.ResultCode != "000000" || p.CardId == "" || p.ExecutionDate == nil {
		t.Fatalf("after the page: %+v", p)
	}
	if x.balance(w) != 4900 {
		t.Errorf("wallet = %d, want 4900", x.balance(w))
	}
	var card mangopay.Card
	x.ok("GET", "/cards/"+p.CardId, nil, &card)
	if card.UserId != payer || card.Validity != "VALID" {
		t.Errorf("card = %+v", card)
	}
	for _, list := range []string{"/wallets/" + w + "/transactions", "/cards/" + p.CardId + "/transactions", "/users/" + payer + "/transactions"} {
		var txs []mangopay.Transaction
		x.ok("GET", list, nil, &txs)
		if len(txs) != 1 || txs[0].Id != p.Id {
			t.Errorf("%s = %+v", list, txs)
		}
	}
	var rf mangopay.Refund
	x.ok("POST", "/payins/"+p.Id+"/refunds", `{"AuthorId":"`+payer+`"}`, &rf)
	if rf.Status != "SUCCEEDED" || rf.CreditedFunds.Amount != 5000 || x.balance(w) != 0 {
		t.Errorf("refund = %+v, wallet %d", rf.Transaction, x.balance(w))
	}
	// Paying again only redirects.
	if resp, _ := x.raw("POST", page, "", false); resp.StatusCode != 302 {
		t.Errorf("second visit = %d, want 302", resp.StatusCode)
	}
	x.checkLedger()
}

func TestSDKCardWebPayinAdmin(t *testing.T) {
	x := newSbx(t, Options{})
	payer := x.natural("PAYER")
	w := x.wallet(payer, "EUR")
	complete := func(id, query string) (int, mangopay.PayIn) {
		t.Helper()
		resp, body := x.raw("POST", "/sandbox/payins/"+id+"/complete"+query, "", false)
		var p mangopay.PayIn
		_ = json.Unmarshal(body, &p)
		return resp.StatusCode, p
	}
	tests := []struct {
		name, query string
		amount      int64
		code        string
	}{
		{"default card", "", 3000, "000000"},
		{"CVV 999", "?cardCvx=999", 3000, "101101"},
		{"amount trigger", "", 33305, "101101"},
		{"cancelled", "?outcome=cancel", 3000, "001031"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p mangopay.PayIn
			x.ok("POST", "/payins/card/web", webPayinBody(payer, w, tt.amount), &p)
			st, done := complete(p.Id, tt.query)
			if st != 200 || string(done.ResultCode) != tt.code {
				t.Fatalf("complete = %d %+v, want %s", st, done.Transaction, tt.code)
			}
			if st, _ := complete(p.Id, ""); st != 400 {
				t.Errorf("completing twice = %d, want 400", st)
			}
		})
	}
	if st, _ := complete("payin_m_none", ""); st != 404 {
		t.Errorf("unknown pay-in = %d, want 404", st)
	}
	m := x.fails("POST", "/payins/card/web", strings.Replace(webPayinBody(payer, w, 1000), "CB_VISA_MASTERCARD", "VISA_GOLD", 1), 400, "param_error")
	if fieldErr(m, "CardType") != "The value VISA_GOLD is not valid for CardType." {
		t.Errorf("unknown CardType: %v", m["errors"])
	}
	m = x.fails("POST", "/payins/card/web", strings.Replace(webPayinBody(payer, w, 1000), `"ReturnURL":"https://example.com/return",`, "", 1), 400, "param_error")
	if fieldErr(m, "ReturnURL") != "The ReturnURL field is required." {
		t.Errorf("no ReturnURL: %v", m["errors"])
	}
	x.checkLedger()
}

func TestSDKCardWebPayinRestart(t *testing.T) {
	dir := t.TempDir()
	x := newSbx(t, Options{StateDir: dir})
	payer := x.natural("PAYER")
	w := x.wallet(payer, "EUR")
	var p mangopay.PayIn
	x.ok("POST", "/payins/card/web", webPayinBody(payer, w, 2000), &p)
	if resp, _ := x.raw("POST", "/sandbox/payins/"+p.Id+"/complete", "", false); resp.StatusCode != 200 {
		t.Fatalf("complete = %d", resp.StatusCode)
	}
	x.ok("GET", "/payins/"+p.Id, nil, &p)
	y := x.restart(Options{StateDir: dir})
	var txs []mangopay.Transaction
	y.ok("GET", "/cards/"+p.CardId+"/transactions", nil, &txs)
	if len(txs) != 1 || txs[0].Id != p.Id {
		t.Errorf("card transactions after a restart = %+v", txs)
	}
}
