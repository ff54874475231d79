// Package sandbox emulates the MANGOPAY v2.01 API for the crowdfunding flow:
// an http.Handler over an in-memory ledger, optionally persisted to a folder.
// It is settle's default target and is faithful enough that MANGOPAY's
// official SDKs cannot tell it from api.sandbox.mangopay.com.
//
// This package owns what MANGOPAY's objects are and do: the resources
// (users, wallets, bank accounts and recipients, KYC documents and identity
// verification sessions, cards, pay-ins, transfers, refunds, payouts, hooks,
// events) with their validation and asynchronous life
// (routes.go lists every route and the decisions taken where MANGOPAY's
// documentation is silent), the ledger that keeps the money exact, the
// restore of every record, seeding, how request bodies bind (bind.go), the
// browser pages (tokenization, 3DS, SCA enrolment and consent, the SCA of a
// recipient, a transfer or a wallet read, the hosted identity verification,
// the card web pay-in's payment page), the back office (backoffice.go: what
// MANGOPAY's people do by hand) offered by the admin API under /sandbox/ and
// by the dashboard under /dashboard/ (dashboard.go). Everything a request
// meets before and after a resource handler (routing, auth, rate limits,
// faults, idempotency, error bodies, rendering, the state log and its
// Commit) is the platform's, in internal/platform.
//
// A new endpoint goes here: a handler in the file of its resource,
// registered in routes.go, its records saved with s.save and restored in
// restore.go. A new operator action is one backofficeAction (both front
// ends get it); a new kind of wait is one more queue in queues
// (dashboard_queues.go). [Open] and [Server.Serve] are the one way to run a
// sandbox on a state folder; tests wrap [New] in httptest.NewServer.
package sandbox
