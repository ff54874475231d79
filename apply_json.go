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
	Warning       string `json:"warning,omitempty"`
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
		out.Steps = append(out.Steps, stepJSON(r))
	}
	return out
}

// stepJSON is one step's result in the machine shape.
func stepJSON(r *executor.Result) applyStepJSON {
	s := r.Step
	j := applyStepJSON{Step: s.Key, Kind: string(s.Kind), Action: r.Action.Name(), Outcome: r.State,
		ID: r.ID, Status: r.Status, ResultCode: r.ResultCode, ResultMessage: r.ResultMessage,
		Campaign: s.Campaign, Contribution: s.Contribution, Warning: r.Warning}
	if j.Outcome == "" {
		j.Outcome = "unchanged"
	}
	j.Amount, j.Fees, j.Currency = executor.MoneyFields(s)
	if r.Err != nil {
		j.Error = r.Err.Error()
	}
	return j
}

// applyStream writes `settle apply --json-stream` (docs/apply-json.md):
// one JSON line per step as its result comes ({"event":"step", ...the
// fields of a step}), then the --json document as the last line
// ({"event":"summary", ...}). Every step has exactly one step line.
type applyStream struct {
	enc  *json.Encoder
	sent map[string]bool // steps already written
	err  error           // the first write error
}

func newApplyStream(w io.Writer) *applyStream {
	return &applyStream{enc: json.NewEncoder(w), sent: map[string]bool{}}
}

// streamStep is a step line.
type streamStep struct {
	Event string `json:"event"`
	applyStepJSON
}

// streamSummary is the last line.
type streamSummary struct {
	Event string `json:"event"`
	*applyJSON
}

// progress writes the step line of a result the run reports.
func (st *applyStream) progress(p executor.Progress) {
	if p.Phase == executor.PhaseApplying && p.Result != nil {
		st.step(p.Result)
	}
}

// step writes r's line once.
func (st *applyStream) step(r *executor.Result) {
	if st.sent[r.Step.Key] || st.err != nil {
		return
	}
	st.sent[r.Step.Key] = true
	st.err = st.enc.Encode(streamStep{Event: "step", applyStepJSON: stepJSON(r)})
}

// finish writes the lines of the steps the run did not report as they
// came (skipped by --fail-fast), then the summary line.
func (st *applyStream) finish(sum *executor.Summary, doc *applyJSON) error {
	for _, r := range sum.Results {
		st.step(r)
	}
	if st.err != nil {
		return st.err
	}
	return st.enc.Encode(streamSummary{Event: "summary", applyJSON: doc})
}

// writeJSON writes v as indented JSON: the machine documents of apply,
// show and validate.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
