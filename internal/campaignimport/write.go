package campaignimport

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"settle/internal/mask"
	"settle/mangopay"
	"settle/plan"
)

// header writes the plan's head comment: the source, when it was read,
// the counts and totals found, the owner's identity and accounts, and
// what the plan settles.
func (b *builder) header() {
	s, w := b.s, b.s.Wallet
	sum := s.Owner.Summary()
	var collected int64
	for _, x := range s.Contributions {
		collected += x.Credited()
	}
	var paidOut int64
	for _, t := range s.PayOuts {
		paidOut += t.DebitedFunds.Amount
	}
	h := []string{
		"Imported by `settle import` from MANGOPAY. Review it, then `settle validate`, `settle plan`, `settle apply`.",
		"",
		fmt.Sprintf("Source: project wallet %s (%s, %q), owner %s (%s %s, KYC %s).", w.Id, w.Currency, w.Description,
			sum.Id, strings.ToLower(sum.PersonType), sum.UserCategory, sum.KYCLevel),
		fmt.Sprintf("Imported at: %s (%d API calls, read only).", s.ReadAt.Format(time.RFC3339), s.Calls),
		fmt.Sprintf("Found: balance %d %s; %d contributions (transfers) from %d payers, %d credited in all;",
			w.Balance.Amount, w.Currency, len(s.Contributions), len(s.Payers), collected),
		fmt.Sprintf("  %d transfer refunds made outside this plan (%d); %d payouts (%d); %d other movements.",
			countRefunds(s, false), b.refundedElsewhere, len(s.PayOuts), paidOut, len(s.Other)),
		fmt.Sprintf("Pay-ins: %d contributions paired with the pay-in that funded them%s, %d not with certainty.",
			countPaired(s), payInTypes(s), len(s.Contributions)-countPaired(s)),
		"Identity: " + identity(s),
		"Accounts: " + b.accounts(),
		"",
	}
	h = append(h, b.settles()...)
	b.imp.Header = h
}

// settles says what the plan settles.
func (b *builder) settles() []string {
	c := b.p.Campaigns[b.s.Campaign]
	out := []string{fmt.Sprintf("Outcome %s: %d contributions left to settle, %d %s; %d settled already (nothing left of them).",
		b.outcome, len(c.Contributions), b.left, b.s.Wallet.Currency, b.settled)}
	switch b.outcome {
	case plan.OutcomeFailed:
		out = append(out, fmt.Sprintf("Refunds: %d to the card that paid, %d to the payer's wallet only (see the comments).", b.toCard, len(b.toWallet)))
	case plan.OutcomeSucceeded:
		out = append(out, fmt.Sprintf("Payout: %d %s to bank account %s, net of the fees already taken.",
			*c.Payout.Amount, b.s.Wallet.Currency, b.p.BankAccounts[accountKey].ID))
		if lvl := b.s.Owner.Summary().KYCLevel; lvl != mangopay.KYCRegular {
			out = append(out, fmt.Sprintf("The owner is KYC %s: the payout is blocked until she or he is REGULAR (declare the documents under kyc_documents).", lvl))
		}
	default:
		out = append(out, "Open: the plan adopts what exists and moves nothing; import again with --outcome succeeded or failed.")
	}
	return out
}

func countRefunds(s *Source, own bool) int {
	n := 0
	for _, x := range s.Contributions {
		for _, r := range x.Refunds {
			if r.Own == own {
				n++
			}
		}
	}
	return n
}

func countPaired(s *Source) int {
	n := 0
	for _, x := range s.Contributions {
		if x.PayIn != nil {
			n++
		}
	}
	return n
}

// payInTypes counts the paired pay-ins by type, when they were read:
// " (2 CARD DIRECT, 1 CARD WEB)".
func payInTypes(s *Source) string {
	n := map[string]int{}
	for _, x := range s.Contributions {
		if x.PayInType != "" {
			n[x.PayInType]++
		}
	}
	var parts []string
	for _, t := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%d %s", n[t], t))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// identity describes the owner's KYC documents and verification sessions.
func identity(s *Source) string {
	var parts []string
	for _, d := range s.KYCDocuments {
		parts = append(parts, fmt.Sprintf("%s %s %s", d.Type, d.Id, d.Status))
	}
	for _, v := range s.Verifications {
		parts = append(parts, fmt.Sprintf("verification %s %s", v.Id, v.Status))
	}
	if len(parts) == 0 {
		return "no KYC document, no identity verification."
	}
	return strings.Join(parts, "; ") + "."
}

// accounts describes the owner's active bank accounts and Recipients.
func (b *builder) accounts() string {
	s := b.s
	var parts []string
	for i, ba := range s.BankAccounts {
		p := fmt.Sprintf("bank account %s (%s %s)", ba.Id, ba.Type, mask.IBAN(ba.IBAN))
		if i == 0 && b.outcome == plan.OutcomeSucceeded {
			p += " adopted as " + accountKey
		}
		parts = append(parts, p)
	}
	for _, r := range s.Recipients {
		parts = append(parts, fmt.Sprintf("recipient %s (%s)", r.Id, r.PayoutMethodType))
	}
	if len(parts) == 0 {
		return "none active."
	}
	return strings.Join(parts, "; ") + "."
}

// YAML renders the plan with its comments, and checks that it parses and
// validates: a plan that does not is a bug here, and is not returned.
func (imp *Imported) YAML() ([]byte, error) {
	var doc yaml.Node
	if err := doc.Encode(imp.Plan); err != nil {
		return nil, fmt.Errorf("campaignimport: encoding the plan: %w", err)
	}
	compact(&doc, imp.Notes)
	doc.HeadComment = comment(imp.Header)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("campaignimport: writing the plan: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if _, err := plan.Parse(imp.Plan.Name+".yaml", buf.Bytes()); err != nil {
		return nil, fmt.Errorf("campaignimport: the generated plan does not validate (a bug): %w", err)
	}
	return buf.Bytes(), nil
}

// comment turns lines into a comment block's text.
func comment(lines []string) string {
	return strings.Join(lines, "\n")
}

// compact writes users, wallets, bank accounts and contributions one per
// line (flow style), and puts each contribution's note beside it.
func compact(doc *yaml.Node, notes map[string]string) {
	root := doc
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "users", "wallets", "bank_accounts":
			m := root.Content[i+1]
			for j := 1; j < len(m.Content); j += 2 {
				m.Content[j].Style = yaml.FlowStyle
			}
		case "campaigns":
			cs := root.Content[i+1]
			for j := 1; j < len(cs.Content); j += 2 {
				contributions(cs.Content[j], notes)
			}
		}
	}
}

// contributions sets flow style and notes on a campaign's contributions.
func contributions(campaign *yaml.Node, notes map[string]string) {
	for i := 0; i+1 < len(campaign.Content); i += 2 {
		v := campaign.Content[i+1]
		switch campaign.Content[i].Value {
		case "payout", "refund", "fees":
			v.Style = yaml.FlowStyle
		case "contributions":
			for _, x := range v.Content {
				x.Style = yaml.FlowStyle
				if n := notes[keyOf(x)]; n != "" {
					x.LineComment = n
				}
			}
		}
	}
}

// keyOf is the key of a contribution node.
func keyOf(x *yaml.Node) string {
	for i := 0; i+1 < len(x.Content); i += 2 {
		if x.Content[i].Value == "key" {
			return x.Content[i+1].Value
		}
	}
	return ""
}
