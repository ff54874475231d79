package mangopay

import (
	"context"
	"encoding/base64"
	"iter"
	"net/http"
)

// KYC document types and statuses.
const (
	KYCIdentityProof          = "IDENTITY_PROOF"
	KYCRegistrationProof      = "REGISTRATION_PROOF"
	KYCArticlesOfAssociation  = "ARTICLES_OF_ASSOCIATION"
	KYCShareholderDeclaration = "SHAREHOLDER_DECLARATION"
	KYCAddressProof           = "ADDRESS_PROOF"

	KYCStatusCreated         = "CREATED"
	KYCStatusValidationAsked = "VALIDATION_ASKED"
	KYCStatusValidated       = "VALIDATED"
	KYCStatusRefused         = "REFUSED"
	KYCStatusOutOfDate       = "OUT_OF_DATE"
)

// KYCService manages KYC documents: create, add pages, submit, read.
type KYCService struct{ c *Client }

// CreateDocument creates a document in status CREATED
// (POST /users/{id}/kyc/documents). In MANGOPAY's sandbox its Tag decides
// the verdict: "accept" or one of the "refuse_*" tags.
func (s *KYCService) CreateDocument(ctx context.Context, userID string, p *KYCDocumentCreateParams) (*KYCDocument, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents", userID), p, p.IdempotencyKey)
}

// CreatePage adds a page (the file's bytes; PDF, JPEG or PNG) to a CREATED
// document (POST /users/{userId}/kyc/documents/{id}/pages, answered 204).
// The optional params carry an Idempotency-Key, without which a lost
// answer is not retried.
func (s *KYCService) CreatePage(ctx context.Context, userID, docID string, file []byte, params ...Params) error {
	var key string
	if len(params) > 0 {
		key = params[0].IdempotencyKey
	}
	body := map[string]string{"File": base64.StdEncoding.EncodeToString(file)}
	_, err := s.c.do(ctx, request{method: http.MethodPost, path: pathf("/users/%s/kyc/documents/%s/pages", userID, docID),
		body: body, key: key}, nil)
	return err
}

// Submit asks for validation: Status VALIDATION_ASKED
// (PUT /users/{userId}/kyc/documents/{id}). The verdict comes later. After
// a failed attempt the document is read back: one that is no longer
// CREATED was submitted (by this call, or by an earlier one whose answer
// was lost), and Submit returns it.
func (s *KYCService) Submit(ctx context.Context, userID, docID string) (*KYCDocument, error) {
	submitted := func(d *KYCDocument) bool { return d.Status != KYCStatusCreated }
	return put[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents/%s", userID, docID),
		map[string]string{"Status": KYCStatusValidationAsked}, readBack(pathf("/kyc/documents/%s", docID), submitted))
}

// Get reads a document (GET /kyc/documents/{id}).
func (s *KYCService) Get(ctx context.Context, docID string) (*KYCDocument, error) {
	return get[KYCDocument](ctx, s.c, pathf("/kyc/documents/%s", docID))
}

// GetForUser reads a user's document (GET /users/{userId}/kyc/documents/{id}).
func (s *KYCService) GetForUser(ctx context.Context, userID, docID string) (*KYCDocument, error) {
	return get[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents/%s", userID, docID))
}

// ListByUser iterates over a user's documents; opts.Status and opts.Type
// filter (GET /users/{id}/kyc/documents).
func (s *KYCService) ListByUser(ctx context.Context, userID string, opts *ListOptions) iter.Seq2[KYCDocument, error] {
	return listAll[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents", userID), opts)
}

// ListByUserPage reads one page of a user's documents.
func (s *KYCService) ListByUserPage(ctx context.Context, userID string, opts *ListOptions) (*Page[KYCDocument], error) {
	return listPage[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents", userID), opts)
}

// List iterates over every document of the platform (GET /kyc/documents).
func (s *KYCService) List(ctx context.Context, opts *ListOptions) iter.Seq2[KYCDocument, error] {
	return listAll[KYCDocument](ctx, s.c, "/kyc/documents", opts)
}

// KYCDocument is a KYC document.
type KYCDocument struct {
	Type                 string     `json:"Type"`
	UserId               string     `json:"UserId"`
	Flags                []string   `json:"Flags"`
	Id                   string     `json:"Id"`
	Tag                  NullString `json:"Tag"`
	CreationDate         int64      `json:"CreationDate"`
	ProcessedDate        *int64     `json:"ProcessedDate"`
	Status               string     `json:"Status"`
	RefusedReasonType    NullString `json:"RefusedReasonType"`
	RefusedReasonMessage NullString `json:"RefusedReasonMessage"`
}

// KYCDocumentCreateParams creates a KYC document.
type KYCDocumentCreateParams struct {
	Params
	Type string `json:"Type"`
	Tag  string `json:"Tag,omitempty"`
}
