package plan

import (
	"strconv"
	"strings"
)

// campaign checks one campaign: its references and roles, its outcome, and
// its money.
func (c *checker) campaign(cp *Campaign) {
	path := "campaigns." + cp.Key
	pw, powner := c.projectWallet(cp, path)
	c.outcome(cp, path)
	if cp.Payout != nil {
		c.payout(cp, path, pw)
	}
	seen := map[string]int{}
	for i, x := range cp.Contributions {
		xp := contributionPath(cp, i)
		if j, dup := seen[x.Key]; dup {
			c.errf(xp+".key", "contribution key %q is already used in this campaign (line %d)", x.Key, cp.Contributions[j].Pos.Line)
		} else {
			seen[x.Key] = i
		}
		c.contribution(cp, x, xp, pw, powner)
	}
	c.money(cp, path)
}

// projectWallet checks the campaign's wallet: it exists and belongs to an
// owner.
func (c *checker) projectWallet(cp *Campaign, path string) (*Wallet, *User) {
	w, ok := c.resolveWallet(path+".wallet", cp.Wallet, "")
	if !ok {
		return nil, nil
	}
	u := c.p.Users[w.Owner]
	if u != nil && u.Category != "owner" {
		c.errf(path+".wallet", "project wallet %q belongs to %q, a payer: a project wallet must belong to an owner", cp.Wallet, w.Owner)
	}
	return w, u
}

// outcome checks that the campaign says what its outcome needs, and only
// that: succeeded needs a payout, failed a refund, open neither.
func (c *checker) outcome(cp *Campaign, path string) {
	switch cp.Outcome {
	case OutcomeSucceeded:
		if cp.Payout == nil {
			c.errf(path, "a succeeded campaign needs a payout (payout: {bank_account: ...})")
		}
		if cp.Refund != nil {
			c.errf(path+".refund", "only a failed campaign is refunded; this one succeeded")
		}
	case OutcomeFailed:
		if cp.Refund == nil {
			c.errf(path, "a failed campaign needs a refund (refund: {to: wallet} or {to: card})")
		}
		if cp.Payout != nil {
			c.errf(path+".payout", "only a succeeded campaign is paid out; this one failed")
		}
		if cp.Fees != nil && feesOn(cp.Fees) == FeesOnPayout {
			c.errf(path+".fees", "a failed campaign takes no fees: it has no payout to take them on; remove fees, or, if a fee was taken on each transfer during the campaign, write on: transfer (full refunds hand it back)")
		}
	case OutcomeOpen:
		if cp.Payout != nil {
			c.errf(path+".payout", "an open campaign is not paid out yet: remove the payout or set outcome: succeeded")
		}
		if cp.Refund != nil {
			c.errf(path+".refund", "an open campaign is not refunded yet: remove the refund or set outcome: failed")
		}
	}
}

// resolveWallet is [resolve] for a wallet key, which also recognizes the key of a
// user written where a wallet belongs (from: olga) and then names that
// user's wallets instead of a near miss. project, when set, is the
// campaign's project wallet, which a contribution cannot come from.
func (c *checker) resolveWallet(path, key, project string) (*Wallet, bool) {
	u, isUser := c.p.Users[key]
	if !isUser || c.p.Wallets[key] != nil || c.invalid["wallets"][key] {
		return resolve(c, path, "wallet", key, c.p.Wallets)
	}
	var owned []string
	for _, k := range sortedKeys(c.p.Wallets) {
		if c.p.Wallets[k].Owner == key && k != project {
			owned = append(owned, k)
		}
	}
	field := lastSeg(path)
	switch {
	case project != "" && u.Category == "owner":
		c.errf(path, "%s is a user, and an owner: %s takes the wallet key of a payer", key, field)
	case len(owned) == 1:
		c.errf(path, "%s is a user; %s takes a wallet key: did you mean wallet %q?", key, field, owned[0])
	case len(owned) > 1:
		c.errf(path, "%s is a user; %s takes a wallet key: did you mean one of its wallets %s?", key, field, quoteJoin(owned))
	case len(c.invalid["wallets"]) > 0:
		// One of the wallets the schema refused may be this user's: its
		// own errors say enough.
	default:
		c.errf(path, "%s is a user; %s takes a wallet key, and %s has no wallet for it: declare one under wallets", key, field, key)
	}
	return nil, false
}

// quoteJoin quotes each key and joins them with commas.
func quoteJoin(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// payout checks that the payout goes to the project owner's bank account.
func (c *checker) payout(cp *Campaign, path string, pw *Wallet) {
	b, ok := resolve(c, path+".payout.bank_account", "bank account", cp.Payout.BankAccount, c.p.BankAccounts)
	if ok && pw != nil && b.Owner != pw.Owner && c.p.Users[b.Owner] != nil && c.p.Users[pw.Owner] != nil {
		c.errf(path+".payout.bank_account", "bank account %q belongs to %q, not to the project owner %q", cp.Payout.BankAccount, b.Owner, pw.Owner)
	}
}

// contribution checks one contribution's references, roles and currencies.
func (c *checker) contribution(cp *Campaign, x *Contribution, xp string, pw *Wallet, powner *User) {
	w, ok := c.resolveWallet(xp+".from", x.From, cp.Wallet)
	var owner *User
	if ok {
		owner = c.p.Users[w.Owner]
		switch {
		case pw != nil && x.From == cp.Wallet:
			c.errf(xp+".from", "a contribution cannot come from the project wallet itself")
		case owner != nil && owner.Category != "payer":
			c.errf(xp+".from", "wallet %q belongs to %q, an owner: contributions come from payers' wallets", x.From, w.Owner)
		}
		if pw != nil && c.p.currencyOf(w) != c.p.currencyOf(pw) {
			c.errf(xp+".from", "wallet %q holds %s but the project wallet %q holds %s", x.From, c.p.currencyOf(w), cp.Wallet, c.p.currencyOf(pw))
		}
	}
	if x.PayIn != nil && x.PayIn.Card != "" {
		cd, okc := resolve(c, xp+".payin.card", "card", x.PayIn.Card, c.p.Cards)
		if okc && ok && cd.User != w.Owner && c.p.Users[cd.User] != nil && c.p.Users[w.Owner] != nil {
			c.errf(xp+".payin.card", "card %q belongs to %q, but wallet %q belongs to %q: a contributor pays with their own card", x.PayIn.Card, cd.User, x.From, w.Owner)
		}
		if okc && ok && c.p.cardCurrency(cd) != c.p.currencyOf(w) {
			c.errf(xp+".payin.card", "card %q is in %s but wallet %q holds %s", x.PayIn.Card, c.p.cardCurrency(cd), x.From, c.p.currencyOf(w))
		}
	}
	if x.RefundAmount != nil && cp.Outcome != OutcomeFailed {
		c.errf(xp+".refund_amount", "only a failed campaign's contributions are refunded; this campaign is %s", cp.Outcome)
	}
	if x.RefundTo != "" && cp.Outcome != OutcomeFailed {
		c.errf(xp+".refund_to", "only a failed campaign's contributions are refunded; this campaign is %s", cp.Outcome)
	}
	if cp.Outcome == OutcomeFailed && cp.Refund != nil && cp.RefundsToCard(x) && x.PayIn == nil {
		c.errf(xp, "refund to card needs the card pay-in of each contribution: add payin: {card: ...} or payin: {id: ...}")
	}
}

// money checks that the campaign's fees fit in its amounts, refunds stay
// within what was transferred, and the campaign balances.
func (c *checker) money(cp *Campaign, path string) {
	m := moneyOf(cp)
	if m.overflow {
		c.errf(path+".contributions", "the contributions add up to more than %d cents, which no amount can hold", int64(1<<63-1))
		return
	}
	for i, x := range cp.Contributions {
		xp := contributionPath(cp, i)
		if x.PayIn != nil {
			if _, ok := addInt64(x.Amount, x.PayIn.Fees); !ok {
				c.errf(xp+".payin.fees", "amount plus pay-in fees is too large for an amount")
			}
		}
		fee := m.transferFee[i]
		if fee >= x.Amount {
			c.errf(xp+".amount", "the transfer fee (%d) takes all of the amount (%d): nothing would reach the project wallet", fee, x.Amount)
			continue
		}
		if x.RefundAmount != nil && *x.RefundAmount > x.Amount-fee {
			c.errf(xp+".refund_amount", "refunds %d but only %d reached the project wallet (amount %d minus fee %d)", *x.RefundAmount, x.Amount-fee, x.Amount, fee)
		}
	}
	if cp.Outcome != OutcomeSucceeded || cp.Payout == nil {
		return
	}
	c.balance(cp, path, m)
}

// balance checks a succeeded campaign's payout against what it received.
func (c *checker) balance(cp *Campaign, path string, m campaignMoney) {
	where := path + ".payout"
	if cp.Payout.Amount != nil {
		where += ".amount"
	}
	if m.payout > m.received {
		c.errf(where, "pays out %d but the project wallet receives only %d (contributions %d minus transfer fees %d)", m.payout, m.received, m.collected, m.collected-m.received)
		return
	}
	if m.payout == 0 {
		c.errf(where, "nothing to pay out: the campaign has no contributions")
		return
	}
	if m.payoutFee > m.payout {
		c.errf(feePath(path, cp.Fees), "the fee on the payout (%d) is more than the payout (%d)", m.payoutFee, m.payout)
	}
}

// feePath is the path of the value that sets a campaign's fee: fixed or
// percent.
func feePath(path string, f *Fees) string {
	if f != nil && f.Fixed != nil {
		return path + ".fees.fixed"
	}
	return path + ".fees.percent"
}
