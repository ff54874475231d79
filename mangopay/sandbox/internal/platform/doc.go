// Package platform is the HTTP platform the MANGOPAY emulator's resources
// run on. It owns everything a request meets before and after a resource
// handler, and knows no resource (but for the card-registration JS kit's
// form POST, which it answers as the PUT route it stands for, jskit.go):
//
//   - routing below /v2.01/{ClientId} (any case, V2_01 and v2 aliases,
//     trailing slash and whitespace tolerated, empty segments dropped; 404
//     and 405 bodies, and 404 before auth for a path without a ClientId);
//   - the request pipeline: OAuth tokens and Basic credentials, the
//     rate-limit windows and their headers, the Idempotency-Key check and
//     store (with GET /responses/{key}), injected faults, body limits, then
//     the handler under the state lock;
//   - MANGOPAY's error bodies and the renderers of handler results (JSON,
//     text, paginated lists with Link headers);
//   - the request counters, and the clock (with its admin offset);
//   - the state log: an append-only file of JSON lines, one per change of
//     an object, replayed and compacted at startup, and [API.Commit], the one
//     way state changes (lock, run the due work and the change, release,
//     then fsync before answering): the pipeline runs every handler in one,
//     the resources their browser pages, admin calls and seeds.
//
// The resources (package sandbox) register handlers with [API.Handle]; a
// handler gets a [Call] and returns a status and a body, which is a value to
// marshal, a [List], a [Text] or an [*Error]. Handlers run with the lock held
// that the resources hand over in [Config.Lock], so they read and change the
// state freely, and record each change with [API.Save].
//
// A new API endpoint is a resource route, registered by package sandbox; a
// change here is a change of what every endpoint does.
package platform
