package sandbox

import (
	"fmt"
	"strings"

	"settle/internal/apirules"
	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// kycRec is a stored KYC document. OutcomeTag is the Tag given at creation,
// which decides the sandbox verdict even if a later PUT changes the Tag.
type kycRec struct {
	Seq        int64                `json:"Seq"`
	D          mangopay.KYCDocument `json:"D"`
	OutcomeTag string               `json:"OutcomeTag"`
	Pages      int                  `json:"Pages"`
	Due        int64                `json:"Due"` // Unix ns of the verdict; 0 = none scheduled
}

func (s *Server) putKYC(k *kycRec) {
	s.st.putKYC(k)
	s.save("kyc", k.D.Id, k)
}

func (st *state) putKYC(k *kycRec) {
	st.seen(k.Seq)
	if st.kycs.put(k.D.Id, k.Seq, k) {
		st.userKYC.add(k.D.UserId, k.D.Id, k.Seq)
	}
}

var kycTypes = map[string]bool{
	mangopay.KYCIdentityProof: true, mangopay.KYCRegistrationProof: true, mangopay.KYCArticlesOfAssociation: true,
	mangopay.KYCShareholderDeclaration: true, mangopay.KYCAddressProof: true,
}

// kycAllowed says whether a document type may be created for a user, and
// the name MANGOPAY uses for the user's type in the refusal message.
func kycAllowed(u *userRec, docType string) (bool, string) {
	if u.Natural != nil {
		return docType == mangopay.KYCIdentityProof || docType == mangopay.KYCAddressProof, "NATURAL_PERSON"
	}
	lpt := u.Legal.LegalPersonType
	switch docType {
	case mangopay.KYCAddressProof:
		return false, lpt
	case mangopay.KYCArticlesOfAssociation:
		return lpt != "SOLETRADER", lpt
	}
	return true, lpt
}

// kycRequired is the set of validated documents that makes a user REGULAR.
// For legal BUSINESS and PARTNERSHIP users MANGOPAY also wants a UBO
// declaration (and a CompanyNumber); UBO declarations are out of this
// sandbox's scope, so IDENTITY_PROOF + REGISTRATION_PROOF +
// ARTICLES_OF_ASSOCIATION suffice for BUSINESS, and IDENTITY_PROOF +
// REGISTRATION_PROOF for PARTNERSHIP and SOLETRADER.
func kycRequired(u *userRec) []string {
	if u.Natural != nil {
		return []string{mangopay.KYCIdentityProof}
	}
	switch u.Legal.LegalPersonType {
	case "BUSINESS", "ORGANIZATION":
		return []string{mangopay.KYCIdentityProof, mangopay.KYCRegistrationProof, mangopay.KYCArticlesOfAssociation}
	}
	return []string{mangopay.KYCIdentityProof, mangopay.KYCRegistrationProof}
}

// createKYC is POST /users/{userid}/kyc/documents.
func (s *Server) createKYC(c *call) (int, any) {
	u, e := s.user(c.Params["userid"])
	if e != nil {
		return c.fail(e)
	}
	var req struct{ Type, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	docType, tag := "", ""
	setStr(&docType, req.Type)
	setStr(&tag, req.Tag)
	docType = strings.ToUpper(docType)
	f := fieldErrs{}
	switch {
	case docType == "":
		f.required("Type")
	case !kycTypes[docType]:
		f.add("Type", fmt.Sprintf("The value %s is not valid for Type.", docType))
	default:
		if ok, who := kycAllowed(u, docType); !ok {
			f.add("Type", fmt.Sprintf("%s cannot be submitted for %s user", docType, who))
		}
	}
	checkLen(f, "Tag", tag, false, apirules.TextMax)
	if e := f.err(); e != nil {
		return c.fail(e)
	}
	k := &kycRec{Seq: s.st.nextSeq(), OutcomeTag: tag, D: mangopay.KYCDocument{Type: docType, UserId: u.sum().Id,
		Flags: []string{}, Id: s.newID("kyc_"), Tag: mangopay.NullString(tag), CreationDate: c.Now.Unix(),
		Status: mangopay.KYCStatusCreated}}
	s.putKYC(k)
	s.emit(c.Now, "KYC_CREATED", k.D.Id)
	return 200, &k.D
}

// kycDoc finds a document; with the user in the path it must be theirs.
func (s *Server) kycDoc(c *call) (*kycRec, *apiError) {
	if uid, ok := c.Params["userid"]; ok {
		if _, e := s.user(uid); e != nil {
			return nil, e
		}
	}
	k, ok := s.st.kycs.get(c.Params["id"])
	if !ok || (c.Params["userid"] != "" && k.D.UserId != c.Params["userid"]) {
		return nil, errNotFound("KycDocument", c.Params["id"])
	}
	return k, nil
}

// getKYC is GET /kyc/documents/{id} and /users/{userid}/kyc/documents/{id}.
func (s *Server) getKYC(c *call) (int, any) {
	k, e := s.kycDoc(c)
	if e != nil {
		return c.fail(e)
	}
	return 200, &k.D
}

// listKYC is GET /users/{userid}/kyc/documents and GET /kyc/documents,
// filtered by Status and Type.
func (s *Server) listKYC(c *call) (int, any) {
	ids := s.st.kycs.order.ids
	if uid, ok := c.Params["userid"]; ok {
		if _, e := s.user(uid); e != nil {
			return c.fail(e)
		}
		ids = s.st.userKYC.ids(uid)
	}
	var out []*mangopay.KYCDocument
	for _, id := range ids {
		d := &s.st.kycs.m[id].D
		if c.Accepts("Status", d.Status) && c.Accepts("Type", d.Type) {
			out = append(out, d)
		}
	}
	return 200, platform.NewList(out, func(d *mangopay.KYCDocument) int64 { return d.CreationDate })
}

// submitKYC is PUT /users/{userid}/kyc/documents/{id} with Status
// VALIDATION_ASKED (the whole object may be sent; read-only fields are
// ignored). The verdict comes after Options.KYCDelay, decided by the Tag
// given at creation, unless Options.ManualKYC.
func (s *Server) submitKYC(c *call) (int, any) {
	k, e := s.kycDoc(c)
	if e != nil {
		return c.fail(e)
	}
	var req struct{ Status, Tag *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	nk := *k
	setNull(&nk.D.Tag, req.Tag)
	if req.Status == nil || strings.EqualFold(*req.Status, k.D.Status) {
		s.putKYC(&nk) // a Tag-only update
		return 200, &nk.D
	}
	switch {
	case !strings.EqualFold(*req.Status, mangopay.KYCStatusValidationAsked):
		return c.fail(errField("Status", fmt.Sprintf("The value %s is not valid for Status.", *req.Status)))
	case k.D.Status != mangopay.KYCStatusCreated:
		return c.fail(errAction("invalid_action",
			fmt.Sprintf("A document with status %s cannot be submitted; create a new one", k.D.Status)))
	case k.Pages == 0:
		return c.fail(errField("Status", "The document has no page: add at least one page before asking validation"))
	}
	nk.D.Status = mangopay.KYCStatusValidationAsked
	if !s.opts.ManualKYC {
		nk.Due = c.Now.Add(s.opts.KYCDelay).UnixNano()
		s.st.pendingKYC = addPending(s.st.pendingKYC, pending{ID: nk.D.Id, Due: nk.Due})
	}
	s.putKYC(&nk)
	s.emit(c.Now, "KYC_VALIDATION_ASKED", nk.D.Id)
	return 200, &nk.D
}
