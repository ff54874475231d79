package sandbox

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"

	"settle/mangopay"
)

// KYC page limits (MANGOPAY's submission guide).
const (
	kycMaxPages      = 5
	kycMinIdentity   = 32 << 10 // IDENTITY_PROOF pages
	kycMinOther      = 1 << 10
	kycMaxRaw        = 7 << 20  // about 7 MB decoded
	kycMaxBase64Size = 10 << 20 // 10 MB of base64
)

// pageFormat recognizes PDF, JPEG and PNG by their magic bytes.
func pageFormat(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "PDF"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "JPEG"
	case bytes.HasPrefix(b, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return "PNG"
	}
	return ""
}

// addKYCPage is POST /users/{userid}/kyc/documents/{id}/pages with
// {"File":"<base64>"}. It answers 204 with no body. Pages are checked (the
// file itself is not kept: nothing in the API reads pages back).
func (s *Server) addKYCPage(c *call) (int, any) {
	k, e := s.kycDoc(c)
	if e != nil {
		return c.fail(e)
	}
	if len(bytes.TrimSpace(c.Body)) == 0 {
		return c.fail(&apiError{Status: 411, Type: "empty_body", Message: "the body cannot be empty"})
	}
	var req struct{ File *string }
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	// The body is validated before the document's state, as MANGOPAY does:
	// an empty File on a submitted document is errors.File.
	if req.File == nil || *req.File == "" {
		return c.fail(errRequired("File"))
	}
	raw, e := checkPage(*req.File, k.D.Type)
	if e != nil {
		return c.fail(e)
	}
	if k.D.Status != mangopay.KYCStatusCreated {
		return c.fail(errAction("invalid_action", "Pages can only be added to a document with status CREATED"))
	}
	if k.Pages >= kycMaxPages {
		return c.fail(errAction("max_page_number",
			"Maximum number of pages exceeded. You can only add up to 5 pages to this document"))
	}
	nk := *k
	nk.Pages++
	s.putKYC(&nk)
	s.putKYCPage(&kycPageRec{Seq: s.st.nextSeq(), Doc: k.D.Id, N: nk.Pages, Format: pageFormat(raw), Data: raw})
	return 204, nil
}

// kycPageRec is one page of a KYC document as it was uploaded. Nothing in
// the API reads pages back; the dashboard shows them, as MANGOPAY's does to
// the person validating the document. Persisted as kind "kycpage", Id
// <document Id>/<N>.
type kycPageRec struct {
	Seq    int64  `json:"Seq"`
	Doc    string `json:"Doc"`
	N      int    `json:"N"`      // from 1
	Format string `json:"Format"` // PDF, JPEG or PNG (pageFormat)
	Data   []byte `json:"Data"`
}

func (s *Server) putKYCPage(p *kycPageRec) {
	s.st.putKYCPage(p)
	s.save("kycpage", p.Doc+"/"+strconv.Itoa(p.N), p)
}

// putKYCPage stores page N of its document at index N-1.
func (st *state) putKYCPage(p *kycPageRec) {
	st.seen(p.Seq)
	pages := st.kycPages[p.Doc]
	for len(pages) < p.N {
		pages = append(pages, nil)
	}
	pages[p.N-1] = p
	st.kycPages[p.Doc] = pages
}

// checkPage validates one page's base64, size and format, and returns the
// page's bytes.
func checkPage(file, docType string) ([]byte, *apiError) {
	file = strings.Join(strings.Fields(file), "")
	if len(file) > kycMaxBase64Size {
		return nil, &apiError{Status: 413, Type: "request_entity_too_large", Message: "The file is too large: 10 MB at most"}
	}
	raw, err := base64.StdEncoding.DecodeString(file)
	if err != nil {
		return nil, errField("File", "Invalid length for a Base-64 char array or string.")
	}
	min := kycMinOther
	if docType == mangopay.KYCIdentityProof {
		min = kycMinIdentity
	}
	switch {
	case len(raw) > kycMaxRaw:
		return nil, &apiError{Status: 413, Type: "request_entity_too_large", Message: "The file is too large: 7 MB at most"}
	case len(raw) < min:
		return nil, errField("File", "The file is too small to be readable")
	case pageFormat(raw) == "":
		return nil, &apiError{Status: 415, Type: "unsupported_media_type",
			Message: "The file format is not supported: use PDF, JPEG, JPG or PNG"}
	}
	return raw, nil
}
