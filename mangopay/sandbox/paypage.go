package sandbox

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"settle/mangopay"
)

// servePayPage is <public>/pay/<PayInId>, the RedirectURL of a card web
// pay-in (payins_web.go). GET shows the payment form; POST with
// cardNumber, cardExpirationDate (MMYY) and cardCvx pays, POST with cancel
// cancels (FAILED 001031); both then redirect (302) to ReturnURL. A card
// the page cannot charge (bad number, expiry or CVV) shows the form again
// with the reason (400) and leaves the pay-in CREATED. Once the pay-in is
// no longer CREATED the page only redirects.
func (s *Server) servePayPage(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/pay/"), "/")
	var card *webCard
	cancel := false
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		cancel = r.PostForm.Has("cancel")
		card = &webCard{Number: strings.Join(strings.Fields(r.PostForm.Get("cardNumber")), ""),
			Expiry: strings.TrimSpace(r.PostForm.Get("cardExpirationDate")), CVV: strings.TrimSpace(r.PostForm.Get("cardCvx"))}
	}
	var v payVisit
	if !s.visitPage(w, r, func(now time.Time) { v = s.visitPayPage(now, id, card, cancel) }) {
		return
	}
	switch {
	case !v.found:
		http.Error(w, "unknown payment session", http.StatusNotFound)
	case v.page != "":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if v.problem != "" {
			w.WriteHeader(http.StatusBadRequest)
		}
		_, _ = w.Write([]byte(v.page))
	default:
		http.Redirect(w, r, v.returnURL, http.StatusFound)
	}
}

// payVisit is what one visit of the payment page answers: the form (page,
// with the problem of the card entered) or a redirect to returnURL.
type payVisit struct {
	found                    bool
	page, problem, returnURL string
}

// visitPayPage settles a visit (inside its Commit): nothing to pay (a GET)
// shows the form, cancel or a card that can be charged completes the
// pay-in.
func (s *Server) visitPayPage(now time.Time, id string, card *webCard, cancel bool) (v payVisit) {
	p, ok := s.webPayin(id)
	if !ok {
		return v
	}
	v.found, v.returnURL = true, string(p.P.ReturnURL)
	switch {
	case p.P.Status != mangopay.StatusCreated:
	case cancel:
		s.completeWebPayin(now, p, nil)
	case card == nil:
		v.page = payPage(p, "")
	default:
		if v.problem = s.completeWebPayin(now, p, card); v.problem != "" {
			v.page = payPage(p, v.problem)
		}
	}
	return v
}

// payPage is the payment form of a web pay-in.
func payPage(p *payinRec, problem string) string {
	amount := fmt.Sprintf("%d.%02d %s", p.P.DebitedFunds.Amount/100, p.P.DebitedFunds.Amount%100, p.P.DebitedFunds.Currency)
	msg := ""
	if problem != "" {
		msg = `<p class="error">` + html.EscapeString(problem) + `</p>`
	}
	return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Payment - settle sandbox</title></head>
<body><h1>Pay ` + html.EscapeString(amount) + `</h1>` + msg + `
<form method="post">
<label>Card number <input name="cardNumber" autocomplete="cc-number" value="4970107111111119"></label>
<label>Expiry (MMYY) <input name="cardExpirationDate" autocomplete="cc-exp" value="1240"></label>
<label>CVV <input name="cardCvx" autocomplete="cc-csc" value="123"></label>
<button type="submit">Pay</button> <button type="submit" name="cancel" value="1">Cancel</button>
</form>
<p>Pay-in ` + html.EscapeString(p.P.Id) + ` (` + html.EscapeString(string(p.P.CardType)) + `)</p>
</body></html>
`
}
