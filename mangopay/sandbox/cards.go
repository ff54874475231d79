package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"settle/mangopay"
	"settle/mangopay/sandbox/internal/platform"
)

// cardRec is a stored card. Number and CVV stay inside the sandbox: they
// choose the test behaviour (3DS challenge cards, CVV 999) of pay-ins.
type cardRec struct {
	Seq    int64         `json:"Seq"`
	C      mangopay.Card `json:"C"`
	Number string        `json:"Number"`
	CVV    string        `json:"CVV"`
}

func (s *Server) putCard(k *cardRec) {
	s.st.putCard(k)
	s.save("card", k.C.Id, k)
}

// putCard stores a card; a new card still UNKNOWN is queued for the
// 24-hour validity deadline (restored cards too, so a restart keeps it).
func (st *state) putCard(k *cardRec) {
	st.seen(k.Seq)
	if st.cards.put(k.C.Id, k.Seq, k) {
		st.userCards.add(k.C.UserId, k.C.Id, k.Seq)
		if k.C.Validity == validityUnknown {
			st.pendingCards = addPending(st.pendingCards, pending{ID: k.C.Id, Due: validityDue(k.C.CreationDate)})
		}
	}
}

// cardProvider guesses the network from the number's prefix.
func cardProvider(number, cardType string) string {
	switch cardType {
	case "AMEX", "MAESTRO", "BCMC":
		return cardType
	}
	switch {
	case strings.HasPrefix(number, "34"), strings.HasPrefix(number, "37"):
		return "AMEX"
	case strings.HasPrefix(number, "4"):
		return "VISA"
	case number[0] == '5' && number[1] >= '1' && number[1] <= '5', strings.HasPrefix(number, "2"):
		return "MASTERCARD"
	case strings.HasPrefix(number, "35"):
		return "JCB"
	case strings.HasPrefix(number, "6011"), strings.HasPrefix(number, "65"):
		return "DISCOVER"
	case strings.HasPrefix(number, "5"), strings.HasPrefix(number, "6"), strings.HasPrefix(number, "3"):
		return "MAESTRO"
	}
	return "CB"
}

// alias masks a number: first 6 digits, Xs, last 4.
func alias(number string) string {
	return number[:6] + strings.Repeat("X", len(number)-10) + number[len(number)-4:]
}

// fingerprint is 32 hex characters, the same for the same number.
func fingerprint(number string) string {
	sum := sha256.Sum256([]byte("settle-sandbox-card:" + number))
	return hex.EncodeToString(sum[:16])
}

// newCard creates the card of a finished registration.
func (s *Server) newCard(now time.Time, r *cardRegRec, t *cardTokenRec, holder string) *cardRec {
	k := &cardRec{Seq: s.st.nextSeq(), Number: t.Number, CVV: t.CVV, C: mangopay.Card{
		ExpirationDate: t.Expiry, Alias: alias(t.Number), CardType: r.R.CardType,
		CardProvider: cardProvider(t.Number, r.R.CardType), Country: "FRA", Product: "I", BankCode: "unknown",
		Active: true, Currency: r.R.Currency, Validity: validityUnknown, UserId: r.R.UserId, Id: s.newID("card_m_"),
		Tag: r.R.Tag, CreationDate: now.Unix(), Fingerprint: fingerprint(t.Number),
		CardHolderName: mangopay.NullString(holder),
	}}
	s.putCard(k)
	return k
}

// card finds a card or answers the 404.
func (s *Server) card(id string) (*cardRec, *apiError) {
	k, ok := s.st.cards.get(id)
	if !ok {
		return nil, errNotFound("Card", id)
	}
	return k, nil
}

// getCard is GET /cards/{id}.
func (s *Server) getCard(c *call) (int, any) {
	k, e := s.card(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	return 200, &k.C
}

// listUserCards is GET /users/{id}/cards with the Active filter.
func (s *Server) listUserCards(c *call) (int, any) {
	if _, e := s.user(c.Params["id"]); e != nil {
		return c.fail(e)
	}
	active, set, e := c.BoolFilter("Active")
	if e != nil {
		return c.fail(e)
	}
	var out []*mangopay.Card
	for _, id := range s.st.userCards.ids(c.Params["id"]) {
		k := s.st.cards.m[id]
		if !set || k.C.Active == active {
			out = append(out, &k.C)
		}
	}
	return 200, platform.NewList(out, func(k *mangopay.Card) int64 { return k.CreationDate })
}

// updateCard is PUT /cards/{id}: {"Active":false} deactivates for good;
// CardHolderName can be set once.
func (s *Server) updateCard(c *call) (int, any) {
	k, e := s.card(c.Params["id"])
	if e != nil {
		return c.fail(e)
	}
	var req struct {
		Active         *bool
		CardHolderName *string
	}
	if e := c.decodeBody(&req); e != nil {
		return c.fail(e)
	}
	nk := *k
	if req.CardHolderName != nil {
		holder := strings.TrimSpace(*req.CardHolderName)
		if k.C.CardHolderName != "" {
			return c.fail(errField("cardHolderName", "card holder name already exists"))
		}
		if e := checkCardHolderName(holder); e != nil {
			return c.fail(e)
		}
		nk.C.CardHolderName = mangopay.NullString(holder)
	}
	if req.Active != nil {
		switch {
		case !*req.Active && !k.C.Active:
			return c.fail(errAction("card_already_not_active", "The card has already been deactivated"))
		case *req.Active && !k.C.Active:
			return c.fail(errAction("invalid_action", "A deactivated card cannot be reactivated"))
		}
		nk.C.Active = *req.Active
	}
	s.putCard(&nk)
	return 200, &nk.C
}

// setValidity moves a card out of UNKNOWN: VALID after a first payment
// that succeeds, INVALID after one that fails or when the card has sat
// unused past its deadline. VALID and INVALID are final.
func (s *Server) setValidity(cardID string, ok bool) {
	k, found := s.st.cards.get(cardID)
	if !found || k.C.Validity != validityUnknown {
		return
	}
	nk := *k
	if ok {
		nk.C.Validity = validityValid
	} else {
		nk.C.Validity = validityInvalid
	}
	s.putCard(&nk)
}
