package plan

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// checker runs the semantic rules on a plan that passed the schema. Every
// rule adds to one error list; nothing stops at the first problem.
type checker struct {
	p    *Plan
	errs *ErrorList
	// clock returns the current time (card expiry); nil means time.Now.
	clock func() time.Time
	// invalid holds, by section ("users"), the keys of the objects the
	// schema refused and left out of p: references to them are not
	// reported (see sections.go).
	invalid map[string]map[string]bool
}

func (c *checker) now() time.Time {
	if c.clock != nil {
		return c.clock()
	}
	return time.Now()
}

// check runs every semantic rule, then, when none failed, expands the
// plan and checks that the step graph has no cycle. invalid lists the
// objects left out of p for their schema errors (nil when none).
func (l *loader) check(p *Plan, invalid map[string]map[string]bool) {
	c := &checker{p: p, errs: &l.errs, invalid: invalid}
	c.users()
	c.wallets()
	c.bankAccounts()
	c.kycDocuments()
	c.cards()
	for _, k := range sortedKeys(p.Campaigns) {
		c.campaign(p.Campaigns[k])
	}
	c.uniqueIDs()
	c.adoption()
	c.production()
	if len(*c.errs) > 0 {
		return
	}
	steps := expand(p)
	graphErrs := checkGraph(steps)
	*c.errs = append(*c.errs, graphErrs...)
	if len(graphErrs) == 0 {
		p.steps.Store(&steps)
	}
}

func (c *checker) errf(path, format string, args ...any) {
	c.errs.Add(c.p.PosOf(path), path, fmt.Sprintf(format, args...))
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// resolve returns the object of a plan map that key names, and reports a
// key that names none, with a suggestion. A key of an object the schema refused, or a near miss
// of one ("alice" when the schema refused the key "Alice"), is not found
// but not reported either: that object's own errors explain it.
func resolve[V any](c *checker, path, what, key string, m map[string]V) (V, bool) {
	v, ok := m[key]
	if ok {
		return v, true
	}
	invalid := c.invalid[sectionOf[what]]
	if invalid[key] {
		return v, false
	}
	near := nearest(key, append(sortedKeys(m), sortedKeys(invalid)...))
	if invalid[near] {
		return v, false
	}
	if near != "" {
		c.errf(path, "unknown %s %q (did you mean %q?)", what, key, near)
	} else {
		c.errf(path, "unknown %s %q", what, key)
	}
	return v, false
}

// currencyOf returns a wallet's currency (the plan's by default).
func (p *Plan) currencyOf(w *Wallet) string {
	if w.Currency != "" {
		return w.Currency
	}
	return p.Currency
}

func (p *Plan) cardCurrency(cd *Card) string {
	if cd.Currency != "" {
		return cd.Currency
	}
	return p.Currency
}

// walletOwner returns the owner user of a wallet, if both exist.
func (p *Plan) walletOwner(key string) (*Wallet, *User) {
	w := p.Wallets[key]
	if w == nil {
		return nil, nil
	}
	return w, p.Users[w.Owner]
}

func (c *checker) wallets() {
	for _, k := range sortedKeys(c.p.Wallets) {
		w := c.p.Wallets[k]
		resolve(c, "wallets."+k+".owner", "user", w.Owner, c.p.Users)
	}
}

// uniqueIDs checks that no MANGOPAY Id is adopted twice: two plan objects
// would then be one MANGOPAY object.
func (c *checker) uniqueIDs() {
	byID := map[string][]string{}
	c.p.eachID(func(path, id string) {
		if id != "" {
			byID[id] = append(byID[id], path)
		}
	})
	for _, id := range sortedKeys(byID) {
		paths := byID[id]
		if len(paths) < 2 {
			continue
		}
		pos := make(map[string]Pos, len(paths))
		for _, path := range paths {
			pos[path] = c.p.PosOf(path)
		}
		sort.Slice(paths, func(i, j int) bool { return posLess(pos[paths[i]], pos[paths[j]]) })
		for _, path := range paths[1:] {
			c.errs.Add(pos[path], path, fmt.Sprintf("id %q is already adopted by %s (line %d): one MANGOPAY object cannot be two plan objects", id, strings.TrimSuffix(paths[0], ".id"), pos[paths[0]].Line))
		}
	}
}

// eachID calls f with the path of every adopted id in the plan.
func (p *Plan) eachID(f func(path, id string)) {
	for k, u := range p.Users {
		f("users."+k+".id", u.ID)
	}
	for k, w := range p.Wallets {
		f("wallets."+k+".id", w.ID)
	}
	for k, b := range p.BankAccounts {
		f("bank_accounts."+k+".id", b.ID)
	}
	for k, d := range p.KYCDocuments {
		f("kyc_documents."+k+".id", d.ID)
	}
	for k, cd := range p.Cards {
		f("cards."+k+".id", cd.ID)
	}
	for k, cp := range p.Campaigns {
		if cp.Payout != nil {
			f("campaigns."+k+".payout.id", cp.Payout.ID)
		}
		for i, x := range cp.Contributions {
			if x.PayIn != nil {
				f(contributionPath(cp, i)+".payin.id", x.PayIn.ID)
			}
			if x.Transfer != nil {
				f(contributionPath(cp, i)+".transfer.id", x.Transfer.ID)
			}
		}
	}
}

func posLess(a, b Pos) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// adoption checks that an adopted object (with id) belongs to an adopted
// user: an object that already exists on MANGOPAY cannot belong to a user
// settle has yet to create.
func (c *checker) adoption() {
	check := func(path, what, id, userKey string) {
		if u := c.p.Users[userKey]; id != "" && u != nil && u.ID == "" {
			c.errf(path+".id", "this %s is adopted but its user %q is not: an existing %s belongs to an existing user, so adopt the user too (id: ...)", what, userKey, what)
		}
	}
	for _, k := range sortedKeys(c.p.Wallets) {
		check("wallets."+k, "wallet", c.p.Wallets[k].ID, c.p.Wallets[k].Owner)
	}
	for _, k := range sortedKeys(c.p.BankAccounts) {
		check("bank_accounts."+k, "bank account", c.p.BankAccounts[k].ID, c.p.BankAccounts[k].Owner)
	}
	for _, k := range sortedKeys(c.p.KYCDocuments) {
		check("kyc_documents."+k, "KYC document", c.p.KYCDocuments[k].ID, c.p.KYCDocuments[k].User)
	}
	for _, k := range sortedKeys(c.p.Cards) {
		check("cards."+k, "card", c.p.Cards[k].ID, c.p.Cards[k].User)
	}
}

// production refuses sandbox-only things in a plan that demands the
// production target.
func (c *checker) production() {
	if c.p.Target != "production" {
		return
	}
	for _, e := range c.p.SandboxOnly() {
		c.errs.Add(e.Pos, e.Path, fmt.Sprintf("the plan targets production: %s", e.Msg))
	}
}
