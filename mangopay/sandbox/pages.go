package sandbox

import (
	"net/http"
	"strings"
	"time"

	"settle/mangopay/sandbox/internal/platform"
)

// Hosted pages: the pages MANGOPAY serves to a person (a payer, a user's
// owner) that the sandbox serves itself under its public URL, without
// authentication: the card web pay-in's payment page (/pay/, paypage.go),
// the 3DS challenge (/3ds/, threeds.go), SCA enrolment and proxy consent
// (/sca/<UserId>, sca.go), the SCA of a recipient (/sca/recipients/,
// recipients.go), of a transfer and of wallet reads (/sca/transfers/,
// /sca/wallets/, scagate.go) and identity verification (/idv/, idv.go).
// A visit is one Commit (visitPage), so it is recorded in the state log
// like an API call; most pages decide a PENDING object and send the
// browser back to its return URL (servePage).

// visitPage runs one visit of a hosted page as a Commit. It answers 405 to
// methods other than GET and POST, and 500 when the state log fails, then
// reports false; on true the caller answers the visit.
func (s *Server) visitPage(w http.ResponseWriter, r *http.Request, visit func(now time.Time)) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	if err := s.api.Commit(visit); err != nil {
		http.Error(w, "state log failure", http.StatusInternalServerError)
		return false
	}
	return true
}

// servePage runs a browser page's decision as a Commit and answers it:
// the error's message with its status, a 302 to ret (when given) with
// controlStatus SUCCEEDED or FAILED appended, or a text page.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request, what, ret string, decide func(time.Time) *apiError, succeeded bool) {
	var e *apiError
	if !s.visitPage(w, r, func(now time.Time) { e = decide(now) }) {
		return
	}
	if e != nil {
		status := e.Status
		if status == 404 {
			http.Error(w, "unknown "+what, status)
			return
		}
		http.Error(w, e.Message, status)
		return
	}
	control := "SUCCEEDED"
	if !succeeded {
		control = "FAILED"
	}
	if ret != "" {
		sep := "?"
		if strings.Contains(ret, "?") {
			sep = "&"
		}
		http.Redirect(w, r, ret+sep+"controlStatus="+control, http.StatusFound)
		return
	}
	platform.WriteText(w, what+": "+control+"\n")
}

// queryAnyCase reads a query parameter whatever the case of its name
// (MANGOPAY's docs spell it ReturnUrl and returnUrl).
func queryAnyCase(r *http.Request, name string) string {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
