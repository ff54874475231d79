package sandbox

import (
	"time"
)

// Card Validity (shared/mangopay-api.md §7.4). A card is UNKNOWN until its
// first payment. That payment makes it VALID when it succeeds within
// validityWindow of the card's registration (the card's CreationDate, set
// when PUT /cardregistrations/{id} creates it), INVALID when it fails; a
// card still unused when the window is over becomes INVALID. INVALID is
// final: pay-ins with the card then FAIL with 101410, the code MANGOPAY's
// error page gives for a card left without a successful pay-in for 24 h
// (see decidePayin). The deadline follows the sandbox clock, so
// POST /sandbox/clock/advance can trigger it; it is checked by advance
// before every request, like KYC verdicts and payouts.

// Card Validity values.
const (
	validityUnknown = "UNKNOWN"
	validityValid   = "VALID"
	validityInvalid = "INVALID"
)

// validityWindow is how long a new card may wait for its first payment.
const validityWindow = 24 * time.Hour

// validityDue is the Unix-nanosecond deadline of a card created at created
// (Unix seconds): the first instant "more than 24 h" after registration.
func validityDue(created int64) int64 {
	return time.Unix(created, 0).Add(validityWindow).UnixNano() + 1
}

// advanceCards makes INVALID every card still UNKNOWN past its deadline.
// Cards that were paid with meanwhile are skipped (setValidity only
// changes UNKNOWN cards). Called with s.mu held.
func (s *Server) advanceCards(now time.Time) {
	for id := range popDue(&s.st.pendingCards, now) {
		s.setValidity(id, false)
	}
}
