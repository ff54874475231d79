package executor

import (
	"encoding/json"
	"io"
)

// PreviewFormatVersion is the format_version of [PreviewJSON]. It changes
// only when a field is removed or changes meaning (docs/plan-json.md).
//
// Version 3: calls counts only the calls still to make (writes and status
// polls, 0 when nothing is left), no longer the reads of the state, which
// reads gives.
//
// Version 2 (the money model): campaigns holds every campaign's money once
// the run is done, in the columns of `settle report` (docs/report.md), and
// totals its total line per currency; version 1's campaigns counted only
// the steps to be written, with other columns.
const PreviewFormatVersion = 3

// PreviewJSON is the stable machine shape of `settle plan --json`,
// documented in docs/plan-json.md.
type PreviewJSON struct {
	FormatVersion int              `json:"format_version"`
	Plan          string           `json:"plan"`
	Target        string           `json:"target,omitempty"`
	HasChanges    bool             `json:"has_changes"`
	Counts        CountsJSON       `json:"counts"`
	Changes       []ChangeJSON     `json:"changes"`
	Wallets       []WalletJSON     `json:"wallets"`
	Fees          []MoneyTotal     `json:"fees"`
	Calls         int              `json:"calls"`
	MinDurationMS int64            `json:"min_duration_ms"`
	Reads         int              `json:"reads"`
	Trusted       int              `json:"trusted,omitempty"`
	Rechecked     []string         `json:"rechecked,omitempty"`
	Reading       string           `json:"reading"`
	Campaigns     []CampaignTotals `json:"campaigns"`
	Totals        []CampaignTotals `json:"totals"`
}

// CountsJSON counts the changes by action.
type CountsJSON struct {
	Create    int `json:"create"`
	Update    int `json:"update"`
	Unchanged int `json:"unchanged"`
	Adopt     int `json:"adopt"`
	Blocked   int `json:"blocked"`
	InDoubt   int `json:"in_doubt"`
}

// ChangeJSON is one step of the preview.
type ChangeJSON struct {
	Step         string   `json:"step"`
	Kind         string   `json:"kind"`
	Action       string   `json:"action"`
	Symbol       string   `json:"symbol"`
	ID           string   `json:"id,omitempty"`
	Campaign     string   `json:"campaign,omitempty"`
	Contribution string   `json:"contribution,omitempty"`
	Amount       *int64   `json:"amount,omitempty"`
	Fees         *int64   `json:"fees,omitempty"`
	Currency     string   `json:"currency,omitempty"`
	Debited      string   `json:"debited,omitempty"`
	Credited     string   `json:"credited,omitempty"`
	BankAccount  string   `json:"bank_account,omitempty"`
	Card         string   `json:"card,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	Drift        []string `json:"drift,omitempty"`
	Warning      string   `json:"warning,omitempty"`
	Calls        int      `json:"calls"`
	Deps         []string `json:"deps"`
	Position     string   `json:"position,omitempty"`
}

// WalletJSON is one wallet's pre-flight balance.
type WalletJSON struct {
	Key      string `json:"key"`
	ID       string `json:"id,omitempty"`
	Currency string `json:"currency"`
	Before   int64  `json:"before"`
	After    int64  `json:"after"`
}

// NewPreviewJSON converts a preview to its machine shape.
func NewPreviewJSON(p *Preview, target string) *PreviewJSON {
	n := Count(p)
	out := &PreviewJSON{
		FormatVersion: PreviewFormatVersion,
		Target:        target,
		HasChanges:    p.HasChanges(),
		Counts:        CountsJSON(n),
		Changes:       make([]ChangeJSON, 0, len(p.Changes)),
		Wallets:       make([]WalletJSON, 0, len(p.Wallets)),
		Fees:          PreviewFees(p),
		Calls:         p.Calls,
		MinDurationMS: p.MinDuration.Milliseconds(),
		Reads:         p.Reads,
		Trusted:       p.Trusted,
		Rechecked:     p.Rechecked,
		Reading:       p.Reading,
		Campaigns:     p.Money,
		Totals:        SumByCurrency(p.Money),
	}
	if out.Campaigns == nil {
		out.Campaigns = []CampaignTotals{}
	}
	if p.Plan != nil {
		out.Plan = p.Plan.Name
	}
	for _, c := range p.Changes {
		out.Changes = append(out.Changes, changeJSON(c))
	}
	for _, b := range p.Wallets {
		out.Wallets = append(out.Wallets, WalletJSON(b))
	}
	return out
}

// changeJSON converts one change.
func changeJSON(c *Change) ChangeJSON {
	s := c.Step
	j := ChangeJSON{
		Step: s.Key, Kind: string(s.Kind), Action: c.Action.Name(), Symbol: c.Action.String(),
		ID: c.ID, Campaign: s.Campaign, Contribution: s.Contribution,
		Debited: s.Debited, Credited: s.Credited, BankAccount: s.BankAccount, Card: s.Card,
		Reason: c.Reason, Drift: c.Drift, Warning: c.Warning, Calls: c.Calls, Deps: s.Deps,
	}
	if j.Deps == nil {
		j.Deps = []string{}
	}
	if s.Pos.Line > 0 {
		j.Position = s.Pos.String()
	}
	j.Amount, j.Fees, j.Currency = MoneyFields(s)
	return j
}

// WritePreviewJSON writes the preview as indented JSON (see [PreviewJSON]).
func WritePreviewJSON(w io.Writer, p *Preview, target string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewPreviewJSON(p, target))
}
