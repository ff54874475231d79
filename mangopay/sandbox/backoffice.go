package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"settle/mangopay"
)

// The back office: what MANGOPAY's people (or its dashboard) do by hand,
// which the sandbox's admin API and its dashboard both offer. Each is one
// backofficeAction, and both front ends run the same function inside one
// Commit, so an action taken by a click is the change a script makes,
// recorded in the state log like any other:
//
//	admin API   POST /sandbox/<path>?arg=...            (arguments in the query)
//	dashboard   POST /dashboard/act/<path>  arg=...     (arguments in the form, with its CSRF token)
//
// <path> has the object's Id where the pattern says {id}.

// backofficeAction is one operator action.
type backofficeAction struct {
	path string // e.g. "kyc/{id}/validate"
	what string // what it did, said before the Id: "Validated KYC document"
	// do runs with s.mu held inside a Commit; args are the query (admin
	// API) or the form (dashboard). Its value is the admin API's answer
	// (nil: 204).
	do func(s *Server, now time.Time, id string, args url.Values) (any, *apiError)
}

// backofficeActions are every operator action, in the order the admin API
// documents them (admin.go).
var backofficeActions = []backofficeAction{
	{"kyc/{id}/validate", "Validated KYC document", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return nil, s.decideKYC(now, id, true, "")
	}},
	{"kyc/{id}/refuse", "Refused KYC document", func(s *Server, now time.Time, id string, args url.Values) (any, *apiError) {
		return nil, s.decideKYC(now, id, false, args.Get("reason"))
	}},
	{"payouts/process", "Processed every CREATED payout", func(s *Server, now time.Time, _ string, _ url.Values) (any, *apiError) {
		return map[string]int{"Processed": s.processPayouts(now)}, nil
	}},
	{"payouts/{id}/process", "Processed payout", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return s.processPayoutNow(now, id)
	}},
	{"payouts/{id}/bounce", "The bank returned payout", func(s *Server, now time.Time, id string, args url.Values) (any, *apiError) {
		rf, e := s.bouncePayout(now, id, args.Get("reason"))
		if e != nil {
			return nil, e
		}
		return rf, nil
	}},
	{"payins/{id}/complete", "Ended the payment page of pay-in", func(s *Server, now time.Time, id string, args url.Values) (any, *apiError) {
		return s.decideWebPayin(now, id, args)
	}},
	{"sca/{id}/complete", "Completed the SCA enrolment of user", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return nil, s.decideEnrolment(now, id, true)
	}},
	{"sca/{id}/refuse", "Refused the SCA enrolment of user", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return nil, s.decideEnrolment(now, id, false)
	}},
	{"recipients/{id}/activate", "Activated recipient", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return nil, s.decideRecipient(now, id, true)
	}},
	{"recipients/{id}/cancel", "Canceled recipient", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return nil, s.decideRecipient(now, id, false)
	}},
	{"transfers/{id}/authenticate", "Completed the SCA of transfer", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return s.transferAfterSCA(now, id, true)
	}},
	{"transfers/{id}/refuse", "Refused the SCA of transfer", func(s *Server, now time.Time, id string, _ url.Values) (any, *apiError) {
		return s.transferAfterSCA(now, id, false)
	}},
	{"identity-verifications/{id}/outcome", "Ended identity verification", func(s *Server, now time.Time, id string, args url.Values) (any, *apiError) {
		return nil, s.decideIDV(now, id, args.Get("status"), args.Get("reason"))
	}},
	{"clock/advance", "Advanced the clock", func(s *Server, _ time.Time, _ string, args url.Values) (any, *apiError) {
		by, err := time.ParseDuration(args.Get("by"))
		if err != nil || by <= 0 {
			return nil, errField("by", "by must be a positive Go duration such as 90s or 1h.")
		}
		s.api.AdvanceClock(by)
		now := s.now()
		s.advance(now)
		return clockDoc{Now: now.Unix(), Offset: s.api.ClockOffset().String()}, nil
	}},
}

// runBackoffice runs act on id as one Commit and returns its answer.
func (s *Server) runBackoffice(act backofficeAction, id string, args url.Values) (any, *apiError) {
	var v any
	var e *apiError
	if err := s.api.Commit(func(now time.Time) { v, e = act.do(s, now, id, args) }); err != nil && e == nil {
		e = &apiError{Status: http.StatusInternalServerError, Type: "other", Message: err.Error()}
	}
	return v, e
}

// adminAction serves one back-office action on the admin API: its answer
// as JSON (nil: 204), or MANGOPAY's error body.
func (s *Server) adminAction(act backofficeAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, e := s.runBackoffice(act, r.PathValue("id"), r.URL.Query())
		s.writeAnswer(w, v, e)
	}
}

// processPayoutNow processes one CREATED payout now, whatever its delay,
// and answers it as GET /payouts/{id} would.
func (s *Server) processPayoutNow(now time.Time, id string) (any, *apiError) {
	p, ok := s.st.payouts.get(id)
	switch {
	case !ok:
		return nil, errNotFound("PayOut", id)
	case p.P.Status != mangopay.StatusCreated:
		return nil, errAction("invalid_action", "Only a payout with status CREATED can be processed: its status is "+p.P.Status)
	}
	s.processPayout(now, p)
	out := s.st.payouts.m[id].P
	return &out, nil
}

// transferAfterSCA ends the SCA of a transfer waiting for it as its page
// does (decideTransferSCA: settled, or FAILED 007101 when refused) and
// answers the transfer as GET /transfers/{id} would.
func (s *Server) transferAfterSCA(now time.Time, id string, authenticated bool) (any, *apiError) {
	if e := s.decideTransferSCA(now, id, authenticated, "007101"); e != nil {
		return nil, e
	}
	out := s.st.transfers.m[id].T
	return &out, nil
}

// decideWebPayin pays a CREATED card web pay-in as its payment page would,
// with the card in args (cardNumber, cardExpirationDate, cardCvx; default
// the frictionless test card), or cancels it (FAILED 001031) with
// outcome=cancel. It answers the pay-in.
func (s *Server) decideWebPayin(now time.Time, id string, args url.Values) (any, *apiError) {
	card := defaultWebCard
	if v := args.Get("cardNumber"); v != "" {
		card.Number = v
	}
	if v := args.Get("cardExpirationDate"); v != "" {
		card.Expiry = v
	}
	if v := args.Get("cardCvx"); v != "" {
		card.CVV = v
	}
	p, ok := s.webPayin(id)
	switch {
	case !ok:
		return nil, errNotFound("PayIn", id)
	case p.P.Status != mangopay.StatusCreated:
		return nil, errAction("invalid_action", "The pay-in is not waiting for its payment page: its status is "+p.P.Status)
	case strings.EqualFold(args.Get("outcome"), "cancel"):
		s.completeWebPayin(now, p, nil)
	default:
		if problem := s.completeWebPayin(now, p, &card); problem != "" {
			return nil, errField("card", problem)
		}
	}
	p, _ = s.webPayin(id)
	out := p.P
	return &out, nil
}

// decideEnrolment ends the SCA enrolment of a PENDING_USER_ACTION user as
// the person would on its page: completed (the user becomes ACTIVE, as
// visiting <public>/sca/<UserId> does) or refused (the event
// SCA_ENROLLMENT_FAILED; the user stays PENDING_USER_ACTION and may enrol
// later, as a person who failed the challenge may try again).
func (s *Server) decideEnrolment(now time.Time, id string, complete bool) *apiError {
	u, ok := s.st.users.get(id)
	switch {
	case !ok:
		return errNotFound("User", id)
	case u.sum().UserStatus != mangopay.UserPendingAction:
		return errAction("invalid_action", "The user is not waiting for an SCA enrolment: its status is "+u.sum().UserStatus)
	case complete:
		s.completeEnrolment(id, now)
	default:
		s.emit(now, "SCA_ENROLLMENT_FAILED", id)
	}
	return nil
}
