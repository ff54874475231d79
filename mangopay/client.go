package mangopay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the client's version, sent in the User-Agent.
const Version = "0.1.0"

// maxBody caps how much of a response the client reads.
const maxBody = 32 << 20

// Client is a MANGOPAY API client. It is safe for concurrent use; share
// one per set of credentials so that its token and rate-limit governor
// are shared too.
type Client struct {
	Users             *UserService
	Wallets           *WalletService
	ClientWallets     *ClientWalletService
	BankAccounts      *BankAccountService
	KYC               *KYCService
	CardRegistrations *CardRegistrationService
	Cards             *CardService
	PayIns            *PayInService
	Transfers         *TransferService
	Refunds           *RefundService
	PayOuts           *PayOutService
	Transactions      *TransactionService
	Events            *EventService
	Hooks             *HookService
	Responses         *ResponseService
	// Recipients, SCA and IdentityVerifications are the 2025-2026
	// endpoints: bank accounts as Recipients, the SCA of users, and hosted
	// identity checks.
	Recipients            *RecipientService
	SCA                   *SCAService
	IdentityVerifications *IdentityVerificationService

	clientID  string
	creds     *credentials // behind a pointer so that printing a Client value shows an address, not the key
	baseURL   string       // scheme://host[:port], no trailing slash
	apiRoot   string       // baseURL + "/v2.01/" + ClientID
	auth      AuthMode
	hc        *http.Client
	log       *slog.Logger
	userAgent string
	scaUsers  bool
	retry     retryPolicy
	tokens    *tokenSource
	gov       *governor
}

// NewClient checks cfg and returns a client. It makes no network call.
func NewClient(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.APIKey == "" {
		return nil, errors.New("mangopay: ClientID and APIKey are required")
	}
	if cfg.Auth != AuthOAuth && cfg.Auth != AuthBasic {
		return nil, fmt.Errorf("mangopay: unknown auth mode %d", cfg.Auth)
	}
	base := cfg.BaseURL
	if base == "" {
		base = BaseURL(EnvSandbox, cfg.ClientCertificate != nil)
	}
	base, err := checkBaseURL(base)
	if err != nil {
		return nil, err
	}
	c := &Client{
		clientID:  cfg.ClientID,
		creds:     &credentials{basic: basicHeader(cfg.ClientID, cfg.APIKey)},
		baseURL:   base,
		apiRoot:   base + "/v2.01/" + url.PathEscape(cfg.ClientID),
		auth:      cfg.Auth,
		hc:        cfg.HTTPClient,
		log:       cfg.Logger,
		userAgent: strings.TrimSpace(cfg.UserAgent + " settle-mangopay-go/" + Version),
		scaUsers:  cfg.SCAUserRoutes,
		retry:     newRetryPolicy(cfg),
		gov:       newGovernor(),
	}
	if c.hc == nil {
		c.hc = NewHTTPClient(0)
	}
	if cfg.ClientCertificate != nil {
		if c.hc, err = withClientCertificate(c.hc, cfg.ClientCertificate); err != nil {
			return nil, err
		}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.tokens = &tokenSource{c: c, now: time.Now}
	c.initServices()
	return c, nil
}

// initServices wires the service fields.
func (c *Client) initServices() {
	c.Users = &UserService{c}
	c.Wallets = &WalletService{c}
	c.ClientWallets = &ClientWalletService{c}
	c.BankAccounts = &BankAccountService{c}
	c.KYC = &KYCService{c}
	c.CardRegistrations = &CardRegistrationService{c}
	c.Cards = &CardService{c}
	c.PayIns = &PayInService{c}
	c.Transfers = &TransferService{c}
	c.Refunds = &RefundService{c}
	c.PayOuts = &PayOutService{c}
	c.Transactions = &TransactionService{c}
	c.Events = &EventService{c}
	c.Hooks = &HookService{c}
	c.Responses = &ResponseService{c}
	c.Recipients = &RecipientService{c}
	c.SCA = &SCAService{c}
	c.IdentityVerifications = &IdentityVerificationService{c}
}

// RateLimit returns a snapshot of the rate-limit governor, for progress
// displays.
func (c *Client) RateLimit() RateLimitState { return c.gov.state() }

// request is one API call before it is sent.
type request struct {
	class  callClass
	method string
	path   string // relative to /v2.01/{ClientId} (to /v2.01 for the token call), starting with "/"
	query  url.Values
	body   any        // JSON-encoded when not nil
	form   url.Values // sent form-encoded instead of body (the token call)
	key    string     // Idempotency-Key, "" for none
	repeat putRepeat  // for a PUT: whether it may be sent again
}

// response is one attempt's answer, its body already read.
type response struct {
	http   *http.Response // body closed
	body   []byte
	authUp string // the Authorization value that was sent
}

// do runs a call with retries and decodes a 2xx answer into out (when not
// nil). It returns the final answer's headers (for list paging). It is the
// one retry loop of the client: [retryPolicy.shouldRetry] decides whether,
// why and how long to wait, for resource calls, the token request
// ([tokenSource.fetch]) and the lookup of a conflict's stored answer
// ([Client.resolveConflict]) alike.
//
// A POST with an Idempotency-Key that is answered 409
// idempotent_creation_conflict, whether on a retry or on the first attempt
// (the key was used by an earlier run that lost its answer), is resolved
// with GET /responses/{key}: the original resource is decoded into out, or,
// when the original answer was itself an error, that error is returned.
// This is how a caller resumes a write whose outcome it does not know.
func (c *Client) do(ctx context.Context, r request, out any) (http.Header, error) {
	op := r.method + " " + r.path
	if r.key != "" && !ValidIdempotencyKey(r.key) {
		return nil, fmt.Errorf("mangopay: %s: invalid Idempotency-Key %q: want 16 to 36 characters of [A-Za-z0-9-]", op, r.key)
	}
	scaQuery(ctx, &r)
	body, err := r.encode()
	if err != nil {
		return nil, fmt.Errorf("mangopay: %s: encoding the request: %w", op, err)
	}
	reauthed := false
	retries, limited := 0, 0
	for n := 1; ; n++ {
		req, res, err := c.send(ctx, &r, body, n)
		if res != nil && c.mustReauth(&r, res, reauthed) {
			reauthed = true
			c.tokens.invalidate(res.authUp)
			continue
		}
		if res != nil && r.key != "" && r.method == http.MethodPost && isConflict(res) {
			return nil, c.resolveConflict(ctx, r, newError(res.http.StatusCode, res.body), out)
		}
		if c.tookEffect(ctx, &r, res, err, out) {
			return nil, nil
		}
		a := attempt{class: r.class, req: req, res: res, err: err, put: r.repeat, retries: retries, limited: limited}
		a.govWaits = a.status() == http.StatusTooManyRequests && c.gov.limited()
		d := c.retry.shouldRetry(a)
		if !d.retry {
			if st := a.status(); ctx.Err() != nil && (err != nil || st >= 500 || st == http.StatusTooManyRequests) {
				return nil, fmt.Errorf("mangopay: %s: %w", op, ctx.Err())
			}
			return c.finish(&r, body, res, err, out)
		}
		if d.rateLimited {
			limited++
		} else {
			retries++
		}
		if err := c.waitRetry(ctx, &r, n, d); err != nil {
			return nil, fmt.Errorf("mangopay: %s: %w (after: %s)", op, err, d.reason)
		}
	}
}

// encode returns the body as sent: the form when there is one, else the
// JSON of body, else none.
func (r *request) encode() ([]byte, error) {
	switch {
	case r.form != nil:
		return []byte(r.form.Encode()), nil
	case r.body != nil:
		return json.Marshal(r.body)
	}
	return nil, nil
}

// tookEffect reads back a PUT whose attempt failed, when the PUT has a
// read-back: a change that took effect (in this attempt, whose answer was
// lost, or in an earlier one, so that this one was refused) makes the call
// succeed with the object read. A 429 was refused before acting, and after
// cancellation nothing more is sent.
func (c *Client) tookEffect(ctx context.Context, r *request, res *response, err error, out any) bool {
	if r.repeat.readBack == nil || ctx.Err() != nil {
		return false
	}
	if err == nil && (res.http.StatusCode/100 == 2 || res.http.StatusCode == http.StatusTooManyRequests) {
		return false
	}
	if !r.repeat.readBack(ctx, c, out) {
		return false
	}
	c.log.LogAttrs(ctx, slog.LevelInfo, "mangopay put read back",
		slog.String("method", r.method), slog.String("path", r.path))
	return true
}

// finish turns the last attempt of r, sent with body, into the call's
// result.
func (c *Client) finish(r *request, body []byte, res *response, err error, out any) (http.Header, error) {
	op := r.method + " " + r.path
	if err != nil {
		return nil, fmt.Errorf("mangopay: %s: %w", op, err)
	}
	st := res.http.StatusCode
	if st < 200 || st > 299 {
		return res.http.Header, classifyAccess(newError(st, res.body), res.http.Header, r.notPresent(body))
	}
	if out != nil && len(bytes.TrimSpace(res.body)) > 0 {
		if err := json.Unmarshal(res.body, out); err != nil {
			return res.http.Header, fmt.Errorf("mangopay: %s: decoding the answer: %w", op, err)
		}
	}
	return res.http.Header, nil
}

// send makes one attempt: authenticate, reserve rate-limit budget, send,
// read the body, report the headers back to the governor, log.
func (c *Client) send(ctx context.Context, r *request, body []byte, attempt int) (*http.Request, *response, error) {
	authz, err := c.authorization(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	release, err := c.reserve(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	req, err := c.newRequest(ctx, r, body, authz)
	if err != nil {
		release(nil, 0)
		return nil, nil, err
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		release(nil, 0)
		c.logAttempt(ctx, r, 0, attempt, time.Since(start))
		return req, nil, err
	}
	data, err := readBody(resp)
	resp.Body.Close()
	release(resp.Header, resp.StatusCode)
	c.logAttempt(ctx, r, resp.StatusCode, attempt, time.Since(start))
	if err != nil {
		return req, nil, err
	}
	return req, &response{http: resp, body: data, authUp: authz}, nil
}

// reserve holds rate-limit budget for one attempt of r and returns what
// gives it back. The token call holds none: the governor only learns from
// its answer's headers.
func (c *Client) reserve(ctx context.Context, r *request) (func(http.Header, int), error) {
	if r.class == tokenCall {
		return func(h http.Header, _ int) { c.gov.observe(h) }, nil
	}
	return c.gov.acquire(ctx)
}

// readBody reads the answer's body, at most maxBody bytes: in a buffer of
// its exact size when the length is known, which spares io.ReadAll's
// growing and copying on 100-item list pages.
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= maxBody {
		buf := make([]byte, n)
		_, err := io.ReadFull(resp.Body, buf)
		return buf, err
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxBody))
}

// newRequest builds the HTTP request of one attempt.
func (c *Client) newRequest(ctx context.Context, r *request, body []byte, authz string) (*http.Request, error) {
	u := c.apiRoot + r.path
	if r.class == tokenCall {
		u = c.baseURL + "/v2.01" + r.path
	}
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", authz)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	switch {
	case r.form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case body != nil:
		req.Header.Set("Content-Type", "application/json")
	}
	if r.key != "" {
		req.Header.Set("Idempotency-Key", r.key)
	}
	return req, nil
}

// logAttempt writes the Debug record of one attempt; status 0 means no
// answer. The Authorization header is never logged.
func (c *Client) logAttempt(ctx context.Context, r *request, status, attempt int, d time.Duration) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "mangopay request",
		slog.String("method", r.method), slog.String("path", r.path), slog.Int("status", status),
		slog.Int("attempt", attempt), slog.Duration("duration", d), slog.String("idempotency_key", r.key))
}

// errNoParams is returned when a write is given nil params.
var errNoParams = errors.New("mangopay: params must not be nil")

// pathf formats a path, escaping every id argument.
func pathf(format string, ids ...string) string {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = url.PathEscape(id)
	}
	return fmt.Sprintf(format, args...)
}

// call runs r and decodes its answer into a new T.
func call[T any](ctx context.Context, c *Client, r request) (*T, error) {
	v := new(T)
	if _, err := c.do(ctx, r, v); err != nil {
		return nil, err
	}
	return v, nil
}

// get reads one object.
func get[T any](ctx context.Context, c *Client, path string) (*T, error) {
	return call[T](ctx, c, request{method: http.MethodGet, path: path})
}

// post creates an object; key is the Idempotency-Key ("" for none).
func post[T any](ctx context.Context, c *Client, path string, body any, key string) (*T, error) {
	return call[T](ctx, c, request{method: http.MethodPost, path: path, body: body, key: key})
}

// put updates an object; repeat says whether the PUT may be sent again
// after an answer that leaves its outcome unknown.
func put[T any](ctx context.Context, c *Client, path string, body any, repeat putRepeat) (*T, error) {
	return call[T](ctx, c, request{method: http.MethodPut, path: path, body: body, repeat: repeat})
}
