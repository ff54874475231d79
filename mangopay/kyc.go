package mangopay

import (
	"context"
	"encoding/base64"
	"iter"
	"net/http"
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
// (PUT /users/{userId}/kyc/documents/{id}). The verdict comes later.
func (s *KYCService) Submit(ctx context.Context, userID, docID string) (*KYCDocument, error) {
	return put[KYCDocument](ctx, s.c, pathf("/users/%s/kyc/documents/%s", userID, docID),
		map[string]string{"Status": KYCStatusValidationAsked})
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
