// Package mangopay is a typed client for the MANGOPAY REST API v2.01, the
// part of it that crowdfunding needs: users, wallets, bank accounts and
// Recipients, KYC documents and identity verification sessions, cards,
// pay-ins, transfers, refunds, payouts, transactions, events, hooks, the
// SCA of users and idempotent responses. Each resource's file holds its
// service, its wire types and the params of its calls; the client itself
// is in config.go, client.go (the call: send, retry, decode), retry.go
// (the one retry policy), responses.go (idempotent replays), auth.go,
// access.go (SCA and access refusals), governor.go (rate limits) and
// transport.go (HTTP, mTLS and base URLs).
//
// One [Client] serves many goroutines. It authenticates with OAuth 2.0
// client credentials (or Basic), retries what is safe to retry (see
// [retryPolicy.shouldRetry], the one decision, and [Client.do], the one
// loop, which the token request and the lookup of a stored answer go
// through too), resolves reused idempotency keys through
// GET /responses/{key}, and shares one rate-limit governor between all
// its callers so that no window of MANGOPAY's limits runs out.
//
// Functional failures (HTTP 200 with Status FAILED) come back as the
// object with its ResultCode; only non-2xx answers are errors, as [*Error]
// (see [Transaction.Err] to turn a failure into an error).
//
// A POST is made safe to retry by an Idempotency-Key ([Params]); without
// one, a POST is not retried after a transport error or a 5xx. A POST
// with a key answered 409 idempotent_creation_conflict, on a retry or on
// its first attempt because an earlier run used the key and lost the
// answer, is resolved with GET /responses/{key}: the call returns the
// original resource, or the original error. That is how a caller resumes
// a write whose outcome it does not know: send it again with the same key.
// A PUT carries no key. An update that sets fields (users, wallets,
// hooks) is sent again as it is after a lost answer; a state change
// (submit a KYC document, finish a card registration, deactivate a
// recipient) is first read back, and the call succeeds with the object
// when the change took effect; any other PUT is retried only after a 429
// (see [retryPolicy.shouldRetry]).
//
// MANGOPAY refuses some calls for want of the user rather than of the
// platform: a 401 with "WWW-Authenticate: PendingUserAction RedirectUrl="
// is [ErrSCARequired] (the user must authenticate; the token is fine and
// is not renewed), a 403 is [ErrProxyConsent] or [ErrIPNotAllowed]; each
// error says what to do. With [Config.ClientCertificate] every call,
// OAuth included, presents an mTLS certificate to the api-mtls hosts.
//
// The package imports only the standard library.
package mangopay
