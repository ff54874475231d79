package mangopay

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// CardRegistrationService registers cards: create a registration, tokenize
// the card at the registration's URL, then update the registration with
// the tokenizer's answer.
type CardRegistrationService struct{ c *Client }

// Create starts a registration (POST /cardregistrations).
func (s *CardRegistrationService) Create(ctx context.Context, p *CardRegistrationCreateParams) (*CardRegistration, error) {
	if p == nil {
		return nil, errNoParams
	}
	return post[CardRegistration](ctx, s.c, "/cardregistrations", p, p.IdempotencyKey)
}

// Update finishes a registration with RegistrationData
// (PUT /cardregistrations/{id}). A refused card is not an error: the
// registration comes back with Status ERROR and a ResultCode. After a
// failed attempt the registration is read back: one that holds a CardId,
// or is no longer CREATED, was finished (by this call, or by an earlier
// one whose answer was lost), and Update returns it.
func (s *CardRegistrationService) Update(ctx context.Context, id string, p *CardRegistrationUpdateParams) (*CardRegistration, error) {
	if p == nil {
		return nil, errNoParams
	}
	finished := func(r *CardRegistration) bool { return r.CardId != "" || r.Status != StatusCreated }
	return put[CardRegistration](ctx, s.c, pathf("/cardregistrations/%s", id), p,
		readBack(pathf("/cardregistrations/%s", id), finished))
}

// Get reads a registration (GET /cardregistrations/{id}).
func (s *CardRegistrationService) Get(ctx context.Context, id string) (*CardRegistration, error) {
	return get[CardRegistration](ctx, s.c, pathf("/cardregistrations/%s", id))
}

// Tokenize posts card details to reg.CardRegistrationURL, as MANGOPAY's
// browser kit does, and returns the tokenizer's plain-text answer
// unchanged ("data=..." or "errorCode=..."), to pass as RegistrationData
// to [CardRegistrationService.Update]. expiry is MMYY.
//
// In production this step belongs in the cardholder's browser; a server
// should call it only with test cards, against a sandbox. The request
// carries no credentials; the card number is never logged.
func (s *CardRegistrationService) Tokenize(ctx context.Context, reg *CardRegistration, cardNumber, expiry, cvx string) (string, error) {
	if reg == nil || reg.CardRegistrationURL == "" {
		return "", fmt.Errorf("mangopay: tokenize: the registration has no CardRegistrationURL")
	}
	u, err := url.Parse(reg.CardRegistrationURL)
	if err != nil {
		return "", fmt.Errorf("mangopay: tokenize: CardRegistrationURL: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return "", fmt.Errorf("mangopay: tokenize: CardRegistrationURL: %w", err)
	}
	form := url.Values{
		"data":               {reg.PreregistrationData},
		"accessKeyRef":       {reg.AccessKey},
		"cardNumber":         {cardNumber},
		"cardExpirationDate": {expiry},
		"cardCvx":            {cvx},
	}
	return s.postForm(ctx, u.String(), form.Encode())
}

// postForm sends the tokenization form and reads the text answer.
func (s *CardRegistrationService) postForm(ctx context.Context, target, form string) (string, error) {
	c := s.c
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form))
	if err != nil {
		return "", fmt.Errorf("mangopay: tokenize: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", c.userAgent)
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("mangopay: tokenize: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	c.logAttempt(ctx, &request{method: http.MethodPost, path: "(tokenization)"}, resp.StatusCode, 1, time.Since(start))
	if err != nil {
		return "", fmt.Errorf("mangopay: tokenize: reading the answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("mangopay: tokenize: the tokenizer answered %d", resp.StatusCode)
	}
	return string(body), nil
}

// CardRegistration is the first step of registering a card.
type CardRegistration struct {
	Id                  string     `json:"Id"`
	Tag                 NullString `json:"Tag"`
	CreationDate        int64      `json:"CreationDate"`
	UserId              string     `json:"UserId"`
	AccessKey           string     `json:"AccessKey"`
	PreregistrationData string     `json:"PreregistrationData"`
	RegistrationData    NullString `json:"RegistrationData"`
	CardId              NullString `json:"CardId"`
	CardType            string     `json:"CardType"`
	CardRegistrationURL string     `json:"CardRegistrationURL"`
	ResultCode          NullString `json:"ResultCode"`
	ResultMessage       NullString `json:"ResultMessage"`
	Currency            string     `json:"Currency"`
	Status              string     `json:"Status"`
}

// CardRegistrationCreateParams starts a card registration.
type CardRegistrationCreateParams struct {
	Params
	UserId   string `json:"UserId"`
	Currency string `json:"Currency"`
	CardType string `json:"CardType,omitempty"`
	Tag      string `json:"Tag,omitempty"`
}

// CardRegistrationUpdateParams finishes a card registration with the
// tokenizer's answer, prefix included ("data=..." or "errorCode=...").
type CardRegistrationUpdateParams struct {
	RegistrationData string `json:"RegistrationData"`
	CardHolderName   string `json:"CardHolderName,omitempty"`
}
