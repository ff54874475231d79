package plan

// Expand turns a valid plan into its steps, dependencies first, in a
// deterministic order that does not depend on map iteration:
//
//  1. objects, kind by kind and by plan key: user/<k>, wallet/<k>
//     (owner: the user), bank_account/<k> (with its Recipient unless it
//     keeps the legacy route), kyc_document/<k>, identity_verification/<u>
//     (owners with identity_verification: hosted), card/<k> (each waits
//     for its user);
//  2. campaigns by plan key and, within a campaign, contributions in file
//     order.
//
// Per contribution x of campaign c:
//   - payin/c/x when payin is set: with payin.card, Author is the
//     contributor (the owner of x.from), Credited wallet/<from>, Card
//     card/<card>, Amount x.amount + payin.fees, Fees payin.fees; it waits
//     for the card and the wallet. With payin.id it is adopted (AdoptedID)
//     and waits for nothing.
//   - transfer/c/x: Author the contributor, Debited wallet/<from>, Credited
//     the project wallet, Amount x.amount, Fees the per-transfer fee when
//     fees.on is transfer; it waits for the pay-in (if any) and both
//     wallets. Adopted when transfer.id is set.
//
// A succeeded campaign then gets payout/c: Author the project owner,
// Debited the project wallet, BankAccount, Amount payout.amount or
// everything received (Σ amount − transfer fees), Fees the platform fee
// when fees are on the payout (percent of Σ amount rounded down to the
// cent, or fixed), WireRef; it waits for every transfer of c, the project
// wallet, the bank account, every KYC document of the owner and the
// owner's identity verification.
//
// A failed campaign gets, per contribution, transfer_refund/c/x (Original
// the transfer, Author the contributor, Debited the project wallet,
// Credited the contributor's wallet, Amount refund_amount or what the
// transfer credited (x.amount − fee), Fees −fee on a full refund and 0 on a
// partial one; waits for the transfer) and, with refund to card,
// payin_refund/c/x (Original the pay-in, Author the contributor, Debited
// the contributor's wallet, Amount what the transfer refund credited back
// (its Amount − Fees), Fees −payin.fees on a full refund and 0 otherwise;
// waits for the transfer refund and the pay-in).
//
// Step keys depend only on the plan keys of the objects concerned, so
// adding a contribution, a campaign or an object never renames another
// step. Tag is "settle:<plan name>/<step key>", except for KYC documents
// whose Tag is the sandbox outcome. Currency is the wallet's (money steps:
// the project wallet's).
//
// Expand is safe for concurrent use; each call returns its own steps.
// The plan must come from [Parse] (or [Load]), which validated it: the
// first call returns the steps Parse already expanded and checked. A plan
// built any other way is not validated here; Expand then fails only when
// a step depends on an object the plan does not declare or when the step
// graph has a cycle.
func Expand(p *Plan) ([]*Step, error) {
	if cached := p.steps.Swap(nil); cached != nil {
		return *cached, nil // expanded and checked by Parse
	}
	steps := expand(p)
	if errs := checkGraph(steps); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return steps, nil
}

// expander builds the steps of one plan.
type expander struct {
	p     *Plan
	steps []*Step
}

func expand(p *Plan) []*Step {
	e := &expander{p: p}
	e.objects()
	for _, k := range sortedKeys(p.Campaigns) {
		e.campaign(p.Campaigns[k])
	}
	return e.steps
}

func (e *expander) add(s *Step) *Step {
	if s.Kind != KindKYC {
		s.Tag = TagOf(e.p.Name, s.Key)
	}
	e.steps = append(e.steps, s)
	return s
}

func userKey(k string) string   { return StepKey(KindUser, k) }
func walletKey(k string) string { return StepKey(KindWallet, k) }

// identityVerificationKey is the key of user k's identity verification step.
func identityVerificationKey(k string) string { return StepKey(KindIdentityVerification, k) }

func (e *expander) objects() {
	p := e.p
	for _, k := range sortedKeys(p.Users) {
		u := p.Users[k]
		e.add(&Step{Key: userKey(k), Kind: KindUser, Pos: u.Pos, AdoptedID: u.ID, User: u})
	}
	for _, k := range sortedKeys(p.Wallets) {
		w := p.Wallets[k]
		e.add(&Step{Key: walletKey(k), Kind: KindWallet, Pos: w.Pos, AdoptedID: w.ID, Deps: []string{userKey(w.Owner)},
			Owner: userKey(w.Owner), Currency: p.currencyOf(w), Wallet: w})
	}
	for _, k := range sortedKeys(p.BankAccounts) {
		b := p.BankAccounts[k]
		s := e.add(&Step{Key: StepKey(KindBankAccount, k), Kind: KindBankAccount, Pos: b.Pos, AdoptedID: b.ID,
			Deps: []string{userKey(b.Owner)}, Owner: userKey(b.Owner), BankAccountSpec: b})
		if b.RegistersRecipient() {
			r := p.RecipientOf(b)
			s.Recipient = &r
		}
	}
	for _, k := range sortedKeys(p.KYCDocuments) {
		d := p.KYCDocuments[k]
		e.add(&Step{Key: StepKey(KindKYC, k), Kind: KindKYC, Pos: d.Pos, AdoptedID: d.ID, Tag: d.SandboxOutcome,
			Deps: []string{userKey(d.User)}, Owner: userKey(d.User), KYC: d})
	}
	for _, k := range sortedKeys(p.Users) {
		if u := p.Users[k]; u.IdentityVerification == IdentityVerificationHosted {
			e.add(&Step{Key: identityVerificationKey(k), Kind: KindIdentityVerification, Pos: p.PosOf("users." + k + ".identity_verification"),
				Deps: []string{userKey(k)}, Owner: userKey(k)})
		}
	}
	for _, k := range sortedKeys(p.Cards) {
		cd := p.Cards[k]
		e.add(&Step{Key: StepKey(KindCard, k), Kind: KindCard, Pos: cd.Pos, AdoptedID: cd.ID,
			Deps: []string{userKey(cd.User)}, Owner: userKey(cd.User), Currency: p.cardCurrency(cd), CardSpec: cd})
	}
}
