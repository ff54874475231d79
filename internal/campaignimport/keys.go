package campaignimport

import (
	"strconv"
	"strings"
)

// contributionKeys keys the contributions by their transfer's Id, and
// their payers and wallets by theirs: plan keys that stay the same at
// every import, since the Ids do. Keys are unique per section (users,
// wallets, contributions); two Ids that differ only in case or
// punctuation get a -2, -3 suffix in the order the transfers were made.
func contributionKeys(cs []*Contribution) map[string]string {
	keys := map[string]string{}
	used := map[string]map[string]bool{
		"users":         {ownerKey: true},
		"wallets":       {projectKey: true},
		"contributions": {},
	}
	add := func(section, id string) {
		if _, ok := keys[id]; ok {
			return
		}
		base := slug(id)
		k := base
		for n := 2; used[section][k]; n++ {
			k = base + "-" + strconv.Itoa(n)
		}
		used[section][k] = true
		keys[id] = k
	}
	for _, c := range cs {
		add("contributions", c.Transfer.Id)
		add("users", c.Transfer.AuthorId)
		add("wallets", string(c.Transfer.DebitedWalletId))
	}
	return keys
}

// slug turns a MANGOPAY Id into a plan key ([a-z0-9][a-z0-9-]*):
// lower case, any other character a dash.
func slug(id string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if s == "" || s[0] == '-' {
		s = "x" + s
	}
	return s
}
