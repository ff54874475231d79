package mangopay

import "net/http"

// InProcessTransport serves requests with h in process (no network), so
// that tests in package mangopay_test can run a client against the
// sandbox inside a testing/synctest bubble.
func InProcessTransport(h http.Handler) http.RoundTripper { return handlerTransport{h} }
