package executor

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
)

// Idempotency keys.
//
// A key is a function of the plan name, the step key, the part of the step
// (a step such as a KYC document makes several POSTs: "create", "page-1",
// ...), the canonical request body, and the step's generation. It is
// shaped like a UUID: 36 characters of [0-9a-f-], within MANGOPAY's rule of
// 16 to 36 characters of [A-Za-z0-9-].
//
// Why the body: a plan edited between runs (another amount) must not reuse
// the key of a different request, which MANGOPAY would answer with 409 and
// the old outcome.
//
// Why the generation: MANGOPAY burns a key for 24 h whatever the first
// call's outcome, and answers a reuse with 409 and, through
// GET /responses/{key}, the first outcome. A step that failed definitively
// (a FAILED transfer for want of balance, a final 4xx) and is run again
// after the operator fixed the cause would otherwise get the same key and
// the same old failure. So the generation moves past definitive failures:
// it starts at the number of FAILED transactions found carrying the
// step's Tag, and a key whose stored first answer is a definitive failure
// (a 4xx leaves no object to count) is walked past (attempt.create). It
// never comes from the journal: two runs of a plan with different
// journals must derive the same key for the same movement. An attempt
// whose outcome is unknown (in doubt) does not count: its retry reuses
// its journalled key, so that MANGOPAY, not a guess, says whether it
// happened.
func idempotencyKey(planName, stepKey, part string, body any, gen int) (string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("executor: canonical body of %s: %w", stepKey, err)
	}
	h := sha256.New()
	for _, s := range []string{planName, stepKey, part, strconv.Itoa(gen)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(b)
	x := hex.EncodeToString(h.Sum(nil))[:32]
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:], nil
}
