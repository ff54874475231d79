package sandbox

import (
	"net/http"
	"strings"
	"time"

	"settle/mangopay"
)

// serveThreeDS is GET <public>/3ds/<PayInId>, the SecureModeRedirectURL of a
// pay-in waiting for its 3DS challenge. Visiting it completes the challenge:
// the pay-in SUCCEEDS (or FAILS with 101301 when the query carries
// outcome=fail) and the browser is sent (302) to SecureModeReturnURL, which
// already carries ?transactionId=<PayInId>. Visiting it again only redirects.
func (s *Server) serveThreeDS(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/3ds/"), "/")
	fail := strings.EqualFold(r.URL.Query().Get("outcome"), "fail")
	var ok bool
	target := ""
	if !s.visitPage(w, r, func(now time.Time) {
		var p *payinRec
		if p, ok = s.st.payins.get(id); !ok {
			return
		}
		if p.P.Status == mangopay.StatusCreated && p.P.SecureModeNeeded {
			code := mangopay.ResultSuccess
			if fail {
				code = "101301"
			}
			s.finishPayin(now, p, code, true)
		}
		target = p.P.SecureModeReturnURL
	}) {
		return
	}
	if !ok {
		http.Error(w, "unknown 3DS session", http.StatusNotFound)
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}
