package sandbox

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// Hosted identity verification (KYC/KYB IDV sessions, mangopay-2026.md
// §4.2), the alternative to KYC documents. POST
// /users/{id}/identity-verifications opens a PENDING session for an OWNER;
// its HostedUrl is the page <public>/idv/<Id> this sandbox serves, standing
// in for user-verification.sandbox.mangopay.com. Visiting the page submits
// the identity and VALIDATES the session (?outcome=refused&reason=R refuses
// it, ?outcome=expired lets it expire), then redirects to the ReturnUrl. The
// admin API sets any outcome too. A session left PENDING for idvExpiry is
// EXPIRED (MANGOPAY's pages say 24 hours or 7 days; 7 is taken).
// VALIDATED makes the user REGULAR (USER_KYC_REGULAR); a later change of
// identity makes the session OUT_OF_DATE with the user's documents
// (downgradeKYC).

// idvExpiry is how long a session stays PENDING.
const idvExpiry = 7 * 24 * time.Hour

// idvRec is a stored session; Due (Unix ns) is its expiry while PENDING.
type idvRec struct {
	Seq int64                         `json:"Seq"`
	V   mangopay.IdentityVerification `json:"V"`
	Due int64                         `json:"Due,omitempty"`
	// Lang is the SessionLanguage asked for (lng on HostedUrl).
	Lang string `json:"Lang,omitempty"`
}

func (s *Server) putIDV(v *idvRec) {
	s.st.putIDV(v)
	s.save("idv", v.V.Id, v)
}

func (st *state) putIDV(v *idvRec) {
	st.seen(v.Seq)
	if st.idvs.put(v.V.Id, v.Seq, v) {
		st.userIDVs.add(v.V.UserId, v.V.Id, v.Seq)
	}
	st.pendingIDVs = requeue(st.pendingIDVs, v.V.Id, v.V.Status == mangopay.IDVPending, v.Due)
}

// idvPath is the path of a session's hosted page (serveIDV).
func idvPath(id string) string { return "/idv/" + id }

// view is the session as the API answers it: HostedUrl under base (the
// request's public URL) with the redirectURL and lng parameters.
func (v *idvRec) view(base string) *mangopay.IdentityVerification {
	out := v.V
	q := url.Values{"redirectURL": {v.V.ReturnUrl}}
	if v.Lang != "" {
		q.Set("lng", v.Lang)
	}
	out.HostedUrl = base + idvPath(v.V.Id) + "?" + q.Encode()
	return &out
}

// createIDV is POST /users/{userid}/identity-verifications with ReturnUrl
// (required, at most 500 characters), Tag and SessionLanguage.
func (s *Server) createIDV(c *call) (int, any) {
	u, e := s.user(c.Params["userid"])
	if e != nil {
		return c.fail(e)
	}
	var req struct{ ReturnUrl, Tag, SessionLanguage *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	f := fieldErrs{}
	ret, tag, lang := "", "", ""
	setStr(&ret, req.ReturnUrl)
	setStr(&tag, req.Tag)
	setStr(&lang, req.SessionLanguage)
	checkLen(f, "ReturnUrl", ret, true, 500)
	if p, err := url.Parse(ret); ret != "" && (err != nil || p.Scheme == "" || p.Host == "") {
		f.add("ReturnUrl", "The ReturnUrl must be an absolute URL.")
	}
	checkLen(f, "Tag", tag, false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	switch {
	case u.sum().UserCategory != mangopay.CategoryOwner:
		return c.fail(errAction("invalid_action", "This feature is only available for users categorised as Owner."))
	case u.Legal != nil && u.Legal.LegalPersonType == "PARTNERSHIP":
		return c.fail(errAction("invalid_action", "This feature is not available for legal users of type PARTNERSHIP."))
	}
	v := &idvRec{Seq: s.st.nextSeq(), Lang: strings.ToLower(lang), Due: c.Now.Add(idvExpiry).UnixNano(),
		V: mangopay.IdentityVerification{Id: s.newID("idnver_"), Tag: mangopay.NullString(tag), CreationDate: c.Now.Unix(),
			ReturnUrl: ret, Status: mangopay.IDVPending, UserId: u.sum().Id, LastUpdate: ptr(c.Now.Unix())}}
	s.putIDV(v)
	return 200, v.view(s.publicURL(c.Request))
}

// getIDV is GET /identity-verifications/{id}.
func (s *Server) getIDV(c *call) (int, any) {
	v, ok := s.st.idvs.get(c.Params["id"])
	if !ok {
		return c.fail(errNotFound("IdentityVerification", c.Params["id"]))
	}
	return 200, v.view(s.publicURL(c.Request))
}

// listIDVs is GET /users/{userid}/identity-verifications.
func (s *Server) listIDVs(c *call) (int, any) {
	if _, e := s.user(c.Params["userid"]); e != nil {
		return c.fail(e)
	}
	base := s.publicURL(c.Request)
	var out []mangopay.IdentityVerification
	for _, id := range s.st.userIDVs.ids(c.Params["userid"]) {
		out = append(out, *s.st.idvs.m[id].view(base))
	}
	return 200, platform.NewList(out, func(v mangopay.IdentityVerification) int64 { return v.CreationDate })
}

// idvReasons are the refusal reasons a session accepts: the KYC refusal
// reasons (MANGOPAY documents no separate list for sessions).
var idvReasons = []string{"DOCUMENT_UNREADABLE", "DOCUMENT_NOT_ACCEPTED", "DOCUMENT_HAS_EXPIRED", "DOCUMENT_INCOMPLETE",
	"DOCUMENT_MISSING", "DOCUMENT_DO_NOT_MATCH_USER_DATA", "DOCUMENT_FALSIFIED", "UNDERAGE_PERSON", "SPECIFIC_CASE"}

// idvChecks are the checks a session runs on its user.
func idvChecks(u *userRec) []string {
	if u != nil && u.Natural != nil {
		return []string{"IDENTITY_DOCUMENT_VERIFICATION", "IDV_NAME_MATCH_CHECK", "IDV_AGE_CHECK"}
	}
	return []string{"BUSINESS_VERIFICATION", "BUSINESS_NAME_MATCH"}
}

// decideIDV ends a PENDING session with status VALIDATED, REFUSED (reason
// a refusal reason, default DOCUMENT_NOT_ACCEPTED) or EXPIRED; it is what
// the hosted page, the clock and the admin API do. VALIDATED raises the
// user to REGULAR.
func (s *Server) decideIDV(now time.Time, id, status, reason string) *apiError {
	v, ok := s.st.idvs.get(id)
	status, reason = strings.ToUpper(strings.TrimSpace(status)), strings.ToUpper(strings.TrimSpace(reason))
	switch {
	case !ok:
		return errNotFound("IdentityVerification", id)
	case v.V.Status != mangopay.IDVPending:
		return errAction("invalid_action", "The identity verification is "+v.V.Status+", not PENDING")
	case status != mangopay.IDVValidated && status != mangopay.IDVRefused && status != mangopay.IDVExpired:
		return errField("status", "status must be VALIDATED, REFUSED or EXPIRED")
	case status == mangopay.IDVRefused && reason == "":
		reason = "DOCUMENT_NOT_ACCEPTED"
	case status == mangopay.IDVRefused && !slices.Contains(idvReasons, reason):
		return errField("reason", "reason must be one of "+strings.Join(idvReasons, ", "))
	}
	u, _ := s.st.users.get(v.V.UserId)
	nv := *v
	nv.Due, nv.V.Status, nv.V.LastUpdate, nv.V.Checks = 0, status, ptr(now.Unix()), nil
	if status != mangopay.IDVExpired {
		for i, t := range idvChecks(u) {
			ch := mangopay.IdentityCheck{CheckId: mangopay.NullString(randomHex(8)), Type: t, CheckStatus: mangopay.IDVValidated,
				CreationDate: now.Unix(), LastUpdate: ptr(now.Unix()), Reasons: []mangopay.IdentityDatum{}, Data: idvData(u, t)}
			if status == mangopay.IDVRefused && i == 0 {
				ch.CheckStatus, ch.Reasons = mangopay.IDVRefused, []mangopay.IdentityDatum{{Type: reason}}
			}
			nv.V.Checks = append(nv.V.Checks, ch)
		}
	}
	s.putIDV(&nv)
	s.emit(now, idvEvent[status], id)
	if status == mangopay.IDVValidated && u != nil && u.sum().KYCLevel != mangopay.KYCRegular {
		nu := u.clone()
		nu.sum().KYCLevel = mangopay.KYCRegular
		s.putUser(nu)
		s.emit(now, "USER_KYC_REGULAR", nu.sum().Id)
	}
	return nil
}

// idvEvent is the webhook of each outcome.
var idvEvent = map[string]string{mangopay.IDVValidated: "IDENTITY_VERIFICATION_VALIDATED",
	mangopay.IDVRefused: "IDENTITY_VERIFICATION_FAILED", mangopay.IDVExpired: "IDENTITY_VERIFICATION_EXPIRED"}

// idvData is what a check verified: the user's names for a natural user's
// name check, nothing for the others.
func idvData(u *userRec, check string) []mangopay.IdentityDatum {
	if u == nil || u.Natural == nil || check != "IDV_NAME_MATCH_CHECK" {
		return []mangopay.IdentityDatum{}
	}
	return []mangopay.IdentityDatum{{Type: "FIRST_NAME", Value: u.Natural.FirstName}, {Type: "LAST_NAME", Value: u.Natural.LastName}}
}

// outdateIDVs makes a user's VALIDATED sessions OUT_OF_DATE (a change of
// identity, see downgradeKYC).
func (s *Server) outdateIDVs(now time.Time, userID string) {
	for _, id := range s.st.userIDVs.ids(userID) {
		v := s.st.idvs.m[id]
		if v.V.Status != mangopay.IDVValidated {
			continue
		}
		nv := *v
		nv.V.Status, nv.V.LastUpdate = mangopay.IDVOutOfDate, ptr(now.Unix())
		s.putIDV(&nv)
		s.emit(now, "IDENTITY_VERIFICATION_OUTDATED", id)
	}
}

// advanceIDVs expires the sessions left PENDING too long.
func (s *Server) advanceIDVs(now time.Time) {
	for id := range popDue(&s.st.pendingIDVs, now) {
		if v, ok := s.st.idvs.get(id); ok && v.V.Status == mangopay.IDVPending {
			_ = s.decideIDV(now, id, mangopay.IDVExpired, "")
		}
	}
}

// serveIDV is GET (or POST) <public>/idv/<Id>, a session's HostedUrl:
// visiting it VALIDATES the session; ?outcome=refused (with &reason=R) or
// ?outcome=expired give those outcomes. It then redirects to the
// redirectURL parameter (the session's ReturnUrl) or answers a text page.
func (s *Server) serveIDV(w http.ResponseWriter, r *http.Request) {
	id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/idv/"), "/")
	q := r.URL.Query()
	status := q.Get("outcome")
	if status == "" {
		status = mangopay.IDVValidated
	}
	s.servePage(w, r, "identity verification "+id, q.Get("redirectURL"), func(now time.Time) *apiError {
		return s.decideIDV(now, id, status, q.Get("reason"))
	}, strings.EqualFold(status, mangopay.IDVValidated))
}
