package plan

// campaign adds the money steps of one campaign (see [Expand]).
func (e *expander) campaign(c *Campaign) {
	p := e.p
	pw := p.Wallets[c.Wallet]
	currency := p.Currency
	owner := ""
	if pw != nil {
		currency = p.currencyOf(pw)
		owner = userKey(pw.Owner)
	}
	project := walletKey(c.Wallet)
	m := moneyOf(c)
	payins := make([]*Step, len(c.Contributions))
	transfers := make([]*Step, len(c.Contributions))
	for i, x := range c.Contributions {
		payins[i], transfers[i] = e.contribution(c, x, m.transferFee[i], project, currency)
	}
	switch c.Outcome {
	case OutcomeSucceeded:
		e.payout(c, m, owner, project, currency, transfers)
	case OutcomeFailed:
		e.refunds(c, payins, transfers)
	}
}

// contribution adds the pay-in (if any) and the transfer of one
// contribution.
func (e *expander) contribution(c *Campaign, x *Contribution, fee int64, project, currency string) (payin, transfer *Step) {
	contributor := ""
	if w := e.p.Wallets[x.From]; w != nil {
		contributor = userKey(w.Owner)
	}
	base := Step{Pos: x.Pos, Campaign: c.Key, Contribution: x.Key, Author: contributor, Currency: currency}
	if x.PayIn != nil {
		s := base
		s.Key, s.Kind, s.Credited = StepKey(KindPayIn, c.Key, x.Key), KindPayIn, walletKey(x.From)
		s.Amount, s.Fees = x.Amount+x.PayIn.Fees, x.PayIn.Fees
		if x.PayIn.ID != "" {
			s.AdoptedID = x.PayIn.ID
		} else {
			s.Card = StepKey(KindCard, x.PayIn.Card)
			s.Deps = []string{s.Card, s.Credited}
		}
		payin = e.add(&s)
	}
	s := base
	s.Key, s.Kind, s.Debited, s.Credited = StepKey(KindTransfer, c.Key, x.Key), KindTransfer, walletKey(x.From), project
	s.Amount, s.Fees = x.Amount, fee
	if payin != nil {
		s.Deps = []string{payin.Key, s.Debited, s.Credited}
	} else {
		s.Deps = []string{s.Debited, s.Credited}
	}
	if x.Transfer != nil {
		s.AdoptedID = x.Transfer.ID
	}
	return payin, e.add(&s)
}

// payout adds payout/<campaign>.
func (e *expander) payout(c *Campaign, m campaignMoney, owner, project, currency string, transfers []*Step) {
	if c.Payout == nil {
		return
	}
	s := &Step{Key: StepKey(KindPayOut, c.Key), Kind: KindPayOut, Pos: e.p.PosOf("campaigns." + c.Key + ".payout"),
		Campaign: c.Key, AdoptedID: c.Payout.ID, Author: owner, Debited: project,
		BankAccount: StepKey(KindBankAccount, c.Payout.BankAccount),
		Amount:      m.payout, Fees: m.payoutFee, Currency: currency, WireRef: c.Payout.WireRef}
	for _, t := range transfers {
		s.Deps = append(s.Deps, t.Key)
	}
	s.Deps = append(s.Deps, project, s.BankAccount)
	if pw := e.p.Wallets[c.Wallet]; pw != nil {
		for _, k := range sortedKeys(e.p.KYCDocuments) {
			if e.p.KYCDocuments[k].User == pw.Owner {
				s.Deps = append(s.Deps, StepKey(KindKYC, k))
			}
		}
		if u := e.p.Users[pw.Owner]; u != nil && u.IdentityVerification == IdentityVerificationHosted {
			s.Deps = append(s.Deps, identityVerificationKey(pw.Owner))
		}
	}
	e.add(s)
}

// refunds adds the transfer refunds (and pay-in refunds) of a failed
// campaign.
func (e *expander) refunds(c *Campaign, payins, transfers []*Step) {
	for i, x := range c.Contributions {
		t := transfers[i]
		credited := t.Amount - t.Fees
		tr := &Step{Key: StepKey(KindTransferRefund, c.Key, x.Key), Kind: KindTransferRefund, Pos: x.Pos,
			Campaign: c.Key, Contribution: x.Key, Original: t.Key, Author: t.Author, Debited: t.Credited, Credited: t.Debited,
			Amount: credited, Fees: -t.Fees, Currency: t.Currency, Deps: []string{t.Key}}
		full := x.RefundAmount == nil || *x.RefundAmount == credited
		if !full {
			tr.Amount, tr.Fees = *x.RefundAmount, 0
		}
		e.add(tr)
		if !c.RefundsToCard(x) || payins[i] == nil {
			continue
		}
		pi := payins[i]
		pr := &Step{Key: StepKey(KindPayInRefund, c.Key, x.Key), Kind: KindPayInRefund, Pos: x.Pos,
			Campaign: c.Key, Contribution: x.Key, Original: pi.Key, Author: t.Author, Debited: pi.Credited,
			Amount: tr.Amount - tr.Fees, Currency: t.Currency, Deps: []string{tr.Key, pi.Key}}
		if full {
			pr.Fees = -pi.Fees
		}
		e.add(pr)
	}
}
