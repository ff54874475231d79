package sandbox

import (
	"strings"
	"time"

	"settle/internal/apirules"
	"settle/mangopay"
)

// refuseTags map the sandbox's refuse_* test Tags to the refusal they ask
// for (apirules.KYCSandboxVerdict).
var refuseTags = func() map[string]string {
	m := map[string]string{}
	for _, tag := range apirules.KYCSandboxTags() {
		if accept, refusal, _ := apirules.KYCSandboxVerdict(tag); !accept {
			m[tag] = refusal
		}
	}
	return m
}()

// payerRefusal is the reason given when a PAYER submits a document, which
// always ends REFUSED.
const payerRefusal = "SPECIFIC_CASE"

// advanceKYC gives the verdict of every document whose delay is over, the
// one its Tag asks for (apirules.KYCSandboxVerdict). A document whose Tag
// asks for no particular outcome (neither "accept" nor a "refuse_*" tag,
// matched case-sensitively) stays VALIDATION_ASKED until
// the admin API decides, as documents did in MANGOPAY's sandbox before its
// test Tags existed.
func (s *Server) advanceKYC(now time.Time) {
	for id := range popDue(&s.st.pendingKYC, now) {
		k, ok := s.st.kycs.get(id)
		if !ok || k.D.Status != mangopay.KYCStatusValidationAsked {
			continue
		}
		u, ok := s.st.users.get(k.D.UserId)
		accept, refusal, asked := apirules.KYCSandboxVerdict(k.OutcomeTag)
		switch {
		case ok && u.sum().UserCategory == mangopay.CategoryPayer:
			s.applyVerdict(now, k, false, payerRefusal)
		case asked:
			s.applyVerdict(now, k, accept, refusal)
		default:
			// No verdict asked: the document now waits for the admin API.
			// Its Due is cleared (and saved) so that a restart does not
			// queue it again: restore re-queues VALIDATION_ASKED
			// documents by their Due.
			nk := *k
			nk.Due = 0
			s.putKYC(&nk)
		}
	}
}

// decideKYC validates (accept) or refuses a document waiting for its
// verdict, as MANGOPAY's dashboard does; reason is the RefusedReasonType
// (default DOCUMENT_NOT_ACCEPTED). A PAYER's document is refused whatever
// is asked. Called with s.mu held.
func (s *Server) decideKYC(now time.Time, id string, accept bool, reason string) *apiError {
	k, ok := s.st.kycs.get(id)
	if !ok {
		return errNotFound("KycDocument", id)
	}
	if k.D.Status != mangopay.KYCStatusValidationAsked {
		return errAction("invalid_action", "Only a document with status VALIDATION_ASKED can be validated or refused")
	}
	if u, ok := s.st.users.get(k.D.UserId); ok && u.sum().UserCategory == mangopay.CategoryPayer {
		accept, reason = false, payerRefusal
	}
	reason = strings.ToUpper(strings.TrimSpace(reason))
	if !accept && reason == "" {
		reason = "DOCUMENT_NOT_ACCEPTED"
	}
	s.applyVerdict(now, k, accept, reason)
	return nil
}

// applyVerdict sets the document's final status, emits KYC_SUCCEEDED or
// KYC_FAILED, records the proof on the user and raises the user to
// REGULAR when its requirement set is complete.
func (s *Server) applyVerdict(now time.Time, k *kycRec, accept bool, reason string) {
	nk := *k
	nk.D.ProcessedDate = ptr(now.Unix())
	nk.Due = 0
	if !accept {
		nk.D.Status = mangopay.KYCStatusRefused
		nk.D.RefusedReasonType = mangopay.NullString(reason)
		s.putKYC(&nk)
		s.emit(now, "KYC_FAILED", nk.D.Id)
		return
	}
	nk.D.Status = mangopay.KYCStatusValidated
	s.putKYC(&nk)
	s.emit(now, "KYC_SUCCEEDED", nk.D.Id)
	old, ok := s.st.users.get(nk.D.UserId)
	if !ok {
		return
	}
	u := old.clone()
	if f := proofField(u, nk.D.Type); f != nil {
		*f = mangopay.NullString(nk.D.Id)
	}
	raised := u.sum().KYCLevel != mangopay.KYCRegular && s.kycComplete(u)
	if raised {
		u.sum().KYCLevel = mangopay.KYCRegular
	}
	s.putUser(u)
	if raised {
		s.emit(now, "USER_KYC_REGULAR", u.sum().Id)
	}
}

// proofField is the user field that holds the validated document of a type.
func proofField(u *userRec, docType string) *mangopay.NullString {
	if n := u.Natural; n != nil {
		switch docType {
		case mangopay.KYCIdentityProof:
			return &n.ProofOfIdentity
		case mangopay.KYCAddressProof:
			return &n.ProofOfAddress
		}
		return nil
	}
	l := u.Legal
	switch docType {
	case mangopay.KYCIdentityProof:
		return &l.LegalRepresentativeProofOfIdentity
	case mangopay.KYCRegistrationProof:
		return &l.ProofOfRegistration
	case mangopay.KYCArticlesOfAssociation:
		return &l.Statute
	case mangopay.KYCShareholderDeclaration:
		return &l.ShareholderDeclaration
	}
	return nil
}

// kycComplete reports whether every required document type has a
// validated document.
func (s *Server) kycComplete(u *userRec) bool {
	have := map[string]bool{}
	for _, id := range s.st.userKYC.ids(u.sum().Id) {
		if d := s.st.kycs.m[id].D; d.Status == mangopay.KYCStatusValidated {
			have[d.Type] = true
		}
	}
	for _, t := range kycRequired(u) {
		if !have[t] {
			return false
		}
	}
	return true
}

// downgradeKYC handles a change of identity data on a REGULAR user (u is
// the updated copy about to be stored): the user falls back to LIGHT
// (USER_KYC_LIGHT) and its validated documents become OUT_OF_DATE
// (KYC_OUTDATED), clearing the proofs.
func (s *Server) downgradeKYC(now time.Time, u *userRec) {
	if u.sum().KYCLevel != mangopay.KYCRegular {
		return
	}
	u.sum().KYCLevel = mangopay.KYCLight
	for _, id := range s.st.userKYC.ids(u.sum().Id) {
		k := s.st.kycs.m[id]
		if k.D.Status != mangopay.KYCStatusValidated {
			continue
		}
		nk := *k
		nk.D.Status = mangopay.KYCStatusOutOfDate
		s.putKYC(&nk)
		if f := proofField(u, nk.D.Type); f != nil {
			*f = ""
		}
		s.emit(now, "KYC_OUTDATED", nk.D.Id)
	}
	s.outdateIDVs(now, u.sum().Id)
	s.emit(now, "USER_KYC_LIGHT", u.sum().Id)
}
