package plan

import (
	"strconv"
	"time"

	"settle/internal/checksum"
)

// cards checks each card: its user, its number's check digit, its expiry.
func (c *checker) cards() {
	for _, k := range sortedKeys(c.p.Cards) {
		cd := c.p.Cards[k]
		path := "cards." + k
		resolve(c, path+".user", "user", cd.User, c.p.Users)
		if cd.Number != "" && !checksum.Luhn(cd.Number) {
			c.errf(path+".number", "is not a valid card number (the Luhn check digit is wrong)")
		}
		if cd.Expiry != "" {
			c.cardExpiry(path+".expiry", cd.Expiry, c.now())
		}
	}
}

// cardExpiry reports a card whose expiry (MM/YY, the schema checked the
// form) is over: MANGOPAY refuses to register it. A card is valid until
// the end of its expiry month.
func (c *checker) cardExpiry(path, expiry string, now time.Time) {
	if len(expiry) != 5 {
		return
	}
	mm, err1 := strconv.Atoi(expiry[:2])
	yy, err2 := strconv.Atoi(expiry[3:])
	if err1 != nil || err2 != nil {
		return
	}
	end := time.Date(2000+yy, time.Month(mm)+1, 1, 0, 0, 0, 0, time.UTC)
	if !now.Before(end) {
		c.errf(path, "the card expired at the end of %s: use a card with a future expiry", expiry)
	}
}
