package main

import (
	"encoding/json"
	"io"

	"settle/executor"
)

// applyFormatVersion is the format_version of `settle apply --json`
// (docs/apply-json.md). Within a version fields are only added.
const applyFormatVersion = 1

// applyJSON is the one document `settle apply --json` prints at the end,
// documented in docs/apply-json.md.
type applyJSON struct {
	FormatVersion int    `json:"format_version"`
	Plan          string `json:"plan"`
	Target        string `json:"target"`
	// ExitCode is the code settle exits with (README, Exit codes).
	ExitCode    int                       `json:"exit_code"`
	Interrupted bool                      `json:"interrupted"`
	Counts      applyCountsJSON           `json:"counts"`
	Steps       []applyStepJSON           `json:"steps"`
	Campaigns   []executor.CampaignTotals `json:"campaigns"`
	Totals      []executor.CampaignTotals `json:"totals"`
}

// applyCountsJSON counts the steps by outcome, as the summary's first line.
type applyCountsJSON struct {
	Done      int `json:"done"`
	Failed    int `json:"failed"`
	Blocked   int `json:"blocked"`
	Skipped   int `json:"skipped"`
	Pending   int `json:"pending"`
	InDoubt   int `json:"in_doubt"`
	Unchanged int `json:"unchanged"`
}

// applyStepJSON is one step of the run.
type applyStepJSON struct {
	Step          string `json:"step"`
	Kind          string `json:"kind"`
	Action        string `json:"action"`
	Outcome       string `json:"outcome"`
	ID            string `json:"id,omitempty"`
	Status        string `json:"status,omitempty"`
	ResultCode    string `json:"result_code,omitempty"`
	ResultMessage string `json:"result_message,omitempty"`
	Campaign      string `json:"campaign,omitempty"`
	Contribution  string `json:"contribution,omitempty"`
	Amount        *int64 `json:"amount,omitempty"`
	Fees          *int64 `json:"fees,omitempty"`
	Currency      string `json:"currency,omitempty"`
	Error         string `json:"error,omitempty"`
}

// newApplyJSON is the machine shape of a run's summary: its money is the
// summary's own (Summary.Money and its total lines), never recomputed.
func newApplyJSON(planName, target string, sum *executor.Summary, exitCode int) *applyJSON {
	out := &applyJSON{
		FormatVersion: applyFormatVersion, Plan: planName, Target: target, ExitCode: exitCode,
		Interrupted: sum.Interrupted,
		Counts: applyCountsJSON{Done: sum.Done, Failed: sum.Failed, Blocked: sum.Blocked, Skipped: sum.Skipped,
			Pending: sum.Pending, InDoubt: sum.InDoubt, Unchanged: sum.Unchanged},
		Steps:     make([]applyStepJSON, 0, len(sum.Results)),
		Campaigns: sum.Money,
		Totals:    executor.SumByCurrency(sum.Money),
	}
	if out.Campaigns == nil {
		out.Campaigns = []executor.CampaignTotals{}
	}
	for _, r := range sum.Results {
		s := r.Step
		j := applyStepJSON{Step: s.Key, Kind: string(s.Kind), Action: r.Action.Name(), Outcome: r.State,
			ID: r.ID, Status: r.Status, ResultCode: r.ResultCode, ResultMessage: r.ResultMessage,
			Campaign: s.Campaign, Contribution: s.Contribution}
		if j.Outcome == "" {
			j.Outcome = "unchanged"
		}
		if executor.IsMoney(s.Kind) {
			amount, fees := s.Amount, s.Fees
			j.Amount, j.Fees, j.Currency = &amount, &fees, s.Currency
		}
		if r.Err != nil {
			j.Error = r.Err.Error()
		}
		out.Steps = append(out.Steps, j)
	}
	return out
}

// writeApplyJSON writes the document, indented.
func writeApplyJSON(w io.Writer, doc *applyJSON) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
